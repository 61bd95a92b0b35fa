import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
