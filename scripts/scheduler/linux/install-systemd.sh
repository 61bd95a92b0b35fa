#!/usr/bin/env bash
# Writes the systemd user units that run `codexsync sync` every INTERVAL_MINUTES into
# $XDG_CONFIG_HOME/systemd/user (~/.config when unset), then enables the timer with
# `systemctl --user` where systemctl exists. Without it (a container, a system without systemd)
# the units are written and the command that enables them is printed.
# PRINT_ONLY=1 prints the two units instead of installing them.
set -euo pipefail
# A bare "&" in a ${var//pattern/replacement} replacement is the matched text since bash 5.2.
shopt -u patsub_replacement 2>/dev/null || true
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=systemd.config.sh
. "$here/systemd.config.sh"

case "$MODE" in
  apply) flag=--apply ;;
  dry-run) flag=--dry-run ;;
  *) echo "install-systemd.sh: MODE must be dry-run or apply, not '$MODE'" >&2; exit 4 ;;
esac
if ! [[ "$INTERVAL_MINUTES" =~ ^[0-9]+$ ]] || [ "$INTERVAL_MINUTES" -lt 1 ]; then
  echo "install-systemd.sh: INTERVAL_MINUTES must be a whole number of minutes, not '$INTERVAL_MINUTES'" >&2
  exit 4
fi
if ! [[ "$UNIT_NAME" =~ ^[A-Za-z0-9_.-]+$ ]]; then
  echo "install-systemd.sh: UNIT_NAME may hold only letters, digits and _ . -, not '$UNIT_NAME'" >&2
  exit 4
fi
case "$CODEXSYNC_BIN" in
  *[\"\'\\]* | *$'\n'*) echo "install-systemd.sh: systemd cannot start a program whose path holds a quote or a backslash ('$CODEXSYNC_BIN'): point CODEXSYNC_BIN at a link to it" >&2; exit 4 ;;
  /*) ;;
  *) echo "install-systemd.sh: CODEXSYNC_BIN must be an absolute path (systemd runs it without your PATH), not '$CODEXSYNC_BIN'" >&2; exit 4 ;;
esac

# The program of ExecStart=, in double quotes: "%" doubled (a specifier otherwise); systemd
# expands no variable in it and refuses quotes and backslashes there (checked above).
systemd_program() {
  printf '"%s"' "${1//%/%%}"
}

# One argument of ExecStart=, in double quotes: backslash and quote escaped as C escapes, "%"
# doubled (a specifier otherwise) and "$" doubled (a variable otherwise).
systemd_quote() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//%/%%}
  s=${s//\$/\$\$}
  s=${s//$'\n'/\\n}
  printf '"%s"' "$s"
}

exec_start="$(systemd_program "$CODEXSYNC_BIN") -c $(systemd_quote "$CODEXSYNC_CONFIG") --manual-terminate-confirmation sync $flag"

render() {
  local text
  text="$(<"$1")"
  text=${text//@EXEC_START@/"$exec_start"}
  text=${text//@UNIT_NAME@/"$UNIT_NAME"}
  text=${text//@INTERVAL_MINUTES@/"$INTERVAL_MINUTES"}
  printf '%s\n' "$text"
}

service="$(render "$here/codexsync-sync.service.in")"
timer="$(render "$here/codexsync-sync.timer.in")"

if [ "${PRINT_ONLY:-0}" = 1 ]; then
  printf '%s\n\n%s\n' "$service" "$timer"
  exit 0
fi

config_home="${XDG_CONFIG_HOME:-}"
[[ "$config_home" == /* ]] || config_home="$HOME/.config"
unit_dir="$config_home/systemd/user"
mkdir -p "$unit_dir"
# Each unit is written beside its place and renamed over it: systemd never reads half a file.
for unit in service timer; do
  target="$unit_dir/$UNIT_NAME.$unit"
  printf '%s\n' "${!unit}" >"$target.tmp"
  mv -f "$target.tmp" "$target"
done

if ! command -v systemctl >/dev/null 2>&1; then
  echo "Wrote $unit_dir/$UNIT_NAME.service and $UNIT_NAME.timer (runs '$MODE' every $INTERVAL_MINUTES minutes)."
  echo "systemctl was not found, so the timer is not enabled; where systemd runs, enable it with:"
  echo "  systemctl --user daemon-reload && systemctl --user enable --now $UNIT_NAME.timer"
  exit 0
fi
if ! systemctl --user daemon-reload || ! systemctl --user enable --now "$UNIT_NAME.timer"; then
  echo "install-systemd.sh: the units are written to $unit_dir, but systemctl --user could not enable $UNIT_NAME.timer (is a user session running?)" >&2
  exit 1
fi
echo "Installed $UNIT_NAME.timer: runs '$MODE' every $INTERVAL_MINUTES minutes; its output is in: journalctl --user -u $UNIT_NAME.service"
