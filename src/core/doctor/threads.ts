import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { readCatalogueThreads, type CatalogueThread } from '../catalogue/index.ts';
import { isNodeError } from '../errors.ts';
import { forEachConcurrently } from '../fs/index.ts';
import { groupThreadFiles, promptTitle, type ThreadFiles } from '../threads/index.ts';
import type { Check } from './check.ts';

// Codex lists threads from its catalogue (state_N.sqlite), not from the rollout files in its
// home; the two can disagree. These checks compare them, read only: doctor may run while Codex
// runs, so it never starts Codex and writes nothing (see catalogue/threadRows.ts).

const ROLLOUT_FOLDERS = ['sessions', 'archived_sessions'] as const;
/** How many ids (or files, or names) a detail shows before "and N more". */
const SHOWN = 5;

/** The thread checks of a Codex home, in the order doctor prints them. */
export async function threadChecks(home: string): Promise<Check[]> {
  const checks: Check[] = [];
  const listing = await rolloutPaths(home);
  for (const { folder, error } of listing.unreadable)
    checks.push({ status: 'WARN', name: 'rollout files', detail: `${join(home, folder)} cannot be listed (${error}): its threads are left out below` });
  const onDisk = groupThreadFiles(listing.paths);
  const catalogue = await readCatalogueThreads(home);
  switch (catalogue.kind) {
    case 'absent':
      checks.push({ status: 'PASS', name: 'codex catalogue', detail: 'no catalogue yet: Codex builds one from the rollouts at its first start' });
      break;
    case 'unreadable':
      checks.push({
        status: 'WARN',
        name: 'codex catalogue',
        detail: `${catalogue.file} cannot be read (${catalogue.error}): the checks of Codex's thread list were skipped; if Codex does not start either, move the file out of the Codex home: Codex then builds a new one from the rollouts (names and pins given in Codex are lost)`,
      });
      break;
    case 'untested':
      checks.push({
        status: 'WARN',
        name: 'codex catalogue',
        detail: `untested schema: ${catalogue.file}${catalogue.migration === undefined ? '' : ` (schema ${catalogue.migration})`} has no ${catalogue.missing.join(', ')}: the checks of Codex's thread list were skipped`,
      });
      break;
    case 'read': {
      const untested = catalogue.tested ? '' : ` (${catalogue.migration === undefined ? 'a schema' : `schema ${catalogue.migration}`} codexSync was not tested with)`;
      checks.push({ status: 'PASS', name: 'codex catalogue', detail: `${catalogue.file}: ${count(catalogue.threads.length, 'thread')}${untested}` });
      checks.push(importCheck(catalogue.backfill));
      checks.push(unlistedCheck(home, onDisk, catalogue.threads, catalogue.backfill === 'complete'));
      checks.push(await missingRolloutsCheck(home, onDisk, catalogue.threads));
    }
  }
  checks.push(threadFilesCheck(onDisk));
  if (catalogue.kind === 'read') checks.push(keptForksCheck(catalogue.threads));
  return checks;
}

/** backfill_state: Codex's one-time import of the rollouts it finds at its first start. */
function importCheck(status: string | undefined): Check {
  const name = 'catalogue import';
  if (status === 'complete') return { status: 'PASS', name, detail: "Codex's import of the rollouts is complete" };
  if (status === 'running') {
    return {
      status: 'FAIL',
      name,
      detail: "Codex's first import of threads was interrupted (a Codex killed while it started): Codex refuses to start for about 15 minutes, then recovers by itself; do not delete the database",
    };
  }
  if (status === 'pending' || status === undefined) return { status: 'PASS', name, detail: `${status ?? 'not started'}: Codex imports the rollouts at its next start` };
  return { status: 'WARN', name, detail: `status "${status}" is not one codexSync knows: see whether Codex starts` };
}

/** Rollouts in the home whose thread Codex does not list (its import, while not complete, still adds them). */
function unlistedCheck(home: string, onDisk: ReadonlyMap<string, ThreadFiles>, rows: readonly CatalogueThread[], importDone: boolean): Check {
  const name = 'unlisted threads';
  const listed = new Set(rows.map((row) => row.id));
  const unlisted = [...onDisk.keys()].filter((id) => !listed.has(id)).sort();
  if (onDisk.size === 0) return { status: 'PASS', name, detail: 'no rollout in sessions/ or archived_sessions/ yet' };
  if (unlisted.length === 0) return { status: 'PASS', name, detail: `Codex lists all ${count(onDisk.size, 'thread')} on disk` };
  if (!importDone) return { status: 'PASS', name, detail: `${unlisted.length} of ${count(onDisk.size, 'thread')} on disk not listed yet: Codex's import adds them` };
  return {
    status: 'WARN',
    name,
    detail: `Codex does not list ${count(unlisted.length, 'thread')} whose rollout is in ${home}: ${shown(unlisted)}; open each with \`codex resume <id>\`, and Codex adds it to its list`,
  };
}

/**
 * Catalogue rows whose rollout file is gone: Codex lists the thread and cannot open it. A row
 * names the .jsonl even where Codex compressed the file to .jsonl.zst: either form counts.
 */
async function missingRolloutsCheck(home: string, onDisk: ReadonlyMap<string, ThreadFiles>, rows: readonly CatalogueThread[]): Promise<Check> {
  const name = 'missing rollouts';
  const missing: CatalogueThread[] = [];
  await forEachConcurrently(rows, 16, async (row) => {
    const path = isAbsolute(row.rolloutPath) ? row.rolloutPath : join(home, row.rolloutPath);
    const other = path.endsWith('.jsonl.zst') ? path.slice(0, -'.zst'.length) : path.endsWith('.jsonl') ? `${path}.zst` : undefined;
    if (row.rolloutPath === '' || (!(await exists(path)) && (other === undefined || !(await exists(other))))) missing.push(row);
  });
  if (missing.length === 0) return { status: 'PASS', name, detail: `every thread in Codex's catalogue has its rollout file` };
  const ids = missing
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((row) => {
      const elsewhere = onDisk.get(row.id)?.files[0]?.path;
      return elsewhere === undefined ? row.id : `${row.id} (its rollout is at ${elsewhere})`;
    });
  const one = missing.length === 1;
  return {
    status: 'WARN',
    name,
    detail: `${count(missing.length, 'thread')} in Codex's catalogue ${one ? 'points' : 'point'} at a rollout file that does not exist: ${shown(ids)}; Codex lists ${one ? 'it' : 'them'} but cannot open ${one ? 'it' : 'them'}: put each file back at the path the catalogue names (from a backup, or from the other machine)`,
  };
}

/** A thread kept in more than one file: both forms (.jsonl and .jsonl.zst), or both active and archived. */
function threadFilesCheck(onDisk: ReadonlyMap<string, ThreadFiles>): Check {
  const name = 'thread files';
  const doubled = [...onDisk.values()].filter((thread) => thread.files.length > 1).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (doubled.length === 0) return { status: 'PASS', name, detail: 'one rollout file per thread' };
  const kinds = (thread: ThreadFiles): string =>
    thread.flags.map((flag) => (flag === 'both-forms' ? 'both .jsonl and .jsonl.zst' : flag === 'active-and-archived' ? 'both active and archived' : 'several files')).join(', ');
  const each = doubled.map((thread) => `${thread.id}, ${kinds(thread)} (${thread.files.map((file) => file.path).join(', ')})`);
  return {
    status: 'WARN',
    name,
    detail: `${count(doubled.length, 'thread')} kept in more than one rollout file: ${shown(each, 3)}; codexSync never makes this: with Codex closed, keep the newest and longest file, at the place Codex's catalogue names, and move the others out of the Codex home`,
  };
}

/** Forks a sync kept as threads of their own, named "<title> (from <machine>)", while the thread they forked from is still there. */
function keptForksCheck(rows: readonly CatalogueThread[]): Check {
  const name = 'kept forks';
  const titles = new Set<string>();
  for (const row of rows) {
    if (row.name !== null) titles.add(row.name);
    else titles.add(row.title).add(promptTitle(row.title));
  }
  const forks = rows
    .filter((row) => {
      const base = row.name === null ? undefined : /^(.*) \(from [^()]+\)$/s.exec(row.name)?.[1];
      return base !== undefined && titles.has(base);
    })
    .map((row) => `"${row.name}"`)
    .sort();
  if (forks.length === 0) return { status: 'PASS', name, detail: 'no fork kept as a thread of its own' };
  const one = forks.length === 1;
  return {
    status: 'WARN',
    name,
    detail: `${count(forks.length, 'fork')} kept as ${one ? 'a thread' : 'threads'} of ${one ? 'its' : 'their'} own: ${shown(forks, 3)}; open both versions in Codex and delete the one you do not need`,
  };
}

/** The relative paths of the files in sessions/ and archived_sessions/, and the folders that could not be listed. */
async function rolloutPaths(home: string): Promise<{ paths: string[]; unreadable: Array<{ folder: string; error: string }> }> {
  const paths: string[] = [];
  const unreadable: Array<{ folder: string; error: string }> = [];
  for (const folder of ROLLOUT_FOLDERS) {
    try {
      for (const entry of await readdir(join(home, folder), { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) paths.push(relative(home, join(entry.parentPath, entry.name)).split(sep).join('/'));
      }
    } catch (error) {
      if (isNodeError(error, 'ENOENT')) continue;
      unreadable.push({ folder, error: isNodeError(error) ? String(error.code) : String(error) });
    }
  }
  return { paths, unreadable };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    // Only a file known to be gone counts as missing; one that cannot be looked at (permissions) is given the benefit of the doubt.
    return !(isNodeError(error, 'ENOENT') || isNodeError(error, 'ENOTDIR'));
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The first items and how many more there are. */
function shown(items: readonly string[], max = SHOWN): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
