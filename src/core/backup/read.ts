import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type yauzl from 'yauzl';
import { z } from 'zod';
import { CodexSyncError, ExitCode, isNodeError, type IgnoredSnapshot } from '../errors.ts';
import { listOwnSnapshots, MANIFEST, type SnapshotFile, type SnapshotHeader } from './snapshot.ts';
import { isSafeRelativePath, pathBelow, statOrUndefined, type WriteSource } from '../fs/index.ts';

const fileLine = z.object({
  type: z.literal('file'),
  side: z.enum(['local', 'cloud']),
  path: z.string().refine(isSafeRelativePath, 'path escapes the snapshot'),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mtimeMs: z.number(),
  reason: z.enum(['overwrite', 'delete', 'merge', 'restore']),
});

const headerLine = z.object({
  type: z.literal('snapshot'),
  format: z.literal('codexsync-snapshot'),
  version: z.literal(1),
  machineId: z.string(),
  createdAt: z.string(),
  localRoot: z.string(),
  cloudRoot: z.string(),
});

export interface OpenedSnapshot {
  name: string;
  format: 'folder' | 'zip';
  header: SnapshotHeader;
  files: SnapshotFile[];
  /** The stored bytes of one file of the manifest. */
  open(file: SnapshotFile): Promise<NodeJS.ReadableStream>;
  /** The same, to write from: a folder snapshot's stored file itself (copied through a reused buffer), a zip's entry as a stream. */
  source(file: SnapshotFile): Promise<WriteSource>;
  close(): void;
}

function damaged(name: string, why: string): CodexSyncError {
  return new CodexSyncError(ExitCode.safeAbort, { code: 'snapshot-damaged', name, why });
}

function parseManifest(name: string, text: string): { header: SnapshotHeader; files: SnapshotFile[] } {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  let header: SnapshotHeader | undefined;
  const files: SnapshotFile[] = [];
  for (const [index, line] of lines.entries()) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // An interrupted run can leave a last line half-written; everything before it is whole.
      if (index === lines.length - 1) break;
      throw damaged(name, `has an unreadable manifest line ${index + 1}`);
    }
    if (index === 0) {
      const parsed = headerLine.safeParse(value);
      if (!parsed.success) throw damaged(name, 'has no valid manifest header');
      const { type: _t, ...rest } = parsed.data;
      header = rest;
      continue;
    }
    if ((value as { type?: unknown }).type === 'extra') continue; // e.g. a copy of Codex's catalogue, not restored
    const parsed = fileLine.safeParse(value);
    if (!parsed.success) {
      const path = (value as { path?: unknown }).path;
      throw damaged(name, typeof path === 'string' && !isSafeRelativePath(path) ? `lists a path that would escape its folder (${JSON.stringify(path)})` : `has an invalid manifest line ${index + 1}`);
    }
    const { type: _t, ...file } = parsed.data;
    files.push(file);
  }
  if (header === undefined) throw damaged(name, 'has an empty manifest');
  return { header, files };
}

const dataPath = (file: SnapshotFile): string => `${file.side}/${file.path}`;

export async function openSnapshot(backupDir: string, name: string): Promise<OpenedSnapshot> {
  const location = join(backupDir, name);
  let info;
  try {
    info = await stat(location);
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) throw new CodexSyncError(ExitCode.invalidInput, { code: 'snapshot-missing', name, backupDir });
    throw error;
  }
  if (info.isDirectory()) {
    let text: string;
    try {
      text = await readFile(join(location, MANIFEST), 'utf8');
    } catch {
      throw damaged(name, `has no ${MANIFEST}`);
    }
    const { header, files } = parseManifest(name, text);
    return {
      name,
      format: 'folder',
      header,
      files,
      open: async (file) => createReadStream(pathBelow(location, dataPath(file))),
      async source(file) {
        const stored = pathBelow(location, dataPath(file));
        const seen = statOrUndefined(stored);
        if (seen === undefined) throw damaged(name, `lacks the stored copy of ${file.path}`);
        // A link or a folder where the copy should be is not followed.
        if (seen.size < 0) throw damaged(name, `holds something other than a file as the stored copy of ${file.path}`);
        return { file: stored, seen };
      },
      close: () => undefined,
    };
  }
  if (name.endsWith('.zip')) return openZipSnapshot(location, name);
  throw new CodexSyncError(ExitCode.invalidInput, { code: 'not-a-snapshot', name, backupDir });
}

async function openZipSnapshot(location: string, name: string): Promise<OpenedSnapshot> {
  const { default: yauzlModule } = await import('yauzl');
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzlModule.open(location, { lazyEntries: true, autoClose: false, strictFileNames: true }, (error, file) =>
      error === null ? resolve(file) : reject(damaged(name, `is not a readable zip (${error.message})`)),
    );
  });
  const entries = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        const entryName = entry.fileName.replace(/\/$/, '');
        if (!isSafeRelativePath(entryName)) return reject(damaged(name, `holds an entry that would escape its folder (${JSON.stringify(entry.fileName)})`));
        if (!entry.fileName.endsWith('/')) entries.set(entryName, entry);
        zip.readEntry();
      });
      zip.on('end', resolve);
      zip.on('error', (error: Error) => {
        reject(
          /relative path|absolute path|invalid characters/i.test(error.message)
            ? damaged(name, `holds an entry that would escape its folder (${error.message})`)
            : damaged(name, `is damaged (${error.message})`),
        );
      });
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw error;
  }
  const openEntry = (entry: yauzl.Entry): Promise<NodeJS.ReadableStream> =>
    new Promise((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error === null ? resolve(stream) : reject(error))));
  const manifestEntry = entries.get(MANIFEST);
  if (manifestEntry === undefined) {
    zip.close();
    throw damaged(name, `has no ${MANIFEST}`);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of await openEntry(manifestEntry)) chunks.push(chunk as Buffer);
  const { header, files } = parseManifest(name, Buffer.concat(chunks).toString('utf8'));
  const open = async (file: SnapshotFile): Promise<NodeJS.ReadableStream> => {
    const entry = entries.get(dataPath(file));
    if (entry === undefined) throw damaged(name, `lacks the stored copy of ${file.path}`);
    return openEntry(entry);
  };
  return {
    name,
    format: 'zip',
    header,
    files,
    open,
    source: async (file) => ({ stream: await open(file) }),
    close: () => zip.close(),
  };
}

/**
 * This machine's snapshots, newest first, each opened (the caller closes it). The backup folder
 * lies in the cloud workspace, so a name proves nothing: an entry that is damaged, not a
 * snapshot, or another machine's (by its manifest) is passed over and added to `ignored`.
 */
export async function* ownSnapshotsNewestFirst(backupDir: string, machineId: string, ignored: IgnoredSnapshot[]): AsyncGenerator<OpenedSnapshot> {
  for (const { name } of (await listOwnSnapshots(backupDir, machineId)).reverse()) {
    let snapshot: OpenedSnapshot;
    try {
      snapshot = await openSnapshot(backupDir, name);
    } catch (error) {
      if (!(error instanceof CodexSyncError)) throw error;
      if (error.problem.code === 'snapshot-damaged') ignored.push({ name, kind: 'damaged', why: error.problem.why });
      else if (error.problem.code === 'not-a-snapshot') ignored.push({ name, kind: 'not-a-snapshot' });
      else if (error.problem.code !== 'snapshot-missing') throw error; // gone since the listing: nothing to say
      continue;
    }
    if (snapshot.header.machineId === machineId) {
      yield snapshot;
      continue;
    }
    snapshot.close();
    ignored.push({ name, kind: 'other-machine', machineId: snapshot.header.machineId });
  }
}
