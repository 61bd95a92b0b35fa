import { existsSync } from 'node:fs';
import { basename, dirname, relative, sep } from 'node:path';
import { watch } from 'chokidar';
import { logFileSet } from '../core/log/index.ts';
import { controlDir, recordMachine } from '../core/handoff/index.ts';

export interface Watching {
  /** Resolves once the watcher sees changes (chokidar's "ready"). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Calls `onFile` for each file of one folder that is added or changed. The folder may not
 * exist yet (a cloud folder not synced yet): its nearest existing parent is watched, and only
 * the way down to the folder is followed, never the rest of that parent.
 */
export function watchFolder(dir: string, accept: (name: string) => boolean, onFile: (name: string) => void): Watching {
  let base = dir;
  while (!existsSync(base) && dirname(base) !== base) base = dirname(base);
  const depth =
    relative(base, dir)
      .split(sep)
      .filter((part) => part !== '').length + 1;
  const watcher = watch(base, {
    ignoreInitial: true,
    depth,
    ignored: (path) => !(path === base || path === dir || path.startsWith(`${dir}${sep}`) || dir.startsWith(`${path}${sep}`)),
  });
  const seen = (path: string): void => {
    if (dirname(path) === dir && accept(basename(path))) onFile(basename(path));
  };
  watcher.on('add', seen);
  watcher.on('change', seen);
  watcher.on('error', () => undefined);
  return {
    ready: new Promise((resolve) => watcher.once('ready', () => resolve())),
    close: () => watcher.close(),
  };
}

/** A new or updated handoff record of another machine in the cloud folder: `onRecord(machine)`. */
export function watchHandoffRecords(cloudRoot: string, machineId: string, onRecord: (machine: string) => void): Watching {
  return watchFolder(
    controlDir(cloudRoot),
    (name) => {
      const machine = recordMachine(name);
      return machine !== undefined && machine !== machineId;
    },
    (name) => onRecord(recordMachine(name) as string),
  );
}

/** This machine's log files being written (follow mode). */
export function watchLogFiles(logFile: string, machineId: string, onChange: () => void): Watching {
  const set = logFileSet(logFile, machineId);
  return watchFolder(
    set.dir,
    (name) => name.startsWith(`${set.prefix}-`),
    () => onChange(),
  );
}
