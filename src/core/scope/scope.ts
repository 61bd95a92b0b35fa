import picomatch from 'picomatch';
import { PathFlags } from '../store/index.ts';
import { defaultIncludeRoots, neverSyncedReason, topLevelRule } from './codexHome.ts';

export interface ScopeSettings {
  include_roots: readonly string[];
  exclude_globs: readonly string[];
}

export interface ScopeVerdict {
  inScope: boolean;
  why: string;
}

/**
 * Which relative paths of the Codex home take part in a sync. Paths are relative to the
 * Codex home (and to the cloud mirror, which has the same layout), "/"-separated.
 */
export interface Scope {
  /** The include roots in effect: the user's, or Codex's default scope when none are given. */
  readonly roots: readonly string[];
  /** Whether the walk should enter this folder (false prunes its whole subtree). */
  entersDir(path: string): boolean;
  /** Whether this file is synced. */
  includesFile(path: string): boolean;
  /**
   * The same, for a file the walk found in a folder it entered (whose folders passed
   * entersDir): only the name and the whole path need checking.
   */
  includesWalkedFile(path: string, name: string): boolean;
  /** Why a top-level entry of the Codex home is or is not synced (for `plan -v`). */
  explainTopLevel(name: string): ScopeVerdict;
}

/**
 * Builds the scope from include roots and exclude globs. Globs have real `**` semantics
 * (picomatch); a glob without "/" matches the name at any depth, as in .gitignore; a folder
 * that matches a glob is left out with everything below it, as rsync does.
 */
export function buildScope(settings: ScopeSettings): Scope {
  const roots = normaliseRoots(settings.include_roots.length === 0 ? defaultIncludeRoots : settings.include_roots);
  const explicit = settings.include_roots.length > 0;
  const excluded = excludeMatcher(settings.exclude_globs);

  const rootFolders = roots.map((root) => `${root}/`);
  const underRoot = (path: string): boolean => roots.some((root, i) => path === root || path.startsWith(rootFolders[i] as string));
  const aboveRoot = (path: string): boolean => roots.some((root) => root.startsWith(`${path}/`));
  const fileVerdict = (path: string): boolean => neverSyncedReason(path) === undefined && !hardExcludedTop(path) && underRoot(path) && !excluded(path);
  // A run asks about the same paths several times (scan, plan, record, deletion guard).
  const verdicts = new PathFlags();

  return {
    roots,
    entersDir(path) {
      if (neverSyncedReason(path) !== undefined || hardExcludedTop(path)) return false;
      if (aboveRoot(path)) return true;
      return underRoot(path) && !excluded(path);
    },
    includesFile(path) {
      let verdict = verdicts.get(path);
      if (verdict === undefined) {
        verdict = fileVerdict(path);
        verdicts.set(path, verdict);
      }
      return verdict;
    },
    includesWalkedFile(path, name) {
      if (!path.includes('/')) return this.includesFile(path);
      const verdict = neverSyncedReason(path) === undefined && underRoot(path) && !excluded.wholePath(path) && !excluded.oneName(name);
      verdicts.set(path, verdict);
      return verdict;
    },
    explainTopLevel(name) {
      const rule = topLevelRule(name);
      if (rule?.class === 'never') return { inScope: false, why: `never synced: ${rule.why}` };
      const named = roots.some((root) => root === name || root.startsWith(`${name}/`));
      if (named && excluded(name)) return { inScope: false, why: 'excluded by filters.exclude_globs' };
      if (named) {
        const source = explicit ? 'targets.include_roots' : 'Codex default scope';
        return { inScope: true, why: rule === undefined ? source : `${source}: ${rule.why}` };
      }
      if (rule === undefined) return { inScope: false, why: 'not in targets.include_roots' };
      const hint = explicit ? 'not in targets.include_roots' : 'not in the Codex default scope';
      return { inScope: false, why: `${hint}: ${rule.why}` };
    },
  };
}

/**
 * A glob with "/" matches the whole relative path; one without matches any single name in
 * it (a folder's name too), as in .gitignore.
 */
function excludeMatcher(globs: readonly string[]): ((path: string) => boolean) & { wholePath(path: string): boolean; oneName(name: string): boolean } {
  const withSlash = globs.filter((glob) => glob.includes('/'));
  const nameOnly = globs.filter((glob) => !glob.includes('/'));
  const whole = withSlash.length === 0 ? () => false : picomatch(withSlash, { dot: true });
  const name = nameOnly.length === 0 ? () => false : picomatch(nameOnly, { dot: true });
  const matcher = (path: string): boolean => whole(path) || (nameOnly.length > 0 && path.split('/').some((part) => name(part)));
  return Object.assign(matcher, { wholePath: whole, oneName: name });
}

function hardExcludedTop(path: string): boolean {
  const slash = path.indexOf('/');
  return topLevelRule(slash === -1 ? path : path.slice(0, slash))?.class === 'never';
}

function normaliseRoots(roots: readonly string[]): string[] {
  const cleaned = roots.map((root) => root.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '')).filter((root) => root !== '' && !root.split('/').includes('..'));
  return [...new Set(cleaned)].sort();
}
