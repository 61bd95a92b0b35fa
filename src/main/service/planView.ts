import { join } from 'node:path';
import type { PlanResult } from '../../core/engine/index.ts';
import { machineOfCloudFile, type HandoffRecord } from '../../core/handoff/index.ts';
import { choicesFor, previewConflict, type Conflict } from '../../core/plan/index.ts';
import type { ConflictView, PlanView } from '../../shared/contract.ts';
import { describeReason } from '../../shared/reasons.ts';
import type { ReviewReason } from '../model/handoffDecision.ts';
import { deletionStopText, noticeText, threadChangeText, unreadableRecordText } from './words.ts';

const conflictWhy: Record<string, string> = {
  'both-changed': 'changed on both machines since the last hand-off',
  'no-base': 'different on both sides, and never handed off from this machine',
  'equal-mtime': 'same modification time, different content',
  case: 'names that differ only in upper and lower case: a Mac or Windows folder holds only one',
  type: 'a file on one side, a folder of the same name on the other: move one of them out of the way',
  fork: 'a thread both machines continued: both versions are kept, the one that gives way as a thread of its own',
};

/** Conflict previews read at most this many files; a plan rarely has more conflicts than that. */
const PREVIEWED_CONFLICTS = 200;

/** The plan as the review window shows it: every action with its reason in words, conflicts with previews. */
export async function planView(result: PlanResult, planId: string, createdAt: Date, records: readonly HandoffRecord[], review: ReviewReason[], backupBeforeOverwrite: boolean): Promise<PlanView> {
  const { plan } = result;
  const conflicts: ConflictView[] = [];
  for (const [index, conflict] of plan.conflicts.entries()) {
    conflicts.push(await conflictView(conflict, plan.localRoot, plan.cloudRoot, records, index < PREVIEWED_CONFLICTS));
  }
  return {
    planId,
    createdAt: createdAt.toISOString(),
    machineId: plan.machineId,
    localRoot: plan.localRoot,
    cloudRoot: plan.cloudRoot,
    actions: plan.actions.map((action) => {
      const why = describeReason(action);
      switch (action.kind) {
        case 'keep':
          return { kind: 'copy', path: action.path, from: 'cloud', to: 'local', why, source: action.source };
        case 'copy':
          return { kind: 'copy', path: action.path, from: action.from, to: action.to, why, source: action.source, ...(action.target === undefined ? {} : { target: action.target }) };
        case 'delete':
          return { kind: 'delete', path: action.path, side: action.side, why, target: action.target };
        case 'merge':
          return { kind: 'merge', path: action.path, why, local: action.local, cloud: action.cloud };
      }
    }),
    conflicts,
    skips: plan.skips.map((skip) => ({ path: skip.path, why: skip.why, local: skip.local, cloud: skip.cloud })),
    unchanged: plan.unchanged,
    totals: plan.totals,
    notices: [
      ...(plan.waiting?.records ?? []).map(unreadableRecordText),
      ...plan.notices.map(noticeText),
      ...plan.conflictCopies.map((copy) => `${copy.path} is a conflict copy that ${copy.client} made of ${copy.original}`),
      ...(result.leftoverTemps.length > 0 ? [`${result.leftoverTemps.length} temp files left by an interrupted run will be removed`] : []),
    ],
    ...(result.deletionStop === undefined ? {} : { deletionWarning: deletionStopText(result.deletionStop) }),
    ...(plan.waiting === undefined ? {} : { waiting: { ...(plan.waiting.from === undefined ? {} : { from: plan.waiting.from }), paths: plan.waiting.paths } }),
    review,
    backupNote: backupBeforeOverwrite
      ? 'Every file replaced or deleted is backed up first.'
      : 'Deleted files and the version that loses a conflict are backed up first; other replaced files are not (backup.backup_before_overwrite is off in Settings).',
    threads: plan.threads.map((change) => ({
      id: change.id,
      title: change.title,
      ...(change.project === undefined ? {} : { project: change.project }),
      kind: change.kind,
      text: threadChangeText(change),
      from: change.from,
      ...(change.machine === undefined ? {} : { machine: change.machine }),
      paths: change.paths,
    })),
  };
}

async function conflictView(conflict: Conflict, localRoot: string, cloudRoot: string, records: readonly HandoffRecord[], preview: boolean): Promise<ConflictView> {
  const at = (root: string): string => join(root, ...conflict.path.split('/'));
  const machine = machineOfCloudFile(records, conflict.path, conflict.cloud?.size) ?? records[0]?.machineId;
  return {
    path: conflict.path,
    kind: conflict.kind,
    why: conflictWhy[conflict.kind] ?? conflict.kind,
    ...(conflict.local === undefined ? {} : { local: conflict.local }),
    ...(conflict.cloud === undefined ? {} : { cloud: conflict.cloud }),
    ...(machine === undefined ? {} : { cloudMachine: machine }),
    ...(conflict.resolution === undefined ? {} : { settled: conflict.resolution }),
    choices: choicesFor(conflict),
    preview:
      conflict.kind === 'type'
        ? { kind: 'none', why: 'a file and a folder: no preview' }
        : preview
          ? await previewConflict(at(localRoot), at(cloudRoot), conflict.path)
          : { kind: 'none', why: 'no preview beyond the first 200 conflicts' },
  };
}
