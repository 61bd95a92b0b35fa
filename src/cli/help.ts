import type { CommandName } from './args.ts';

const general = `usage: codexsync [-c CONFIG] [-v] [--manual-terminate-confirmation | --auto-terminate-without-confirmation] <command> [options]

Hands Codex's local state (threads, history, skills) from one machine to another through
a cloud-synced folder, while Codex is closed.

commands:
  init-config   write a commented config.toml  [--output PATH] [--force]
  validate      check a config file; writes nothing
  doctor        preflight checks of config, folders, Codex processes  [--json]
  preflight     same as doctor  [--json]
  plan          show what a sync would do; writes nothing  [--json]
  sync          hand off: [--dry-run | --apply] [--force] [--merge-conflict-copies] [--json]
  restore       put back a backup snapshot: [--from NAME] [--target local|cloud] [--dry-run | --apply] [--json]

options:
  -c, --config PATH   config file (default: $CODEXSYNC_CONFIG, ./config.toml, then the user config)
  -v, --verbose       more detail, including the Codex process snapshot
  -h, --help          this help (or 'codexsync <command> -h')
  --version           print the version
  --manual-terminate-confirmation          ask before ending a running Codex (this run only)
  --auto-terminate-without-confirmation    end a running Codex without asking (this run only)

exit codes:
  0 success, 1 runtime error, 2 conflict, 3 Codex is running, 4 invalid config or arguments, 5 safe abort`;

const perCommand: Record<CommandName, string> = {
  'init-config': `usage: codexsync init-config [--output PATH] [--force]

Writes a commented config.toml (default: ./config.toml). Refuses to replace an existing
file unless --force is given (exit 4).`,
  validate: `usage: codexsync -c CONFIG validate

Checks the config file and prints "Config is valid." or every problem found (exit 4).
Writes nothing.`,
  doctor: `usage: codexsync -c CONFIG doctor [--json]

Preflight checks: config, folders and write access, base state, Codex processes, the cloud
folder's handoff state, leftover temp files. Prints [PASS]/[WARN]/[FAIL] lines; exit 0, or 5
when a check failed.`,
  preflight: `usage: codexsync -c CONFIG preflight [--json]

The same checks as doctor.`,
  plan: `usage: codexsync -c CONFIG [-v] plan [--json]

Shows every copy, merge, deletion and conflict a sync would make, with reasons, sizes and
times. Writes nothing; never ends a Codex process.`,
  sync: `usage: codexsync -c CONFIG [-v] sync [--dry-run | --apply] [--force] [--merge-conflict-copies] [--json]

Without --apply (and with sync.dry_run_default = true) this is a dry run that writes nothing.
--apply backs up, copies and verifies. Conflicts under conflict.policy = "manual_abort" stop
the run before any write (exit 2).
  --force                   go on past the large-deletion guard
  --merge-conflict-copies   merge the cloud client's conflict copies of JSONL files`,
  restore: `usage: codexsync -c CONFIG [-v] restore [--from NAME] [--target local|cloud] [--dry-run | --apply]

Puts back the files of a backup snapshot (default: this machine's newest) into the Codex
home (--target local, the default) or the cloud mirror. A dry run unless --apply is given.`,
};

export function helpText(command: CommandName | undefined): string {
  return command === undefined ? general : perCommand[command];
}
