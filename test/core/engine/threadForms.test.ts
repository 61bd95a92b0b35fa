import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { constants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { planLines } from '../../../src/cli/print/plan.ts';
import { makePlan, sync } from '../../../src/core/engine/index.ts';
import { handOffAs } from '../../helpers/handoff.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { withEngine, workspace, type Workspace } from '../../helpers/workspace.ts';
import { recorded } from '../threads/recorded.ts';

// One thread, two forms: Codex compresses an idle rollout (X.jsonl -> X.jsonl.zst) and writes
// X.jsonl again when the thread is resumed. Recorded from real Codex 0.171 (rollout/compress):
// the .zst decompresses to exactly the .jsonl.

const plain = recorded('0.171.0', 'uncompressed');
const packed = recorded('0.171.0', 'compressed');

function put(root: string, path: string, bytes: Buffer): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), bytes);
}

const forms = (root: string): string[] => [plain.path, packed.path].filter((p) => existsSync(join(root, p)));

async function apply(ws: Workspace): Promise<void> {
  const result = await withEngine(ws, (ctx) => sync(ctx, { apply: true }));
  expect(result.exitCode, JSON.stringify(result.apply?.failures ?? result.plan.conflicts)).toBe(0);
}

async function syncedPlain(extra = ''): Promise<Workspace> {
  const ws = workspace(tempDir(), { machine: 'laptop', extra });
  put(ws.home, plain.path, readFileSync(plain.file));
  await apply(ws);
  return ws;
}

describe('a compressed rollout is the same thread', () => {
  it.each(['propagate', 'never'])('compressed on the other machine: the form travels, the plain one goes (delete_policy = %s)', async (policy) => {
    const ws = await syncedPlain(`[sync]\ndelete_policy = "${policy}"\n`);
    rmSync(join(ws.cloud, plain.path));
    copyFileSync(packed.file, join(ws.cloud, packed.path));
    await handOffAs(ws.cloud, 'desk');
    const planned = await withEngine(ws, (ctx) => makePlan(ctx));
    expect(planLines(planned, { verbose: false, reportConflicts: true })).toContain('  Summarise the open issues (0.171.0/project): compressed by Codex on desk (the same turns)');
    await apply(ws);
    expect(forms(ws.home)).toEqual([packed.path]);
    expect(forms(ws.cloud)).toEqual([packed.path]);
    expect(readFileSync(join(ws.home, packed.path))).toEqual(readFileSync(packed.file));
  });

  it('compressed here, continued on the other machine: the continued thread wins, no home keeps both forms', async () => {
    const ws = await syncedPlain();
    rmSync(join(ws.home, plain.path));
    copyFileSync(packed.file, join(ws.home, packed.path));
    const continued = Buffer.concat([readFileSync(plain.file), Buffer.from('{"timestamp":"2026-11-30T08:00:00.000Z","type":"event_msg","payload":{"type":"task_started","turn_id":"t2"}}\n')]);
    put(ws.cloud, plain.path, continued);
    await handOffAs(ws.cloud, 'desk');
    await apply(ws);
    expect(forms(ws.home)).toEqual([plain.path]);
    expect(forms(ws.cloud)).toEqual([plain.path]);
    expect(readFileSync(join(ws.home, plain.path))).toEqual(continued);
  });

  it('plain on one side, compressed on the other, never synced: the same turns, the plain form kept on both', async () => {
    const ws = workspace(tempDir(), { machine: 'laptop' });
    put(ws.home, plain.path, readFileSync(plain.file));
    copyFileSync(packed.file, (mkdirSync(dirname(join(ws.cloud, packed.path)), { recursive: true }), join(ws.cloud, packed.path)));
    await handOffAs(ws.cloud, 'desk');
    await apply(ws);
    expect(forms(ws.home)).toEqual([plain.path]);
    expect(forms(ws.cloud)).toEqual([plain.path]);
  });

  it('compressed on both machines into different bytes: the same thread, no conflict', async () => {
    const ws = workspace(tempDir(), { machine: 'laptop' });
    const text = zstdDecompressSync(readFileSync(packed.file));
    const other = zstdCompressSync(text, { params: { [constants.ZSTD_c_compressionLevel]: 19 } });
    expect(other.equals(readFileSync(packed.file))).toBe(false);
    put(ws.home, packed.path, readFileSync(packed.file));
    put(ws.cloud, packed.path, other);
    await handOffAs(ws.cloud, 'desk');
    await apply(ws);
    expect(readFileSync(join(ws.home, packed.path))).toEqual(other);
  });
});
