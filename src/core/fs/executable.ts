import { accessSync, constants, statSync } from 'node:fs';

/** Why a path cannot be run as a program: nothing there, not a file (a folder), or no permission to execute it. */
export type NotExecutable = 'missing' | 'not-a-file' | 'not-executable';

/**
 * Whether `path` is a file this process may run. It follows symbolic links, as starting the
 * program does (npm's `codex` is a link to its script). On Windows every file counts as
 * executable: there the file's extension, not a permission bit, decides.
 */
export function executableProblem(path: string, onWindows: boolean = process.platform === 'win32'): NotExecutable | undefined {
  let stat;
  try {
    stat = statSync(path, { throwIfNoEntry: false });
  } catch {
    return 'missing';
  }
  if (stat === undefined) return 'missing';
  if (!stat.isFile()) return 'not-a-file';
  if (onWindows) return undefined;
  try {
    accessSync(path, constants.X_OK);
    return undefined;
  } catch {
    return 'not-executable';
  }
}
