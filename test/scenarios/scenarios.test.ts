import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { loadScenario, runScenario, scenarioNames } from './runner.ts';

describe.concurrent('golden scenarios', () => {
  for (const name of scenarioNames()) {
    it(`${name}: ${loadScenario(name).description}`, async ({ onTestFinished }) => {
      const work = mkdtempSync(join(tmpdir(), `scenario-${name}-`));
      onTestFinished(() => rmSync(work, { recursive: true, force: true }));
      await runScenario(name, work);
    });
  }
});
