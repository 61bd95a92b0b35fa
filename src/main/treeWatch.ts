import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { isNodeError } from '../core/errors.ts';
import type { Side } from '../core/facts.ts';

/** The folders to watch on one side: relative, "/"-separated, '' for the root. */
export type WatchedFolders = Record<Side, { root: string; folders: readonly string[] }>;

/** A folder the system would not watch (its limit of watches reached, a loop): a change there is heard of by no watcher. */
export interface UnwatchedFolder {
  side: Side;
  folder: string;
  /** The system's error code, as ENOSPC. */
  code: string;
}

export interface TreeEvents {
  /** Names that changed in a watched folder, as paths relative to the side's root. */
  changed(side: Side, paths: string[]): void;
  /** A folder's watcher failed or its folder went away: what changed below it is unknown. */
  lost(): void;
}

/**
 * Watches the folders of both trees that hold synced files, one watcher per folder, not per
 * file: a watcher reports a name that changed in its folder and the planner stats that path
 * again (a new folder among them is walked). chokidar, which the app uses for the control
 * folder and the logs, keeps a listing of every file it watches: at 100,000 files its start
 * left the process 400 MB larger (bench/results/profile-notes.md); a folder watch of Node's
 * costs a few kilobytes.
 */
export class TreeWatch {
  private readonly watchers = new Map<string, FSWatcher>();
  /** Folders asked for that could not be watched: tried again at each update. */
  private readonly refused = new Map<string, UnwatchedFolder>();
  private readonly events: TreeEvents;

  constructor(events: TreeEvents) {
    this.events = events;
  }

  /** Watches exactly these folders: new ones are added, those no longer listed closed. */
  update(wanted: WatchedFolders): void {
    const keys = new Set<string>();
    for (const side of ['local', 'cloud'] as const) {
      const { root, folders } = wanted[side];
      for (const folder of folders) {
        const key = `${side}\0${root}\0${folder}`;
        keys.add(key);
        if (!this.watchers.has(key)) this.add(key, side, root, folder);
      }
    }
    for (const [key, watcher] of this.watchers) {
      if (keys.has(key)) continue;
      watcher.close();
      this.watchers.delete(key);
    }
    for (const key of this.refused.keys()) if (!keys.has(key)) this.refused.delete(key);
  }

  /** The folders asked for that the system would not watch. */
  get unwatched(): UnwatchedFolder[] {
    return [...this.refused.values()];
  }

  get size(): number {
    return this.watchers.size;
  }

  close(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    this.refused.clear();
  }

  private add(key: string, side: Side, root: string, folder: string): void {
    let watcher: FSWatcher;
    try {
      watcher = watch(folder === '' ? root : join(root, folder), { persistent: false }, (_event, name) => {
        // No name: the system could not say which entry changed.
        if (name === null) this.events.lost();
        else this.events.changed(side, [folder === '' ? name : `${folder}/${name}`]);
      });
    } catch (error) {
      // A folder gone since the scan (or a cloud folder not there yet): the next walk finds what is.
      if (!isNodeError(error, 'ENOENT') && !isNodeError(error, 'ENOTDIR')) this.refused.set(key, { side, folder, code: (error as NodeJS.ErrnoException).code ?? String(error) });
      return;
    }
    this.refused.delete(key);
    watcher.on('error', () => {
      watcher.close();
      this.watchers.delete(key);
      this.events.lost();
    });
    this.watchers.set(key, watcher);
  }
}
