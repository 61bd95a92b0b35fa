/**
 * One string per relative path for the whole process: both scans, the base state and the
 * handoff records each held their own copy of every path (five strings per path at 100,000
 * files, see bench/results/profile-notes.md). A path is interned once and shared by all.
 * The table only grows: a long-lived app keeps every path it met, which is what it keeps
 * between runs anyway.
 */
const interned = new Map<string, string>();

/** The one copy of `path` that every table of this process shares. */
export function internPath(path: string): string {
  const known = interned.get(path);
  if (known !== undefined) return known;
  interned.set(path, path);
  return path;
}
