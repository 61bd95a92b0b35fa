import { plainError, type CodexSyncError, ExitCode } from '../core/errors.ts';

export const commandNames = ['init-config', 'validate', 'doctor', 'preflight', 'plan', 'sync', 'restore'] as const;
export type CommandName = (typeof commandNames)[number];

export type TerminateOverride = 'manual' | 'auto' | undefined;

interface GlobalOptions {
  config: string | undefined;
  verbose: boolean;
  terminate: TerminateOverride;
}

/** A parsed command line; each command carries only the options it accepts. */
export type Invocation =
  | { kind: 'help'; command: CommandName | undefined }
  | { kind: 'version' }
  | (GlobalOptions & { kind: 'init-config'; output: string | undefined; force: boolean })
  | (GlobalOptions & { kind: 'validate' })
  | (GlobalOptions & { kind: 'doctor' | 'preflight'; json: boolean })
  | (GlobalOptions & { kind: 'plan'; json: boolean })
  | (GlobalOptions & { kind: 'sync'; mode: 'dry-run' | 'apply' | 'default'; json: boolean; force: boolean; mergeConflictCopies: boolean })
  | (GlobalOptions & { kind: 'restore'; from: string | undefined; target: 'local' | 'cloud'; mode: 'dry-run' | 'apply'; json: boolean });

interface OptionSpec {
  takesValue: boolean;
  /** Commands that accept it; undefined = every command (a global option). */
  commands?: readonly CommandName[];
}

const options: Record<string, OptionSpec> = {
  '--config': { takesValue: true },
  '--verbose': { takesValue: false },
  '--help': { takesValue: false },
  '--version': { takesValue: false },
  '--manual-terminate-confirmation': { takesValue: false },
  '--auto-terminate-without-confirmation': { takesValue: false },
  '--json': { takesValue: false, commands: ['doctor', 'preflight', 'plan', 'sync', 'restore'] },
  '--output': { takesValue: true, commands: ['init-config'] },
  '--force': { takesValue: false, commands: ['init-config', 'sync'] },
  '--dry-run': { takesValue: false, commands: ['sync', 'restore'] },
  '--apply': { takesValue: false, commands: ['sync', 'restore'] },
  '--merge-conflict-copies': { takesValue: false, commands: ['sync'] },
  '--from': { takesValue: true, commands: ['restore'] },
  '--target': { takesValue: true, commands: ['restore'] },
};

const shortOptions: Record<string, string> = { '-c': '--config', '-v': '--verbose', '-h': '--help', '-o': '--output' };

function usageError(message: string): CodexSyncError {
  return plainError(ExitCode.invalidInput, `${message}. Run 'codexsync -h' for usage.`);
}

/**
 * Parses argv as codexsync 0.1.2 did (`codexsync [-c FILE] [-v] <command> [options]`), but
 * also accepts global options after the command. Every mistake is a CodexSyncError with
 * exit code 4 (0.1.2 used 2, its conflict code, for argument errors: a defect).
 */
export function parseArgs(argv: readonly string[]): Invocation {
  const seen = new Map<string, string | true>();
  let command: CommandName | undefined;

  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] ?? '';
    if (token.startsWith('-') && token !== '-') {
      const eq = token.startsWith('--') ? token.indexOf('=') : -1;
      const rawName = eq === -1 ? token : token.slice(0, eq);
      const name = shortOptions[rawName] ?? rawName;
      const spec = options[name];
      if (spec === undefined) throw usageError(`unknown option '${rawName}'`);
      let value: string | true = true;
      if (spec.takesValue) {
        const next = eq === -1 ? argv[i + 1] : token.slice(eq + 1);
        if (next === undefined || (eq === -1 && next.startsWith('-') && next.length > 1)) {
          throw usageError(`option '${rawName}' needs a value`);
        }
        if (eq === -1) i += 1;
        value = next;
      } else if (eq !== -1) {
        throw usageError(`option '${rawName}' takes no value`);
      }
      if (seen.has(name) && seen.get(name) !== value) throw usageError(`option '${rawName}' is given twice`);
      seen.set(name, value);
    } else if (command === undefined) {
      if (!(commandNames as readonly string[]).includes(token)) {
        throw usageError(`unknown command '${token}' (commands: ${commandNames.join(', ')})`);
      }
      command = token as CommandName;
    } else {
      throw usageError(`unexpected argument '${token}' for '${command}'`);
    }
  }

  if (seen.has('--help')) return { kind: 'help', command };
  if (seen.has('--version')) return { kind: 'version' };
  if (command === undefined) throw usageError('no command given');

  for (const name of seen.keys()) {
    const allowed = options[name]?.commands;
    if (allowed !== undefined && !allowed.includes(command)) {
      throw usageError(`option '${name}' does not apply to '${command}'`);
    }
  }
  const str = (name: string): string | undefined => {
    const value = seen.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const flag = (name: string): boolean => seen.has(name);
  if (flag('--manual-terminate-confirmation') && flag('--auto-terminate-without-confirmation')) {
    throw usageError("'--manual-terminate-confirmation' and '--auto-terminate-without-confirmation' exclude each other");
  }
  if (flag('--dry-run') && flag('--apply')) throw usageError("'--dry-run' and '--apply' exclude each other");

  const global: GlobalOptions = {
    config: str('--config'),
    verbose: flag('--verbose'),
    terminate: flag('--manual-terminate-confirmation') ? 'manual' : flag('--auto-terminate-without-confirmation') ? 'auto' : undefined,
  };
  switch (command) {
    case 'init-config':
      return { ...global, kind: command, output: str('--output'), force: flag('--force') };
    case 'validate':
      return { ...global, kind: command };
    case 'doctor':
    case 'preflight':
    case 'plan':
      return { ...global, kind: command, json: flag('--json') };
    case 'sync':
      return {
        ...global,
        kind: command,
        mode: flag('--apply') ? 'apply' : flag('--dry-run') ? 'dry-run' : 'default',
        json: flag('--json'),
        force: flag('--force'),
        mergeConflictCopies: flag('--merge-conflict-copies'),
      };
    case 'restore': {
      const target = str('--target') ?? 'local';
      if (target !== 'local' && target !== 'cloud') throw usageError(`--target must be 'local' or 'cloud', not '${target}'`);
      const from = str('--from');
      if (from !== undefined && from.trim() === '') throw usageError('--from needs a snapshot name');
      return { ...global, kind: command, from, target, mode: flag('--apply') ? 'apply' : 'dry-run', json: flag('--json') };
    }
  }
}
