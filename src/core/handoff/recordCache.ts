import { isNodeError } from '../errors.ts';
import { writeFileAtomic } from '../fs/index.ts';
import { DIGEST_BYTES, DigestColumns, readTableFile, TableDamaged, tablePieces, type ListedFile, type TableRow } from '../store/index.ts';
import type { HandoffRecord } from './record.ts';

/**
 * The handoff records this machine last read or wrote, as it parsed them, kept in its own state
 * folder (never the cloud's): a record whose bytes have the same SHA-256 is not parsed again
 * (JSON.parse and the entry checks of 100,000 files, see bench/results/profile-notes.md). The
 * record stays untrusted: only bytes equal to those once checked are taken from here.
 */
export interface RecordCache {
  /** The record parsed from bytes of this SHA-256 under this file name, when it is kept. */
  find(name: string, sha256: string): HandoffRecord | undefined;
}

/** The SHA-256 of the bytes each record was read from or written as. */
const digests = new WeakMap<HandoffRecord, string>();

export function noteRecordDigest(record: HandoffRecord, sha256: string): void {
  digests.set(record, sha256);
}

/** Beside this machine's base state. */
export function recordCacheFile(baseFile: string): string {
  return `${baseFile}.read-records`;
}

/** Per row: the record's index in the header, the file's size; then its digest. */
const layout = { numbers: 2, digest: true };

interface CacheHeader {
  format: 'codexsync-read-records';
  version: 1;
  records: Array<{ name: string; sha256: string; record: Omit<HandoffRecord, 'files'> }>;
}

function isCacheHeader(value: unknown): value is CacheHeader {
  const h = value as Partial<CacheHeader> | null;
  return typeof h === 'object' && h !== null && h.format === 'codexsync-read-records' && h.version === 1 && Array.isArray(h.records);
}

/** The kept records; none when the file is missing or damaged (only a convenience: the records are then parsed). */
export async function readRecordCache(file: string): Promise<RecordCache> {
  const kept = new Map<string, { sha256: string; record: HandoffRecord }>();
  try {
    const files: DigestColumns[] = [];
    const header = await readTableFile(file, layout, (path, numbers, bytes, at) => {
      const index = numbers[0] as number;
      files[index] ??= new DigestColumns();
      (files[index] as DigestColumns).addRaw(path, numbers[1] as number, bytes, at);
    });
    if (!isCacheHeader(header)) throw new TableDamaged('header');
    header.records.forEach(({ name, sha256, record }, i) => kept.set(name, { sha256, record: { ...record, files: files[i] ?? new DigestColumns() } }));
  } catch (error) {
    if (isNodeError(error, 'ENOENT') || error instanceof TableDamaged) return { find: () => undefined };
    throw error;
  }
  return {
    find(name, sha256) {
      const hit = kept.get(name);
      return hit !== undefined && hit.sha256 === sha256 ? hit.record : undefined;
    },
  };
}

/** Keeps these records (those whose bytes' SHA-256 is known), by their file names. */
export async function saveRecordCache(file: string, records: ReadonlyArray<{ name: string; record: HandoffRecord }>): Promise<void> {
  const known = records.flatMap(({ name, record }) => {
    const sha256 = digests.get(record);
    return sha256 === undefined ? [] : [{ name, sha256, record }];
  });
  const header: CacheHeader = {
    format: 'codexsync-read-records',
    version: 1,
    records: known.map(({ name, sha256, record: { files: _files, ...rest } }) => ({ name, sha256, record: rest })),
  };
  await writeFileAtomic(file, tablePieces(header, layout, cacheRows(known.map(({ record }) => record.files))));
}

function* cacheRows(lists: ReadonlyArray<HandoffRecord['files']>): Iterable<TableRow> {
  const numbers = new Float64Array(2);
  const digest = Buffer.alloc(DIGEST_BYTES);
  const row: TableRow = { path: '', numbers, digest };
  for (const [index, files] of lists.entries()) {
    // Columns copied as they are, without a file object and its hex for each row.
    const columns = files instanceof DigestColumns ? files : undefined;
    for (const path of files.keys()) {
      numbers[0] = index;
      const raw = columns?.digestView(path);
      if (raw !== undefined) {
        numbers[1] = columns?.sizeOf(path) as number;
        row.digest = raw;
      } else {
        const file = files.get(path) as ListedFile;
        numbers[1] = file.size;
        digest.write(file.sha256, 'hex');
        row.digest = digest;
      }
      row.path = path;
      yield row;
    }
  }
}
