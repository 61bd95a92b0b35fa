#!/usr/bin/env bash
# Settings of the codexSync systemd user timer. Edit, then run ./install-systemd.sh.
# Sourced by the other scripts; values already set in the environment win.

# The codexsync command: the app's bundled CLI, or `codexsync` on your PATH.
CODEXSYNC_BIN="${CODEXSYNC_BIN:-$(command -v codexsync || echo /opt/codexSync/resources/cli/codexsync)}"
# The config file to use.
CODEXSYNC_CONFIG="${CODEXSYNC_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/codexsync/config.toml}"
# "apply" hands off for real; "dry-run" only logs what a hand-off would do.
MODE="${MODE:-apply}"
# Minutes between runs.
INTERVAL_MINUTES="${INTERVAL_MINUTES:-10}"
# The name of the two units (<name>.service, <name>.timer); user units are per user already.
UNIT_NAME="${UNIT_NAME:-codexsync-sync}"
