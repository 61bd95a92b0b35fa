#!/usr/bin/env bash
# Registers the LaunchAgent that runs run-codexsync.sh every INTERVAL_MINUTES.
# PRINT_ONLY=1 prints the property list instead of installing it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=launchd.config.sh
. "$here/launchd.config.sh"

xml_escape() {
  local s=$1
  # "\&" because bash 5.2 reads a bare "&" in a replacement as the matched text.
  s=${s//&/\&amp;}
  s=${s//</\&lt;}
  s=${s//>/\&gt;}
  printf '%s' "$s"
}

if ! [[ "$INTERVAL_MINUTES" =~ ^[0-9]+$ ]] || [ "$INTERVAL_MINUTES" -lt 1 ]; then
  echo "install-launchd.sh: INTERVAL_MINUTES must be a whole number of minutes, not '$INTERVAL_MINUTES'" >&2
  exit 4
fi

plist="$(cat <<PLIST
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>$(xml_escape "$LABEL")</string>
  <key>ProgramArguments</key>
  <array>
    <string>/bin/bash</string>
    <string>$(xml_escape "$here/run-codexsync.sh")</string>
  </array>
  <key>EnvironmentVariables</key>
  <dict>
    <key>CODEXSYNC_BIN</key><string>$(xml_escape "$CODEXSYNC_BIN")</string>
    <key>CODEXSYNC_CONFIG</key><string>$(xml_escape "$CODEXSYNC_CONFIG")</string>
    <key>MODE</key><string>$(xml_escape "$MODE")</string>
    <key>LOG_FILE</key><string>$(xml_escape "$LOG_FILE")</string>
  </dict>
  <key>StartInterval</key><integer>$((INTERVAL_MINUTES * 60))</integer>
  <key>RunAtLoad</key><true/>
  <key>ProcessType</key><string>Background</string>
</dict>
</plist>
PLIST
)"

if [ "${PRINT_ONLY:-0}" = 1 ]; then
  printf '%s\n' "$plist"
  exit 0
fi

target="$HOME/Library/LaunchAgents/$LABEL.plist"
mkdir -p "$(dirname "$target")"
printf '%s\n' "$plist" >"$target"
launchctl bootout "gui/$(id -u)/$LABEL" 2>/dev/null || true
launchctl bootstrap "gui/$(id -u)" "$target"
echo "Installed $LABEL: runs '$MODE' every $INTERVAL_MINUTES minutes; output in $LOG_FILE"
