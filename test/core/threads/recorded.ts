import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zstdDecompressSync } from 'node:zlib';

/** The rollouts recorded from real Codex by scripts/record-rollouts.ts (test/fixtures/rollouts/README.md). */
export const recordedVersions = ['0.169.0', '0.171.0'] as const;
export type RecordedVersion = (typeof recordedVersions)[number];
export type RecordedFolder = 'one-turn' | 'two-turns' | 'fork-a' | 'fork-b' | 'uncompressed' | 'compressed' | 'interactive';

const fixtures = fileURLToPath(new URL('../../fixtures/rollouts/', import.meta.url));

interface Recording {
  cliVersion: string;
  threads: Record<RecordedFolder, { id: string; path: string }>;
  prompts: Record<RecordedFolder, string[]>;
}

export interface Recorded {
  version: RecordedVersion;
  /** The fixture folder: a small Codex home. */
  home: string;
  /** Relative path of its rollout. */
  path: string;
  /** Absolute path of its rollout. */
  file: string;
  fileName: string;
  id: string;
  prompts: string[];
  /** The rollout's decompressed text. */
  text: string;
}

export function recorded(version: RecordedVersion, folder: RecordedFolder): Recorded {
  const recording = JSON.parse(readFileSync(join(fixtures, version, 'recording.json'), 'utf8')) as Recording;
  const { id, path } = recording.threads[folder];
  const home = join(fixtures, version, folder);
  const file = join(home, path);
  const bytes = readFileSync(file);
  const text = (path.endsWith('.zst') ? zstdDecompressSync(bytes) : bytes).toString('utf8');
  return { version, home, path, file, fileName: path.slice(path.lastIndexOf('/') + 1), id, prompts: recording.prompts[folder], text };
}

export function sessionIndexOf(version: RecordedVersion): Buffer {
  return readFileSync(join(fixtures, version, 'named', 'session_index.jsonl'));
}

/**
 * What the rollout's lines say, found without the code under test: each task_started line's
 * timestamp, the first line's session time, the last line's timestamp.
 */
export function linesSay(text: string): { turnStarts: string[]; createdAt: string; lastActivityAt: string; meta: Record<string, unknown> } {
  const lines = text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { timestamp: string; type: string; payload: Record<string, unknown> });
  const meta = (lines[0] as { payload: Record<string, unknown> }).payload;
  return {
    turnStarts: lines.filter((line) => line.type === 'event_msg' && line.payload.type === 'task_started').map((line) => line.timestamp),
    createdAt: meta.timestamp as string,
    lastActivityAt: (lines.at(-1) as { timestamp: string }).timestamp,
    meta,
  };
}
