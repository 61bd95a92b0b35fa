import { z } from 'zod';
import type { EventChannel, RequestChannel } from './channels.ts';

// The typed contract between the app's main process and its windows, free of any transport:
// the preload binds it to Electron's IPC, the e2e host to HTTP on 127.0.0.1. The main process
// (and the host) validate every request against it; every response is shaped by it.

const count = z.number().int().min(0);
const relPath = z.string().min(1).max(4096);
export const side = z.enum(['local', 'cloud']);
export const fileStat = z.object({ size: count, mtimeMs: z.number() });

export const actionView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('copy'), path: relPath, from: side, to: side, why: z.string(), source: fileStat, target: fileStat.optional() }),
  z.object({ kind: z.literal('delete'), path: relPath, side, why: z.string(), target: fileStat }),
  z.object({ kind: z.literal('merge'), path: relPath, why: z.string(), local: fileStat, cloud: fileStat }),
]);

/** What the user may do with one conflicting file. */
export const conflictChoice = z.enum(['keep-local', 'take-cloud', 'keep-both', 'merge-lines']);

const previewLine = z.object({ n: z.number().int().min(1), text: z.string() });

/** The lines that differ between the two versions, or why there is no such preview. */
export const conflictPreview = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('lines'),
    format: z.enum(['text', 'jsonl']),
    local: z.array(previewLine),
    cloud: z.array(previewLine),
    /** Differing lines not shown, per side. */
    moreLocal: count,
    moreCloud: count,
  }),
  z.object({ kind: z.literal('none'), why: z.string() }),
]);

export const conflictView = z.object({
  path: relPath,
  kind: z.string(),
  why: z.string(),
  local: fileStat.optional(),
  cloud: fileStat.optional(),
  /** The machine whose handoff brought the cloud version, when a handoff record says so. */
  cloudMachine: z.string().optional(),
  /** Set when conflict.policy already settled it; a choice still overrides it. */
  settled: z.object({ winner: side, by: z.string() }).optional(),
  /** The choices this file allows (none when one side is missing). */
  choices: z.array(conflictChoice),
  preview: conflictPreview,
});

export const reviewReason = z.object({
  code: z.enum(['conflicts', 'deletions', 'large', 'deletion-guard', 'arriving']),
  text: z.string(),
});

export const totals = z.object({
  toCloud: z.object({ files: count, bytes: count }),
  toLocal: z.object({ files: count, bytes: count }),
  merges: count,
  deletesLocal: count,
  deletesCloud: count,
});

export const planView = z.object({
  planId: z.string(),
  createdAt: z.string(),
  machineId: z.string(),
  localRoot: z.string(),
  cloudRoot: z.string(),
  actions: z.array(actionView),
  conflicts: z.array(conflictView),
  skips: z.array(z.object({ path: relPath, why: z.string(), local: fileStat, cloud: fileStat })),
  unchanged: count,
  totals,
  notices: z.array(z.string()),
  deletionWarning: z.string().optional(),
  /** Files another machine handed off that have not fully arrived in the cloud folder yet (`from` unknown when no record names it). */
  waiting: z.object({ from: z.string().optional(), paths: z.array(z.string()) }).optional(),
  /** Why this plan is shown for review instead of applied at once; empty when it needs none. */
  review: z.array(reviewReason),
  /** What an apply backs up first, in words true for this config (backup.backup_before_overwrite). */
  backupNote: z.string(),
  /** The plan's changes to threads, title first; `paths` are their rollout files among the actions. */
  threads: z.array(
    z.object({ id: z.string(), title: z.string(), project: z.string().optional(), kind: z.string(), text: z.string(), from: side, machine: z.string().optional(), paths: z.array(relPath) }),
  ),
});

export const applyOutcome = z.object({
  status: z.enum(['applied', 'partial', 'in-sync', 'conflicts', 'cancelled', 'changed']),
  message: z.string(),
  exitCode: z.number().int(),
  resolved: count,
  applied: count,
  bytes: count,
  failures: z.array(z.object({ path: z.string(), message: z.string() })),
  /** Backup snapshots this apply wrote. */
  snapshots: z.array(z.string()),
});

export const trayState = z.enum(['idle', 'waiting', 'syncing', 'conflict', 'error']);

export const statusView = z.object({
  state: trayState,
  label: z.string(),
  configFile: z.string(),
  configReady: z.boolean(),
  machineId: z.string().optional(),
  busy: z.boolean(),
});

export const snapshotSummary = z.object({
  name: z.string(),
  createdAt: z.string(),
  format: z.enum(['folder', 'zip']),
  files: count,
  bytes: count,
  sides: z.object({ local: count, cloud: count }),
  /** Why the snapshot cannot be read, when it cannot. */
  damaged: z.string().optional(),
});

export const restoreView = z.object({
  mode: z.enum(['preview', 'applied']),
  snapshot: z.string(),
  createdAt: z.string(),
  target: side,
  root: z.string(),
  items: z.array(
    z.object({
      path: relPath,
      action: z.enum(['restore', 'unchanged']),
      stored: fileStat,
      current: fileStat.optional(),
      /** Restoring as of a time: the snapshot this file's version comes from. */
      from: z.string().optional(),
    }),
  ),
  refused: z.array(z.object({ path: z.string(), why: z.string() })),
  restored: count,
  failures: z.array(z.object({ path: z.string(), message: z.string() })),
  /** The snapshot holding what the restore replaced. */
  backup: z.string().optional(),
  message: z.string(),
});

export const logLevel = z.enum(['ERROR', 'WARNING', 'INFO', 'DEBUG']);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-25');

export const logLine = z.object({
  file: z.string(),
  n: z.number().int().min(1),
  time: z.string().optional(),
  /** Undefined for a line that is in none of the three formats (kept as it is). */
  level: logLevel.optional(),
  message: z.string(),
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

export const settingValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.record(z.string(), z.union([z.string(), z.boolean()]))]);

export const settingField = z.object({
  /** Dotted key as config.toml spells it, e.g. "sync.delete_policy". */
  key: z.string(),
  section: z.string(),
  name: z.string(),
  kind: z.enum(['enum', 'boolean', 'number', 'integer', 'string', 'list', 'map-string', 'map-boolean', 'fixed']),
  options: z.array(z.string()).optional(),
  /** May be left out of config.toml (a default applies). */
  optional: z.boolean(),
  /** The value written in config.toml; undefined when the key is not there. */
  value: settingValue.optional(),
  /** What applies when the key is not there. */
  defaultValue: settingValue.optional(),
  help: z.string(),
});

const settingProblem = z.object({ key: z.string().optional(), message: z.string() });

export const doctorView = z.object({
  checks: z.array(z.object({ status: z.enum(['PASS', 'WARN', 'FAIL']), name: z.string(), detail: z.string() })),
  summary: z.object({ PASS: count, WARN: count, FAIL: count }),
});

/** Where a thread stands between this machine and the cloud folder (src/core/engine/threadList.ts). */
export const threadStanding = z.enum(['local-only', 'cloud-only', 'in-sync', 'newer-cloud', 'newer-local', 'forked', 'arriving']);
const threadId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a thread id');

export const threadRow = z.object({
  id: threadId,
  /** Its name, else its first prompt; '' when it has neither. */
  title: z.string(),
  project: z.string().optional(),
  /** The newest modification time of its rollout files (ISO 8601). */
  lastActivity: z.string(),
  standing: threadStanding,
  /** Where it stands, in words: "3 new turns from laptop". */
  standingText: z.string(),
  archived: z.boolean(),
  /** The other machine, when known. */
  machine: z.string().optional(),
});

export const threadDetailView = z.object({
  id: threadId,
  resumeCommand: z.string(),
  /** How the two versions relate, in words; absent when only one side has it. */
  relation: z.string().optional(),
  turns: z.array(z.object({ index: count, prompt: z.string(), startedAt: z.string().optional(), on: z.enum(['both', 'local', 'cloud']) })),
  sides: z.array(
    z.object({
      side,
      /** "This machine", "Cloud folder (from laptop)". */
      label: z.string(),
      root: z.string(),
      files: z.array(z.object({ path: relPath, fullPath: z.string(), size: count, modified: z.string() })),
      turnCount: count.optional(),
      lastActivity: z.string().optional(),
      /** Why its rollout cannot be read, in words. */
      problem: z.string().optional(),
    }),
  ),
});

/** What a first run shows before anything is written: this machine's Codex home, the cloud folders found, what travels. */
export const setupView = z.object({
  configFile: z.string(),
  configExists: z.boolean(),
  codexHome: z.object({ path: z.string(), fromEnv: z.boolean(), exists: z.boolean(), holdsSessions: z.boolean() }),
  cloudFolders: z.array(z.object({ client: z.enum(['dropbox', 'onedrive', 'google-drive', 'icloud', 'syncthing']), label: z.string(), path: z.string() })),
  /** The folder codexSync makes its own inside the chosen cloud folder. */
  workspaceFolder: z.string(),
  machineId: z.string(),
  travels: z.array(z.object({ name: z.string(), why: z.string() })),
  stays: z.array(z.object({ name: z.string(), why: z.string() })),
});

/** The Activity window: hand-offs on every machine and this machine's snapshots, newest first (src/core/engine/activity.ts). */
export const activityView = z.object({
  machineId: z.string(),
  entries: z.array(
    z.object({
      kind: z.enum(['handoff', 'backup']),
      machine: z.string(),
      at: z.string(),
      mine: z.boolean(),
      /** "laptop handed off 12 files", "Backup before a hand-off: 3 files (1.2 KB)". */
      headline: z.string(),
      /** What changed, in words: "2 files changed since the hand-off before", or why it is not known. */
      detail: z.string(),
      threads: z.array(z.object({ id: z.string(), title: z.string(), turns: z.number().int().min(0).optional() })),
      /** The snapshot to open in the restore window. */
      snapshot: z.string().optional(),
      damaged: z.string().optional(),
    }),
  ),
  /** Records that cannot be read, in words. */
  unreadable: z.array(z.string()),
});

/** Restore by thread: the threads this machine's snapshots hold, each with its versions, newest first. */
export const snapshotThreadsView = z.object({
  threads: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      versions: z.array(
        z.object({
          snapshot: z.string(),
          createdAt: z.string(),
          machine: z.string(),
          side,
          path: relPath,
          size: count,
          turnCount: count.optional(),
          lastActivity: z.string().optional(),
        }),
      ),
    }),
  ),
});

const empty = z.object({}).strict();

/** The app's own choices on this machine (app.json and the login item), apart from config.toml. */
export const appChoicesView = z.object({
  /** Absent where this system has no login item the app can set. */
  launchAtLogin: z.boolean().optional(),
  handOffWhenCodexCloses: z.boolean(),
});

export const contract = {
  status: { request: empty, response: statusView },
  /** A fresh plan (writes nothing), or the one kept under planId when it is still the latest. */
  plan: { request: z.object({ planId: z.string().optional() }).strict(), response: planView },
  /** Applies the reviewed plan with the user's choice per conflict. */
  apply: {
    request: z.object({ planId: z.string().min(1), choices: z.array(z.object({ path: relPath, choice: conflictChoice })).max(100_000) }).strict(),
    response: applyOutcome,
  },
  /** Stops a running apply before its next file (files in flight finish whole), or drops the reviewed plan. */
  cancel: { request: z.object({ planId: z.string().optional() }).strict(), response: z.object({ cancelled: z.enum(['running', 'plan', 'nothing']) }) },
  listSnapshots: { request: empty, response: z.object({ backupDir: z.string(), snapshots: z.array(snapshotSummary) }) },
  /** A preview (apply = false) or the restore itself of one snapshot into one side. */
  restore: { request: z.object({ name: z.string().min(1).max(255), target: side, apply: z.boolean(), paths: z.array(relPath).min(1).max(1000).optional() }).strict(), response: restoreView },
  readLogs: {
    request: z.object({ date: isoDate.optional() }).strict(),
    response: z.object({ date: z.string(), dir: z.string(), files: z.array(z.string()), lines: z.array(logLine) }),
  },
  readSettings: {
    request: empty,
    response: z.object({ file: z.string(), exists: z.boolean(), fields: z.array(settingField), problems: z.array(z.string()), warnings: z.array(z.string()) }),
  },
  /** Validates (dryRun) or saves changed values; null removes an optional key. */
  writeSettings: {
    request: z.object({ values: z.record(z.string(), settingValue.nullable()), dryRun: z.boolean() }).strict(),
    response: z.object({
      saved: z.boolean(),
      file: z.string(),
      method: z.enum(['in-place', 'rewritten', 'created', 'none']),
      backup: z.string().optional(),
      problems: z.array(settingProblem),
      warnings: z.array(z.string()),
    }),
  },
  doctor: { request: empty, response: doctorView },
  /** Every thread on this machine and in the cloud folder, newest first (writes nothing). */
  threads: { request: empty, response: z.object({ machineId: z.string(), localRoot: z.string(), cloudRoot: z.string(), threads: z.array(threadRow) }) },
  /** One thread's turns and files on both sides. */
  threadDetail: { request: z.object({ id: threadId }).strict(), response: threadDetailView },
  /** First run: what the setup window shows (writes nothing). */
  setupFacts: { request: empty, response: setupView },
  /** The system's folder picker; no path when it was cancelled. */
  chooseFolder: { request: empty, response: z.object({ path: z.string().optional() }) },
  /** First run: checks the choices and writes config.toml from the template, or refuses and writes nothing. */
  writeSetup: {
    request: z.object({ cloudFolder: z.string().max(4096), machineId: z.string().max(200) }).strict(),
    response: z.object({ file: z.string(), workspace: z.string() }),
  },
  /** The Activity window's timeline (writes nothing). */
  activity: { request: empty, response: activityView },
  /** Restore by thread: each thread of this machine's snapshots and its versions (writes nothing). */
  snapshotThreads: { request: empty, response: snapshotThreadsView },
  /** A preview or the restore of everything as it was at a time: each file from the newest snapshot at or before it. */
  restoreAsOf: {
    request: z.object({ at: z.string().refine((at) => !Number.isNaN(Date.parse(at)), 'must be a date and time'), target: side, apply: z.boolean() }).strict(),
    response: restoreView,
  },
  /** The app's own choices (launch at login, hand off when Codex closes). */
  appChoices: { request: empty, response: appChoicesView },
  /** Changes one or both of the app's own choices; answers with them as they now stand. */
  setAppChoices: { request: z.object({ launchAtLogin: z.boolean().optional(), handOffWhenCodexCloses: z.boolean().optional() }).strict(), response: appChoicesView },
} as const;

export const events = {
  progress: z.object({
    task: z.enum(['apply', 'restore']),
    done: count,
    total: count,
    bytesDone: count,
    bytesTotal: count,
    path: z.string(),
  }),
  status: statusView,
  /** This machine's log files changed (follow mode reads again). */
  logs: z.object({ date: z.string() }),
} as const;

type Contract = typeof contract;
export type RequestOf<C extends RequestChannel> = z.input<Contract[C]['request']>;
export type ResponseOf<C extends RequestChannel> = z.output<Contract[C]['response']>;
/** A request as the main process has it after validation (defaults filled in). */
export type ValidRequestOf<C extends RequestChannel> = z.output<Contract[C]['request']>;
export type EventOf<E extends EventChannel> = z.output<(typeof events)[E]>;

export type PlanView = z.output<typeof planView>;
export type ActionView = z.output<typeof actionView>;
export type ConflictView = z.output<typeof conflictView>;
export type ConflictChoice = z.output<typeof conflictChoice>;
export type ConflictPreview = z.output<typeof conflictPreview>;
export type ReviewReason = z.output<typeof reviewReason>;
export type ApplyOutcome = z.output<typeof applyOutcome>;
export type StatusView = z.output<typeof statusView>;
export type TrayState = z.output<typeof trayState>;
export type SnapshotSummary = z.output<typeof snapshotSummary>;
export type RestoreView = z.output<typeof restoreView>;
export type LogLine = z.output<typeof logLine>;
export type SettingValue = z.output<typeof settingValue>;
export type SettingField = z.output<typeof settingField>;
export type DoctorView = z.output<typeof doctorView>;
export type ProgressEvent = EventOf<'progress'>;
export type ThreadStanding = z.output<typeof threadStanding>;
export type ThreadRow = z.output<typeof threadRow>;
export type ThreadDetailView = z.output<typeof threadDetailView>;
export type SetupView = z.output<typeof setupView>;
export type ActivityView = z.output<typeof activityView>;
export type SnapshotThreadsView = z.output<typeof snapshotThreadsView>;
export type AppChoices = z.output<typeof appChoicesView>;

/** What `window.codexSync` is: one method per request, and a subscription per event. */
export type CodexSyncApi = { [C in RequestChannel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> } & {
  on<E extends EventChannel>(event: E, listener: (payload: EventOf<E>) => void): () => void;
};
