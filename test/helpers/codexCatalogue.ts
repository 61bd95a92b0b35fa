import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

// A Codex catalogue (state_5.sqlite) with the tables codexSync reads, made with the CREATE TABLE
// statements of a catalogue the real Codex 0.171.0 made (`SELECT sql FROM sqlite_master`, copied
// unchanged; 0.169.0's threads table is the same), in WAL mode as Codex keeps it.

const SCHEMA = `
CREATE TABLE _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    success BOOLEAN NOT NULL,
    checksum BLOB NOT NULL,
    execution_time BIGINT NOT NULL
);
CREATE TABLE backfill_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    status TEXT NOT NULL,
    last_watermark TEXT,
    last_success_at INTEGER,
    updated_at INTEGER NOT NULL
);
CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}',
    position INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
);
CREATE TABLE thread_sections (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL
, appearance TEXT);
CREATE TABLE threads (
    id TEXT PRIMARY KEY,
    rollout_path TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    source TEXT NOT NULL,
    model_provider TEXT NOT NULL,
    cwd TEXT NOT NULL,
    title TEXT NOT NULL,
    sandbox_policy TEXT NOT NULL,
    approval_mode TEXT NOT NULL,
    tokens_used INTEGER NOT NULL DEFAULT 0,
    has_user_event INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    archived_at INTEGER,
    git_sha TEXT,
    git_branch TEXT,
    git_origin_url TEXT
, cli_version TEXT NOT NULL DEFAULT '', first_user_message TEXT NOT NULL DEFAULT '', agent_nickname TEXT, agent_role TEXT, memory_mode TEXT NOT NULL DEFAULT 'enabled', model TEXT, reasoning_effort TEXT, agent_path TEXT, created_at_ms INTEGER, updated_at_ms INTEGER, thread_source TEXT, preview TEXT NOT NULL DEFAULT '', recency_at INTEGER NOT NULL DEFAULT 0, recency_at_ms INTEGER NOT NULL DEFAULT 0, history_mode TEXT NOT NULL DEFAULT 'legacy', name TEXT, is_pinned INTEGER NOT NULL DEFAULT 0, thread_section_id TEXT
    REFERENCES thread_sections(id) ON DELETE SET NULL, section_position INTEGER, section_entered_at_ms INTEGER, project_id TEXT
    REFERENCES projects(id) ON DELETE SET NULL, originator TEXT, daybreak_enabled BOOLEAN, creator_user_id TEXT, creator_account_id TEXT, attached_thread_parent_id TEXT);
`;

export interface CatalogueRow {
  id: string;
  /** Absolute, as Codex keeps it. */
  rolloutPath: string;
  /** The first prompt, Codex's title where the thread has no name. */
  title: string;
  name?: string;
}

export interface CatalogueOptions {
  rows: readonly CatalogueRow[];
  /** backfill_state.status; 'complete' unless told. */
  backfill?: string;
  /** The last migration applied: 64 (0.171) unless told. */
  migration?: number;
}

/** Writes `<home>/state_5.sqlite` and closes it, as a Codex that exited cleanly leaves it (no -wal, no -shm). */
export function writeCatalogue(home: string, options: CatalogueOptions): string {
  const db = openCatalogue(home, options);
  db.close();
  return join(home, 'state_5.sqlite');
}

/** The catalogue kept open, as a running Codex keeps it: rows added later stay in the -wal file. */
export function openCatalogue(home: string, options: CatalogueOptions): DatabaseSync {
  const db = new DatabaseSync(join(home, 'state_5.sqlite'));
  db.exec('PRAGMA journal_mode = WAL');
  db.exec(SCHEMA);
  const migrate = db.prepare("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (?, ?, 1, x'00', 1)");
  for (let version = 1; version <= (options.migration ?? 64); version += 1) migrate.run(version, `migration ${version}`);
  db.prepare('INSERT INTO backfill_state (id, status, updated_at) VALUES (1, ?, 1796000000)').run(options.backfill ?? 'complete');
  for (const row of options.rows) addRow(db, row);
  return db;
}

export function addRow(db: DatabaseSync, row: CatalogueRow): void {
  db.prepare(
    `INSERT INTO threads (id, rollout_path, created_at, updated_at, source, model_provider, cwd, title, sandbox_policy, approval_mode, first_user_message, preview, name)
     VALUES (?, ?, 1796000000, 1796000000, 'vscode', 'openai', '/home/alice/project', ?, '{}', 'never', ?, ?, ?)`,
  ).run(row.id, row.rolloutPath, row.title, row.title, row.title, row.name ?? null);
}
