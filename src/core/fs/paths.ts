import { lstatSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { sep } from 'node:path';
import { isNodeError } from '../errors.ts';

/**
 * A relative "/"-separated path (scanned, planned or checked by isSafeRelativePath: no empty,
 * "." or ".." parts) below a root, in the platform's form. Plain joining: path.join's
 * normalising was a visible share of an apply.
 */
export function pathBelow(root: string, relPath: string): string {
  const trimmed = root.endsWith(sep) ? root.slice(0, -1) : root;
  return `${trimmed}${sep}${sep === '/' ? relPath : relPath.split('/').join(sep)}`;
}

/** A relative "/"-separated path that stays inside its folder on every OS. */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.includes('\0') || path.includes('\\') || path.startsWith('/') || /^[A-Za-z]:/.test(path)) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/**
 * The first folder on the way from `root` to `relPath` that is a symbolic link (writing
 * through it could land outside the tree), or undefined. Folders found safe are remembered
 * in `checked` for the rest of the run.
 */
export async function linkOnTheWay(root: string, relPath: string, checked: Set<string>): Promise<string | undefined> {
  const parts = relPath.split('/');
  for (let depth = 1; depth < parts.length; depth += 1) {
    const current = pathBelow(root, parts.slice(0, depth).join('/'));
    if (checked.has(current)) continue;
    try {
      if ((await lstat(current)).isSymbolicLink()) return current;
    } catch (error) {
      if (isNodeError(error, 'ENOENT')) return undefined; // created by this write, so not a link
      throw error;
    }
    checked.add(current);
  }
  return undefined;
}

/**
 * The first entry on the way from `root` to `relPath` that exists and is not a folder (a file
 * standing where the path needs a folder), as a platform path; undefined when there is none.
 */
export function fileOnTheWay(root: string, relPath: string): string | undefined {
  const parts = relPath.split('/');
  for (let depth = 1; depth < parts.length; depth += 1) {
    const current = pathBelow(root, parts.slice(0, depth).join('/'));
    const stat = lstatSync(current, { throwIfNoEntry: false });
    if (stat === undefined) return undefined;
    if (!stat.isDirectory()) return current;
  }
  return undefined;
}
