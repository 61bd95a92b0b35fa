import type { RestoreResult, SyncResult } from '../../core/engine/index.ts';
import { CodexSyncError, ExitCode } from '../../core/errors.ts';
import type { Envelope } from '../../shared/channels.ts';
import { existsSync } from 'node:fs';
import { validateConfig } from '../../core/config/index.ts';
import { newestFirst, readHandoffRecords, type HandoffRecord } from '../../core/handoff/index.ts';
import type { Environment } from '../../core/platform.ts';
import type { ApplyOutcome, RestoreView, StatusView } from '../../shared/contract.ts';
import { statusLabel, trayIcon } from '../model/trayMenu.ts';
import { formatBytes, plural } from '../../shared/format.ts';
import type { ReviewCode } from '../model/handoffDecision.ts';
import type { HandoffEvent, HandoffState } from '../model/handoffState.ts';
import { planFacts } from '../model/planFacts.ts';
import { failureText, ignoredSnapshotText, problemText, refusalText } from './words.ts';

export const cancelledMessage = 'Stopped: every file is either its old or its new version, and the next hand-off does the rest.';

/** A finished sync as the review window and the notifications tell it. `choices` counts the conflicts the user settled. */
export function syncOutcome(result: SyncResult, choices: number): ApplyOutcome {
  const report = result.apply;
  const failed = new Set((report?.failures ?? []).map((f) => f.path));
  const resolved = result.plan.conflicts.filter((c) => c.chosen !== undefined && !failed.has(c.path)).length;
  const snapshots = result.snapshot === undefined ? [] : [result.snapshot];
  const base = {
    exitCode: result.exitCode,
    resolved: choices === 0 ? 0 : resolved,
    applied: report?.applied ?? 0,
    bytes: report?.bytes ?? 0,
    failures: (report?.failures ?? []).map((f) => ({ path: f.path, message: failureText(f) })),
    snapshots,
  };
  const settled = base.resolved > 0 ? `${plural(base.resolved, 'conflict')} settled; ` : '';
  const backup = snapshots.length === 0 ? '' : `; backup snapshot ${snapshots.join(', ')}`;
  switch (result.status) {
    case 'applied':
      return { ...base, status: 'applied', message: `Done: ${settled}${plural(base.applied, 'change')}, ${formatBytes(base.bytes)} written${backup}.` };
    case 'partial':
      return { ...base, status: 'partial', message: `${settled}${plural(base.applied, 'change')} done, ${base.failures.length} not done${backup}.` };
    case 'in-sync':
      return { ...base, status: 'in-sync', message: 'Already in sync: nothing to hand off.' };
    case 'left-different': {
      // Not "in sync": the run is done, but files still differ.
      const left = [
        ...(result.plan.skips.length > 0 ? [`${plural(result.plan.skips.length, 'file')} left different on purpose (same modification time, different content)`] : []),
        ...(result.plan.unknown.length > 0 ? [`${plural(result.plan.unknown.length, 'file')} left alone behind a link, special file or unreadable folder`] : []),
      ];
      return { ...base, status: 'applied', message: `Nothing to hand off; ${left.join('; ')}.` };
    }
    case 'cancelled':
      return { ...base, status: 'cancelled', message: `${settled}${plural(base.applied, 'change')} done before Cancel. ${cancelledMessage}` };
    case 'plan-changed':
      return { ...base, status: 'changed', message: 'The folders changed since this plan was made: nothing was written. Review the new plan.' };
    case 'conflicts':
    case 'dry-run':
      return { ...base, status: 'conflicts', message: `Stopped: ${plural(result.plan.conflicts.length, 'conflict')} to settle. Nothing was written.` };
  }
}

/** The tray's next state after an apply from the review window or "Hand off now". */
export function finishedEvent(outcome: ApplyOutcome, result: SyncResult, planId: string, reviewCodes: ReviewCode[]): HandoffEvent {
  switch (outcome.status) {
    case 'applied':
    case 'in-sync':
    case 'partial':
    case 'cancelled':
      return { type: 'finished', outcome: outcome.status, conflicts: 0, message: outcome.message };
    case 'conflicts':
      return { type: 'finished', outcome: 'conflicts', conflicts: result.plan.conflicts.length, message: outcome.message };
    case 'changed':
      return { type: 'review', planId, facts: planFacts(result), reasons: reviewCodes };
  }
}

export function restoreView(result: RestoreResult): RestoreView {
  const { plan, report } = result;
  const where = plan.target === 'local' ? "this machine's Codex home" : 'the cloud folder';
  const toRestore = plan.items.filter((item) => item.action === 'restore').length;
  // As of a time, the versions come from several snapshots: named by the time, each file by its own.
  const source = result.sources === undefined ? plan.snapshot : `the snapshots up to ${plan.createdAt}`;
  const message =
    result.mode === 'dry-run'
      ? toRestore === 0
        ? `Every file of ${source} is already as stored in ${where}: nothing to restore.`
        : `${plural(toRestore, 'file')} of ${source} would be restored into ${where}.`
      : `Restored ${plural(report?.restored ?? 0, 'file')} from ${source} into ${where}${result.backup === undefined ? '' : `; what they replaced is in snapshot ${result.backup}`}.` +
        ((report?.failures.length ?? 0) > 0 ? ` ${report?.failures.length} not restored.` : '');
  const passedOver = result.ignored.map((entry) => ` Passed over ${ignoredSnapshotText(entry)}.`).join('');
  return {
    mode: result.mode === 'dry-run' ? 'preview' : 'applied',
    snapshot: plan.snapshot,
    createdAt: plan.createdAt,
    target: plan.target,
    root: plan.root,
    items: plan.items.map((item) => ({
      path: item.path,
      action: item.action,
      stored: { size: item.stored.size, mtimeMs: item.stored.mtimeMs },
      ...(item.current === undefined ? {} : { current: item.current }),
      ...(result.sources?.get(item.path) === undefined ? {} : { from: result.sources.get(item.path) }),
    })),
    refused: plan.refused.map((refused) => ({ path: refused.path, why: refusalText(refused.why) })),
    restored: report?.restored ?? 0,
    failures: (report?.failures ?? []).map((f) => ({ path: f.path, message: failureText(f) })),
    ...(result.backup === undefined ? {} : { backup: result.backup }),
    message: message + passedOver,
  };
}

/** An error as the windows receive it: the app's words for a known problem. */
export function failure(error: unknown): Envelope<never> {
  if (error instanceof CodexSyncError) return { ok: false, error: { message: problemText(error.problem), exitCode: error.exitCode, details: [...error.details] } };
  return { ok: false, error: { message: `unexpected error: ${messageOf(error)}`, exitCode: ExitCode.runtimeError, details: [] } };
}

/** An error in one line, for a notification or the tray's error state. */
export function messageOf(error: unknown): string {
  if (error instanceof CodexSyncError) return problemText(error.problem);
  return error instanceof Error ? error.message : String(error);
}

/** What the tray and the windows show of the app's state: the config's health first. */
export function statusView(configFile: string, env: Environment, state: HandoffState, busy: boolean): StatusView {
  const validation = existsSync(configFile) ? validateConfig(configFile, env) : undefined;
  const ready = validation?.config !== undefined;
  return {
    state: ready ? trayIcon(state) : 'error',
    label: validation === undefined ? 'Not set up: open Settings to create config.toml' : ready ? statusLabel(state) : `Config has problems: ${validation.problems[0] ?? ''}`,
    configFile,
    configReady: ready,
    ...(validation?.config === undefined ? {} : { machineId: validation.config.settings.identity.machine_id }),
    busy,
  };
}

/**
 * The cloud folder's handoff records: other machines' newest first, and when this machine last
 * handed off (its own record's time; undefined when it has none or the time does not parse).
 */
export async function handoffRecordsOf(cloudRoot: string, machineId: string): Promise<{ others: HandoffRecord[]; handedOffAt: Date | undefined }> {
  const records = newestFirst((await readHandoffRecords(cloudRoot)).records);
  const own = records.find((record) => record.machineId === machineId);
  const at = own === undefined ? undefined : new Date(own.createdAt);
  return { others: records.filter((record) => record.machineId !== machineId), handedOffAt: at === undefined || Number.isNaN(at.getTime()) ? undefined : at };
}
