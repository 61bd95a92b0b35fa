// The engine: one entry per command. The command line, the app and the tests call these.
export type { EngineContext } from './context.ts';
export { makePlan } from './plan.ts';
export type { PlanResult } from './planRun.ts';
export { sync, type SyncOptions, type SyncResult, type SyncStatus } from './sync.ts';
export { restore, type RestoreOptions, type RestoreResult } from './restore.ts';
export { activityTimeline, type ActivityEntry, type ActivityThread, type ActivityTimeline, type BackupActivity, type HandoffActivity } from './activity.ts';
export { snapshotThreads, type SnapshotThread, type ThreadVersion } from './snapshotThreads.ts';
export { doctor } from './doctor.ts';
export type { CallOutcome, CodexAccess, ThreadCalls } from './threadPhase.ts';
export { threadList, type ThreadEntry, type ThreadListing, type ThreadStanding } from './threadList.ts';
export { threadDetail, type DetailTurn, type ThreadDetail, type ThreadSideDetail } from './threadDetail.ts';
export { WarmPlanner, type WatcherMiss } from './warmPlanner.ts';
export type { PlannedRun } from './planRun.ts';
