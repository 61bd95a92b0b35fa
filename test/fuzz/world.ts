import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { snapshotBaseName } from '../../src/core/backup/snapshot.ts';
import { loadConfig, type LoadedConfig } from '../../src/core/config/index.ts';
import { makePlan, sync, type EngineContext } from '../../src/core/engine/index.ts';
import { CodexSyncError } from '../../src/core/errors.ts';
import type { Logger } from '../../src/core/log/index.ts';
import { currentEnvironment } from '../../src/core/platform.ts';
import { codexStandIn } from './codexStandIn.ts';
import { archivedPath, folderChild, freshContent, jsonlLine, type Machine, type Step } from './steps.ts';
import { CONTROL, scanTree, type TreeScan } from './trees.ts';

/** What an operation did to the files: versions it wrote, and versions it removed from where they were. */
export interface Effects {
  wrote: Array<{ path: string; content: string; copyOf?: string }>;
  removed: Array<{ path: string; content: string }>;
}

export const noEffects = (): Effects => ({ wrote: [], removed: [] });

export interface RunOutcome {
  exit: number;
  /** The SyncResult's status, or the problem code of the CodexSyncError that stopped the run. */
  how: string;
  /** For an unexpected error or a failed file: what it said. */
  detail?: string;
  killed: boolean;
}

/** A PID above Linux's pid_max: never a live process, like the PID of a killed run. */
const DEAD_PID = 4_194_304 + 4_321;

/** The logical clock: file times and the engine's `now`, so that a seed replays exactly. */
export interface Clock {
  ms: number;
}

/**
 * Two machines (a Codex home, a state folder, a backup folder each) and one cloud folder,
 * all in `dir`, with a folder outside every root holding the targets of the walk's links.
 */
export class World {
  readonly dir: string;
  readonly cloud: string;
  readonly limbo: string;
  readonly outside: string;
  readonly clock: Clock = { ms: Date.UTC(2026, 10, 30, 9, 0, 0) };
  readonly log: string[] = [];
  /** Writes a killed run made after it was taken for stopped: a limit of this stand-in for a kill, reported as such. */
  readonly lateWrites: string[] = [];
  readonly #configs = new Map<Machine, LoadedConfig>();

  constructor(dir: string) {
    this.dir = dir;
    this.cloud = join(dir, 'cloud');
    this.limbo = join(dir, 'limbo');
    this.outside = join(dir, 'outside');
    for (const sub of ['cloud', 'limbo', 'logs']) mkdirSync(join(dir, sub), { recursive: true });
    const put = (path: string, content: string): void => {
      mkdirSync(dirname(join(this.outside, path)), { recursive: true });
      writeFileSync(join(this.outside, path), content);
    };
    put('target.md', 'a file outside every root\n');
    put('folder/inside.md', 'a folder outside every root\n');
    put('cloud-folder/SKILL.md', 'a folder the user linked into the cloud folder\n');
    for (const m of ['a', 'b'] as const) {
      for (const sub of ['home', 'state', 'backups', 'tmp']) mkdirSync(join(dir, sub, m), { recursive: true });
      const file = join(dir, `config-${m}.toml`);
      writeFileSync(
        file,
        `[identity]
machine_id = "${m}"
[paths]
local_state_dir = "${this.home(m)}"
cloud_root_dir = "${this.cloud}"
backup_dir = "${this.backups(m)}"
temp_dir = "${join(dir, 'tmp', m)}"
[state]
local_dir = "${join(dir, 'state', m)}"
[logging]
file = "${join(dir, 'logs', 'codexsync.log')}"
[process_detection]
process_names = ["codex-fuzz-${process.pid}"]
[sync]
delete_policy = "propagate"
[conflict]
policy = "prefer_newer_mtime"
[backup]
compression = "none"
retention_days = 0
max_backups = 0
[safety]
max_delete_percent = 100
`,
      );
      this.#configs.set(m, loadConfig(file, currentEnvironment()));
    }
  }

  home(m: Machine): string {
    return join(this.dir, 'home', m);
  }

  backups(m: Machine): string {
    return join(this.dir, 'backups', m);
  }

  /**
   * The snapshot folders a run of `m` made now: named from the engine's clock (which stands
   * still during a run), with "-2", "-3" when a name was taken; found without listing a backup
   * folder that grows with every run.
   */
  snapshotsOf(m: Machine): string[] {
    const base = join(this.backups(m), snapshotBaseName(m, new Date(this.clock.ms)));
    const found: string[] = [];
    for (let n = 1; existsSync(n === 1 ? base : `${base}-${n}`); n += 1) found.push(n === 1 ? base : `${base}-${n}`);
    return found;
  }

  /** The next file time: one second after the last. */
  tick(): Date {
    this.clock.ms += 1000;
    return new Date(this.clock.ms);
  }

  scanHome(m: Machine): TreeScan {
    return scanTree(this.home(m));
  }

  scanCloud(): TreeScan {
    return scanTree(this.cloud);
  }

  // ---- The user's operations on a machine's Codex home ---------------------------------------

  userOp(step: Exclude<Extract<Step, { m: Machine }>, { op: 'run' }>): Effects {
    const root = this.home(step.m);
    const at = (path: string): string => join(root, ...path.split('/'));
    const effects = noEffects();
    const file = (path: string): string | undefined => (kindOf(at(path)) === 'file' ? readFileSync(at(path), 'latin1') : undefined);
    const write = (path: string, content: string, mtime: Date = this.tick()): boolean => {
      try {
        mkdirSync(dirname(at(path)), { recursive: true });
        writeFileSync(at(path), content, 'latin1');
        utimesSync(at(path), mtime, mtime);
      } catch {
        return false; // a file where a folder of the path should be: the user could not do it either
      }
      effects.wrote.push({ path, content });
      return true;
    };
    const old = step.op === 'symlink' || step.op === 'unlink' ? undefined : file(step.path);
    switch (step.op) {
      case 'create':
        if (kindOf(at(step.path)) === 'absent') write(step.path, freshContent(step.path, step.m, step.v));
        break;
      case 'edit':
        if (old !== undefined && write(step.path, freshContent(step.path, step.m, step.v))) effects.removed.push({ path: step.path, content: old });
        break;
      case 'append':
        if (old !== undefined && write(step.path, old + jsonlLine(step.path, step.m, step.v))) effects.removed.push({ path: step.path, content: old });
        break;
      case 'truncate':
        if (old !== undefined && write(step.path, old.slice(0, Math.floor((old.length * step.eighths) / 8)))) effects.removed.push({ path: step.path, content: old });
        break;
      case 'sameStatEdit': {
        if (old === undefined || old.length === 0) break;
        const mtime = lstatSync(at(step.path)).mtime;
        let content = `${freshContent(step.path, step.m, step.v)}${'~'.repeat(old.length)}`.slice(0, old.length);
        if (content === old) content = `${content.slice(0, -1)}${content.endsWith('~') ? '=' : '~'}`;
        if (write(step.path, content, mtime)) effects.removed.push({ path: step.path, content: old });
        break;
      }
      case 'delete':
        if (old !== undefined) {
          rmSync(at(step.path));
          effects.removed.push({ path: step.path, content: old });
        }
        break;
      case 'rename':
      case 'archive': {
        const to = step.op === 'rename' ? step.to : archivedPath(step.path);
        if (old === undefined || kindOf(at(to)) !== 'absent') break;
        try {
          mkdirSync(dirname(at(to)), { recursive: true });
          renameSync(at(step.path), at(to));
        } catch {
          break;
        }
        effects.removed.push({ path: step.path, content: old });
        effects.wrote.push({ path: to, content: old });
        break;
      }
      case 'symlink':
        if (kindOf(at(step.path)) === 'file') {
          // A link in a synced file's place: the file is the user's to lose.
          effects.removed.push({ path: step.path, content: readFileSync(at(step.path), 'latin1') });
          rmSync(at(step.path));
        }
        if (kindOf(at(step.path)) === 'absent') {
          mkdirSync(dirname(at(step.path)), { recursive: true });
          symlinkSync(join(this.outside, step.target === 'file' ? 'target.md' : 'folder'), at(step.path));
        }
        break;
      case 'unlink':
        if (kindOf(at(step.path)) === 'link') unlinkSync(at(step.path));
        break;
      case 'fileToFolder':
        if (old !== undefined) {
          rmSync(at(step.path));
          effects.removed.push({ path: step.path, content: old });
          write(folderChild, freshContent(folderChild, step.m, step.v));
        }
        break;
      case 'folderToFile':
        if (kindOf(at(step.path)) === 'dir') {
          for (const [path, node] of scanTree(at(step.path)).files) effects.removed.push({ path: `${step.path}/${path}`, content: node.content });
          rmSync(at(step.path), { recursive: true });
          write(step.path, freshContent(step.path, step.m, step.v));
        }
        break;
    }
    return effects;
  }

  // ---- codexSync runs ------------------------------------------------------------------------

  /**
   * One `sync --apply` in this process. A kill makes the run's `kill`-th write its last: that
   * write's hook, and every later one, never returns (a dead process writes nothing more, and
   * its `finally` blocks never run); once the writes under way have landed, the lock is made
   * to look like a dead process's, as a real kill leaves it.
   */
  async run(m: Machine, options: { kill?: number; mergeCopies: boolean; acceptDeletion: boolean; ignoreRecords?: boolean }): Promise<RunOutcome> {
    let killed = false;
    let stopped = false;
    let onKill: () => void = () => undefined;
    const killedNow = new Promise<'killed'>((resolve) => (onKill = () => resolve('killed')));
    const ctx: EngineContext = {
      ...this.#context(m),
      afterWrite: (count) => {
        if (stopped) this.lateWrites.push(`${m}: write ${count} of a run killed after write ${options.kill ?? 0}`);
        if (options.kill === undefined || (!killed && count < options.kill)) return;
        killed = true;
        onKill();
        return new Promise<void>(() => undefined);
      },
    };
    const running = sync(ctx, { apply: true, mergeConflictCopies: options.mergeCopies, acceptLargeDeletion: options.acceptDeletion, ignoreHandoffRecord: options.ignoreRecords === true }).then(
      (result): RunOutcome => {
        const failure = result.apply?.failures[0];
        return { exit: result.exitCode, how: result.status, killed: false, ...(failure === undefined ? {} : { detail: `${failure.path}: ${failure.why} ${failure.detail ?? failure.file ?? ''}` }) };
      },
      (error: unknown): RunOutcome =>
        error instanceof CodexSyncError
          ? { exit: error.exitCode, how: error.problem.code, detail: JSON.stringify(error.problem), killed: false }
          : { exit: 1, how: 'unexpected error', detail: error instanceof Error ? (error.stack ?? error.message) : String(error), killed: false },
    );
    const first = await Promise.race([running, killedNow]);
    if (first !== 'killed') return first;
    await writesSettled();
    stopped = true;
    this.#leaveDeadLock(m);
    return { exit: -1, how: `killed after write ${options.kill ?? 0}`, killed: true };
  }

  /** The cloud files `m` waits for (a plan's view: nothing is written). */
  async waitingFor(m: Machine): Promise<string[]> {
    return (await makePlan(this.#context(m))).plan.waiting?.paths ?? [];
  }

  #context(m: Machine): EngineContext {
    const clock = this.clock;
    return {
      config: this.#configs.get(m) as LoadedConfig,
      log: memoryLogger(this.log, m),
      platform: currentEnvironment().platform,
      now: () => new Date(clock.ms),
      processes: { list: async () => [] },
      confirmer: { confirmTermination: async () => false },
      terminateOverride: undefined,
      verbose: false,
      codex: codexStandIn(this.home(m)),
    };
  }

  #leaveDeadLock(m: Machine): void {
    const file = join(this.cloud, CONTROL, 'lock.json');
    if (!existsSync(file)) return;
    const lock = JSON.parse(readFileSync(file, 'utf8')) as { machineId: string };
    if (lock.machineId !== m) return;
    const temp = join(this.limbo, 'lock.json');
    writeFileSync(temp, `${JSON.stringify({ ...lock, pid: DEAD_PID, token: 'killed' })}\n`);
    renameSync(temp, file);
  }
}

/** Resolves once no file-system request of this process is under way: the killed run's other writers have all stopped at their hook. */
async function writesSettled(): Promise<void> {
  const deadline = Date.now() + 30_000;
  // A file being closed shows as CloseReq alone: a writer waiting for it is still under way.
  const busy = (name: string): boolean => name.startsWith('FSReq') || name === 'CloseReq' || name.startsWith('FileHandle');
  for (let calm = 0; calm < 5;) {
    if (Date.now() > deadline) throw new Error('a killed run kept writing for 30 s');
    await new Promise((resolve) => setTimeout(resolve, 1));
    calm = process.getActiveResourcesInfo().some(busy) ? 0 : calm + 1;
  }
}

export function kindOf(full: string): 'absent' | 'file' | 'dir' | 'link' | 'other' {
  try {
    const stat = lstatSync(full);
    return stat.isSymbolicLink() ? 'link' : stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
  } catch {
    return 'absent';
  }
}

/** The engine's log lines, kept in memory (the last few are shown with a failure). */
function memoryLogger(lines: string[], m: Machine): Logger {
  const put =
    (level: string) =>
    (message: string): void => {
      lines.push(`${m} ${level} ${message}`);
      if (lines.length > 400) lines.splice(0, lines.length - 200);
    };
  return { debug: () => undefined, info: put('info'), warning: put('warning'), error: put('error'), close: async () => undefined };
}
