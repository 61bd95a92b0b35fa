import type { DeletionStop, Problem, RecordDamage, UnreadableRecord } from '../../core/errors.ts';
import type { RestoreRefusal } from '../../core/backup/index.ts';
import type { Failure } from '../../core/apply/index.ts';
import type { ThreadDetail, ThreadEntry, WatcherMiss } from '../../core/engine/index.ts';
import type { Notice, ThreadChange } from '../../core/plan/index.ts';
import type { RolloutRead } from '../../core/threads/index.ts';
import { describeProcesses, terminationQuestion } from '../../shared/processWords.ts';
import { ignoredSnapshotText, passedOver } from '../../shared/snapshotWords.ts';
import { machineIdRule, refusedFolderText } from '../../shared/setupWords.ts';
import { formatBytes, plural } from '../../shared/format.ts';

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
    case 'setup-machine-id':
      return problem.value.trim() === '' ? 'give this machine a name: nothing was written' : `"${problem.value}" cannot be a machine name: ${machineIdRule}; nothing was written`;
    case 'setup-nested':
    case 'setup-unwritable':
      return refusedFolderText(problem);
    case 'setup-config-exists':
      return `there is a config file already (${problem.path}): change it in Settings; nothing was written`;
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
    case 'no-snapshot-before':
      return `there is no backup snapshot of ${problem.machineId} from ${problem.at} or earlier: nothing to restore${passedOver(problem.ignored)}`;
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
    case 'thread-unknown':
      return `This thread is no longer on this machine or in the cloud folder (${problem.id}): it may have been deleted or handed off since the list was made. Refresh the list.`;
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

/** The other machine as the app names it. */
function machineName(machine: string | undefined): string {
  return machine ?? 'the other machine';
}

/** Where a thread stands, for the Threads window: "3 new turns from laptop". */
export function standingText(entry: Pick<ThreadEntry, 'standing' | 'change' | 'machine' | 'turnsAdded' | 'fork'>): string {
  const other = machineName(entry.machine);
  switch (entry.standing) {
    case 'local-only':
      return 'Only here';
    case 'cloud-only':
      return `Only in the cloud (from ${other})`;
    case 'in-sync':
      return 'In sync';
    case 'arriving':
      return `Arriving from ${other}`;
    case 'forked':
      return entry.fork === undefined ? 'Forked: both machines added turns' : `Forked: ${other} added ${plural(entry.fork.cloudTurns, 'turn')}, this machine ${entry.fork.localTurns}`;
    case 'newer-cloud':
      return entry.change === 'continued' && entry.turnsAdded !== undefined ? `${plural(entry.turnsAdded, 'new turn')} from ${other}` : `${changeOnMachine(entry.change, other)}`;
    case 'newer-local':
      return entry.change === 'continued' && entry.turnsAdded !== undefined ? `${plural(entry.turnsAdded, 'new turn')} here, not handed off yet` : `${changeOnMachine(entry.change, 'this machine')}`;
  }
}

function changeOnMachine(change: ThreadChange['kind'] | undefined, machine: string): string {
  switch (change) {
    case 'archived':
      return `Archived on ${machine}`;
    case 'unarchived':
      return `Unarchived on ${machine}`;
    case 'deleted':
      return `Deleted on ${machine}`;
    case 'marked':
      return `Renamed or pinned on ${machine}`;
    case 'replaced':
      return `Another version on ${machine}`;
    default:
      return machine === 'this machine' ? 'Newer here' : `Newer on ${machine}`;
  }
}

/** What a plan does to one thread, for the plan review: "2 new turns from laptop". */
export function threadChangeText(change: ThreadChange): string {
  const by = change.from === 'local' ? 'this machine' : machineName(change.machine);
  switch (change.kind) {
    case 'new':
      return `New thread from ${by}`;
    case 'continued':
      return change.turnsAdded === undefined ? `Continued on ${by}` : `${plural(change.turnsAdded, 'new turn')} from ${by}`;
    case 'replaced':
      return `${by === 'this machine' ? "This machine's" : `${by}'s`} version replaces the other (it is backed up first)`;
    case 'forked':
      return change.fork === undefined
        ? 'Forked: both machines added turns; both versions are kept'
        : `Forked: ${machineName(change.machine)} added ${plural(change.fork.cloudTurns, 'turn')}, this machine ${change.fork.localTurns}; both versions are kept`;
    case 'archived':
    case 'unarchived':
    case 'deleted':
    case 'marked':
      return changeOnMachine(change.kind, by);
    case 'compressed':
      return `Compressed by Codex on ${by} (the same turns)`;
    case 'decompressed':
      return `Stored plain again on ${by}`;
    case 'changed':
      return `Changed on ${by}`;
  }
}

/** How a thread's two versions relate, for its detail. */
export function relationText(detail: Pick<ThreadDetail, 'comparison' | 'turns' | 'machine'>): string | undefined {
  const only = (side: 'local' | 'cloud'): number => detail.turns.filter((turn) => turn.on === side).length;
  const other = machineName(detail.machine);
  switch (detail.comparison) {
    case undefined:
      return undefined;
    case 'same':
      return 'This machine and the cloud folder hold the same turns.';
    case 'extension':
      return only('cloud') > 0
        ? `The cloud folder has ${plural(only('cloud'), 'turn')} from ${other} that this machine does not have yet.`
        : `This machine has ${plural(only('local'), 'turn')} the cloud folder does not have yet.`;
    case 'fork':
      return `Forked: ${other} added ${plural(only('cloud'), 'turn')}, this machine ${only('local')}, since they last shared it. A hand-off keeps both versions.`;
    case 'unrelated':
      return 'The two versions share no turn: a hand-off keeps both.';
  }
}

/** Why a rollout file cannot be read as a thread. */
export function rolloutProblemText(problem: Exclude<RolloutRead, { kind: 'thread' }>): string {
  switch (problem.reason) {
    case 'too-large':
      return `too large to read (over ${formatBytes(problem.limit)})`;
    case 'zst-damaged':
      return 'the compressed file is damaged or cut short';
    case 'missing':
      return 'it disappeared while it was read';
    case 'io':
      return `it cannot be read (${problem.code})`;
    case 'name':
      return 'its name is not a rollout name';
    case 'empty':
      return 'it is empty';
    case 'incomplete':
      return 'its first line is not complete yet (still arriving?)';
    case 'no-session-meta':
      return 'it does not begin as a Codex thread';
    case 'id-mismatch':
      return `its first line names another thread (${problem.metaId})`;
  }
}

/** Why the app read both trees afresh instead of trusting its folder watchers. */
export type RescanReason = 'start' | 'resume' | 'hourly' | 'unwatched';

/** The paths a full rescan found changed that no folder watcher had reported, for the log (at most 200 named). */
export function watcherMissLine(reason: RescanReason, misses: readonly WatcherMiss[]): string {
  const when = reason === 'start' ? 'at start' : reason === 'resume' ? 'after the machine woke' : reason === 'hourly' ? 'in the hourly check' : 'of folders not watched';
  const shown = misses.slice(0, 200).map((miss) => `${miss.side === 'local' ? 'Codex home' : 'cloud'}: ${miss.path}`);
  return `full rescan ${when}: the folder watchers missed ${plural(misses.length, 'change')}: ${shown.join('; ')}${misses.length > shown.length ? '; …' : ''}`;
}

/** Folders the system would not watch, for the log (the first few named): what follows for the checks, and what to do. */
export function unwatchedLine(folders: ReadonlyArray<{ side: 'local' | 'cloud'; folder: string; code: string }>): string {
  const codes = [...new Set(folders.map((f) => f.code))].sort();
  const limit = codes.includes('ENOSPC') ? "; the system's limit of folder watches is reached: raise it (on Linux, fs.inotify.max_user_watches)" : '';
  const shown = folders.slice(0, 5).map((f) => `${f.side === 'local' ? 'Codex home' : 'cloud'}: ${f.folder === '' ? '(top folder)' : f.folder}`);
  return `could not watch ${plural(folders.length, 'folder')} (${codes.join(', ')}): ${shown.join('; ')}${folders.length > shown.length ? '; …' : ''}; every check reads both trees in full until they can be watched${limit}`;
}
