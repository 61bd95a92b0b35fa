import type { BaseState } from '../state/index.ts';
import type { HandoffRecord } from './record.ts';

export type RecordedFiles = Map<string, { size: number; sha256: string }>;

/** What a handoff record of this machine lists: the base entries of the paths it answers for. */
export function recordedFiles(base: BaseState, answersFor: (path: string) => boolean): RecordedFiles {
  const files: RecordedFiles = new Map();
  for (const [path, entry] of base.entries) if (answersFor(path)) files.set(path, entry);
  return files;
}

/**
 * Whether the newest handoff record describes the mirror as this machine's base does. It may
 * not, after a run that was interrupted between its last file and its record: then the next
 * run writes the record, or the other machine would wait for files that never come.
 */
export function recordDescribes(record: HandoffRecord | undefined, files: ReadonlyMap<string, { size: number; sha256: string }>, answersFor: (path: string) => boolean): boolean {
  if (record === undefined) return files.size === 0;
  let listed = 0;
  for (const [path, listedFile] of record.files) {
    if (!answersFor(path)) continue;
    listed += 1;
    const file = files.get(path);
    if (file === undefined || file.size !== listedFile.size || file.sha256 !== listedFile.sha256) return false;
  }
  return listed === files.size;
}
