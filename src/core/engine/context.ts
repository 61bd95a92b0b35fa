import type { ApplyProgress } from '../apply/index.ts';
import type { LoadedConfig } from '../config/index.ts';
import type { Confirmer, GuardOptions, ProcessSource } from '../guard/index.ts';
import type { Logger } from '../log/index.ts';
import type { Rules } from '../plan/index.ts';
import { buildScope, isAppendOnly, isRollout, mergedFiles, type Scope } from '../scope/index.ts';
import type { Environment, Platform } from '../platform.ts';
import type { CodexAccess } from './threadPhase.ts';

/** Everything a run needs from outside the engine; the CLI, the app and tests each build one. */
export interface EngineContext {
  config: LoadedConfig;
  log: Logger;
  platform: Platform;
  now: () => Date;
  /** The process list the guard reads: the system's, or a recorded one in tests. */
  processes: ProcessSource;
  confirmer: Confirmer;
  terminateOverride: 'manual' | 'auto' | undefined;
  verbose: boolean;
  progress?: (event: ApplyProgress) => void;
  /** Cancels an apply between files (Ctrl-C in the CLI, Cancel in the app). */
  signal?: AbortSignal;
  /** Test hook for crash injection: awaited after each finished write of a run, counted from 1. */
  afterWrite?: (count: number) => void | Promise<void>;
  /** This machine's Codex; when absent, the one codex.binary, PATH or the desktop app gives. */
  codex?: CodexAccess;
  /** Where PATH and the desktop app are looked up for Codex; the process's own when absent. */
  environment?: Environment;
}

export function rulesFrom(config: LoadedConfig): Rules {
  const s = config.settings.sync;
  return {
    compare: s.compare,
    toleranceMs: s.time_tolerance_seconds * 1000,
    equalMtimeAction: s.equal_mtime_action,
    deletePolicy: s.delete_policy,
    conflictPolicy: config.settings.conflict.policy,
    isMergeable: (path) => mergedFiles.has(path),
    isAppendOnly,
    isThread: isRollout,
  };
}

export function scopeOf(config: LoadedConfig): Scope {
  return buildScope({ include_roots: config.settings.targets.include_roots, exclude_globs: config.settings.filters.exclude_globs });
}

export function guardOptions(ctx: EngineContext): GuardOptions {
  return {
    settings: ctx.config.settings,
    platform: ctx.platform,
    override: ctx.terminateOverride,
    confirmer: ctx.confirmer,
    processes: ctx.processes,
    log: ctx.log,
    verbose: ctx.verbose,
  };
}
