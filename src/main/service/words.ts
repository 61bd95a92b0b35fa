import type { DeletionStop, Problem, RecordDamage, UnreadableRecord } from '../../core/errors.ts';
import type { RestoreRefusal } from '../../core/backup/index.ts';
import type { Failure } from '../../core/apply/index.ts';
import type { Notice } from '../../core/plan/index.ts';
import { describeProcesses, terminationQuestion } from '../../shared/processWords.ts';
import { ignoredSnapshotText, passedOver } from '../../shared/snapshotWords.ts';
import { plural } from '../../shared/format.ts';

// The app's words for what the engine returns as data. The app has no command-line flags:
// where the command line would name one, the app names the button or the window instead.

export function deletionStopText(stop: DeletionStop): string {
  return stop.kind === 'side-empty'
    ? `${stop.side === 'local' ? `the Codex home ${stop.root}` : `the cloud folder ${stop.root}`} has none of the ${stop.tracked} files this machine handed off last time: is it mounted and fully synced?`
    : `this hand-off would delete or empty ${stop.destructive} of ${stop.tracked} synced files (more than safety.max_delete_percent = ${stop.maxPercent}%)`;
}

function damageText(damage: RecordDamage): string {
  switch (damage.kind) {
    case 'incomplete':
      return 'still arriving, or damaged';
    case 'field':
      return `its "${damage.field}" is missing or not valid`;
    case 'entry': {
      const path = JSON.stringify(damage.path);
      const shown = path.length > 120 ? `${path.slice(0, 117)}…"` : path;
      return `its entry ${shown} ${damage.why === 'unsafe-path' ? 'is not a safe relative path' : damage.why === 'size' ? 'has an impossible size' : 'has no valid SHA-256'}`;
    }
  }
}

/** "the hand-off record of desk (handoff-desk.json) cannot be read yet (still arriving, or damaged)" */
export function unreadableRecordText(record: UnreadableRecord): string {
  return `the hand-off record of ${record.machineId} (${record.name}) cannot be read yet (${damageText(record.damage)})`;
}

export function problemText(problem: Problem): string {
  switch (problem.code) {
    case 'message':
      return problem.text;
    case 'config-invalid':
      return problem.summary;
    case 'config-missing':
      return `there is no config file yet (${problem.path}): open Settings to create one`;
    case 'arrival-pending':
      return `the cloud folder has not finished syncing from ${problem.from ?? 'the other machine'} (${plural(problem.count, 'file')} pending): nothing was changed; try again when your cloud client has finished`;
    case 'changed-during-run':
      return `${plural(problem.count, 'file')} in ${problem.side === 'local' ? 'the Codex home' : 'the cloud folder'} changed during the hand-off (${problem.paths.slice(0, 3).join(', ')}${problem.paths.length > 3 ? ', …' : ''}): nothing was changed; try again when your cloud client has finished`;
    case 'record-unreadable':
      return `${problem.records.map(unreadableRecordText).join('; ')}: nothing was changed; try again when your cloud client has finished`;
    case 'machine-id-shared':
      return `two machines use the machine id ${problem.machineId}: ${problem.thisHost} and ${problem.otherHost ?? 'a host that did not say its name'}; give each its own machine id in Settings, starting with this one (nothing was changed)`;
    case 'deletion-stop':
      return `${deletionStopText(problem.stop)}: nothing was changed; review the plan and apply it if this is what you want`;
    case 'codex-running':
      return `Codex is ${problem.closable ? '' : 'still '}running (${describeProcesses(problem.processes)}): close it and try again`;
    case 'termination-declined':
      return 'Codex is running and ending it was declined: close Codex and run again';
    case 'termination-timeout':
      return `Codex did not exit within ${problem.seconds} s (PID ${problem.pids.join(', ')}): nothing was written; close it and try again`;
    case 'codex-restarted':
      return 'Codex started again while it was being closed: close it and try again';
    case 'process-list-unreadable':
      return `cannot tell whether Codex is running (the process list could not be read: ${problem.why}): nothing was written`;
    case 'lock-held':
      return `another hand-off holds the lock (machine ${problem.machineId}, ${problem.host}, since ${problem.startedAt}): nothing was changed; try again when it has finished`;
    case 'lock-contended':
      return 'another hand-off keeps taking the lock: nothing was changed; try again in a moment';
    case 'lock-unusable':
      return `the cloud folder's lock ${problem.file} is ${problem.what === 'folder' ? 'a folder, not a lock file' : 'not a codexSync lock'}: nothing was changed; remove it and try again`;
    case 'home-missing':
      return `the Codex home ${problem.root} does not exist: start Codex once on this machine, or choose the Codex home in Settings`;
    case 'home-unwritable':
      return `cannot write into the Codex home ${problem.root} (${problem.why}): nothing was changed`;
    case 'cloud-unwritable':
      return `cannot write in the cloud folder ${problem.root} (${problem.why}): nothing was changed`;
    case 'disk-full':
      return `the disk filled up while writing ${problem.path}: every file is either its old or its new version; free some space and hand off again`;
    case 'base-damaged':
      return `this machine's record of its last hand-off (${problem.file}) is damaged: nothing was changed; move it aside to start over`;
    case 'vanished-while-planning':
      return `${problem.path} disappeared while the plan was made: nothing was changed; try again once the cloud client is idle`;
    case 'unsafe-path':
      return `${problem.path} is a symbolic link; nothing is written through it: nothing was changed`;
    case 'no-snapshot':
      return `there is no backup snapshot of ${problem.machineId} yet: nothing to restore${passedOver(problem.ignored)}`;
    case 'snapshot-missing':
    case 'snapshot-not-a-name':
    case 'not-a-snapshot':
      return `${problem.name} is not a backup snapshot in ${problem.backupDir}`;
    case 'snapshot-damaged':
      return `snapshot ${problem.name} ${problem.why}: nothing was restored`;
    case 'choice-invalid':
      return problem.why === 'not-a-conflict' ? `${problem.path} is not a conflict of this plan` : `${problem.path} cannot be settled with "${problem.choice}"`;
    case 'codex-binary-unusable':
      return `The Codex program chosen in Settings (${problem.path}) ${notExecutableText[problem.why]}. Choose the codex program in Settings, or clear the field to use the one on this computer's PATH or the Codex app's own.`;
  }
}

const notExecutableText = { missing: 'does not exist', 'not-a-file': 'is not a file', 'not-executable': 'cannot be run' } as const;

/** Why one file was not written or restored. */
export function failureText(failure: Pick<Failure, 'path' | 'why' | 'file' | 'detail'>): string {
  switch (failure.why) {
    case 'source-changed':
      return 'it changed during the hand-off, while it was being copied; the next hand-off takes it';
    case 'target-changed':
      return 'it changed during the hand-off, after the plan was made; it was left as it is';
    case 'hash-mismatch':
      return 'its bytes do not match what the other machine recorded (or the backup is damaged)';
    case 'unsafe-path':
      return `${failure.file ?? 'a folder on the way'} is a symbolic link; nothing is written through it`;
    case 'cannot-write':
      return `cannot write it: ${failure.detail ?? 'unknown error'}`;
    case 'codex-call-failed':
      return `Codex did not move this thread as the other machine did (${failure.detail ?? 'no reason given'}); it stays as it is, and the next hand-off tries again`;
  }
}

/** What the user does so that a skipped entry is handed off again. */
const skippedFix: Record<Extract<Notice, { code: 'skipped' }>['why'], string> = {
  symlink: 'a link is never followed: put the file or folder itself there to hand it off',
  'special file': 'only files and folders are handed off: move it away to hand off what belongs there',
  unreadable: 'make it readable to hand it off',
  'name is not valid UTF-8': 'rename it to hand it off',
};

export function noticeText(notice: Notice): string {
  switch (notice.code) {
    case 'skipped': {
      const where = notice.side === 'local' ? 'Codex home' : 'cloud';
      const held =
        notice.leftAlone === 0 ? '' : `; ${plural(notice.leftAlone, 'file')} there ${notice.leftAlone === 1 ? 'stays' : 'stay'} as ${notice.leftAlone === 1 ? 'it is' : 'they are'} on both sides`;
      return `${notice.path === '' ? `the ${where} folder itself` : notice.path} (${where}): ${notice.why}, not handed off${held}; ${skippedFix[notice.why]}`;
    }
    case 'session-filter':
      return notice.latest === undefined
        ? 'Only the newest day of sessions was asked for, but no folder is dated: every session is handed off'
        : `Sessions of ${notice.latest} and every thread written to since then`;
    case 'cloud-root-missing':
      return `the cloud folder ${notice.root} does not exist yet: the first hand-off creates it`;
    case 'threads-not-listed':
      return notice.codexFound
        ? `${plural(notice.count, 'handed-off thread')} will appear in Codex after this hand-off`
        : `${plural(notice.count, 'handed-off thread')} will not appear in Codex's list by themselves: codexSync found no Codex on this machine to add them (choose it in Settings)`;
    case 'thread-forms-differ':
      return `A thread is stored compressed on one side and plain on the other, and the two went different ways: both stay as they are; open it in Codex on the machine with the turns you want, then hand off again`;
    case 'codex-behind':
      return `${notice.machine ?? 'The other machine'} runs Codex ${notice.theirs}, this machine ${notice.ours}: update Codex before you continue these threads`;
    case 'thread-replace-waiting':
      return `A thread goes another way on the other machine, but codexSync found no Codex on this machine to take its version in (choose it in Settings); it stays as it is`;
    case 'thread-move-waiting':
      return `A thread was ${notice.op}d on the other machine, but codexSync found no Codex on this machine to ${notice.op} it here (choose it in Settings); it stays as it is`;
    case 'record-ignored':
      return `${unreadableRecordText(notice.record)}: ignored`;
    case 'guard':
      switch (notice.note.kind) {
        case 'process-list-unreadable':
          return 'the process list could not be read';
        case 'would-refuse':
          return `Codex is running (${describeProcesses(notice.note.processes)}): close it before you hand off`;
        case 'would-ask':
          return `Codex is running: the hand-off will ask before it ends ${describeProcesses(notice.note.request.processes)}`;
        case 'would-end':
        case 'ended':
          return `the hand-off ends ${describeProcesses(notice.note.processes)}`;
      }
  }
}

export { terminationQuestion };
export { ignoredSnapshotText };

/** Why a file of a snapshot is not restored. */
export function refusalText(why: RestoreRefusal): string {
  return why === 'never-synced' ? 'never restored: codexSync never hands off this file' : 'not restored: not part of what codexSync hands off (see Settings)';
}
