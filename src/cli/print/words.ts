import { describeProcesses, terminationQuestion } from '../../shared/processWords.ts';
import type { DeletionStop, ProcessFacts, Problem, RecordDamage, UnreadableRecord } from '../../core/errors.ts';
import type { RestoreRefusal } from '../../core/backup/index.ts';
import type { GuardNote, Notice } from '../../core/plan/index.ts';
import { ignoredSnapshotText, passedOver } from '../../shared/snapshotWords.ts';
import { machineIdRule, refusedFolderText } from '../../shared/setupWords.ts';
import { plural } from './format.ts';

export function deletionStopText(stop: DeletionStop): string {
  return stop.kind === 'side-empty'
    ? `${stop.side === 'local' ? `the Codex home ${stop.root}` : `the cloud folder ${stop.root}`} has none of the ${stop.tracked} files this machine synced last time: is it mounted and fully synced?`
    : `this run would delete or empty ${stop.destructive} of ${stop.tracked} synced files (more than safety.max_delete_percent = ${stop.maxPercent}%)`;
}

/** A path from an untrusted record, quoted so that every character shows, and cut short. */
function quoted(path: string): string {
  const text = JSON.stringify(path);
  return text.length > 120 ? `${text.slice(0, 117)}…"` : text;
}

function damageText(damage: RecordDamage): string {
  switch (damage.kind) {
    case 'incomplete':
      return 'still arriving, or damaged';
    case 'field':
      return `its "${damage.field}" is missing or not valid`;
    case 'entry':
      return `its entry ${quoted(damage.path)} ${damage.why === 'unsafe-path' ? 'is not a safe relative path' : damage.why === 'size' ? 'has an impossible size' : 'has no valid SHA-256'}`;
  }
}

/** "the handoff record of desk (handoff-desk.json) cannot be read yet (still arriving, or damaged)" */
export function unreadableRecordText(record: UnreadableRecord): string {
  return `the handoff record of ${record.machineId} (${record.name}) cannot be read yet (${damageText(record.damage)})`;
}

const codexRunning = (list: readonly ProcessFacts[], closable: boolean): string => `Codex is ${closable ? '' : 'still '}running (${describeProcesses(list)}): close it and run again`;

/** A problem in the command line's words: what is wrong, what was kept safe, what to do (and which flag does it). */
export function problemText(problem: Problem): string {
  switch (problem.code) {
    case 'message':
      return problem.text;
    case 'config-invalid':
      return problem.summary;
    case 'setup-machine-id':
      return problem.value.trim() === ''
        ? 'the machine id is empty: set identity.machine_id; nothing was written'
        : `"${problem.value}" cannot be a machine id (identity.machine_id): ${machineIdRule}; nothing was written`;
    case 'setup-nested':
    case 'setup-unwritable':
      return refusedFolderText(problem);
    case 'setup-config-exists':
      return `${problem.path} exists already: edit it, or pass another file with -c; nothing was written`;
    case 'config-missing':
      return configMissingText(problem.path);
    case 'home-missing':
      return `the Codex home ${problem.root} does not exist: start Codex once on this machine or fix paths.local_state_dir`;
    case 'home-unwritable':
      return `cannot write into the Codex home ${problem.root} (${problem.why}): nothing was changed`;
    case 'cloud-unwritable':
      return `cannot write in the cloud folder ${problem.root} (${problem.why}): nothing was changed`;
    case 'disk-full':
      return `the disk is full while writing ${problem.path}: every file is either its old or its new version; free some space and run again`;
    case 'base-damaged':
      return `the base state ${problem.file} is damaged: nothing was changed. Move it aside to start over (the next sync then treats every file as new and deletes nothing)`;
    case 'vanished-while-planning':
      return `${problem.path} disappeared from ${problem.side === 'local' ? 'the Codex home' : 'the cloud folder'} while planning: nothing was changed; run again once the cloud client is idle`;
    case 'arrival-pending': {
      const from = problem.from ?? 'the other machine';
      const pending = plural(problem.count, 'file');
      if (problem.paths === undefined) {
        return `the cloud folder has not finished syncing from ${from} (${pending} pending): nothing was changed; wait for the cloud client and run again (--force takes the files as they are)`;
      }
      const listed = `${problem.paths.slice(0, 5).join(', ')}${problem.paths.length > 5 ? ', …' : ''}`;
      return `the cloud folder has not finished syncing from ${from} (${pending} pending: ${listed}): nothing in the Codex home was changed; wait for the cloud client and run again`;
    }
    case 'changed-during-run': {
      const where = problem.side === 'local' ? 'the Codex home' : 'the cloud folder';
      const listed = `${problem.paths.slice(0, 5).join(', ')}${problem.paths.length > 5 ? ', …' : ''}`;
      return `${plural(problem.count, 'file')} in ${where} changed during the run (${listed}): nothing in the Codex home was changed; run again once the cloud client is idle`;
    }
    case 'record-unreadable':
      return `${problem.records.map(unreadableRecordText).join('; ')}: nothing was changed; wait for the cloud client and run again (--force ignores the handoff records)`;
    case 'machine-id-shared':
      return `two machines use machine_id ${problem.machineId}: ${problem.thisHost} and ${problem.otherHost ?? 'a host that did not say its name'}; give each its own identity.machine_id, starting with this one (nothing was changed)`;
    case 'deletion-stop':
      return `${deletionStopText(problem.stop)} Nothing was changed; check the folders, or run with --force to go ahead`;
    case 'unsafe-path':
      return `${problem.path} is a symbolic link; nothing is written through it: nothing was changed`;
    case 'codex-running':
      return codexRunning(problem.processes, problem.closable);
    case 'termination-declined':
      return 'Codex is running and ending it was declined: close Codex and run again';
    case 'termination-timeout':
      return `Codex did not exit within ${problem.seconds} s (PID ${problem.pids.join(', ')}): nothing was written; close it and run again`;
    case 'codex-restarted':
      return 'Codex started again while it was being closed: close it and run again';
    case 'process-list-unreadable':
      return `cannot tell whether Codex is running: the process list could not be read (${problem.why}); nothing was written`;
    case 'lock-held':
      return `another codexsync run holds the lock: machine ${problem.machineId} (${problem.host}), PID ${problem.pid}, since ${problem.startedAt}: nothing was changed; run again when it has finished (the lock expires at ${problem.expiresAt})`;
    case 'lock-contended':
      return `could not take the lock ${problem.file}: another run keeps taking it; nothing was changed`;
    case 'lock-unusable':
      return problem.what === 'folder'
        ? `the lock ${problem.file} is a folder, not a lock file: nothing was changed; remove that folder and run again`
        : `the lock ${problem.file} is not a codexsync lock: nothing was changed; remove that file and run again`;
    case 'no-snapshot':
      return `there is no backup snapshot of ${problem.machineId} in ${problem.backupDir}: nothing to restore${passedOver(problem.ignored)}`;
    case 'no-snapshot-before':
      return `there is no backup snapshot of ${problem.machineId} made at or before ${problem.at} in ${problem.backupDir}: nothing to restore${passedOver(problem.ignored)}`;
    case 'snapshot-missing':
      return `no snapshot named ${problem.name} in ${problem.backupDir}`;
    case 'snapshot-not-a-name':
      return `--from must be the name of a snapshot in ${problem.backupDir}, not a path: ${JSON.stringify(problem.name)}`;
    case 'not-a-snapshot':
      return `${problem.name} in ${problem.backupDir} is neither a snapshot folder nor a .zip snapshot`;
    case 'snapshot-damaged':
      return `snapshot ${problem.name} ${problem.why}: nothing was restored`;
    case 'choice-invalid':
      return problem.why === 'not-a-conflict' ? `${problem.path} is not a conflict of this plan` : `${problem.path} cannot be settled with "${problem.choice}"`;
    case 'codex-binary-unusable':
      return `codex.binary = ${quoted(problem.path)} ${notExecutableText[problem.why]}: set the path of the codex program in the config, or remove the key to use codex on PATH`;
    case 'thread-unknown':
      return `there is no thread ${problem.id} on this machine or in the cloud folder`;
  }
}

const notExecutableText = { missing: 'does not exist', 'not-a-file': 'is not a file', 'not-executable': 'is not executable' } as const;

/** Why one file was not written or restored; `file` is the file the refusal is about. */
export function failureText(failure: { path: string; why: string; file?: string; detail?: string }): string {
  const file = failure.file ?? failure.path;
  switch (failure.why) {
    case 'source-changed':
      return `${file} changed during the run, while it was being copied; the next sync takes it`;
    case 'target-changed':
      return `${file} changed during the run, after the scan; it was left as it is`;
    case 'hash-mismatch':
      return `${file} does not match the content recorded for it`;
    case 'unsafe-path':
      return `${file} is a symbolic link; nothing is written through it`;
    case 'codex-call-failed':
      return `Codex did not move this thread as the other machine did (${failure.detail ?? 'no reason given'}); it was left as it is, and the next sync tries again`;
    default:
      return `cannot write ${failure.path}: ${failure.detail ?? failure.why}`;
  }
}

function guardNoteText(note: GuardNote): string {
  switch (note.kind) {
    case 'process-list-unreadable':
      return 'the process list could not be read (safety.fail_on_unknown = false)';
    case 'would-refuse':
      return codexRunning(note.processes, note.closable);
    case 'would-ask':
      return `a real run would ask: ${terminationQuestion(note.request)} [y/N]`;
    case 'would-end':
      return `a real run would end ${describeProcesses(note.processes)}`;
    case 'ended':
      return `ended ${describeProcesses(note.processes)}`;
  }
}

/** What the user does so that a skipped entry is synced again. */
const skippedFix: Record<Extract<Notice, { code: 'skipped' }>['why'], string> = {
  symlink: 'codexSync never follows a link: put the file or folder itself there to sync it',
  'special file': 'only files and folders are synced: move it away to sync what belongs there',
  unreadable: 'make it readable to sync it',
  'name is not valid UTF-8': 'rename it to sync it',
};

export function noticeText(notice: Notice): string {
  switch (notice.code) {
    case 'skipped': {
      const held = notice.leftAlone === 0 ? '' : `; ${plural(notice.leftAlone, 'file')} there ${notice.leftAlone === 1 ? 'is left as it is' : 'are left as they are'} on both sides`;
      const where = notice.side === 'local' ? 'Codex home' : 'cloud';
      return `${notice.path === '' ? `the ${where} folder itself` : notice.path} (${where}): ${notice.why}, not synced${held}; ${skippedFix[notice.why]}`;
    }
    case 'session-filter':
      return notice.latest === undefined
        ? 'sync.session_mode = "last_date_only" found no dated folders under sessions/ (YYYY-MM-DD or YYYY/MM/DD): all sessions are synced'
        : `sync.session_mode = "last_date_only": sessions of ${notice.latest} and every thread written to since then`;
    case 'cloud-root-missing':
      return `the cloud mirror ${notice.root} does not exist yet: an apply creates it`;
    case 'threads-not-listed':
      return notice.codexFound
        ? `${notice.count} handed-off thread(s) are not in Codex's thread list yet: an apply asks this machine's Codex to add them`
        : `${notice.count} handed-off thread(s) are not in Codex's thread list yet, and no Codex was found to add them (set codex.binary): open each with "codex resume <thread id>"`;
    case 'thread-forms-differ':
      return `${notice.plain} and ${notice.compressed} are one thread in two forms that went different ways: both are left as they are; open the thread in Codex on the machine that has the turns you want, then sync again`;
    case 'codex-behind':
      return `${notice.machine ?? 'the other machine'} runs Codex ${notice.theirs}, this machine ${notice.ours}: update Codex before you continue these threads`;
    case 'thread-replace-waiting':
      return `thread ${notice.thread} goes another way on the other machine (a fork settled there); no Codex was found to drop this machine's version first (set codex.binary), so ${notice.path} is left as it is`;
    case 'thread-move-waiting':
      return `thread ${notice.thread} was ${notice.op}d on the other machine; no Codex was found to ${notice.op} it here (set codex.binary), so ${notice.path} is left as it is`;
    case 'record-ignored':
      return `${unreadableRecordText(notice.record)}: ignored (--force)`;
    case 'guard':
      return guardNoteText(notice.note);
  }
}

export function configMissingText(path: string): string {
  return `config file not found: ${path}: create one with 'codexsync init-config --output "${path}"' or pass -c`;
}

export { terminationQuestion };
export { ignoredSnapshotText };

/** Why a file of a snapshot is not restored. */
export function refusalText(why: RestoreRefusal): string {
  return why === 'never-synced' ? 'never restored: codexSync never syncs this file' : 'not restored: outside the sync scope (targets.include_roots, filters.exclude_globs)';
}
