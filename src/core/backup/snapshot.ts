import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isNodeError } from '../errors.ts';
import { DirSyncer, syncDir, syncFiles, writeHashing, type SyncWhen } from '../fs/index.ts';
import { writeZip } from '../fs/index.ts';
import { pathBelow } from '../fs/index.ts';
import type { FileStat, Side } from '../facts.ts';

/** Why a file went into a snapshot. */
export type BackupReason = 'overwrite' | 'delete' | 'merge' | 'restore';

export interface SnapshotFile {
  side: Side;
  path: string;
  size: number;
  sha256: string;
  mtimeMs: number;
  reason: BackupReason;
}

export interface SnapshotHeader {
  format: 'codexsync-snapshot';
  version: 1;
  machineId: string;
  createdAt: string;
  localRoot: string;
  cloudRoot: string;
}

export const MANIFEST = 'manifest.jsonl';

/** `<machine>-<UTC timestamp>`, e.g. laptop-20261125T083000Z (a -N suffix when a second run falls in the same second). */
export function snapshotBaseName(machineId: string, now: Date): string {
  return `${machineId}-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z')}`;
}

export interface SnapshotName {
  name: string;
  machineId: string;
  /** Creation time from the name. */
  time: Date;
  format: 'folder' | 'zip';
}

const stampPattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(?:-(\d+))?(\.zip)?$/;

/** Parses a snapshot name of this machine; another machine's snapshots never match. */
export function parseSnapshotName(machineId: string, name: string): SnapshotName | undefined {
  if (!name.startsWith(`${machineId}-`)) return undefined;
  const m = stampPattern.exec(name.slice(machineId.length + 1));
  if (m === null) return undefined;
  const time = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  return { name, machineId, time, format: m[8] === undefined ? 'folder' : 'zip' };
}

/**
 * A snapshot being written during a run. It is created on the first file, so a run that
 * replaces nothing leaves no snapshot. Each file is copied and synced before its manifest
 * line is appended, so an interrupted run still leaves a valid folder snapshot. A copy added
 * with sync 'later' is on disk, its folders and its manifest line too, once syncPending resolves.
 */
export class SnapshotWriter {
  readonly #backupDir: string;
  readonly #header: Omit<SnapshotHeader, 'format' | 'version' | 'createdAt'>;
  readonly #now: Date;
  #dir: string | undefined;
  #opening: Promise<string> | undefined;
  #manifest: FileHandle | undefined;
  /** Lines waiting for the manifest; written and synced together (group commit). */
  #queue: Array<{ line: string; done: (error?: unknown) => void }> = [];
  #writing: Promise<void> | undefined;
  /** The backup of each side and path this run made, by "<side>\0<path>" (its SHA-256 once written). */
  readonly #added = new Map<string, Promise<string>>();
  /** Copies added with sync 'later', each already being synced, and their manifest lines, until syncPending. */
  #pending: Array<{ file: string; line: string; synced: Promise<{ error: unknown } | undefined> }> = [];

  constructor(backupDir: string, header: Omit<SnapshotHeader, 'format' | 'version' | 'createdAt'>, now: Date) {
    this.#backupDir = backupDir;
    this.#header = header;
    this.#now = now;
  }

  get name(): string | undefined {
    return this.#dir === undefined ? undefined : this.#dir.slice(this.#backupDir.length + 1);
  }

  /** Copies the current version of a file into the snapshot; returns its hash. */
  async add(side: Side, root: string, path: string, expected: FileStat, reason: BackupReason, sync: SyncWhen = 'now'): Promise<string> {
    // A run that writes one file twice (a conflict copy merged into it, then the file replaced)
    // keeps the version from before the run: the first backup of a path is never overwritten.
    const key = `${side}\0${path}`;
    const first = this.#added.get(key);
    if (first !== undefined) return first;
    const adding = this.#backUp(side, root, path, expected, reason, sync);
    this.#added.set(key, adding);
    return adding;
  }

  async #backUp(side: Side, root: string, path: string, expected: FileStat, reason: BackupReason, sync: SyncWhen): Promise<string> {
    const dir = await this.#open();
    // A fresh folder of this run's own, and each path once (see add): nothing is there yet.
    const destination = pathBelow(join(dir, side), path);
    const written = await writeHashing(destination, { file: pathBelow(root, path), seen: expected }, expected.mtimeMs, sync);
    const sha256 = written.sha256;
    const entry: SnapshotFile = { side, path, size: written.size, sha256, mtimeMs: expected.mtimeMs, reason };
    const line = `${JSON.stringify({ type: 'file', ...entry })}\n`;
    if (sync === 'later') {
      const synced = syncFiles([destination]).then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
      this.#pending.push({ file: destination, line, synced });
    } else await this.#append(line);
    return sha256;
  }

  /**
   * Puts the copies added with sync 'later' on disk: their bytes, then each folder they were
   * created in once, then their manifest lines in one write.
   */
  async syncPending(): Promise<void> {
    const pending = this.#pending.splice(0);
    if (pending.length === 0) return;
    for (const { synced } of pending) {
      const failed = await synced;
      if (failed !== undefined) throw failed.error;
    }
    const dirs = new DirSyncer();
    const top = this.#dir as string;
    for (const { file } of pending) for (let dir = dirname(file); dir.length > top.length; dir = dirname(dir)) dirs.later(dir);
    dirs.later(top);
    await dirs.flush();
    await this.#append(pending.map((p) => p.line).join(''));
  }

  /** Turns the folder into `<name>.zip` when asked; the folder goes only once the zip is complete. */
  async finish(compression: 'none' | 'zip'): Promise<string | undefined> {
    await this.syncPending();
    await this.#writing;
    await this.#manifest?.close();
    this.#manifest = undefined;
    if (this.#dir === undefined) return undefined;
    if (compression === 'none') return this.name;
    const dir = this.#dir;
    const zip = `${dir}.zip`;
    const partial = `${zip}.partial`;
    await zipFolder(dir, partial);
    await rename(partial, zip);
    await syncDir(this.#backupDir);
    await rm(dir, { recursive: true, force: true });
    return `${this.name}.zip`;
  }

  /** Creates the snapshot folder on first use; concurrent adds share one folder. */
  #open(): Promise<string> {
    this.#opening ??= this.#create();
    return this.#opening;
  }

  async #create(): Promise<string> {
    await mkdir(this.#backupDir, { recursive: true });
    const base = snapshotBaseName(this.#header.machineId, this.#now);
    for (let n = 1; ; n += 1) {
      const candidate = join(this.#backupDir, n === 1 ? base : `${base}-${n}`);
      if ((await exists(candidate)) || (await exists(`${candidate}.zip`))) continue;
      try {
        await mkdir(candidate);
      } catch (error) {
        if (isNodeError(error, 'EEXIST')) continue;
        throw error;
      }
      this.#manifest = await open(join(candidate, MANIFEST), 'a');
      const header: SnapshotHeader = { format: 'codexsync-snapshot', version: 1, createdAt: this.#now.toISOString(), ...this.#header };
      await this.#manifest.write(`${JSON.stringify({ type: 'snapshot', ...header })}\n`);
      await this.#manifest.datasync();
      this.#dir = candidate;
      return candidate;
    }
  }

  /** Resolves once the line is on disk. Lines that arrive while one write is under way go together in the next. */
  #append(line: string): Promise<void> {
    const written = new Promise<void>((resolve, reject) => {
      this.#queue.push({ line, done: (error) => (error === undefined ? resolve() : reject(error)) });
    });
    this.#writing ??= this.#drain();
    return written;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0);
      try {
        const handle = this.#manifest as FileHandle;
        await handle.write(batch.map((item) => item.line).join(''));
        await handle.datasync();
        for (const item of batch) item.done();
      } catch (error) {
        for (const item of batch) item.done(error);
      }
    }
    this.#writing = undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function zipFolder(dir: string, target: string): Promise<void> {
  await writeZip(target, 6, (archive) => archive.directory(dir, false));
}

/** This machine's snapshots in the backup folder, oldest first. */
export async function listOwnSnapshots(backupDir: string, machineId: string): Promise<SnapshotName[]> {
  let names: string[];
  try {
    names = await readdir(backupDir);
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return [];
    throw error;
  }
  return names
    .map((name) => parseSnapshotName(machineId, name))
    .filter((s): s is SnapshotName => s !== undefined)
    .sort((a, b) => a.time.getTime() - b.time.getTime() || a.name.localeCompare(b.name, 'en', { numeric: true }));
}

/**
 * Deletes this machine's snapshots older than retention_days and beyond max_backups (0 =
 * no limit for either). Other machines' snapshots, which share the folder, are never touched.
 */
export async function pruneSnapshots(backupDir: string, machineId: string, options: { retentionDays: number; maxBackups: number; now: Date; keep?: string }): Promise<string[]> {
  const snapshots = await listOwnSnapshots(backupDir, machineId);
  const cutoff = options.now.getTime() - options.retentionDays * 86_400_000;
  const doomed = new Set<string>();
  if (options.retentionDays > 0) for (const s of snapshots) if (s.time.getTime() < cutoff) doomed.add(s.name);
  if (options.maxBackups > 0) {
    const survivors = snapshots.filter((s) => !doomed.has(s.name));
    for (const s of survivors.slice(0, Math.max(0, survivors.length - options.maxBackups))) doomed.add(s.name);
  }
  if (options.keep !== undefined) doomed.delete(options.keep);
  for (const name of doomed) await rm(join(backupDir, name), { recursive: true, force: true });
  return [...doomed].sort();
}
