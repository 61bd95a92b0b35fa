import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isNodeError } from '../errors.ts';
import { writeFileAtomic } from '../fs/index.ts';

/**
 * Each installation of codexSync has a random id, made once and kept in this machine's own
 * state folder. It goes into this machine's handoff records and its lock: two machines that
 * both kept the template's machine_id still differ here, so neither takes the other's record
 * for its own.
 */
export const installationPattern = /^[0-9a-f]{32}$/;

export function installationFile(baseStateDir: string): string {
  return join(baseStateDir, 'installation-id');
}

/** This installation's id, or undefined before its first write (a plan or doctor creates nothing). */
export async function readInstallation(baseStateDir: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(installationFile(baseStateDir), 'utf8');
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return undefined;
    throw error;
  }
  const id = text.trim();
  return installationPattern.test(id) ? id : undefined;
}

/** This installation's id, made on the first run that writes. */
export async function ensureInstallation(baseStateDir: string): Promise<string> {
  const existing = await readInstallation(baseStateDir);
  if (existing !== undefined) return existing;
  const id = randomBytes(16).toString('hex');
  await mkdir(baseStateDir, { recursive: true });
  await writeFileAtomic(installationFile(baseStateDir), `${id}\n`);
  return id;
}
