import { restore as runRestore } from '../../core/engine/index.ts';
import type { ExitCode } from '../../core/errors.ts';
import type { Invocation } from '../args.ts';
import { commandRuntime } from '../runtime.ts';
import type { Io } from '../io.ts';
import { formatBytes, formatTime, plural } from '../print/format.ts';
import { failureText } from '../print/words.ts';

/** `restore`: lists (dry run) or puts back the files of a backup snapshot. */
export async function restore(invocation: Extract<Invocation, { kind: 'restore' }>, io: Io): Promise<ExitCode> {
  const { ctx, log } = commandRuntime(invocation, io);
  try {
    const result = await runRestore(ctx, { from: invocation.from, target: invocation.target, apply: invocation.mode === 'apply' });
    const { plan } = result;
    if (invocation.json) {
      io.out(
        JSON.stringify(
          { ok: result.exitCode === 0, exitCode: result.exitCode, command: 'restore', mode: result.mode, restore: plan, report: result.report ?? null, backup: result.backup ?? null },
          null,
          2,
        ),
      );
      return result.exitCode;
    }
    const where = plan.target === 'local' ? `the Codex home ${plan.root}` : `the cloud mirror ${plan.root}`;
    io.out(`Snapshot ${plan.snapshot} (${plan.format}, machine ${plan.machineId}, ${plan.createdAt}) -> ${where}`);
    const todo = plan.items.filter((item) => item.action === 'restore');
    for (const item of plan.items) {
      const now = item.current === undefined ? 'missing now' : `now ${formatBytes(item.current.size)}, ${formatTime(item.current.mtimeMs)}`;
      io.out(`  ${item.action === 'restore' ? 'restore ' : 'same    '}${item.path}  (${formatBytes(item.stored.size)}, ${formatTime(item.stored.mtimeMs)}; ${now})`);
    }
    for (const refused of plan.refused) io.out(`  skip    ${refused.path}: ${refused.why}`);
    if (plan.items.length === 0) io.out(`  (the snapshot holds no files of the ${plan.target} side; try --target ${plan.target === 'local' ? 'cloud' : 'local'})`);
    if (result.mode === 'dry-run') {
      io.out(`Dry run: ${plural(todo.length, 'file')} would be restored. Add --apply to restore.`);
    } else {
      io.out(`Restored ${plural(result.report?.restored ?? 0, 'file')}${result.backup === undefined ? '' : `; what they replaced is in snapshot ${result.backup}`}.`);
      for (const failure of result.report?.failures ?? []) {
        const why = failure.why === 'hash-mismatch' ? `the backup copy of ${failure.file} is damaged (its SHA-256 does not match the snapshot's record)` : failureText(failure);
        io.out(`Not restored: ${failure.path}: ${why}`);
      }
    }
    return result.exitCode;
  } finally {
    await log.close();
  }
}
