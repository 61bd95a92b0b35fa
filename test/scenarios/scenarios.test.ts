import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { loadScenario, runScenario, scenarioNames } from './runner.ts';

function title(name: string): string {
  try {
    return `${name}: ${loadScenario(name).description}`;
  } catch {
    // A scenario.toml that does not check out fails its own test (below), with the reason.
    return name;
  }
}

describe.concurrent('golden scenarios', () => {
  for (const name of scenarioNames()) {
    it(title(name), async ({ onTestFinished }) => {
      const work = mkdtempSync(join(tmpdir(), `scenario-${name}-`));
      onTestFinished(() => rmSync(work, { recursive: true, force: true }));
      await runScenario(name, work);
    });
  }
});
