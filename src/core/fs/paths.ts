import { sep } from 'node:path';

/**
 * A relative "/"-separated path (scanned, planned or checked by isSafeRelativePath: no empty,
 * "." or ".." parts) below a root, in the platform's form. Plain joining: path.join's
 * normalising took a tenth of an apply.
 */
export function pathBelow(root: string, relPath: string): string {
  const trimmed = root.endsWith(sep) ? root.slice(0, -1) : root;
  return `${trimmed}${sep}${sep === '/' ? relPath : relPath.split('/').join(sep)}`;
}
