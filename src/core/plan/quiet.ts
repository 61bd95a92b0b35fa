import type { SideScan } from '../scan/index.ts';
import type { BaseState } from '../state/index.ts';
import { PathSet } from '../store/index.ts';
import { buildPlan, type ContentProbe, type PlanInput } from './build.ts';
import { decide, type Rules } from './decide.ts';
import type { Plan } from './types.ts';

/**
 * The paths a plan can leave out and count as unchanged: on both sides and in the base, in scope,
 * and decided "as it is" from their stats alone. Such a path takes no part in what is decided
 * across paths (thread moves and forms, type changes: see buildPlanAround), except where its name
 * differs from another's only by case: those are kept in `colliding`. `active` holds every other
 * path of either side or the base. Kept for one pair of scans and one base, brought up to date
 * path by path (updateQuiet).
 */
export interface QuietPaths {
  /** Most paths of a tree in sync: kept a byte a path (bench/results/profile-notes.md). */
  quiet: PathSet;
  active: Set<string>;
  colliding: Set<string>;
  /** What they were worked out from: another scan or base (a walk, a new base) means working them out again. */
  from: { local: SideScan; cloud: SideScan; base: BaseState };
}

export interface QuietFacts {
  local: SideScan;
  cloud: SideScan;
  base: BaseState;
  rules: Rules;
  inScope(path: string): boolean;
}

/** Every path of both sides and the base, sorted into quiet and active (one pass over all paths). */
export function findQuiet(facts: QuietFacts): QuietPaths {
  const found: QuietPaths = { quiet: new PathSet(), active: new Set(), colliding: new Set(), from: { local: facts.local, cloud: facts.cloud, base: facts.base } };
  for (const map of [facts.local.files, facts.cloud.files, facts.base.entries]) for (const path of map.keys()) if (!found.quiet.has(path) && !found.active.has(path)) sortPath(found, facts, path);
  found.colliding = caseColliding(found);
  return found;
}

/** After the scans were patched at `paths`: each sorted again; a path not known before may collide by case with any other. */
export function updateQuiet(found: QuietPaths, facts: QuietFacts, paths: Iterable<string>): void {
  let added = false;
  for (const path of paths) {
    added ||= !found.quiet.has(path) && !found.active.has(path);
    found.quiet.delete(path);
    found.active.delete(path);
    if (facts.local.files.has(path) || facts.cloud.files.has(path) || facts.base.entries.has(path)) sortPath(found, facts, path);
  }
  if (added) found.colliding = caseColliding(found);
}

function sortPath(found: QuietPaths, facts: QuietFacts, path: string): void {
  const local = facts.local.files.get(path);
  const cloud = facts.cloud.files.get(path);
  const base = facts.base.entries.get(path);
  const quiet = local !== undefined && cloud !== undefined && base !== undefined && facts.inScope(path) && decide({ path, local, cloud, base }, {}, facts.rules).kind === 'none';
  (quiet ? found.quiet : found.active).add(path);
}

/** Paths whose names differ only by case (or Unicode normalisation) from another's: as buildPlan's caseCollisions keys them. */
function caseColliding(found: QuietPaths): Set<string> {
  const first = new Map<string, string>();
  const colliding = new Set<string>();
  for (const set of [found.quiet, found.active]) {
    for (const path of set) {
      const key = (/^[ -~]*$/.test(path) ? path : path.normalize('NFC')).toLowerCase();
      const seen = first.get(key);
      if (seen === undefined) first.set(key, path);
      else colliding.add(seen).add(path);
    }
  }
  return colliding;
}

/**
 * buildPlan over the active paths only (with those colliding by case and those awaited), the
 * quiet ones counted as unchanged: the same plan as buildPlan over every path. Where that cannot
 * be told without them, the whole plan is built: a session filter (it looks at every path), a
 * skipped entry (what is below it depends on every file), and any fork, thread replacement or
 * kept version in the plan (whether a rollout is a real thread counts every file of its thread
 * here, quiet ones too; a kept version may land on a quiet path). At 100,000 files this takes a
 * re-plan from about 0.3 s to under 0.1 s (bench/results/profile-notes.md).
 */
export async function buildPlanAround(input: PlanInput, probe: ContentProbe, found: QuietPaths): Promise<Plan> {
  if (input.sessionFilter !== undefined || input.local.skipped.length + input.cloud.skipped.length > 0) return buildPlan(input, probe);
  const included = new Set([...found.active, ...found.colliding, ...(input.waiting?.paths ?? [])]);
  const pick = <V>(map: ReadonlyMap<string, V>): Map<string, V> => {
    const picked = new Map<string, V>();
    for (const path of included) {
      const value = map.get(path);
      if (value !== undefined) picked.set(path, value);
    }
    return picked;
  };
  const plan = await buildPlan(
    { ...input, local: { ...input.local, files: pick(input.local.files) }, cloud: { ...input.cloud, files: pick(input.cloud.files) }, base: { ...input.base, entries: pick(input.base.entries) } },
    probe,
  );
  const threadWide =
    plan.conflicts.some((c) => c.kind === 'fork') ||
    plan.actions.some((a) => a.kind === 'keep' || (a.kind === 'copy' && a.replaceThread === true)) ||
    plan.notices.some((n) => n.code === 'thread-replace-waiting');
  if (threadWide) return buildPlan(input, probe);
  let elided = found.quiet.size;
  for (const path of included) if (found.quiet.has(path)) elided -= 1;
  plan.unchanged += elided;
  return plan;
}
