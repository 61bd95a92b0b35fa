import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { isNodeError } from '../errors.ts';
import { writeFileAtomic } from '../fs/index.ts';

/** A record file by file: path -> SHA-256. */
export type Listing = ReadonlyMap<string, string>;

/**
 * What this machine's handoffs knew, kept in its state folder: its latest records, and for each
 * other machine the record of it that its latest record knew of, file by file, by sequence. A
 * record of another machine that knew of one of these lists what it knew, not news of its own,
 * where it lists a path as that record did.
 */
export interface OwnRecords {
  mine: ReadonlyMap<number, Listing>;
  others: ReadonlyMap<string, { sequence: number; files: Listing }>;
}

/** Own records kept at most: handoffs made side by side rarely span more. */
const KEPT = 4;

const listingSchema = z.record(z.string(), z.string());
const ownRecordsSchema = z.object({
  version: z.literal(1),
  records: z.record(z.string(), listingSchema),
  others: z.record(z.string(), z.object({ sequence: z.number(), files: listingSchema })).optional(),
});

/** Beside this machine's base state. */
export function ownRecordsFile(baseFile: string): string {
  return `${baseFile}.records.json`;
}

export async function readOwnRecords(file: string): Promise<OwnRecords> {
  try {
    const read = ownRecordsSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    return {
      mine: new Map(Object.entries(read.records).map(([sequence, files]) => [Number(sequence), new Map(Object.entries(files))])),
      others: new Map(Object.entries(read.others ?? {}).map(([machineId, r]) => [machineId, { sequence: r.sequence, files: new Map(Object.entries(r.files)) }])),
    };
  } catch (error) {
    // None, or damaged: only a convenience, without which a run waits as it did before.
    if (isNodeError(error, 'ENOENT') || error instanceof SyntaxError || error instanceof z.ZodError) return { mine: new Map(), others: new Map() };
    throw error;
  }
}

type Files = ReadonlyMap<string, { sha256: string }>;

function listingOf(files: Files): Record<string, string> {
  return Object.fromEntries([...files].map(([path, f]) => [path, f.sha256]));
}

/**
 * Adds a record this machine wrote, with the other machines' records it knew of; keeps its own
 * from `keepFrom` on (what the other machines may still know of), at most a few.
 */
export async function rememberOwnRecord(
  file: string,
  written: { sequence: number; files: Files },
  knew: ReadonlyArray<{ machineId: string; sequence: number; files: Files }>,
  keepFrom: number,
): Promise<void> {
  const kept = await readOwnRecords(file);
  const mine = new Map<number, Record<string, string>>([...kept.mine].map(([s, listing]) => [s, Object.fromEntries(listing)]));
  mine.set(written.sequence, listingOf(written.files));
  const sequences = [...mine.keys()]
    .filter((s) => s >= keepFrom)
    .sort((a, b) => b - a)
    .slice(0, KEPT);
  const records = Object.fromEntries(sequences.map((s) => [String(s), mine.get(s) as Record<string, string>]));
  const others = Object.fromEntries(knew.map((r) => [r.machineId, { sequence: r.sequence, files: listingOf(r.files) }]));
  await writeFileAtomic(file, `${JSON.stringify({ version: 1, records, others })}\n`);
}
