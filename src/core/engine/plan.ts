import type { EngineContext } from './context.ts';
import { planRun, reportOnlyCheck, type PlanResult } from './planRun.ts';

/** `plan`: scans and decides; writes nothing and never ends a process. */
export async function makePlan(ctx: EngineContext): Promise<PlanResult> {
  return (await planRun(ctx, reportOnlyCheck(ctx), { ignoreHandoffRecord: false })).result;
}
