#!/usr/bin/env bash
# Stops and removes the systemd user units that install-systemd.sh wrote. Without systemctl
# it removes the files only (nothing can have been enabled through systemd then).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=systemd.config.sh
. "$here/systemd.config.sh"

config_home="${XDG_CONFIG_HOME:-}"
[[ "$config_home" == /* ]] || config_home="$HOME/.config"
unit_dir="$config_home/systemd/user"

if command -v systemctl >/dev/null 2>&1; then
  systemctl --user disable --now "$UNIT_NAME.timer" 2>/dev/null ||
    echo "uninstall-systemd.sh: systemctl --user could not disable $UNIT_NAME.timer; removing its files anyway" >&2
fi
rm -f "$unit_dir/$UNIT_NAME.service" "$unit_dir/$UNIT_NAME.timer" "$unit_dir/timers.target.wants/$UNIT_NAME.timer"
if command -v systemctl >/dev/null 2>&1; then
  systemctl --user daemon-reload 2>/dev/null || true
fi
echo "Removed $UNIT_NAME.service and $UNIT_NAME.timer from $unit_dir"
