import type { Dirent } from 'node:fs';
import { lstatSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { isNodeError } from '../errors.ts';
import { tempPrefix } from '../fs/index.ts';
import { conflictCopyOf, type ConflictCopy } from './conflictCopies.ts';
import type { Scope } from '../scope/index.ts';
import type { Side } from '../facts.ts';
import { internPath, StatColumns } from '../store/index.ts';
import type { SideScan, SkippedEntry } from './types.ts';

/** Stat calls between two yields to the event loop (an app's window stays responsive during a scan). */
const YIELD_EVERY = 2_000;

export interface ScanOptions {
  /** Look for cloud clients' conflict copies (the cloud side only). */
  conflictCopies?: {
    /** Paths codexSync wrote or the user has (synced before, listed by a handoff record, in the Codex home) are never taken for conflict copies. */
    known(path: string): boolean;
  };
}

/**
 * One walk of a tree: readdir per folder, one lstat per in-scope file, no content read.
 * Symbolic links are never followed (a link could lead out of the tree) and are reported,
 * as are names that are not valid UTF-8 (no other OS could hold them). The calls are
 * synchronous, several times faster than their promise forms on a warm cache, with a yield
 * to the event loop every few thousand files.
 */
export async function scanSide(side: Side, root: string, scope: Scope, options: ScanOptions = {}): Promise<SideScan> {
  const files = new StatColumns();
  const skipped: SkippedEntry[] = [];
  const leftoverTemps: string[] = [];
  const conflictCopies: ConflictCopy[] = [];
  let rootExists = true;
  let sinceYield = 0;

  const folders: string[] = [''];
  while (folders.length > 0) {
    const rel = folders.pop() as string;
    let entries: Dirent[] | Dirent<Buffer>[];
    const dir = rel === '' ? root : join(root, rel);
    try {
      entries = readdirSync(dir, { withFileTypes: true });
      // Names that are not valid UTF-8 decode to U+FFFD: only then are the raw bytes read.
      if (entries.some((entry) => entry.name.includes('\uFFFD'))) entries = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      if (rel === '' && isNodeError(error, 'ENOENT')) rootExists = false;
      else if (!isNodeError(error, 'ENOENT')) skipped.push({ path: rel, why: 'unreadable' }); // else: vanished mid-walk
      continue;
    }
    const names = (entries as Array<Dirent | Dirent<Buffer>>).map((entry) => (typeof entry.name === 'string' ? entry.name : entry.name.toString('utf8')));
    const siblings = options.conflictCopies === undefined ? new Set<string>() : new Set(names);
    entries.forEach((entry, index) => {
      const name = names[index] as string;
      // The process's one string of the path, and its number: the scope keeps its verdict by that number.
      const path = internPath(rel === '' ? name : `${rel}/${name}`);
      if (typeof entry.name !== 'string' && !Buffer.from(name, 'utf8').equals(entry.name)) {
        const readable = `${rel === '' ? '' : `${rel}/`}${escapeBytes(entry.name)}`;
        if (rel !== '') skipped.push({ path: readable, why: 'name is not valid UTF-8' }); // inside a synced folder
        return;
      }
      if (name.startsWith(tempPrefix) && entry.isFile()) {
        leftoverTemps.push(path);
        return;
      }
      if (entry.isDirectory()) {
        if (scope.entersDir(path)) folders.push(path);
        return;
      }
      if (entry.isFile() && options.conflictCopies !== undefined) {
        const copy = conflictCopyOf(name, siblings);
        const original = copy === undefined ? undefined : rel === '' ? copy.original : `${rel}/${copy.original}`;
        // `known` may stat: asked only of names a cloud client could have made.
        if (copy !== undefined && original !== undefined && scope.includesFile(original) && !options.conflictCopies.known(path)) {
          conflictCopies.push({ path, original, client: copy.client });
          return;
        }
      }
      if (!entry.isFile()) {
        // A link or special file where a synced folder could be (a folder turned into a link) is reported too.
        if (scope.includesWalkedFile(path, name) || scope.entersDir(path)) skipped.push({ path, why: entry.isSymbolicLink() ? 'symlink' : 'special file' });
        return;
      }
      if (!scope.includesWalkedFile(path, name)) return;
      try {
        // undefined: the file vanished since readdir.
        const stat = lstatSync(`${dir}${sep}${name}`, { throwIfNoEntry: false });
        if (stat?.isFile() === true) files.add(path, stat.size, Math.floor(stat.mtimeMs), stat.ino);
      } catch {
        skipped.push({ path, why: 'unreadable' });
      }
      sinceYield += 1;
    });
    if (sinceYield >= YIELD_EVERY) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  skipped.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { side, root, rootExists, files, skipped, leftoverTemps: leftoverTemps.sort(), conflictCopies };
}

/** A name with its invalid bytes shown as \xNN, for messages. */
function escapeBytes(name: Buffer): string {
  let out = '';
  for (const byte of name) out += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  return out;
}
