import type { Settings } from '../config/index.ts';
import { CodexSyncError, ExitCode } from '../errors.ts';
import type { Logger } from '../log/index.ts';
import type { Platform } from '../platform.ts';
import type { GuardNote, TerminationRequest } from '../plan/index.ts';
import { classify, describeProcess, type ProcessSnapshot } from './classify.ts';
import { decideGuard, factsOf, type GuardDecision } from './policy.ts';
import type { ProcessSource } from './processes.ts';
import { terminateProcesses, type SignalSender } from './terminate.ts';

/** Asks the user whether to end Codex: the console or the system's dialog in the CLI, a native dialog in the app. */
export interface Confirmer {
  confirmTermination(request: TerminationRequest): Promise<boolean>;
}

export interface GuardOptions {
  settings: Pick<Settings, 'process_detection' | 'safety'>;
  platform: Platform;
  /** --manual-terminate-confirmation / --auto-terminate-without-confirmation for this run. */
  override: 'manual' | 'auto' | undefined;
  confirmer: Confirmer;
  processes: ProcessSource;
  log: Logger;
  verbose: boolean;
  selfPid?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Only for the test of a process that outlives SIGKILL, which cannot be made on demand. */
  signal?: SignalSender;
}

export interface GuardReport {
  snapshot: ProcessSnapshot | undefined;
  decision: GuardDecision;
  /** What a dry run would have asked or done; empty when Codex is closed. */
  notes: GuardNote[];
}

/**
 * Makes sure Codex is closed. `report` (plan, dry runs) only says what it would ask and
 * never ends anything; `enforce` (before writes) refuses (exit 3), or asks and ends Codex
 * by PID, failing safe (exit 5) when it does not exit in time.
 */
export async function checkCodex(options: GuardOptions, phase: 'report' | 'enforce'): Promise<GuardReport> {
  const snapshot = await takeSnapshot(options);
  if (snapshot === undefined) return { snapshot, decision: { kind: 'clear' }, notes: [{ kind: 'process-list-unreadable' }] };
  const decision = decideGuard(snapshot, {
    platform: options.platform,
    requireStopped: options.settings.safety.require_codex_stopped,
    allowTerminate: options.settings.process_detection.allow_terminate_if_running,
    confirmation: options.override ?? (options.settings.process_detection.manual_terminate_confirmation ? 'manual' : 'auto'),
  });
  const notes = notesFor(decision);
  if (phase === 'report' || decision.kind === 'clear') return { snapshot, decision, notes };
  if (decision.kind === 'refuse') throw new CodexSyncError(ExitCode.codexRunning, { code: 'codex-running', processes: decision.processes, closable: decision.closable });

  if (decision.ask && !(await options.confirmer.confirmTermination(decision.request))) {
    throw new CodexSyncError(ExitCode.codexRunning, { code: 'termination-declined' });
  }
  const pd = options.settings.process_detection;
  options.log.warning(`ending ${decision.targets.map(describeProcess).join(', ')}`);
  const survivors = await terminateProcesses(decision.targets, pd.terminate_timeout_seconds * 1000, options.signal);
  if (survivors.length > 0) {
    throw new CodexSyncError(ExitCode.safeAbort, { code: 'termination-timeout', seconds: pd.terminate_timeout_seconds, pids: survivors });
  }
  await (options.sleep ?? defaultSleep)(pd.grace_period_seconds * 1000);
  const after = await takeSnapshot(options);
  if (after !== undefined && decideGuard(after, { platform: options.platform, requireStopped: true, allowTerminate: false, confirmation: 'manual' }).kind !== 'clear') {
    throw new CodexSyncError(ExitCode.codexRunning, { code: 'codex-restarted' });
  }
  return { snapshot: after, decision: { kind: 'clear' }, notes: [{ kind: 'ended', processes: decision.targets.map(factsOf) }] };
}

async function takeSnapshot(options: GuardOptions): Promise<ProcessSnapshot | undefined> {
  let processes;
  try {
    processes = await options.processes.list();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    if (options.settings.safety.fail_on_unknown) {
      throw new CodexSyncError(ExitCode.safeAbort, { code: 'process-list-unreadable', why });
    }
    options.log.warning(`the process list could not be read (${why}); going on because safety.fail_on_unknown = false`);
    return undefined;
  }
  const pd = options.settings.process_detection;
  const snapshot = classify(processes, { processNames: pd.process_names, markers: pd.background_process_names[options.platform] }, options.platform, options.selfPid ?? process.pid);
  logSnapshot(snapshot, options);
  return snapshot;
}

function logSnapshot(snapshot: ProcessSnapshot, options: GuardOptions): void {
  const log = options.verbose ? options.log.info : options.log.debug;
  const cli = snapshot.codex.some((p) => p.kind === 'cli');
  const marker = snapshot.codex.some((p) => p.kind === 'marker');
  log(`process snapshot: Codex CLI running: ${cli ? 'yes' : 'no'}; background marker detected: ${marker ? 'yes' : 'no'}`);
  for (const p of snapshot.codex) log(`  ${describeProcess(p)}: ${p.cmd || p.name}`, { pid: p.pid, ppid: p.ppid });
  for (const p of snapshot.children) log(`    child ${p.name} (PID ${p.pid}): ${p.cmd || p.name}`, { pid: p.pid, ppid: p.ppid });
}

function notesFor(decision: GuardDecision): GuardNote[] {
  switch (decision.kind) {
    case 'clear':
      return [];
    case 'refuse':
      return [{ kind: 'would-refuse', processes: decision.processes, closable: decision.closable }];
    case 'terminate':
      return [decision.ask ? { kind: 'would-ask', request: decision.request } : { kind: 'would-end', processes: decision.request.processes }];
  }
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
