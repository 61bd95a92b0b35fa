// Columnar per-path tables shared by the scans, the base state, the handoff records and the
// plan (one string per path, numbers in typed arrays, digests in one buffer), and the compact
// file form of this machine's large state files.
export { type BaseEntry, BASE_NUMBERS, BaseColumns } from './baseEntries.ts';
export { DIGEST_BYTES, PathColumns } from './columns.ts';
export { DigestColumns, DigestListing, type ListedFile } from './digests.ts';
export { internPath, PathFlags, PathSet } from './pathTable.ts';
export { StatColumns } from './stats.ts';
export { EncodedRows, isTableFile, readTableFile, type RowReader, TableDamaged, tablePieces, type TableLayout, type TableReading, type TableRow } from './tableFile.ts';
