import { hostname } from 'node:os';
import { z } from 'zod';

// The config.toml of codexsync 0.1.2, key for key, with the loader's defaults (what 0.1.2
// used when a key was absent), plus the keys codexSync adds. Each section is filled from
// its defaults when absent, so a 0.1.2 file loads unchanged and a sparse one is complete.

const text = z.string().trim().min(1, 'must not be empty');
const seconds = z.number().min(0, 'must be 0 or more');
const count = z.number().int('must be a whole number').min(0, 'must be 0 or more');
const stringList = z.array(z.string());

/** Machine ids name backups and log files, so they must be safe in a file name everywhere. */
export const machineIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function defaultMachineId(): string {
  const name = hostname().split('.')[0] ?? '';
  const safe = name
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return safe === '' ? 'machine' : safe;
}

const identity = z.object({
  machine_id: z.string().regex(machineIdPattern, 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit').default(defaultMachineId),
});

const sync = z.object({
  mode: z.enum(['cold']).default('cold'),
  direction: z.enum(['bidirectional']).default('bidirectional'),
  compare: z.enum(['mtime', 'mtime_hash_fallback']).default('mtime'),
  time_tolerance_seconds: seconds.default(0),
  equal_mtime_action: z.enum(['skip', 'prefer_local', 'prefer_cloud', 'manual_abort']).default('skip'),
  /** 0.1.2 knew only "never"; "propagate" deletes only what the base state proves was synced. */
  delete_policy: z.enum(['never', 'propagate']).default('propagate'),
  dry_run_default: z.boolean().default(true),
  session_mode: z.enum(['all', 'last_date_only']).default('all'),
});

const paths = z.object({
  workspace_root_dir: text.optional(),
  local_state_dir: text.optional(),
  cloud_root_dir: text,
  backup_dir: text,
  temp_dir: text,
  /** New: how absolute paths of one machine read on another ("C:/Users/a/src" = "/Users/a/src"). */
  map: z.record(z.string().min(1), text).default({}),
});

const targets = z.object({
  /** Top-level entries of the Codex home. Empty means Codex's default scope, never "everything". */
  include_roots: stringList.default([]),
});

const filters = z.object({
  exclude_globs: stringList.default([]),
});

const conflict = z.object({
  policy: z.enum(['manual_abort', 'prefer_cloud', 'prefer_local', 'prefer_newer_mtime']).default('manual_abort'),
  report_conflicts: z.boolean().default(true),
});

const backup = z.object({
  backup_before_overwrite: z.boolean().default(true),
  retention_days: count.default(30),
  max_backups: count.default(0),
  compression: z.enum(['none', 'zip']).default('none'),
});

const safety = z.object({
  require_codex_stopped: z.boolean().default(true),
  fail_on_unknown: z.boolean().default(true),
  /** New: a run that would delete or empty more than this share of the tree stops (exit 5) unless the user accepts it. */
  max_delete_percent: z.number().min(0, 'must be from 0 to 100').max(100, 'must be from 0 to 100').default(50),
});

const processDetection = z.object({
  process_names: stringList.default(['codex.exe', 'codex']),
  grace_period_seconds: seconds.default(2),
  allow_terminate_if_running: z.boolean().default(true),
  manual_terminate_confirmation: z.boolean().default(true),
  terminate_confirmation_mode: z.enum(['gui', 'console']).default('gui'),
  terminate_timeout_seconds: z.number().positive('must be more than 0').default(20),
  background_process_names: z
    .object({
      windows: stringList.default(['codex-windows-sandbox']),
      macos: stringList.default([]),
      linux: stringList.default([]),
    })
    .prefault({}),
});

const state = z.object({
  /**
   * 0.1.2 kept ONE base manifest here, shared by every machine (its data-loss defect 1).
   * It is still accepted so old files load, but codexSync never uses it as a shared base.
   */
  manifest_file: text.default('${workspace_root}/state/manifest.json'),
  data_version: z.literal(1, 'must be 1 (the only metadata version)').default(1),
  /** New: this machine's own folder for its base state; never inside the cloud folder. */
  local_dir: text.optional(),
});

const scheduler = z.object({
  enabled: z.boolean().default(false),
  kind: z.string().optional(),
  interval_minutes: z.number().int('must be a whole number').positive('must be more than 0').default(10),
  jitter_seconds: count.default(30),
});

const logLevel = z.preprocess((value) => (typeof value === 'string' ? value.toUpperCase() : value), z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR']));

const logging = z.object({
  level: logLevel.default('INFO'),
  file: text.default('${workspace_root}/logs/codexsync.log'),
  format: z.enum(['text', 'json', 'logfmt']).default('text'),
  retention_days: count.default(7),
  archive_mode: z.enum(['zip', 'text']).default('zip'),
  max_file_size_mb: z.number().positive('must be more than 0').default(10),
});

/** New: which Codex command line codexSync starts (`codex app-server`) to make Codex list handed-off threads. */
const codex = z.object({
  /** Absent: `codex` on PATH, else the desktop app's bundled one. */
  binary: text.optional(),
});

/** Statements of the handoff protocol in 0.1.2's template; informational only. */
const assumptions = z.record(z.string(), z.boolean()).default({});

export const settingsSchema = z.object({
  identity: identity.prefault({}),
  sync: sync.prefault({}),
  paths,
  targets: targets.prefault({}),
  filters: filters.prefault({}),
  conflict: conflict.prefault({}),
  backup: backup.prefault({}),
  safety: safety.prefault({}),
  process_detection: processDetection.prefault({}),
  state: state.prefault({}),
  scheduler: scheduler.prefault({}),
  logging: logging.prefault({}),
  codex: codex.prefault({}),
  assumptions,
});

/** A validated config.toml, every key present, as the file spells it. */
export type Settings = z.infer<typeof settingsSchema>;
export type ConflictPolicy = Settings['conflict']['policy'];
export type EqualMtimeAction = Settings['sync']['equal_mtime_action'];
export type LogLevel = Settings['logging']['level'];
export type LogFormat = Settings['logging']['format'];
