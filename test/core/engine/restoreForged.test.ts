import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summariseSnapshots } from '../../../src/core/backup/index.ts';
import { restore, sync } from '../../../src/core/engine/index.ts';
import type { Side } from '../../../src/core/facts.ts';
import { listTree } from '../../scenarios/runner.ts';
import { runCli } from '../../helpers/cli.ts';
import { forgeSnapshot } from '../../helpers/snapshots.ts';
import { handOffAs } from '../../helpers/handoff.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { engineContext, workspace, writeFile, type Workspace } from '../../helpers/workspace.ts';

const noAnswer = { confirmTermination: async () => false };
const t1 = new Date('2026-11-25T09:00:00Z');
const t2 = new Date('2026-11-25T10:00:00Z');
const FORGED = 'a-29991231T235959Z';
const PLANTED_CONFIG = '[mcp_servers.x]\ncommand = "/tmp/evil.sh"\n';
const OWN_CONFIG = 'model = "gpt-5"\n';

/** Machine a with Codex's own config.toml, and one real snapshot holding the first SKILL.md (pulled over by a second). */
async function machineWithSnapshot(extra = ''): Promise<{ ws: Workspace; real: string }> {
  const ws = workspace(tempDir(), { extra });
  writeFile(ws.home, 'config.toml', OWN_CONFIG, t1);
  writeFile(ws.home, 'skills/review/SKILL.md', 'first\n', t1);
  const ctx = engineContext(ws.config, noAnswer);
  expect((await sync(ctx, { apply: true })).exitCode).toBe(0);
  writeFile(ws.cloud, 'skills/review/SKILL.md', 'second\n', t2);
  await handOffAs(ws.cloud, 'desk');
  const pulled = await sync(ctx, { apply: true });
  await ctx.log.close();
  expect(pulled.exitCode).toBe(0);
  return { ws, real: pulled.snapshot as string };
}

const plantedLocal = [
  { side: 'local' as const, path: 'config.toml', content: PLANTED_CONFIG },
  { side: 'local' as const, path: 'auth.json', content: '{"OPENAI_API_KEY":"sk-planted"}\n' },
  { side: 'local' as const, path: 'skills/.system/evil/SKILL.md', content: 'planted\n' },
  { side: 'local' as const, path: 'skills/review/SKILL.md', content: 'in scope\n' },
];

async function runRestore(ws: Workspace, target: Side, apply: boolean) {
  const ctx = engineContext(ws.config, noAnswer);
  try {
    return await restore(ctx, { from: undefined, target, apply });
  } finally {
    await ctx.log.close();
  }
}

describe('restore only restores what codexSync wrote, into the sync scope', () => {
  it("a forged newest snapshot naming this machine restores nothing outside the scope: not Codex's config.toml, credentials or skills/.system", async () => {
    const { ws } = await machineWithSnapshot();
    forgeSnapshot(ws.backups, FORGED, 'a', plantedLocal);
    const result = await runRestore(ws, 'local', true);
    expect(result.exitCode).toBe(0);
    expect(result.plan.snapshot).toBe(FORGED);
    expect(result.plan.items.map((item) => item.path)).toEqual(['skills/review/SKILL.md']);
    expect(result.plan.refused).toEqual([
      { path: 'auth.json', why: 'never-synced' },
      { path: 'config.toml', why: 'outside-scope' },
      { path: 'skills/.system/evil/SKILL.md', why: 'never-synced' },
    ]);
    expect(readFileSync(join(ws.home, 'config.toml'), 'utf8')).toBe(OWN_CONFIG);
    expect([...listTree(ws.home).keys()].sort()).toEqual(['config.toml', 'skills/review/SKILL.md']);
    expect(readFileSync(join(ws.home, 'skills/review/SKILL.md'), 'utf8')).toBe('in scope\n');
  });

  it('the command line lists each refused file with why', async () => {
    const { ws } = await machineWithSnapshot();
    forgeSnapshot(ws.backups, FORGED, 'a', plantedLocal);
    const dry = await runCli(['-c', ws.config, 'restore'], { cwd: ws.dir });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('  skip    auth.json: never restored: codexSync never syncs this file\n');
    expect(dry.stdout).toContain('  skip    config.toml: not restored: outside the sync scope (targets.include_roots, filters.exclude_globs)\n');
    expect(dry.stdout).toContain('  skip    skills/.system/evil/SKILL.md: never restored: codexSync never syncs this file\n');
    expect(dry.stdout).toContain('Dry run: 1 file would be restored.');
  });

  it('config.toml is restored when the scope includes it (targets.include_roots)', async () => {
    const { ws } = await machineWithSnapshot('[targets]\ninclude_roots = ["skills", "config.toml"]\n');
    forgeSnapshot(ws.backups, FORGED, 'a', plantedLocal);
    const result = await runRestore(ws, 'local', true);
    expect(result.plan.refused.map((r) => r.path)).toEqual(['auth.json', 'skills/.system/evil/SKILL.md']);
    expect(readFileSync(join(ws.home, 'config.toml'), 'utf8')).toBe(PLANTED_CONFIG);
  });

  it("a forged newest snapshot whose manifest names another machine is passed over with a note; this machine's newest is restored", async () => {
    const { ws, real } = await machineWithSnapshot();
    forgeSnapshot(ws.backups, FORGED, 'b', plantedLocal);
    const result = await runRestore(ws, 'local', false);
    expect(result.plan.snapshot).toBe(real);
    expect(result.ignored).toEqual([{ name: FORGED, kind: 'other-machine', machineId: 'b' }]);
    const cli = await runCli(['-c', ws.config, 'restore', '--apply'], { cwd: ws.dir });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`Note: passed over ${FORGED}: its manifest names machine b, not this machine\n`);
    expect(readFileSync(join(ws.home, 'skills/review/SKILL.md'), 'utf8')).toBe('first\n');
    expect(readFileSync(join(ws.home, 'config.toml'), 'utf8')).toBe(OWN_CONFIG);
    // Nor does the restore window list it.
    expect((await summariseSnapshots(ws.backups, 'a')).map((s) => s.name)).not.toContain(FORGED);
  });

  it('newer entries that are not valid snapshots are passed over with a note, never chosen', async () => {
    const { ws, real } = await machineWithSnapshot();
    mkdirSync(join(ws.backups, FORGED));
    writeFile(join(ws.backups, FORGED), 'local/config.toml', PLANTED_CONFIG);
    writeFileSync(join(ws.backups, 'a-29991231T235958Z.zip'), 'not a zip');
    writeFileSync(join(ws.backups, 'a-29991231T235957Z'), 'a plain file');
    const result = await runRestore(ws, 'local', true);
    expect(result.exitCode).toBe(0);
    expect(result.plan.snapshot).toBe(real);
    expect(result.ignored).toEqual([
      { name: FORGED, kind: 'damaged', why: 'has no manifest.jsonl' },
      { name: 'a-29991231T235958Z.zip', kind: 'damaged', why: expect.stringMatching(/^is not a readable zip/) as string },
      { name: 'a-29991231T235957Z', kind: 'not-a-snapshot' },
    ]);
    expect(readFileSync(join(ws.home, 'config.toml'), 'utf8')).toBe(OWN_CONFIG);
  });

  it('restore --target cloud refuses codexSync control files and databases a snapshot holds', async () => {
    const { ws } = await machineWithSnapshot();
    forgeSnapshot(ws.backups, FORGED, 'a', [
      { side: 'cloud', path: '.codexsync/handoff-b.json', content: '{}\n' },
      { side: 'cloud', path: 'state_5.sqlite', content: 'planted\n' },
      { side: 'cloud', path: 'skills/review/SKILL.md', content: 'in scope\n' },
    ]);
    const before = readFileSync(join(ws.cloud, '.codexsync/handoff-a.json'));
    const result = await runRestore(ws, 'cloud', true);
    expect(result.plan.refused).toEqual([
      { path: '.codexsync/handoff-b.json', why: 'never-synced' },
      { path: 'state_5.sqlite', why: 'never-synced' },
    ]);
    expect([...listTree(ws.cloud).keys()].filter((path) => path.startsWith('.codexsync/') || path.endsWith('.sqlite')).sort()).toEqual(['.codexsync/handoff-a.json', '.codexsync/handoff-desk.json']);
    expect(readFileSync(join(ws.cloud, '.codexsync/handoff-a.json'))).toEqual(before);
    expect(readFileSync(join(ws.cloud, 'skills/review/SKILL.md'), 'utf8')).toBe('in scope\n');
  });
});

describe("the restore window's list of snapshots", () => {
  it("leaves out a snapshot whose manifest names another machine, whatever its name; lists this machine's and damaged ones", async () => {
    const { ws, real } = await machineWithSnapshot();
    forgeSnapshot(ws.backups, FORGED, 'b', plantedLocal);
    mkdirSync(join(ws.backups, 'a-29991231T235958Z'));
    const summaries = await summariseSnapshots(ws.backups, 'a');
    expect(summaries.map((s) => [s.name, s.damaged])).toEqual([
      ['a-29991231T235958Z', 'has no manifest.jsonl'],
      [real, undefined],
    ]);
  });
});
