import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { isNodeError } from '../errors.ts';

/** The folder of the cloud mirror where each machine leaves its handoff record. */
export const handoffDir = (cloudRoot: string): string => join(cloudRoot, '.codexsync');

const recordName = /^handoff-(.+)\.json$/;

/** The machine id in a handoff record's file name, or undefined for any other file. */
export function recordMachine(fileName: string): string | undefined {
  return recordName.exec(fileName)?.[1];
}

// Read leniently: the app only needs who handed off, when, and which files, to say so.
const recordSchema = z.object({
  format: z.literal('codexsync-handoff'),
  machineId: z.string().min(1),
  createdAt: z.string(),
  sequence: z.number().optional(),
  files: z.record(z.string(), z.object({ size: z.number(), sha256: z.string() })).default({}),
});

export type HandoffRecordInfo = z.infer<typeof recordSchema>;

/** Other machines' handoff records in the cloud folder, newest first; unreadable ones are left out. */
export async function otherMachinesRecords(cloudRoot: string, machineId: string): Promise<HandoffRecordInfo[]> {
  let names: string[];
  try {
    names = await readdir(handoffDir(cloudRoot));
  } catch (error) {
    if (isNodeError(error, 'ENOENT') || isNodeError(error, 'ENOTDIR')) return [];
    throw error;
  }
  const records: HandoffRecordInfo[] = [];
  for (const name of names) {
    const machine = recordMachine(name);
    if (machine === undefined || machine === machineId) continue;
    try {
      const parsed = recordSchema.safeParse(JSON.parse(await readFile(join(handoffDir(cloudRoot), name), 'utf8')));
      if (parsed.success && parsed.data.machineId !== machineId) records.push(parsed.data);
    } catch {
      // still arriving or damaged: the engine's plan reports it
    }
  }
  return records.sort((a, b) => (b.sequence ?? 0) - (a.sequence ?? 0) || b.createdAt.localeCompare(a.createdAt) || a.machineId.localeCompare(b.machineId));
}

/** The machine whose handoff brought this version of a cloud file: the newest record listing it with that size. */
export function machineOfCloudFile(records: readonly HandoffRecordInfo[], path: string, size: number | undefined): string | undefined {
  return records.find((record) => record.files[path] !== undefined && (size === undefined || record.files[path]?.size === size))?.machineId;
}
