import { defaultMachineId } from './schema.ts';

/**
 * The commented config.toml that `codexsync init-config` writes. Every key of codexsync
 * 0.1.2 is here with its meaning, so a user of the old tool finds what they know, plus
 * the keys codexSync adds. The machine id is this machine's host name, so that two
 * machines never share one by accident.
 */
export function renderTemplate(machineId: string = defaultMachineId()): string {
  return `# codexSync configuration
# Hands Codex's local state (threads, history, skills) from one machine to another
# through a folder that a cloud client (Dropbox, OneDrive, Google Drive, iCloud,
# Syncthing) already syncs. Runs only while Codex is closed.
# Check this file with: codexsync -c config.toml validate

[identity]
# Unique name of this machine. It names backups and log files; give every machine its own.
machine_id = "${machineId}"

[sync]
# Sync mode: only "cold" (Codex must be closed).
mode = "cold"
# Direction: only "bidirectional".
direction = "bidirectional"
# How files are compared: "mtime" (size + modification time) or "mtime_hash_fallback"
# (SHA-256 of the content when size is equal and times are within the tolerance).
compare = "mtime"
# Seconds within which two modification times count as equal.
time_tolerance_seconds = 0
# When times are equal but the content differs:
# "skip" (report it, copy nothing), "prefer_local", "prefer_cloud", or "manual_abort" (a conflict).
equal_mtime_action = "skip"
# Deletions: "propagate" (a file deleted on one machine is deleted on the other, always
# after a backup, and only when this machine's last sync proves both had the same version)
# or "never" (deleted files come back from the other side; 0.1.2's only choice).
delete_policy = "propagate"
# A bare "codexsync sync" is a dry run; pass --apply to write.
dry_run_default = true
# Sessions synced: "all", or "last_date_only" (the newest date folder under sessions/,
# plus every thread written to since then, even if it started earlier).
session_mode = "all"

[paths]
# The codexSync folder inside your cloud folder; \${workspace_root} stands for it below.
# Examples: "~/Dropbox/codexSync", "~/OneDrive/codexSync", "D:/GDrive/codexSync".
workspace_root_dir = "~/Dropbox/codexSync"
# Codex's home on this machine. Leave it out to use $CODEX_HOME, else ~/.codex.
# local_state_dir = "~/.codex"
# The mirror of the Codex home inside the cloud folder.
cloud_root_dir = "\${workspace_root}/sync"
# Snapshots of every file before it is replaced or deleted.
backup_dir = "\${workspace_root}/backups"
# Scratch space for restores.
temp_dir = "\${workspace_root}/.tmp"

# How absolute paths of another machine read on this one, used to show handed-off
# threads in Codex with this machine's project folders. Rollout files are never rewritten.
[paths.map]
# "C:/Users/alice/src" = "/Users/alice/src"

[targets]
# Entries of the Codex home to sync. Empty means Codex's default scope: sessions,
# archived_sessions, history.jsonl, session_index.jsonl and skills. auth.json (your
# credentials) is never synced, whatever this says.
include_roots = []

[filters]
# Globs left out of the sync. "**" matches any number of folders; a glob without "/"
# matches a name at any depth; a folder that matches is left out with its contents.
exclude_globs = [
  "**/*.lock",
  "**/*.tmp",
  "**/*.temp",
  "**/tmp/**",
  "**/cache/**",
  "**/.cache/**",
  "**/__pycache__/**",
  "**/*.log",
]

[conflict]
# A file changed on both machines since the last sync:
# "manual_abort" (stop before writing anything), "prefer_cloud", "prefer_local",
# or "prefer_newer_mtime". The version not kept is backed up first.
policy = "manual_abort"
# List the conflicting files in the report.
report_conflicts = true

[backup]
# Back up every file before it is overwritten. Deleted files and the version
# that loses a conflict are backed up whatever this says.
backup_before_overwrite = true
# Days to keep this machine's snapshots (0 = no age limit).
retention_days = 30
# Most snapshots of this machine to keep (0 = unlimited).
max_backups = 0
# Snapshot format: "none" (a folder) or "zip" (one .zip file).
compression = "none"

[safety]
# Never write while Codex is running.
require_codex_stopped = true
# Stop (exit 5) when the list of running processes cannot be read.
fail_on_unknown = true
# A run that would delete or empty more than this percentage of the synced files stops
# (exit 5) unless --force is given.
max_delete_percent = 50

[process_detection]
# Names of Codex processes.
process_names = ["codex.exe", "codex"]
# Seconds to wait after Codex closes before syncing.
grace_period_seconds = 2
# Offer to end a running Codex before syncing.
allow_terminate_if_running = true
# Ask before ending Codex (--auto-terminate-without-confirmation overrides it for one run).
manual_terminate_confirmation = true
# Where to ask: "gui" (a dialog) or "console" (a prompt in the terminal).
terminate_confirmation_mode = "gui"
# Seconds to wait for Codex to end once asked.
terminate_timeout_seconds = 20

[process_detection.background_process_names]
# Processes that mean "Codex is still running" on each system.
windows = ["codex-windows-sandbox"]
macos = []
linux = []

[state]
# Kept for codexsync 0.1.2 files. codexSync keeps each machine's sync base on that machine
# (see state.local_dir), never in one file shared by all machines.
manifest_file = "\${workspace_root}/state/manifest.json"
# Metadata version.
data_version = 1
# This machine's own folder for its sync base. Leave it out for the default
# (~/.local/state/codexsync, ~/Library/Application Support/codexsync/state, %LOCALAPPDATA%\\codexsync\\state).
# local_dir = "~/.local/state/codexsync"

[scheduler]
# Unattended runs are set up with scripts/scheduler (Windows Task Scheduler, macOS launchd).
enabled = false
kind = "none"
interval_minutes = 10
jitter_seconds = 30

[logging]
# DEBUG, INFO, WARNING or ERROR.
level = "INFO"
# Daily files are named <stem>-<machine>-YYYY-MM-DD[.N].log beside this path.
file = "\${workspace_root}/logs/codexsync.log"
# "text", "json" or "logfmt".
format = "text"
# Days to keep this machine's log files.
retention_days = 7
# Rotated and old logs: "zip" (archived) or "text" (kept as they are).
archive_mode = "zip"
# Size at which a day's log file rotates to the next .N file.
max_file_size_mb = 10

[codex]
# The Codex program that registers handed-off threads; leave it out to use codex on PATH, else the desktop app's own.
# binary = "/usr/local/bin/codex"
`;
}
