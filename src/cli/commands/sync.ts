import { sync as runSync } from '../../core/engine/index.ts';
import { ExitCode } from '../../core/errors.ts';
import { unsettledConflicts } from '../../core/plan/index.ts';
import type { Invocation } from '../args.ts';
import { commandRuntime } from '../runtime.ts';
import type { Io } from '../io.ts';
import { formatBytes, plural } from '../print/format.ts';
import { syncJson } from '../print/json.ts';
import { planLines } from '../print/plan.ts';
import { failureText } from '../print/words.ts';

/** `sync`: a dry run prints the plan; --apply runs it and prints what was done. */
export async function sync(invocation: Extract<Invocation, { kind: 'sync' }>, io: Io): Promise<ExitCode> {
  const { ctx, log } = commandRuntime(invocation, io);
  try {
    const apply = invocation.mode === 'apply' || (invocation.mode === 'default' && !ctx.config.settings.sync.dry_run_default);
    // --force keeps its 0.1.2-era meaning: past the large-deletion guard and the handoff record's arrival check.
    const result = await runSync(ctx, { apply, acceptLargeDeletion: invocation.force, ignoreHandoffRecord: invocation.force, mergeConflictCopies: invocation.mergeConflictCopies });
    if (invocation.json) {
      io.out(JSON.stringify({ ok: result.exitCode === ExitCode.ok, exitCode: result.exitCode, command: 'sync', ...syncJson(result) }, null, 2));
      return result.exitCode;
    }
    for (const line of planLines(result, { verbose: invocation.verbose, reportConflicts: ctx.config.settings.conflict.report_conflicts })) io.out(line);
    switch (result.status) {
      case 'conflicts': {
        const why = [
          ...(unsettledConflicts(result.plan).length > 0 ? [plural(unsettledConflicts(result.plan).length, 'conflict')] : []),
          ...(result.plan.conflictCopies.length > 0 ? [plural(result.plan.conflictCopies.length, 'conflict copy', 'conflict copies')] : []),
        ];
        io.out(`Stopped: ${why.join(' and ')} to settle. Nothing was written.`);
        break;
      }
      case 'dry-run':
        io.out('Dry run: nothing was written. Run "codexsync sync --apply" to hand off.');
        break;
      case 'in-sync':
        io.out('Already in sync.');
        printCatalogue(result, io);
        break;
      case 'plan-changed':
        io.out('Stopped: the folders changed since the plan was made. Nothing was written.');
        break;
      case 'cancelled':
        io.out(`Stopped on request after ${plural(result.apply?.applied ?? 0, 'change')}: every file is either its old or its new version; the next sync does the rest.`);
        break;
      case 'applied':
      case 'partial': {
        const report = result.apply;
        io.out(`Done: ${plural(report?.applied ?? 0, 'change')}, ${formatBytes(report?.bytes ?? 0)} written${result.snapshot === undefined ? '' : `; backup snapshot ${result.snapshot}`}.`);
        for (const failure of report?.failures ?? []) io.out(`Not done: ${failure.path}: ${failureText(failure)}`);
        if (result.pruned.length > 0) io.out(`Old snapshots removed: ${result.pruned.join(', ')}`);
        printCatalogue(result, io);
        break;
      }
    }
    return result.exitCode;
  } finally {
    await log.close();
  }
}

function printCatalogue(result: Awaited<ReturnType<typeof runSync>>, io: Io): void {
  const catalogue = result.catalogue;
  if (catalogue === undefined) return;
  if (catalogue.rearmed) io.out(`Codex will list ${plural(catalogue.missing.length, 'handed-off thread')} at its next start (its own import was armed; catalogue backed up first).`);
  if (catalogue.mapped > 0) io.out(`Project folders of ${plural(catalogue.mapped, 'thread')} mapped with [paths.map].`);
  const untouched = catalogue.untouched;
  if (untouched?.why === 'unreadable') {
    io.out(`Note: Codex's thread list ${untouched.file} cannot be read (${untouched.error}), so it was left untouched: handed-off threads open with "codex resume <thread id>"`);
  } else if (untouched?.why === 'untested') {
    io.out(
      `Note: Codex's thread list (${untouched.file}, schema ${untouched.migration ?? 'unknown'}) is a version codexSync has not been tested with, so it was left untouched: ` +
        `the ${untouched.threads} handed-off thread(s) open with "codex resume <thread id>" and appear in the list once Codex re-indexes its sessions`,
    );
  }
}
