import type { FileStat } from '../facts.ts';
import { newestRecord, type HandoffRecord } from '../handoff/index.ts';

export interface Arrival {
  /** The machine whose handoff this machine is waiting for, when another machine wrote the newest record. */
  from: string | undefined;
  record: HandoffRecord | undefined;
  /** Files the record lists that are missing from the cloud folder or not their recorded size yet. */
  pending: string[];
}

export const nothingAwaited: Arrival = { from: undefined, record: undefined, pending: [] };

/**
 * Compares the cloud folder with the newest record of another machine. A listed file that is
 * missing is "not arrived yet", never "deleted"; one of another size is still arriving. Same
 * size with other bytes is caught while copying, by its hash.
 */
export function checkArrival(records: readonly HandoffRecord[], machineId: string, cloud: ReadonlyMap<string, FileStat>, inScope: (path: string) => boolean): Arrival {
  const record = newestRecord(records);
  if (record === undefined || record.machineId === machineId) return nothingAwaited;
  const pending: string[] = [];
  for (const [path, expected] of Object.entries(record.files)) {
    if (!inScope(path)) continue;
    const actual = cloud.get(path);
    if (actual === undefined || actual.size !== expected.size) pending.push(path);
  }
  return { from: record.machineId, record, pending: pending.sort() };
}
