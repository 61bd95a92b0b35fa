import { readFileSync } from 'node:fs';
import { rekeyRollout } from '../../src/core/threads/index.ts';
import { recorded, type RecordedFolder, type RecordedVersion } from '../core/threads/recorded.ts';

/** A thread id of its own for the n-th made-up thread (a UUIDv7 shape, as Codex makes them). */
export function madeUpId(n: number): string {
  return `01a22b1e-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
}

/**
 * A recorded rollout of real Codex as another thread: the same bytes with the thread id `id`
 * (rekeyRollout), at the same dated folder under sessions/ (or archived_sessions/).
 */
export function rekeyed(folder: RecordedFolder, id: string, options: { version?: RecordedVersion; archived?: boolean } = {}): { id: string; path: string; bytes: Buffer } {
  const r = recorded(options.version ?? '0.171.0', folder);
  const made = rekeyRollout(readFileSync(r.file), r.fileName, r.id, id);
  if (!made.ok) throw new Error(`cannot rekey ${folder}: ${made.why}`);
  const dir = options.archived === true ? 'archived_sessions' : r.path.slice(0, r.path.lastIndexOf('/'));
  return { id, path: `${dir}/${made.name}`, bytes: made.bytes };
}

/** A session_index.jsonl line naming a thread, as Codex appends one. */
export function nameLine(id: string, name: string, updatedAt = '2026-11-30T07:00:00Z'): string {
  return `${JSON.stringify({ id, thread_name: name, updated_at: updatedAt })}\n`;
}
