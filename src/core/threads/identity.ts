import { isSafeRelativePath } from '../fs/index.ts';
import type { RolloutForm } from './types.ts';

/** Where a rollout lives in a Codex home: active threads below sessions/ (dated folders), archived ones in archived_sessions/. */
export type RolloutLocation = 'sessions' | 'archived_sessions';

/** A rollout file of a Codex home, known by its relative path alone. */
export interface RolloutFile {
  /** Relative, "/"-separated, from the Codex home. */
  path: string;
  id: string;
  form: RolloutForm;
  location: RolloutLocation;
}

/**
 * Something about one thread's files that a handoff must not take as ordinary: Codex keeps one
 * file per thread, and these are states it passes through or that copying made.
 */
export type ThreadFilesFlag =
  /** A .jsonl and a .jsonl.zst of the one id: Codex compressing or resuming it, or each machine holding another form. */
  | 'both-forms'
  /** The id both below sessions/ and in archived_sessions/: archived on one machine, active on another. */
  | 'active-and-archived'
  /** More than one file of one form in one location (another dated folder or another start time in the name). */
  | 'several-files';

/** All the rollout files of one thread in a Codex home. */
export interface ThreadFiles {
  id: string;
  /** Sorted by path. */
  files: RolloutFile[];
  flags: ThreadFilesFlag[];
}

const namePattern = /^rollout-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl(\.zst)?$/;

/** The thread id and form a rollout file's name carries (`rollout-<time>-<id>.jsonl[.zst]`), or undefined. */
export function rolloutName(fileName: string): { id: string; form: RolloutForm } | undefined {
  const match = namePattern.exec(fileName);
  return match === null ? undefined : { id: match[1] as string, form: match[2] === undefined ? 'jsonl' : 'jsonl.zst' };
}

/** A relative path of a Codex home as a rollout file, or undefined when it is none. */
export function rolloutFileOf(path: string): RolloutFile | undefined {
  const location: RolloutLocation | undefined = path.startsWith('sessions/') ? 'sessions' : path.startsWith('archived_sessions/') ? 'archived_sessions' : undefined;
  if (location === undefined || !isSafeRelativePath(path)) return undefined;
  const name = rolloutName(path.slice(path.lastIndexOf('/') + 1));
  return name === undefined ? undefined : { path, id: name.id, form: name.form, location };
}

/** The rollout files among a Codex home's relative paths, grouped by thread (other paths are left out). */
export function groupThreadFiles(paths: Iterable<string>): Map<string, ThreadFiles> {
  const threads = new Map<string, ThreadFiles>();
  for (const path of paths) {
    const file = rolloutFileOf(path);
    if (file === undefined) continue;
    const thread = threads.get(file.id);
    if (thread === undefined) threads.set(file.id, { id: file.id, files: [file], flags: [] });
    else thread.files.push(file);
  }
  for (const thread of threads.values()) {
    if (thread.files.length === 1) continue;
    thread.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const forms = new Set(thread.files.map((file) => file.form));
    const locations = new Set(thread.files.map((file) => file.location));
    const places = new Set(thread.files.map((file) => `${file.location} ${file.form}`));
    if (forms.size > 1) thread.flags.push('both-forms');
    if (locations.size > 1) thread.flags.push('active-and-archived');
    if (places.size < thread.files.length) thread.flags.push('several-files');
  }
  return threads;
}
