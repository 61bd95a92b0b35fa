#!/usr/bin/env bash
# One scheduled run: `codexsync sync --dry-run|--apply`, its output appended to LOG_FILE and
# its exit code passed through (0 ok, 2 conflict, 3 Codex running, 4 config, 5 safe abort).
# Two runs never overlap: the second one finds the first one's lock and exits 5.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=launchd.config.sh
. "$here/launchd.config.sh"

case "$MODE" in
  apply) flag=--apply ;;
  dry-run) flag=--dry-run ;;
  *) echo "run-codexsync.sh: MODE must be dry-run or apply, not '$MODE'" >&2; exit 4 ;;
esac

mkdir -p "$(dirname "$LOG_FILE")"
{
  echo "=== $(date -u +%Y-%m-%dT%H:%M:%SZ) codexsync sync $flag"
  "$CODEXSYNC_BIN" -c "$CODEXSYNC_CONFIG" --manual-terminate-confirmation sync "$flag"
  code=$?
  echo "=== exit code $code"
  exit "$code"
} >>"$LOG_FILE" 2>&1
