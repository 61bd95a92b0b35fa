import type { EngineContext, PlanResult, WarmPlanner } from '../../core/engine/index.ts';
import type { UnwatchedFolder } from '../treeWatch.ts';
import { unwatchedLine, watcherMissLine, type RescanReason } from './words.ts';

/**
 * The app's plans of the trees as they are now: warm, from the scans kept up to date by the folder
 * watchers; read in full when a rescan is due, or while some folder cannot be watched (a change
 * there reaches no watcher). What a full read finds that the watchers did not report is logged
 * as missed, and the folders not watched are logged once each time they change.
 */
export class TreePlans {
  private readonly warm: WarmPlanner;
  private readonly unwatched: () => readonly UnwatchedFolder[];
  private unwatchedLogged: string | undefined;

  constructor(warm: WarmPlanner, unwatched: () => readonly UnwatchedFolder[] = () => []) {
    this.warm = warm;
    this.unwatched = unwatched;
  }

  async plan(ctx: EngineContext, rescan?: RescanReason): Promise<PlanResult> {
    const unwatched = this.unwatched();
    const line = unwatched.length === 0 ? undefined : unwatchedLine(unwatched);
    if (line !== undefined && line !== this.unwatchedLogged) ctx.log.warning(line);
    this.unwatchedLogged = line;
    const reason = rescan ?? (unwatched.length > 0 ? 'unwatched' : undefined);
    if (reason === undefined) return (await this.warm.plan(ctx)).result;
    const { run, misses } = await this.warm.rescan(ctx);
    if (misses.length > 0) ctx.log.warning(watcherMissLine(reason, misses));
    return run.result;
  }
}
