import { readFile, rm } from 'node:fs/promises';
import { z } from 'zod';
import { isNodeError } from '../errors.ts';
import { writeFileAtomic } from '../fs/index.ts';
import { DIGEST_BYTES, DigestColumns, DigestListing, EncodedRows, readTableFile, TableDamaged, tablePieces, type TableRow } from '../store/index.ts';

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

/** The form codexSync kept them in before the table (one JSON object): read when no table is there yet. */
const listingSchema = z.record(z.string(), z.string());
const ownRecordsJsonSchema = z.object({
  version: z.literal(1),
  records: z.record(z.string(), listingSchema),
  others: z.record(z.string(), z.object({ sequence: z.number(), files: listingSchema })).optional(),
});

/** The table's header: which listing each row belongs to (rows: the listing's index, then the digest). */
const headerSchema = z.object({
  format: z.literal('codexsync-own-records'),
  version: z.literal(2),
  lists: z.array(z.union([z.object({ mine: z.number() }), z.object({ other: z.string(), sequence: z.number() })])),
});
const layout = { numbers: 1, digest: true };

/** Beside this machine's base state. */
export function ownRecordsFile(baseFile: string): string {
  return `${baseFile}.records`;
}

const jsonFile = (file: string): string => `${file}.json`;

const none = (): OwnRecords => ({ mine: new Map(), others: new Map() });

/** The listings a reader needs: this machine's records by sequence, the other machines' by machine. */
export interface OwnListingsWanted {
  mine: ReadonlySet<number>;
  others: ReadonlySet<string>;
}

/**
 * This machine's kept records; with `wanted`, only those listings (a plan needs the ones the other
 * machines' records name: decoding every kept listing of 100,000 paths took a no-change plan
 * 0.3 s, bench/results/profile-notes.md). Without, all of them.
 */
export async function readOwnRecords(file: string, wanted?: OwnListingsWanted): Promise<OwnRecords> {
  try {
    const listings: DigestListing[] = [];
    let kept: boolean[] | undefined;
    const wants = (list: z.infer<typeof headerSchema>['lists'][number]): boolean => wanted === undefined || ('mine' in list ? wanted.mine.has(list.mine) : wanted.others.has(list.other));
    const stored = await readTableFile(
      file,
      layout,
      (path, numbers, bytes, at) => {
        const index = numbers[0] as number;
        listings[index] ??= new DigestListing();
        (listings[index] as DigestListing).addRaw(path, bytes, at);
      },
      {
        // An index the header does not name is read, and the header's check below turns the file down.
        skip: (_row, _at, numbers, header) => (kept ??= headerSchema.safeParse(header).data?.lists.map(wants) ?? [])[numbers[0] as number] === false,
      },
    );
    if (stored === undefined) return none();
    const header = headerSchema.parse(stored);
    const mine = new Map<number, Listing>();
    const others = new Map<string, { sequence: number; files: Listing }>();
    header.lists.forEach((list, i) => {
      if (!wants(list)) return;
      const files = listings[i] ?? new DigestListing();
      if ('mine' in list) mine.set(list.mine, files);
      else others.set(list.other, { sequence: list.sequence, files });
    });
    return { mine, others };
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return readOwnRecordsJson(jsonFile(file));
    // Damaged: only a convenience, without which a run waits as it did before.
    if (error instanceof TableDamaged || error instanceof z.ZodError) return none();
    throw error;
  }
}

async function readOwnRecordsJson(file: string): Promise<OwnRecords> {
  try {
    const read = ownRecordsJsonSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    return {
      mine: new Map(Object.entries(read.records).map(([sequence, files]) => [Number(sequence), new Map(Object.entries(files))])),
      others: new Map(Object.entries(read.others ?? {}).map(([machineId, r]) => [machineId, { sequence: r.sequence, files: new Map(Object.entries(r.files)) }])),
    };
  } catch (error) {
    // None, or damaged: only a convenience, without which a run waits as it did before.
    if (isNodeError(error, 'ENOENT') || error instanceof SyntaxError || error instanceof z.ZodError) return none();
    throw error;
  }
}

type Files = ReadonlyMap<string, { sha256: string }>;

function listingOf(files: Files): Listing {
  const listing = new DigestListing();
  // A record's columns are copied as they are, without a file object and its hex for each path.
  if (files instanceof DigestColumns) for (const path of files.keys()) listing.addRaw(path, files.digestView(path) as Buffer, 0);
  else for (const [path, f] of files) listing.set(path, f.sha256);
  return listing;
}

/**
 * Adds a record this machine wrote, with the other machines' records it knew of; keeps its own
 * from `keepFrom` on (what the other machines may still know of), at most a few. The listings
 * kept are copied from the table as stored, never decoded: each is a row per file, and decoding
 * them all to write them back took a handoff of 100,000 files most of a second
 * (bench/results/profile-notes.md).
 */
export async function rememberOwnRecord(
  file: string,
  written: { sequence: number; files: Files },
  knew: ReadonlyArray<{ machineId: string; sequence: number; files: Files }>,
  keepFrom: number,
): Promise<void> {
  const stored = await storedMineRows(file, written.sequence, keepFrom);
  let mine: Array<[{ mine: number }, Listing | EncodedRows]>;
  if (stored !== undefined) mine = stored.sequences.map((s) => [{ mine: s }, s === written.sequence ? listingOf(written.files) : (stored.rows.get(s) ?? new EncodedRows())]);
  else {
    // No table to copy from: the JSON form of before, or none.
    const kept = new Map<number, Listing>((await readOwnRecords(file)).mine);
    kept.set(written.sequence, listingOf(written.files));
    mine = keptSequences([...kept.keys()], written.sequence, keepFrom).map((s) => [{ mine: s }, kept.get(s) as Listing]);
  }
  const lists: Array<[z.infer<typeof headerSchema>['lists'][number], Listing | EncodedRows]> = [
    ...mine,
    ...knew.map((r): [{ other: string; sequence: number }, Listing] => [{ other: r.machineId, sequence: r.sequence }, listingOf(r.files)]),
  ];
  const header: z.infer<typeof headerSchema> = { format: 'codexsync-own-records', version: 2, lists: lists.map(([list]) => list) };
  await writeFileAtomic(file, tablePieces(header, layout, listingRows(lists.map(([, listing]) => listing))));
  await rm(jsonFile(file), { force: true });
}

/** The sequences of this machine's records to keep, newest first: from `keepFrom` on, at most KEPT, the one just written among them. */
function keptSequences(existing: readonly number[], written: number, keepFrom: number): number[] {
  return [...new Set([...existing, written])]
    .filter((s) => s >= keepFrom)
    .sort((a, b) => b - a)
    .slice(0, KEPT);
}

/**
 * The rows of this machine's kept listings as the table holds them, each with its new index (its
 * place in `sequences`); undefined when there is no sound table (none, the JSON form, damaged).
 */
async function storedMineRows(file: string, written: number, keepFrom: number): Promise<{ sequences: number[]; rows: Map<number, EncodedRows> } | undefined> {
  const rows = new Map<number, EncodedRows>();
  const planOf = (header: unknown): { sequences: number[]; at: Array<number | undefined> } | undefined => {
    const lists = headerSchema.safeParse(header).data?.lists;
    if (lists === undefined) return undefined;
    const sequences = keptSequences(
      lists.flatMap((list) => ('mine' in list ? [list.mine] : [])),
      written,
      keepFrom,
    );
    // A stored listing of the sequence just written is replaced by the new one.
    return { sequences, at: lists.map((list) => ('mine' in list && list.mine !== written && sequences.includes(list.mine) ? list.mine : undefined)) };
  };
  let plan: ReturnType<typeof planOf>;
  try {
    const header = await readTableFile(file, layout, () => undefined, {
      skip: (row, numbersAt, numbers, stored) => {
        plan ??= planOf(stored);
        // A row of a listing not kept (or of none the header names) is passed over.
        const sequence = plan?.at[numbers[0] as number];
        if (sequence === undefined || plan === undefined) return true;
        let kept = rows.get(sequence);
        if (kept === undefined) rows.set(sequence, (kept = new EncodedRows()));
        numbers[0] = plan.sequences.indexOf(sequence);
        kept.add(row, numbersAt, numbers);
        return true;
      },
    });
    // Worked out at the first row from this same header; here when the table has no rows.
    plan ??= header === undefined ? undefined : planOf(header);
    return plan === undefined ? undefined : { sequences: plan.sequences, rows };
  } catch (error) {
    if (isNodeError(error, 'ENOENT') || error instanceof TableDamaged) return undefined;
    throw error;
  }
}

function* listingRows(listings: ReadonlyArray<Listing | EncodedRows>): Iterable<TableRow | EncodedRows> {
  const numbers = new Float64Array(1);
  const digest = Buffer.alloc(DIGEST_BYTES);
  const row: TableRow = { path: '', numbers, digest };
  for (const [index, listing] of listings.entries()) {
    if (listing instanceof EncodedRows) {
      yield listing;
      continue;
    }
    const columns = listing instanceof DigestListing ? listing : undefined;
    for (const path of listing.keys()) {
      numbers[0] = index;
      const raw = columns?.digestView(path);
      if (raw !== undefined) row.digest = raw;
      else {
        digest.write(listing.get(path) as string, 'hex');
        row.digest = digest;
      }
      row.path = path;
      yield row;
    }
  }
}
