// Codex versions as rollouts carry them (session_meta.payload.cli_version): "0.171.0",
// "0.172.0-alpha.3", and older date-like ones such as "0.1.2505161800". Compared as versions
// (semver order), never as strings: "0.171.0" is newer than "0.99.0".

interface Version {
  core: number[];
  /** Pre-release identifiers; a version with none is newer than any pre-release of it. */
  pre: string[];
}

const versionPattern = /^v?(\d+(?:\.\d+){0,3})(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function parse(text: string): Version | undefined {
  const match = text.length <= 64 ? versionPattern.exec(text) : null;
  if (match === null) return undefined;
  const core = (match[1] as string).split('.').map(Number);
  if (!core.every(Number.isSafeInteger)) return undefined;
  return { core, pre: match[2] === undefined ? [] : match[2].split('.') };
}

/** Whether `text` is a version this module can order. */
export function isVersion(text: string): boolean {
  return parse(text) !== undefined;
}

/** Negative when `a` is older than `b`, 0 when the same version, positive when newer; undefined when either is no version. */
export function compareVersions(a: string, b: string): number | undefined {
  const va = parse(a);
  const vb = parse(b);
  if (va === undefined || vb === undefined) return undefined;
  for (let i = 0; i < Math.max(va.core.length, vb.core.length); i += 1) {
    const diff = (va.core[i] ?? 0) - (vb.core[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  if (va.pre.length === 0 || vb.pre.length === 0) return Math.sign(vb.pre.length - va.pre.length);
  for (let i = 0; i < Math.min(va.pre.length, vb.pre.length); i += 1) {
    const diff = comparePre(va.pre[i] as string, vb.pre[i] as string);
    if (diff !== 0) return diff;
  }
  return Math.sign(va.pre.length - vb.pre.length);
}

/** Semver's order of one pre-release identifier: numbers by value and below words, words as ASCII. */
function comparePre(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na && nb) return Math.sign(Number(a) - Number(b));
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether `candidate` is a newer version than `than` (false when either is no version). */
export function isNewerVersion(candidate: string, than: string): boolean {
  return (compareVersions(candidate, than) ?? 0) > 0;
}

/** The newest Codex version among threads (those without one, or with one that is no version, are passed over). */
export function newestCliVersion(threads: Iterable<{ cliVersion?: string }>): string | undefined {
  let newest: string | undefined;
  for (const thread of threads) {
    const version = thread.cliVersion;
    if (version === undefined || !isVersion(version)) continue;
    if (newest === undefined || isNewerVersion(version, newest)) newest = version;
  }
  return newest;
}
