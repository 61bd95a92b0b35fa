import type { PlanResult } from '../../core/engine/index.ts';
import type { FileStat, Side } from '../../core/facts.ts';
import type { Action, Conflict, Plan, ThreadChange } from '../../core/plan/index.ts';
import { formatBytes, formatTime, plural } from './format.ts';
import { describeReason } from '../../shared/reasons.ts';
import { deletionStopText, noticeText, unreadableRecordText } from './words.ts';

const arrows: Record<Side, string> = { cloud: '-> cloud', local: '<- cloud' };

function facts(stat: FileStat): string {
  return `${formatBytes(stat.size)}, ${formatTime(stat.mtimeMs)}`;
}

function actionLine(action: Action): string {
  switch (action.kind) {
    case 'copy':
      return `  copy    ${arrows[action.to]}  ${action.path}  (${facts(action.source)})  ${describeReason(action)}`;
    case 'delete':
      return `  delete  ${action.side === 'local' ? 'this machine' : 'cloud'}  ${action.path}  (${facts(action.target)})  ${describeReason(action)}`;
    case 'merge':
      return `  merge   both      ${action.path}  (this machine ${facts(action.local)}; cloud ${facts(action.cloud)})  ${describeReason(action)}`;
    case 'keep':
      return `  keep    ${action.sides.length === 2 ? 'both     ' : 'this machine'}  ${action.path}  (${facts(action.source)})  ${describeReason(action)}`;
  }
}

const conflictWhy: Record<Exclude<Conflict['kind'], 'type'>, string> = {
  'both-changed': 'changed on both machines since the last sync',
  'no-base': 'different on both sides, and never synced from this machine',
  'equal-mtime': 'same modification time, different content (sync.equal_mtime_action = "manual_abort")',
  case: 'another file has the same name but for upper/lower case; macOS and Windows folders can hold only one of them',
  fork: 'a thread both machines added turns to: both versions are kept, the one that gives way as a thread of its own',
};

/** A type conflict: which side holds the file, which the folder, and how many files are below it. */
function typeWhy(conflict: Conflict): string {
  const [file, folder] = conflict.local === undefined ? ['in the cloud', 'on this machine'] : ['on this machine', 'in the cloud'];
  return `a file ${file}, a folder ${folder} (${plural(conflict.below?.length ?? 0, 'file')} below it)`;
}

function sideFacts(conflict: Conflict, stat: FileStat | undefined): string {
  if (stat !== undefined) return facts(stat);
  return conflict.kind === 'type' ? 'a folder' : 'missing';
}

export function conflictLines(conflict: Conflict): string[] {
  const settled =
    conflict.kind === 'case'
      ? '    unresolved: rename one of them'
      : conflict.kind === 'type'
        ? '    unresolved: keep one of them: move the file or the folder out of the way on one side, then run again'
        : conflict.kind === 'fork' && conflict.resolution === undefined
          ? '    unresolved: both versions are kept; choose which one continues under the thread\'s own id with conflict.policy = "prefer_local" / "prefer_cloud" / "prefer_newer_mtime" (the other becomes "<title> (from <machine>)")'
          : conflict.resolution === undefined
            ? '    unresolved: keep one side with conflict.policy = "prefer_local" / "prefer_cloud" / "prefer_newer_mtime", or edit one copy so that both match'
            : `    settled: ${conflict.resolution.winner === 'local' ? 'this machine' : 'the cloud'} wins (${conflict.resolution.by}); the other version is backed up`;
  return [
    `  ${conflict.path}: ${conflict.kind === 'type' ? typeWhy(conflict) : conflictWhy[conflict.kind]}`,
    `    this machine: ${sideFacts(conflict, conflict.local)}`,
    `    cloud:        ${sideFacts(conflict, conflict.cloud)}`,
    settled,
  ];
}

export function totalsLine(plan: Plan): string {
  const t = plan.totals;
  return [
    `to cloud ${plural(t.toCloud.files, 'file')} (${formatBytes(t.toCloud.bytes)})`,
    `to this machine ${plural(t.toLocal.files, 'file')} (${formatBytes(t.toLocal.bytes)})`,
    plural(t.merges, 'merge'),
    `${plural(t.deletesLocal + t.deletesCloud, 'deletion')}`,
    `${plan.unchanged} unchanged`,
  ].join(', ');
}

/** Who made a change: this machine, or the machine the cloud's version came from. */
function byWhom(change: ThreadChange): string {
  return change.from === 'local' ? 'this machine' : (change.machine ?? 'the other machine');
}

/** The last two folders of a project path, enough to tell projects apart: "src/app". */
function projectLabel(project: string | undefined): string {
  if (project === undefined || project === '') return '';
  const parts = project.split(/[\\/]+/).filter((p) => p !== '');
  return ` (${parts.slice(-2).join('/')})`;
}

/** One thread's change in a plan, e.g. "Fix the upload retry (src/app): +2 turns from laptop". */
export function threadLine(change: ThreadChange): string {
  const head = `${change.title}${projectLabel(change.project)}`;
  const turns = (n: number | undefined): string => (n === undefined ? '' : ` ${n > 0 ? '+' : ''}${plural(n, 'turn')}`);
  const marks = (change.marks ?? []).map((m) =>
    m.mark === 'name'
      ? `renamed "${String(m.value)}" on ${m.from === 'local' ? 'this machine' : 'another machine'}`
      : `${m.value === true ? 'pinned' : 'unpinned'} on ${m.from === 'local' ? 'this machine' : 'another machine'}`,
  );
  const what = ((): string => {
    switch (change.kind) {
      case 'new':
        return `new thread from ${byWhom(change)}`;
      case 'continued':
        return `${turns(change.turnsAdded).trim() || 'continued'} from ${byWhom(change)}`;
      case 'replaced':
        return `${byWhom(change)}'s version replaces this one (not a continuation of it; this one is backed up)`;
      case 'forked': {
        const fork = change.fork;
        const other = change.machine ?? 'the other machine';
        return fork === undefined ? `forked on both machines` : `forked: ${other} added ${plural(fork.cloudTurns, 'turn')}, this machine ${fork.localTurns}`;
      }
      case 'archived':
        return `archived on ${byWhom(change)}`;
      case 'unarchived':
        return `unarchived on ${byWhom(change)}`;
      case 'compressed':
        return `compressed by Codex on ${byWhom(change)} (the same turns)`;
      case 'decompressed':
        return `stored plain again on ${byWhom(change)} (the same turns, or more)`;
      case 'deleted':
        return `deleted on ${byWhom(change)}`;
      case 'marked':
        return marks.join('; ');
      case 'changed':
        return `changed on ${byWhom(change)}`;
    }
  })();
  const extra = change.kind === 'marked' || marks.length === 0 ? '' : `; ${marks.join('; ')}`;
  return `${head}: ${what}${extra}`;
}

/** The human report of a plan: every action and conflict, totals, notices. */
export function planLines(result: PlanResult, options: { verbose: boolean; reportConflicts: boolean }): string[] {
  const { plan } = result;
  const lines: string[] = [`Plan for ${plan.machineId}: ${plan.localRoot} <-> ${plan.cloudRoot}`];
  if (options.verbose) {
    lines.push('Scope (top-level entries of the Codex home):');
    for (const entry of result.scope) lines.push(`  ${entry.inScope ? 'in ' : 'out'}  ${entry.name}: ${entry.why}`);
  }
  if (plan.threads.length > 0) {
    lines.push(`Threads (${plan.threads.length}):`);
    for (const change of plan.threads) lines.push(`  ${threadLine(change)}`);
  }
  // A thread's rollout files are the detail: shown with -v.
  const threadFiles = new Set(options.verbose ? [] : plan.threads.flatMap((t) => t.paths));
  const fileActions = plan.actions.filter((a) => !threadFiles.has(a.path) && !(a.kind === 'keep' && threadFiles.has(a.of)));
  if (plan.actions.length === 0 && plan.threads.length === 0) lines.push('Nothing to copy, merge or delete.');
  else if (fileActions.length > 0) {
    if (plan.threads.length > 0) lines.push(`Files (${fileActions.length}):`);
    for (const action of fileActions) lines.push(actionLine(action));
  }
  if (plan.conflicts.length > 0) {
    lines.push(`Conflicts (${plan.conflicts.length}):`);
    if (options.reportConflicts) for (const conflict of plan.conflicts) lines.push(...conflictLines(conflict));
    else lines.push('  (the list is hidden: conflict.report_conflicts = false)');
  }
  if (plan.conflictCopies.length > 0) {
    lines.push(`Conflict copies made by the cloud client (${plan.conflictCopies.length}):`);
    for (const copy of plan.conflictCopies) lines.push(`  ${copy.path} (${copy.client}, a copy of ${copy.original})`);
    lines.push('  Keep one version of each (delete or rename the others in the cloud folder), or merge JSONL ones with --merge-conflict-copies.');
  }
  if (plan.waiting !== undefined) {
    const { from, paths, records } = plan.waiting;
    for (const record of records) lines.push(`Waiting: ${unreadableRecordText(record)}.`);
    if (paths.length > 0) {
      const files = paths.length === 1 ? 'file' : 'files';
      lines.push(
        from === undefined
          ? `Waiting for ${paths.length} ${files} no handoff record accounts for (still arriving, or not written by codexSync):`
          : `Waiting for ${paths.length} ${files} from ${from} (the cloud folder has not finished syncing):`,
      );
    }
    for (const path of paths.slice(0, 20)) lines.push(`  ${path}`);
    if (paths.length > 20) lines.push(`  … and ${paths.length - 20} more`);
  }
  if (plan.skips.length > 0) {
    lines.push(`Left different on purpose (${plan.skips.length}):`);
    for (const skip of plan.skips) lines.push(`  ${skip.path}: ${skip.why}; this machine ${facts(skip.local)}, cloud ${facts(skip.cloud)}`);
  }
  if (result.leftoverTemps.length > 0) lines.push(`${plural(result.leftoverTemps.length, 'temp file')} from an interrupted run will be removed.`);
  if (result.deletionStop !== undefined) lines.push(`Stop: ${deletionStopText(result.deletionStop)} (an apply needs --force)`);
  lines.push(`Totals: ${totalsLine(plan)}`);
  for (const notice of plan.notices) lines.push(`Note: ${noticeText(notice)}`);
  return lines;
}
