import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { isNodeError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs/index.ts';
import { userConfigDir, type Environment } from '../core/platform.ts';

// The tray app's own choices, kept like "Launch at login" apart from config.toml: they are about
// this app on this machine, not about what travels, and the CLI never reads them.

export interface AppSettings {
  /** Hand off by itself when Codex closes on this machine. Off unless the user ticks it. */
  handOffWhenCodexCloses: boolean;
}

export const defaultAppSettings: AppSettings = { handOffWhenCodexCloses: false };

const stored = z.object({ handOffWhenCodexCloses: z.boolean().optional() });

/** app.json beside the user's config.toml folder (the CLI's config folder), on this machine only. */
export function appSettingsFile(env: Environment): string {
  return join(userConfigDir(env), 'app.json');
}

/** The stored choices; a missing or unreadable file means the defaults (every option off). */
export async function readAppSettings(file: string): Promise<AppSettings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isNodeError(error, 'ENOENT') || isNodeError(error, 'ENOTDIR')) return defaultAppSettings;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return defaultAppSettings;
  }
  const parsed = stored.safeParse(json);
  return parsed.success ? { ...defaultAppSettings, ...parsed.data } : defaultAppSettings;
}

export async function writeAppSettings(file: string, settings: AppSettings): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(settings, null, 2)}\n`);
}
