// The runner refuses a scenario.toml it does not fully understand, and a golden base state or
// handoff record that does not match. Each bad scenario is written to a temp folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.ts';
import { updateGolden } from './golden.ts';
import { runScenario } from './runner.ts';

/** Writes `<root>/<name>/` with scenario.toml and the given files (paths below the scenario folder). */
function scenario(toml: string, files: Record<string, string> = {}): { dir: string; work: string; file: string } {
  const dir = tempDir('scenario-schema');
  const work = tempDir('scenario-work');
  mkdirSync(join(dir, 'bad'));
  writeFileSync(join(dir, 'bad', 'scenario.toml'), toml);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, 'bad', path, '..'), { recursive: true });
    writeFileSync(join(dir, 'bad', path), text);
  }
  return { dir, work, file: join(dir, 'bad', 'scenario.toml') };
}

const skill = { 'initial/a/skills/x/SKILL.md': 'x\n' };

describe('scenario.toml schema', () => {
  it('a misspelt modifier (stdout_contain) fails the scenario, naming the file, the step and the key', async () => {
    const { dir, work, file } = scenario('description = "typo"\n[[steps]]\nrun = "sync --apply"\nstdout_contain = ["never checked"]\n', skill);
    const run = runScenario('bad', work, dir);
    await expect(run).rejects.toThrow(`${file}: step 1 (run): unknown key "stdout_contain" (allowed: run, machine, exit, stdout_contains, stdout_lacks, check)`);
  });

  it('rejects an unknown top-level key', async () => {
    const { dir, work, file } = scenario('description = "typo"\nmachine = ["a"]\n[[steps]]\nrun = "plan"\n');
    await expect(runScenario('bad', work, dir)).rejects.toThrow(`${file}: unknown key "machine" (allowed: description, machines, config, mtimes, steps)`);
  });

  it('a step needs exactly one kind', async () => {
    const none = scenario('description = "x"\n[[steps]]\nwirte = "a:x"\ncontent = "y"\n');
    await expect(runScenario('bad', none.work, none.dir)).rejects.toThrow(
      `${none.file}: step 1: a step needs exactly one of run, write, append, touch, delete, backup_has, absent, no_backups, handoff; it has none (unknown key "wirte")`,
    );
    const two = scenario('description = "x"\n[[steps]]\nrun = "plan"\ndelete = "a:x"\n');
    await expect(runScenario('bad', two.work, two.dir)).rejects.toThrow(
      `${two.file}: step 1: a step needs exactly one of run, write, append, touch, delete, backup_has, absent, no_backups, handoff; it has run and delete`,
    );
  });

  it('rejects a modifier of another kind, a missing content, an unknown tree or machine, and a command scenarios cannot run', async () => {
    const cases: [string, string][] = [
      ['[[steps]]\ndelete = "a:x"\ncontent = "y"\n', 'step 1 (delete): unknown key "content" (allowed: delete, check)'],
      ['[[steps]]\nwrite = "a:x"\n', 'step 1 (write): content: Invalid input: expected string, received undefined'],
      ['[[steps]]\nwrite = "c:x"\ncontent = ""\n', 'step 1: unknown tree in "c:x" (trees: a, cloud, backups, ws)'],
      ['[[steps]]\nrun = "plan"\nmachine = "b"\n', 'step 1: "b" is not one of the scenario\'s machines (a)'],
      ['[[steps]]\nrun = "validate"\n', 'step 1: run: "validate" is not a command a scenario can run'],
    ];
    for (const [steps, message] of cases) {
      const { dir, work, file } = scenario(`description = "x"\n${steps}`);
      await expect(runScenario('bad', work, dir), steps).rejects.toThrow(`${file}: ${message}`);
    }
  });
});

// UPDATE_GOLDEN=1 would rewrite these goldens instead of comparing them.
describe.skipIf(updateGolden)('golden base state and handoff records', () => {
  const toml = 'description = "push one skill"\n[[steps]]\nrun = "sync --apply"\nstdout_contains = ["to cloud 1 file"]\n';
  const sha = '73cb3858a687a8494ca3323053016282f3dad39d42cf62ca4e79dda2aac7d9ac'; // of "x\n"
  const entries = `{\n    "skills/x/SKILL.md": { "size": 2, "sha256": "${sha}" }\n  }`;
  const state = { 'expected/state/a.json': `{\n  "machineId": "a",\n  "entries": ${entries}\n}\n` };
  const record = { 'expected/records/handoff-a.json': `{\n  "machineId": "a",\n  "sequence": 1,\n  "files": ${entries}\n}\n` };

  it('passes with matching goldens', async () => {
    const { dir, work } = scenario(toml, { ...skill, ...state, ...record });
    await runScenario('bad', work, dir);
  });

  it('fails when the base state differs from its golden, naming the golden file', async () => {
    const { dir, work } = scenario(toml, { ...skill, ...record, 'expected/state/a.json': '{}\n' });
    await expect(runScenario('bad', work, dir)).rejects.toThrow(`bad: base state of a vs golden ${join(dir, 'bad', 'expected', 'state', 'a.json')}; UPDATE_GOLDEN=1 rewrites it`);
  });

  it('fails when a golden exists for a base that does not, and when a record has no golden', async () => {
    const never = scenario('description = "plan only"\n[[steps]]\nrun = "plan"\n', { ...skill, 'expected/state/a.json': '{}\n' });
    await expect(runScenario('bad', never.work, never.dir)).rejects.toThrow(/base state of a vs golden .* \(machine a has no base state\)/);
    const unrecorded = scenario(toml, { ...skill, ...state });
    await expect(runScenario('bad', unrecorded.work, unrecorded.dir)).rejects.toThrow(/handoff record handoff-a.json vs golden .* \(no golden file\)/);
  });
});
