// What real Codex keeps in its home folder and what a handoff does with each entry
// (../shared/reference/codex-home.md, checked against codex-cli 0.169).

/**
 * - default: synced when targets.include_roots is empty (Codex's default scope)
 * - merged:  in the default scope; append-only JSONL merged line by line
 * - opt_in:  synced only when named in targets.include_roots
 * - local:   belongs to this machine; synced only when named explicitly
 * - never:   never read into a plan, a backup of the cloud side or the cloud folder
 */
export type EntryClass = 'default' | 'merged' | 'opt_in' | 'local' | 'never';

export interface TopLevelRule {
  class: EntryClass;
  why: string;
}

/** Credentials: never synced, whatever include_roots or exclude_globs say. */
export const credentialNames = ['auth.json', 'auth.json.lock', 'auth.lock'] as const;

const topLevel: Record<string, TopLevelRule> = {
  sessions: { class: 'default', why: 'one rollout file per thread' },
  archived_sessions: { class: 'default', why: 'archived threads' },
  'history.jsonl': { class: 'merged', why: 'prompt history, merged line by line' },
  'session_index.jsonl': { class: 'merged', why: 'thread index, merged line by line' },
  skills: { class: 'default', why: "user skills (skills/.system is Codex's own)" },
  'config.toml': { class: 'opt_in', why: 'settings with machine-specific paths inside' },
  plugins: { class: 'opt_in', why: 'plugin payloads; caches and binaries never' },
  shell_snapshots: { class: 'local', why: "snapshots of this machine's shell" },
  log: { class: 'local', why: 'text logs of this machine' },
  '.sandbox_migration': { class: 'local', why: 'migration marker of this installation' },
  installation_id: { class: 'never', why: 'identity of this installation' },
  packages: { class: 'never', why: 'platform binaries (~400 MB) that would break another OS' },
  'thread-writer-locks': { class: 'never', why: 'runtime locks' },
  '.tmp': { class: 'never', why: 'Codex temp folder' },
  tmp: { class: 'never', why: 'temp folder' },
  'app-server-control': { class: 'never', why: 'runtime socket' },
  'app-server-daemon': { class: 'never', why: 'daemon pid files, sockets and logs' },
  '.codexsync': { class: 'never', why: "codexSync's own control files" },
};
for (const name of credentialNames) topLevel[name] = { class: 'never', why: 'credentials' };

/** Names at the top of the Codex home that are never synced. */
export const neverSyncedNames: ReadonlySet<string> = new Set(
  Object.entries(topLevel)
    .filter(([, rule]) => rule.class === 'never')
    .map(([name]) => name),
);

/** The Codex default scope: what an empty include_roots means. */
export const defaultIncludeRoots: readonly string[] = Object.entries(topLevel)
  .filter(([, rule]) => rule.class === 'default' || rule.class === 'merged')
  .map(([name]) => name);

/** Append-only JSONL files merged line by line rather than "newer file wins". */
export const mergedFiles: ReadonlySet<string> = new Set(
  Object.entries(topLevel)
    .filter(([, rule]) => rule.class === 'merged')
    .map(([name]) => name),
);

/** What a hand-off carries by default and what stays on this machine, for a person deciding whether to set it up. */
export interface ScopeDescription {
  travels: Array<{ name: string; why: string }>;
  stays: Array<{ name: string; why: string }>;
}

export function describeScope(): ScopeDescription {
  const travels = defaultIncludeRoots.map((name) => ({ name, why: topLevel[name]?.why ?? '' }));
  const stays = [
    { name: 'auth.json', why: topLevel['auth.json']?.why ?? '' },
    { name: 'state_*.sqlite', why: topLevelRule('state_1.sqlite')?.why ?? '' },
    { name: 'config.toml', why: topLevel['config.toml']?.why ?? '' },
  ];
  return { travels, stays };
}

const sqlite = /\.(sqlite|sqlite3|db)(-wal|-shm|-journal)?$/i;

export function topLevelRule(name: string): TopLevelRule | undefined {
  if (sqlite.test(name)) return { class: 'never', why: 'Codex database, open by its daemon; never copied as a file' };
  return topLevel[name];
}

/**
 * Paths (relative, "/"-separated) that are never synced at any depth: runtime locks,
 * sockets and pids, temp files (codexSync's own included), databases, plugin caches and
 * binaries, and Codex's own skills. Called for every file of a walk, so it tests the name
 * first and looks at the folders only under skills/ and plugins/.
 */
export function neverSyncedReason(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name.endsWith('.lock') || name.endsWith('.pid') || name.endsWith('.sock')) return 'runtime lock, pid or socket';
  if (name.startsWith('.codexsync-')) return 'codexSync temp file';
  if (sqlite.test(name)) return 'database file';
  if (path.startsWith('skills/')) {
    if (path === 'skills/.system' || path.startsWith('skills/.system/')) return "Codex's own skills";
  } else if (path.startsWith('plugins/')) {
    if (/^plugins\/(.*\/)?(cache|\.cache)(\/|$)/.test(path)) return 'plugin cache';
    if (/^plugins\/(.*\/)?\.(plugin-appserver|remote-plugin-install-staging)(\/|$)/.test(path)) return "Codex's own plugin programs";
    if (/\.(exe|dll|so|dylib|node|bin)$/i.test(name)) return 'platform binary';
  }
  return undefined;
}

const threadIdInName = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl(?:\.zst)?$/;

/** The thread id a rollout file's name carries (rollout-<time>-<uuid>.jsonl, or Codex's compressed .jsonl.zst). */
export function threadIdOf(rolloutPath: string): string | undefined {
  return threadIdInName.exec(rolloutPath)?.[1];
}

/** A thread's rollout file: one JSON line per event, appended to while the thread runs. */
export function isRollout(path: string): boolean {
  return isAppendOnly(path) && threadIdOf(path) !== undefined;
}

/** A thread's rollout in either form: plain (.jsonl) or compressed by Codex (.jsonl.zst). */
export function isThreadFile(path: string): boolean {
  return /^(sessions|archived_sessions)\/.+\.jsonl(\.zst)?$/.test(path) && threadIdOf(path) !== undefined;
}

/** Files Codex writes one whole JSON line at a time (rollouts, history, the thread index): whole, they end with a newline. */
export function isLineFile(path: string): boolean {
  return isAppendOnly(path) || mergedFiles.has(path);
}

/** Files only ever appended to (rollouts), where a longer version that extends the other simply wins. */
export function isAppendOnly(path: string): boolean {
  return /^(sessions|archived_sessions)\/.+\.jsonl$/.test(path);
}

const datedFolder = /^(?:sessions|archived_sessions)\/(?:(\d{4})-(\d{2})-(\d{2})|(\d{4})\/(\d{2})\/(\d{2}))\//;

/** The date folder a session path lives in ("2026-11-25"), for both layouts 0.1.2 knew. */
export function sessionDate(path: string): string | undefined {
  if (!path.startsWith('sessions/')) return undefined;
  const m = datedFolder.exec(path);
  if (m === null) return undefined;
  return m[1] !== undefined ? `${m[1]}-${m[2]}-${m[3]}` : `${m[4]}-${m[5]}-${m[6]}`;
}
