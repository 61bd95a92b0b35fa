import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';

export interface Opened {
  db: DatabaseSync;
  close(): Promise<void>;
}

/**
 * Opens the catalogue so that no byte in the Codex home changes. SQLite, even read-only, creates
 * a WAL database's -wal and -shm files when they are missing and rewrites the -shm index when
 * it finds it stale, so only a catalogue without a -wal or -journal file (no Codex has it open,
 * and it holds every row) is opened in place, as immutable. Any other is read from a copy of
 * it and its -wal or -journal in a private temp folder of this machine (never codexSync's temp
 * folder: that one usually lies in the cloud workspace, and the catalogue holds prompts).
 */
export async function openUntouched(file: string): Promise<Opened> {
  const present = async (path: string): Promise<boolean> => (await stat(path).catch(() => undefined)) !== undefined;
  const companions = (await Promise.all(['-wal', '-journal'].map(async (suffix) => ((await present(`${file}${suffix}`)) ? [suffix] : [])))).flat();
  if (companions.length === 0) {
    const url = pathToFileURL(file);
    url.searchParams.set('immutable', '1');
    const db = new DatabaseSync(url, { readOnly: true });
    return { db, close: async () => db.close() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'codexsync-catalogue-'));
  try {
    const copy = join(dir, basename(file));
    // The log before the database: a checkpoint in between leaves the copy newer, never torn.
    for (const suffix of companions) await copyFile(`${file}${suffix}`, `${copy}${suffix}`);
    await copyFile(file, copy);
    // The private copy is opened for writing, so that SQLite can replay its log into it.
    const db = new DatabaseSync(copy);
    return {
      db,
      close: async () => {
        db.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
