import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHandoffRecords } from '../../../src/core/handoff/index.ts';
import { sync } from '../../../src/core/engine/index.ts';
import { listTree } from '../../scenarios/runner.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { withEngine, workspace, writeFile, type Workspace } from '../../helpers/workspace.ts';

const at = (hour: number): Date => new Date(Date.UTC(2026, 10, 25, hour));
const rollout = 'sessions/2026/11/25/rollout-2026-11-25T10-00-00-019a0002-0000-7000-8000-000000000002.jsonl';
const copyOfRollout = rollout.replace('.jsonl', " (a's conflicted copy 2026-11-25).jsonl");
const line = (hour: number, on: string): string => `{"timestamp":"2026-11-25T0${hour}:00:00.000Z","type":"event_msg","payload":{"message":"on ${on}"}}\n`;
const synced = (root: string): Map<string, string> => new Map([...listTree(root)].filter(([path]) => !path.startsWith('.codexsync/')).map(([path, bytes]) => [path, bytes.toString('utf8')]));
const apply = (ws: Workspace, mergeConflictCopies = false) => withEngine(ws, (ctx) => sync(ctx, { apply: true, mergeConflictCopies }));

describe('a conflict copy merged into its original', () => {
  it('is newer than both inputs: the machine holding one input (no base) takes the merge instead of skipping it for good', async () => {
    const dir = tempDir();
    const extra = '[conflict]\npolicy = "prefer_newer_mtime"\n';
    const a = workspace(dir, { machine: 'a', extra });
    const b = workspace(dir, { machine: 'b', extra });
    writeFile(b.home, rollout, line(1, 'b'), at(1));
    expect((await apply(b)).exitCode).toBe(0);
    // a wrote the same thread and pushed it (a run killed before its base and record); the
    // cloud client kept b's version in place and made a's the conflict copy, with a's time.
    writeFile(a.home, rollout, line(2, 'a'), at(2));
    writeFile(a.cloud, copyOfRollout, line(2, 'a'), at(2));

    const merged = await apply(a, true);
    const union = line(1, 'b') + line(2, 'a');
    expect(merged.exitCode, JSON.stringify(merged.plan.skips)).toBe(0);
    expect(merged.status).toBe('applied');
    expect(synced(a.cloud)).toEqual(new Map([[rollout, union]]));
    expect(synced(a.home)).toEqual(new Map([[rollout, union]]));
    expect(statSync(join(a.cloud, rollout)).mtimeMs).toBeGreaterThan(at(2).getTime());
    // a's own version lost the conflict to the merge that holds its line: it is in the snapshot.
    expect(merged.snapshot).toBeDefined();
    expect(readFileSync(join(a.backups, merged.snapshot as string, 'local', rollout), 'utf8')).toBe(line(2, 'a'));

    const pulled = await apply(b);
    expect(pulled.exitCode).toBe(0);
    expect(synced(b.home)).toEqual(new Map([[rollout, union]]));
    for (const ws of [a, b]) expect((await apply(ws)).status).toBe('in-sync');
  });

  it('merged by a run that then stops for a file not yet arrived: the next run still knows the merge for its own and hands it off', async () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    const b = workspace(dir, { machine: 'b' });
    const skill = 'skills/notes/SKILL.md';
    writeFile(b.home, rollout, line(1, 'b'), at(1));
    writeFile(b.home, skill, 'version 1\n', at(1));
    expect((await apply(b)).exitCode).toBe(0);
    expect((await apply(a)).exitCode).toBe(0);
    // b's next handoff has not fully arrived here: its record lists the skill's new bytes while
    // this machine's cloud folder still holds others of that size; and the cloud client made a
    // conflict copy of the thread.
    writeFile(b.home, skill, 'version 2\n', at(2));
    expect((await apply(b)).exitCode).toBe(0);
    writeFile(a.cloud, skill, 'version 3\n', at(3));
    writeFile(a.cloud, copyOfRollout, line(1, 'b') + line(2, 'a'), at(2));

    await expect(apply(a, true)).rejects.toMatchObject({ exitCode: 5, problem: { code: 'arrival-pending', from: 'b', paths: [skill] } });
    const union = line(1, 'b') + line(2, 'a');
    expect(readFileSync(join(a.cloud, rollout), 'utf8')).toBe(union);

    // The skill arrives; a's next run takes it and hands off the merge it made, which b then takes.
    writeFile(a.cloud, skill, 'version 2\n', at(4));
    const done = await apply(a);
    expect(done.exitCode, JSON.stringify(done.plan.waiting)).toBe(0);
    const { records } = await readHandoffRecords(a.cloud);
    const ownRecord = records.find((r) => r.machineId === 'a');
    expect(ownRecord?.files.get(rollout)?.size).toBe(Buffer.byteLength(union));
    const pulled = await apply(b);
    expect(pulled.exitCode, JSON.stringify(pulled.plan.waiting)).toBe(0);
    expect(synced(b.home)).toEqual(
      new Map([
        [rollout, union],
        [skill, 'version 2\n'],
      ]),
    );
  });
});
