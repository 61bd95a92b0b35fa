import type { LoadedConfig } from '../../core/config/index.ts';
import { readSettings } from '../../core/config/index.ts';
import { summariseSnapshots } from '../../core/backup/index.ts';
import { activityTimeline, doctor, snapshotThreads, threadDetail, threadList, type EngineContext } from '../../core/engine/index.ts';
import { localDate, readDayLog } from '../../core/log/index.ts';
import type { Environment } from '../../core/platform.ts';
import { activityView, snapshotThreadsView } from './activityView.ts';
import type { Handlers } from './dispatch.ts';
import { threadDetailView, threadsView } from './threadsView.ts';

/** What the windows' read-only requests need of the service. */
export interface ReadAccess {
  configFile: string;
  env: Environment;
  config(): LoadedConfig;
  now(): Date;
  /** Runs `work` with an engine context for this machine's config (no task, no progress). */
  withRuntime<T>(work: (ctx: EngineContext) => Promise<T>): Promise<T>;
}

/** The requests that only read: snapshots, logs, settings, doctor, threads, activity. None writes or takes the lock. */
export function readHandlers(access: ReadAccess): Pick<Handlers, 'listSnapshots' | 'readLogs' | 'readSettings' | 'doctor' | 'threads' | 'threadDetail' | 'activity' | 'snapshotThreads'> {
  return {
    listSnapshots: async () => {
      const config = access.config();
      return { backupDir: config.paths.backupDir, snapshots: await summariseSnapshots(config.paths.backupDir, config.settings.identity.machine_id) };
    },
    readLogs: async (request) => {
      const config = access.config();
      return readDayLog(config.paths.logFile, config.settings.identity.machine_id, request.date ?? localDate(access.now()));
    },
    readSettings: () => readSettings(access.configFile, access.env),
    doctor: () => access.withRuntime((ctx) => doctor(ctx)),
    threads: () => access.withRuntime(async (ctx) => threadsView(await threadList(ctx))),
    threadDetail: (request) => access.withRuntime(async (ctx) => threadDetailView(await threadDetail(ctx, request.id))),
    activity: () => access.withRuntime(async (ctx) => activityView(await activityTimeline(ctx))),
    snapshotThreads: () => access.withRuntime(async (ctx) => snapshotThreadsView(await snapshotThreads(ctx))),
  };
}
