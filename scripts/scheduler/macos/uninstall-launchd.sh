#!/usr/bin/env bash
# Removes the LaunchAgent that install-launchd.sh registered.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=launchd.config.sh
. "$here/launchd.config.sh"

target="$HOME/Library/LaunchAgents/$LABEL.plist"
launchctl bootout "gui/$(id -u)/$LABEL" 2>/dev/null || true
rm -f "$target"
echo "Removed $LABEL"
