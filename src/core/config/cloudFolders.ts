import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Environment } from '../platform.ts';

// The cloud folders a first run offers: each client's folder where that client keeps it, and
// only the ones that exist on this machine. Nothing here writes; every read is bounded.

export type CloudClient = 'dropbox' | 'onedrive' | 'google-drive' | 'icloud' | 'syncthing';

export interface CloudFolder {
  client: CloudClient;
  path: string;
}

/** Dropbox's info.json is a few hundred bytes; anything larger is not one. */
const MAX_INFO_BYTES = 64 * 1024;

/** Every cloud folder found on this machine, each once, in the order of the clients above. */
export async function findCloudFolders(env: Environment): Promise<CloudFolder[]> {
  const home = env.home;
  const candidates: CloudFolder[] = [];
  const add = (client: CloudClient, path: string | undefined): void => {
    if (path !== undefined && path.trim() !== '') candidates.push({ client, path: resolve(path) });
  };

  add('dropbox', join(home, 'Dropbox'));
  for (const path of await dropboxInfoPaths(env)) add('dropbox', path);

  add('onedrive', join(home, 'OneDrive'));
  add('onedrive', env.vars.OneDrive);
  add('onedrive', env.vars.OneDriveCommercial);
  for (const name of await namesIn(home, (n) => n.startsWith('OneDrive - '))) add('onedrive', join(home, name));
  const cloudStorage = join(home, 'Library', 'CloudStorage');
  for (const name of await namesIn(cloudStorage, (n) => n.startsWith('OneDrive-'))) add('onedrive', join(cloudStorage, name));

  add('google-drive', join(home, 'Google Drive'));
  for (const name of await namesIn(cloudStorage, (n) => n.startsWith('GoogleDrive-'))) add('google-drive', join(cloudStorage, name));

  add('icloud', join(home, 'Library', 'Mobile Documents', 'com~apple~CloudDocs'));
  add('syncthing', join(home, 'Sync'));

  const seen = new Set<string>();
  const found: CloudFolder[] = [];
  for (const candidate of candidates) {
    if (seen.has(candidate.path)) continue;
    seen.add(candidate.path);
    if (await isFolder(candidate.path)) found.push(candidate);
  }
  return found;
}

/** The folders Dropbox's info.json names ({"personal": {"path": …}, "business": {"path": …}}). */
async function dropboxInfoPaths(env: Environment): Promise<string[]> {
  const files = [join(env.home, '.dropbox', 'info.json')];
  for (const base of [env.vars.APPDATA, env.vars.LOCALAPPDATA]) if (base !== undefined && base !== '') files.push(join(base, 'Dropbox', 'info.json'));
  const paths: string[] = [];
  for (const file of files) {
    let parsed: unknown;
    try {
      const bytes = await readFile(file);
      if (bytes.length > MAX_INFO_BYTES) continue;
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      continue; // no Dropbox, or a file it is still writing: the folder is then simply not offered
    }
    if (typeof parsed !== 'object' || parsed === null) continue;
    for (const account of Object.values(parsed as Record<string, unknown>)) {
      const path = typeof account === 'object' && account !== null ? (account as Record<string, unknown>).path : undefined;
      if (typeof path === 'string' && path.length <= 4096) paths.push(path);
    }
  }
  return paths;
}

async function namesIn(dir: string, wanted: (name: string) => boolean): Promise<string[]> {
  try {
    return (await readdir(dir)).filter(wanted).sort();
  } catch {
    return [];
  }
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
