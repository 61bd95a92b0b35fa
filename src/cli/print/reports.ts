// What each command prints for its result: pure functions from an engine result to the lines
// the command writes to standard output, one string per line (a --json answer is one string).
// The commands print them; the golden scenario tests compare against the same text in-process.
import type { doctor, PlanResult, RestoreResult, SyncResult } from '../../core/engine/index.ts';
import { CodexSyncError, ExitCode } from '../../core/errors.ts';
import { unsettledConflicts } from '../../core/plan/index.ts';
import { formatBytes, formatTime, plural } from './format.ts';
import { planJson, syncJson } from './json.ts';
import { planLines } from './plan.ts';
import { failureText, ignoredSnapshotText, problemText, refusalText } from './words.ts';

export interface PlanReportOptions {
  json: boolean;
  verbose: boolean;
  /** conflict.report_conflicts of the config. */
  reportConflicts: boolean;
}

export type DoctorResult = Awaited<ReturnType<typeof doctor>>;

/** `plan`: every action and conflict a sync would make. */
export function planReport(result: PlanResult, options: PlanReportOptions): string[] {
  if (options.json) return [JSON.stringify({ ok: true, exitCode: ExitCode.ok, command: 'plan', ...planJson(result) }, null, 2)];
  return planLines(result, { verbose: options.verbose, reportConflicts: options.reportConflicts });
}

/** `sync`: the plan, then what became of it. */
export function syncReport(result: SyncResult, options: PlanReportOptions): string[] {
  if (options.json) return [JSON.stringify({ ok: result.exitCode === ExitCode.ok, exitCode: result.exitCode, command: 'sync', ...syncJson(result) }, null, 2)];
  const lines = planLines(result, { verbose: options.verbose, reportConflicts: options.reportConflicts });
  switch (result.status) {
    case 'conflicts': {
      const why = [
        ...(unsettledConflicts(result.plan).length > 0 ? [plural(unsettledConflicts(result.plan).length, 'conflict')] : []),
        ...(result.plan.conflictCopies.length > 0 ? [plural(result.plan.conflictCopies.length, 'conflict copy', 'conflict copies')] : []),
      ];
      lines.push(`Stopped: ${why.join(' and ')} to settle. Nothing was written.`);
      break;
    }
    case 'dry-run':
      lines.push('Dry run: nothing was written. Run "codexsync sync --apply" to hand off.');
      break;
    case 'in-sync':
      lines.push('Already in sync.', ...catalogueLines(result));
      break;
    case 'left-different':
      lines.push(`Done: nothing to copy; ${leftDifferentText(result.plan)}.`, ...catalogueLines(result));
      break;
    case 'plan-changed':
      lines.push('Stopped: the folders changed since the plan was made. Nothing was written.');
      break;
    case 'cancelled':
      lines.push(`Stopped on request after ${plural(result.apply?.applied ?? 0, 'change')}: every file is either its old or its new version; the next sync does the rest.`);
      break;
    case 'applied':
    case 'partial': {
      const report = result.apply;
      const left = leftDifferentText(result.plan);
      lines.push(
        `Done: ${plural(report?.applied ?? 0, 'change')}, ${formatBytes(report?.bytes ?? 0)} written${result.snapshot === undefined ? '' : `; backup snapshot ${result.snapshot}`}${left === '' ? '' : `; ${left}`}.`,
      );
      for (const failure of report?.failures ?? []) lines.push(`Not done: ${failure.path}: ${failureText(failure)}`);
      if (result.pruned.length > 0) lines.push(`Old snapshots removed: ${result.pruned.join(', ')}`);
      lines.push(...catalogueLines(result));
      break;
    }
  }
  return lines;
}

/** What a run leaves different on the two sides without a conflict, in words; '' when nothing. */
function leftDifferentText(plan: SyncResult['plan']): string {
  const parts: string[] = [];
  if (plan.skips.length > 0) parts.push(`${plural(plan.skips.length, 'file')} left different on purpose (sync.equal_mtime_action = "skip")`);
  if (plan.unknown.length > 0) parts.push(`${plural(plan.unknown.length, 'file')} left alone behind a link, special file or unreadable folder`);
  return parts.join('; ');
}

function catalogueLines(result: SyncResult): string[] {
  return [...threadLines(result), ...folderMapLines(result)];
}

/** What Codex was asked to do with the handed-off threads, and what to do where it could not be asked. */
function threadLines(result: SyncResult): string[] {
  const threads = result.threads;
  if (threads === undefined) return [];
  const lines: string[] = [];
  const archived = threads.moved.filter((m) => m.op === 'archive').length;
  const unarchived = threads.moved.length - archived;
  if (archived > 0) lines.push(`Codex archived ${plural(archived, 'thread')} here, as on the other machine.`);
  if (unarchived > 0) lines.push(`Codex unarchived ${plural(unarchived, 'thread')} here, as on the other machine.`);
  if (threads.added.length > 0) lines.push(`Codex lists ${plural(threads.added.length, 'handed-off thread')}.`);
  if (threads.notListed.length > 0) {
    const why =
      threads.codex === 'missing'
        ? 'no Codex was found to add them (set codex.binary in config.toml, or open each once)'
        : `Codex did not add them${threads.why === undefined ? '' : ` (${threads.why})`}`;
    lines.push(`Note: ${plural(threads.notListed.length, 'handed-off thread')} not in Codex's list yet: ${why}:`);
    for (const id of threads.notListed) lines.push(`  codex resume ${id}`);
  }
  return lines;
}

function folderMapLines(result: SyncResult): string[] {
  const catalogue = result.catalogue;
  if (catalogue === undefined) return [];
  const lines: string[] = [];
  if (catalogue.mapped > 0) lines.push(`Project folders of ${plural(catalogue.mapped, 'thread')} mapped with [paths.map].`);
  if (catalogue.backup !== undefined) lines.push(`Codex's thread catalogue as it was before this run: ${catalogue.backup} (kept on this machine only).`);
  const untouched = catalogue.untouched;
  if (untouched?.why === 'unreadable') {
    lines.push(`Note: Codex's thread list ${untouched.file} cannot be read (${untouched.error}): [paths.map] was not applied to it.`);
  } else if (untouched?.why === 'untested') {
    lines.push(`Note: Codex's thread list (${untouched.file}, schema ${untouched.migration ?? 'unknown'}) is a version codexSync has not been tested with: [paths.map] was not applied to it.`);
  }
  return lines;
}

/** `restore`: the snapshot's files and what was (or would be) put back. */
export function restoreReport(result: RestoreResult, options: { json: boolean }): string[] {
  const { plan } = result;
  if (options.json) {
    return [
      JSON.stringify(
        {
          ok: result.exitCode === 0,
          exitCode: result.exitCode,
          command: 'restore',
          mode: result.mode,
          restore: plan,
          report: result.report ?? null,
          backup: result.backup ?? null,
          ignored: result.ignored,
        },
        null,
        2,
      ),
    ];
  }
  const where = plan.target === 'local' ? `the Codex home ${plan.root}` : `the cloud mirror ${plan.root}`;
  const lines = [`Snapshot ${plan.snapshot} (${plan.format}, machine ${plan.machineId}, ${plan.createdAt}) -> ${where}`];
  for (const entry of result.ignored) lines.push(`Note: passed over ${ignoredSnapshotText(entry)}`);
  const todo = plan.items.filter((item) => item.action === 'restore');
  for (const item of plan.items) {
    const now = item.current === undefined ? 'missing now' : `now ${formatBytes(item.current.size)}, ${formatTime(item.current.mtimeMs)}`;
    lines.push(`  ${item.action === 'restore' ? 'restore ' : 'same    '}${item.path}  (${formatBytes(item.stored.size)}, ${formatTime(item.stored.mtimeMs)}; ${now})`);
  }
  for (const refused of plan.refused) lines.push(`  skip    ${refused.path}: ${refusalText(refused.why)}`);
  if (plan.items.length === 0) lines.push(`  (the snapshot holds no files of the ${plan.target} side; try --target ${plan.target === 'local' ? 'cloud' : 'local'})`);
  if (result.mode === 'dry-run') {
    lines.push(`Dry run: ${plural(todo.length, 'file')} would be restored. Add --apply to restore.`);
  } else {
    lines.push(`Restored ${plural(result.report?.restored ?? 0, 'file')}${result.backup === undefined ? '' : `; what they replaced is in snapshot ${result.backup}`}.`);
    for (const failure of result.report?.failures ?? []) {
      const why = failure.why === 'hash-mismatch' ? `the backup copy of ${failure.file} is damaged (its SHA-256 does not match the snapshot's record)` : failureText(failure);
      lines.push(`Not restored: ${failure.path}: ${why}`);
    }
  }
  return lines;
}

/** `doctor` and `preflight`: [PASS]/[WARN]/[FAIL] lines and a summary. */
export function doctorReport(report: DoctorResult, options: { json: boolean; command: 'doctor' | 'preflight' }): string[] {
  if (options.json) {
    return [JSON.stringify({ ok: report.exitCode === 0, exitCode: report.exitCode, command: options.command, checks: report.checks, summary: report.summary }, null, 2)];
  }
  return [...report.checks.map((check) => `[${check.status}] ${check.name}: ${check.detail}`), `Summary: ${report.summary.PASS} PASS, ${report.summary.WARN} WARN, ${report.summary.FAIL} FAIL`];
}

/** What the command line prints for an error: one line on stderr (and the details), the result object with --json. */
export function errorReport(error: unknown, options: { json: boolean; verbose: boolean }): { exitCode: ExitCode; out: string[]; err: string[] } {
  const known = error instanceof CodexSyncError;
  const exitCode = known ? error.exitCode : ExitCode.runtimeError;
  const message = known ? problemText(error.problem) : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  const details = known ? error.details : [];
  const out = options.json ? [JSON.stringify({ ok: false, exitCode, error: { message, details } }, null, 2)] : [];
  const err = [`codexsync: ${message}`, ...details.map((line) => `  ${line}`)];
  if (!known && options.verbose && error instanceof Error) err.push(error.stack ?? '');
  return { exitCode, out, err };
}
