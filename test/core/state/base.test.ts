import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config/index.ts';
import { CodexSyncError, ExitCode } from '../../../src/core/errors.ts';
import { makePlan, sync } from '../../../src/core/engine/index.ts';
import { currentEnvironment } from '../../../src/core/platform.ts';
import { baseStateFile, loadBase, saveBase, type BaseState } from '../../../src/core/state/index.ts';
import { BaseColumns, isTableFile } from '../../../src/core/store/index.ts';
import { baseAsVersion1 } from '../../helpers/baseV1.ts';
import { runCli } from '../../helpers/cli.ts';
import { handOffAs } from '../../helpers/handoff.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { withEngine, workspace, writeFile, type Workspace } from '../../helpers/workspace.ts';

const at = (minute: number): Date => new Date(Date.UTC(2026, 10, 25, 9, minute));

/** A machine that synced a few files, then changed some on each side. */
async function changedMachine(): Promise<{ ws: Workspace; file: string }> {
  const ws = workspace(tempDir());
  for (const name of ['a', 'b', 'c', 'd']) writeFile(ws.home, `skills/${name}/SKILL.md`, `${name} v1\n`, at(1));
  writeFile(ws.home, 'history.jsonl', '{"ts":1,"text":"one"}\n', at(1));
  expect((await withEngine(ws, (ctx) => sync(ctx, { apply: true }))).exitCode).toBe(0);
  writeFile(ws.home, 'skills/a/SKILL.md', 'a v2, edited here\n', at(2));
  writeFile(ws.cloud, 'skills/b/SKILL.md', 'b v2, from the cloud\n', at(3));
  await handOffAs(ws.cloud, 'b');
  writeFile(ws.home, 'skills/e/SKILL.md', 'e, new here\n', at(4));
  const config = loadConfig(ws.config, currentEnvironment());
  return { ws, file: baseStateFile(config.paths) };
}

const load = (file: string): Promise<BaseState> => loadBase(file, 'a', '/home', '/cloud');

describe('the base state in its table form', () => {
  it('a base of the JSON form (version 1) is read; the plan is the one the table gives; the next sync writes the table', async () => {
    const { ws, file } = await changedMachine();
    expect(isTableFile(readFileSync(file))).toBe(true);
    const base = await load(file);
    const fromTable = await withEngine(ws, (ctx) => makePlan(ctx));
    writeFileSync(file, baseAsVersion1(base, base.syncedAt as string));
    expect(readFileSync(file, 'utf8').startsWith('{"version":1,')).toBe(true);
    expect((await load(file)).storedForm).toBe(1);
    const fromJson = await withEngine(ws, (ctx) => makePlan(ctx));
    expect(fromJson.plan.actions).toEqual(fromTable.plan.actions);
    expect(fromJson.plan.actions.map((a) => [a.kind, a.path])).toEqual([
      ['copy', 'skills/a/SKILL.md'],
      ['copy', 'skills/b/SKILL.md'],
      ['copy', 'skills/e/SKILL.md'],
    ]);
    expect(fromJson.fingerprint).toBe(fromTable.fingerprint);
    expect((await withEngine(ws, (ctx) => sync(ctx, { apply: true }))).exitCode).toBe(0);
    expect(isTableFile(readFileSync(file))).toBe(true);
    const after = await load(file);
    expect([...after.entries.keys()].sort()).toEqual(['history.jsonl', 'skills/a/SKILL.md', 'skills/b/SKILL.md', 'skills/c/SKILL.md', 'skills/d/SKILL.md', 'skills/e/SKILL.md']);
    expect((await withEngine(ws, (ctx) => makePlan(ctx))).plan.actions).toEqual([]);
  });

  it('keeps every entry as saved: sizes, times, digests, inodes present or not, marks and the handoff taken', async () => {
    const file = join(tempDir(), 'state', 'base.json');
    const entries = new BaseColumns();
    entries.set('skills/a/SKILL.md', { size: 12, sha256: 'ab'.repeat(32), localMtimeMs: 1_795_000_000_123, cloudMtimeMs: 1_795_000_000_456, localIno: 2 ** 40 + 3, cloudIno: 7 });
    entries.set('sessions/é/rollout.jsonl', { size: 0, sha256: '0f'.repeat(32), localMtimeMs: 1, cloudMtimeMs: 2 });
    const base: BaseState = {
      machineId: 'a',
      localRoot: '/home',
      cloudRoot: '/cloud',
      syncedAt: undefined,
      handoffSeen: { machineId: 'b', sequence: 4 },
      entries,
      marks: new Map([['019a', { name: 'a thread', pinned: true }]]),
    };
    await saveBase(file, base, new Date('2026-11-25T09:00:00.000Z'));
    const read = await load(file);
    expect([...read.entries]).toEqual([
      ['sessions/é/rollout.jsonl', { size: 0, sha256: '0f'.repeat(32), localMtimeMs: 1, cloudMtimeMs: 2 }],
      ['skills/a/SKILL.md', { size: 12, sha256: 'ab'.repeat(32), localMtimeMs: 1_795_000_000_123, cloudMtimeMs: 1_795_000_000_456, localIno: 2 ** 40 + 3, cloudIno: 7 }],
    ]);
    expect({ ...read, entries: undefined }).toEqual({ ...base, syncedAt: '2026-11-25T09:00:00.000Z', entries: undefined, storedForm: 2 });
  });

  it('is written to the same bytes from its columns as from the same entries one object each', async () => {
    const dir = tempDir();
    const objects = new Map([
      ['skills/a/SKILL.md', { size: 12, sha256: 'ab'.repeat(32), localMtimeMs: 1_795_000_000_123, cloudMtimeMs: 1_795_000_000_456, localIno: 2 ** 40 + 3, cloudIno: 7 }],
      ['sessions/é/rollout.jsonl', { size: 0, sha256: '0f'.repeat(32), localMtimeMs: 1, cloudMtimeMs: 2 }],
    ]);
    const columns = new BaseColumns();
    for (const [path, entry] of objects) columns.set(path, entry);
    const base = (entries: BaseState['entries']): BaseState => ({ machineId: 'a', localRoot: '/home', cloudRoot: '/cloud', syncedAt: undefined, handoffSeen: undefined, entries, marks: new Map() });
    const at = new Date('2026-11-25T09:00:00.000Z');
    await saveBase(join(dir, 'columns.json'), base(columns), at);
    await saveBase(join(dir, 'objects.json'), base(objects), at);
    expect(readFileSync(join(dir, 'columns.json')).equals(readFileSync(join(dir, 'objects.json')))).toBe(true);
    expect([...(await load(join(dir, 'columns.json'))).entries].sort()).toEqual([...objects].sort());
  });

  it('a damaged base (cut short, a byte changed, not a base at all) stops a run with exit 5 as a damaged JSON base does, and is left as it is', async () => {
    const { ws, file } = await changedMachine();
    const whole = readFileSync(file);
    const base = await load(file);
    const damaged: Array<[string, Buffer]> = [
      ['cut short', whole.subarray(0, whole.length - 40)],
      ['a byte changed', Buffer.from(whole.map((byte, i) => (i === Math.floor(whole.length / 2) ? byte ^ 1 : byte)))],
      ['nothing but the start', whole.subarray(0, 6)],
      ['JSON cut short', Buffer.from(baseAsVersion1(base, 'x').slice(0, 100))],
      ['JSON with a bad entry', Buffer.from(baseAsVersion1(base, 'x').replace('"size":', '"size":-'))],
    ];
    for (const [what, bytes] of damaged) {
      writeFileSync(file, bytes);
      await expect(load(file), what).rejects.toEqual(new CodexSyncError(ExitCode.safeAbort, { code: 'base-damaged', file }));
      const cli = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir });
      expect(cli.code, what).toBe(5);
      expect(readFileSync(file).equals(bytes), what).toBe(true);
    }
  });
});
