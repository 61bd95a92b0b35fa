#!/usr/bin/env bash
# Settings of the codexSync LaunchAgent. Edit, then run ./install-launchd.sh.
# Sourced by the other scripts; values already set in the environment win.

# The codexsync command: the app's bundled CLI, or `codexsync` on your PATH.
CODEXSYNC_BIN="${CODEXSYNC_BIN:-/Applications/codexSync.app/Contents/Resources/cli/codexsync}"
# The config file to use.
CODEXSYNC_CONFIG="${CODEXSYNC_CONFIG:-$HOME/Library/Application Support/codexsync/config.toml}"
# "dry-run" while you check what it would do; "apply" to hand off for real.
MODE="${MODE:-dry-run}"
# Minutes between runs.
INTERVAL_MINUTES="${INTERVAL_MINUTES:-10}"
# Per-user label, so that several users of one Mac never share a job.
LABEL="${LABEL:-app.codexsync.sync.$(id -un)}"
# Where each run's output goes.
LOG_FILE="${LOG_FILE:-$HOME/Library/Logs/codexsync-scheduler.log}"
