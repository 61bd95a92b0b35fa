import { z } from 'zod';
import type { BaseColumns } from '../store/index.ts';
import type { StoredHeader } from './base.ts';
import { baseHeaderFields } from './baseHeader.ts';

/** The base as codexSync wrote it before the table form: one JSON object (version 1), read once and then saved as a table. */
const fileSchema = z.object({
  version: z.literal(1),
  ...baseHeaderFields,
  // Checked entry by entry below: zod's record check is slow on a large base.
  entries: z.custom<Record<string, unknown>>(isPlainObject),
});

interface StoredEntry {
  size: number;
  sha256: string;
  local: number;
  cloud: number;
  /** Inodes, absent in older base files. */
  localIno?: number;
  cloudIno?: number;
}

const sha256Pattern = /^[0-9a-f]{64}$/;

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStoredEntry(value: unknown): value is StoredEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  const inode = (value: unknown): boolean => value === undefined || (Number.isInteger(value) && (value as number) >= 0);
  return (
    Number.isInteger(e.size) &&
    (e.size as number) >= 0 &&
    typeof e.sha256 === 'string' &&
    sha256Pattern.test(e.sha256) &&
    typeof e.local === 'number' &&
    typeof e.cloud === 'number' &&
    inode(e.localIno) &&
    inode(e.cloudIno)
  );
}

/** Reads a version 1 base into `entries` and returns its header; undefined when it is damaged. */
export function readBaseJson(text: string, entries: BaseColumns): StoredHeader | undefined {
  let parsed: z.infer<typeof fileSchema>;
  try {
    parsed = fileSchema.parse(JSON.parse(text));
  } catch {
    return undefined;
  }
  for (const path in parsed.entries) {
    const e = parsed.entries[path];
    if (!isStoredEntry(e)) return undefined;
    entries.set(path, {
      size: e.size,
      sha256: e.sha256,
      localMtimeMs: e.local,
      cloudMtimeMs: e.cloud,
      ...(e.localIno === undefined ? {} : { localIno: e.localIno }),
      ...(e.cloudIno === undefined ? {} : { cloudIno: e.cloudIno }),
    });
  }
  const { entries: _entries, version: _version, ...header } = parsed;
  return header;
}
