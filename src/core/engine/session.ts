import { hostname } from 'node:os';
import { GuardedWriter } from '../apply/index.ts';
import { pruneSnapshots, SnapshotWriter } from '../backup/index.ts';
import { catalogueCopiesDir } from '../catalogue/index.ts';
import type { Side } from '../facts.ts';
import { acquireLock, checkCodex, type HeldLock, type StaleLock } from '../guard/index.ts';
import { recordCacheFile, recordFileName, saveRecordCache, writeHandoffRecord, writeThreadState, type HandoffRecord, type RecordedFiles, type ThreadStateFile } from '../handoff/index.ts';
import { ensureInstallation, saveBase, type BaseState, addPushNotes, baseStateFile, clearPushNotes, ownRecordsFile, pushNotesFile, rememberOwnRecord, type PushNotes } from '../state/index.ts';
import { version } from '../version.ts';
import { guardOptions, type EngineContext } from './context.ts';

/**
 * The one way codexSync writes: sync, the app's conflict choices, restore and the merging of
 * conflict copies all open a session. Opening it checks (again, just before the first write)
 * that Codex is closed and takes the cloud folder's lock; every write then goes through its
 * writer (path and link checks, backup into the run's snapshot, atomic replace); the base
 * state and the handoff record are committed last; closing releases the lock.
 */
export class WriteSession {
  readonly writer: GuardedWriter;
  readonly snapshot: SnapshotWriter;
  readonly startedAt: Date;
  readonly #ctx: EngineContext;
  readonly #lock: HeldLock;
  readonly #installation: string;

  private constructor(ctx: EngineContext, lock: HeldLock, installation: string) {
    this.#ctx = ctx;
    this.#lock = lock;
    this.#installation = installation;
    const { config } = ctx;
    const roots: Record<Side, string> = { local: config.paths.localStateDir, cloud: config.paths.cloudRoot };
    this.startedAt = ctx.now();
    this.snapshot = new SnapshotWriter(config.paths.backupDir, { machineId: config.settings.identity.machine_id, localRoot: roots.local, cloudRoot: roots.cloud }, this.startedAt);
    this.writer = new GuardedWriter({ roots, snapshot: this.snapshot, ...(ctx.afterWrite === undefined ? {} : { afterWrite: ctx.afterWrite }) });
  }

  static async open(ctx: EngineContext): Promise<WriteSession> {
    // Codex may have started since the scan: checked again just before the first write.
    await checkCodex(guardOptions(ctx), 'enforce');
    const installation = await ensureInstallation(ctx.config.paths.baseStateDir);
    const lock = await acquireLock(ctx.config.paths.cloudRoot, { machineId: ctx.config.settings.identity.machine_id, installation }, ctx.now);
    if (lock.tookOver !== undefined) ctx.log.warning(tookOverLine(lock.tookOver));
    return new WriteSession(ctx, lock, installation);
  }

  /**
   * This machine's base state, as far as the writes went (also after a failure: what succeeded
   * is recorded). `applied`: whether the plan's writes ran; then the base describes every push
   * that succeeded and the note of planned pushes has served. A run stopped before them (a pull
   * not arrived) keeps the note: a conflict copy it merged into the cloud is in no base and no
   * record, and only the note tells the next run it is this machine's own.
   */
  async saveBase(baseFile: string, base: BaseState, applied: boolean): Promise<void> {
    await this.writer.flush();
    await saveBase(baseFile, base, this.#ctx.now());
    if (applied) await clearPushNotes(pushNotesFile(baseFile));
  }

  /** Notes the cloud writes about to be made, before the first of them, beside what earlier unsaved runs noted (see state/pushes.ts). */
  async notePushes(baseFile: string, notes: PushNotes): Promise<void> {
    if (notes.size > 0) await addPushNotes(pushNotesFile(baseFile), notes);
  }

  /**
   * The handoff record, written last: the other machine takes nothing this run wrote until it
   * appears. `knew`: the records it took into account (all it read, unless it waits for some).
   */
  async writeRecord(files: RecordedFiles, seen: readonly HandoffRecord[], codexVersion: string | undefined, knew: readonly HandoffRecord[] = seen): Promise<HandoffRecord> {
    const { config } = this.#ctx;
    const writer = { machineId: config.settings.identity.machine_id, installation: this.#installation, host: hostname() };
    const record = await writeHandoffRecord(config.paths.cloudRoot, writer, files, seen, this.#ctx.now(), version, codexVersion, knew);
    this.#ctx.log.info(`wrote the handoff record (sequence ${record.sequence}, ${files.size} files)`);
    // Kept from the oldest of this machine's records that the other machines' records name as known (a
    // machine with no record yet may still read any of them).
    const others = seen.filter((r) => r.machineId !== writer.machineId);
    const knownByOthers = others.map((r) => (r.seen !== undefined && Object.hasOwn(r.seen, writer.machineId) ? (r.seen[writer.machineId] as number) : 0));
    const known = knew.filter((r) => r.machineId !== writer.machineId);
    const baseFile = baseStateFile(config.paths);
    await rememberOwnRecord(ownRecordsFile(baseFile), record, known, knownByOthers.length === 0 ? 0 : Math.min(...knownByOthers));
    // The next run takes these as parsed while their bytes stay the same.
    await saveRecordCache(
      recordCacheFile(baseFile),
      [record, ...others].map((r) => ({ name: recordFileName(r.machineId), record: r })),
    );
    return record;
  }

  /** This machine's names and pins of threads, for the other machines (see handoff/threadState.ts). */
  async writeThreadState(file: ThreadStateFile): Promise<void> {
    await writeThreadState(this.#ctx.config.paths.cloudRoot, file);
    this.#ctx.log.info(`wrote the names and pins of ${Object.keys(file.threads).length} thread(s) for the other machines`);
  }

  /**
   * Completes the run's snapshot (zipped when configured) and, when asked, prunes this
   * machine's old ones, and its old copies of Codex's catalogue by the same limits.
   */
  async finishSnapshot(options: { prune: boolean }): Promise<{ snapshot: string | undefined; pruned: string[] }> {
    const { config } = this.#ctx;
    const snapshot = await this.snapshot.finish(config.settings.backup.compression);
    if (!options.prune) return { snapshot, pruned: [] };
    const machineId = config.settings.identity.machine_id;
    const limits = { retentionDays: config.settings.backup.retention_days, maxBackups: config.settings.backup.max_backups, now: this.startedAt };
    const pruned = await pruneSnapshots(config.paths.backupDir, machineId, { ...limits, ...(snapshot === undefined ? {} : { keep: snapshot }) });
    const copies = await pruneSnapshots(catalogueCopiesDir(config.paths.baseStateDir), machineId, limits);
    if (copies.length > 0) this.#ctx.log.info(`removed old copies of Codex's catalogue: ${copies.join(', ')}`);
    return { snapshot, pruned };
  }

  async close(): Promise<void> {
    await this.#lock.release();
  }
}

function tookOverLine({ holder, why }: StaleLock): string {
  if (holder === undefined) return 'took over a stale lock that stayed unreadable (a run stopped while writing it)';
  const reason = {
    expired: `it expired at ${holder.expiresAt}`,
    'too-far-ahead': `it claims to hold until ${holder.expiresAt}, further ahead than any run renews it`,
    'too-old': 'it is older than a day',
    'process-gone': 'its process is gone',
    unreadable: 'it stayed unreadable',
  }[why];
  return `took over a stale lock of ${holder.machineId} (PID ${holder.pid}, since ${holder.startedAt}): ${reason}`;
}

/** Opens a session, runs `work` in it, and always releases the lock. */
export async function inWriteSession<T>(ctx: EngineContext, work: (session: WriteSession) => Promise<T>): Promise<T> {
  const session = await WriteSession.open(ctx);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}
