import { readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Environment } from '../platform.ts';
import { isForeignPath, type ResolvedPaths } from './paths.ts';
import type { Settings } from './schema.ts';
import { shown } from './shown.ts';
import { neverSyncedNames } from '../scope/index.ts';
import { executableProblem, type NotExecutable } from '../fs/index.ts';

export interface CheckResult {
  problems: string[];
  warnings: string[];
}

/** Checks that need the file system or more than one key: what zod alone cannot see. */
export function checkSettings(settings: Settings, paths: ResolvedPaths, env: Environment): CheckResult {
  const label = basename(paths.configFile);
  const problems: string[] = [];
  const warnings: string[] = [];
  const problem = (key: string, value: string, why: string): void => {
    problems.push(`${label}: ${key} = "${shown(value)}": ${why}`);
  };

  const located: Array<[key: string, value: string]> = [
    ['paths.local_state_dir', paths.localStateDir],
    ['paths.cloud_root_dir', paths.cloudRoot],
    ['paths.backup_dir', paths.backupDir],
    ['paths.temp_dir', paths.tempDir],
    ['logging.file', paths.logFile],
    ['state.local_dir', paths.baseStateDir],
    ...(paths.codexBinary === undefined ? [] : [['codex.binary', paths.codexBinary] as [string, string]]),
  ];
  for (const [key, value] of located) {
    if (isForeignPath(value, env)) {
      problem(key, value, `is a Windows path, and this machine runs ${env.platform}: set a path of this machine`);
    }
  }
  if (problems.length > 0) return { problems, warnings };

  const local = kind(paths.localStateDir);
  if (local !== 'dir') {
    const what = local === 'missing' ? 'does not exist' : 'is not a folder';
    if (paths.localStateSource === 'config') {
      problem(
        'paths.local_state_dir',
        paths.localStateDir,
        `${what}: set it to this machine's Codex home (the folder with sessions/ and history.jsonl), or remove the key to use $CODEX_HOME or ~/.codex`,
      );
    } else if (paths.localStateSource === 'CODEX_HOME') {
      problems.push(`${label}: CODEX_HOME = "${shown(paths.localStateDir)}" ${what}: fix CODEX_HOME or set paths.local_state_dir`);
    } else {
      warnings.push(`${label}: the Codex home ${shown(paths.localStateDir)} does not exist yet: start Codex once on this machine, or set paths.local_state_dir`);
    }
  }

  const overlapping: Array<[key: string, value: string, inside: string, insideKey: string]> = [
    ['paths.cloud_root_dir', paths.cloudRoot, paths.localStateDir, 'the Codex home'],
    ['paths.local_state_dir', paths.localStateDir, paths.cloudRoot, 'paths.cloud_root_dir'],
    ['paths.backup_dir', paths.backupDir, paths.localStateDir, 'the Codex home'],
    ['paths.backup_dir', paths.backupDir, paths.cloudRoot, 'paths.cloud_root_dir'],
    ['paths.temp_dir', paths.tempDir, paths.localStateDir, 'the Codex home'],
    ['paths.temp_dir', paths.tempDir, paths.cloudRoot, 'paths.cloud_root_dir'],
    // A log inside either root would be synced too: into the other machine's Codex home, and a mirror that never settles.
    ['logging.file', paths.logFile, paths.localStateDir, 'the Codex home'],
    ['logging.file', paths.logFile, paths.cloudRoot, 'paths.cloud_root_dir'],
    ['state.local_dir', paths.baseStateDir, paths.cloudRoot, 'paths.cloud_root_dir'],
    ['state.local_dir', paths.baseStateDir, paths.localStateDir, 'the Codex home'],
  ];
  if (settings.paths.workspace_root_dir !== undefined) {
    overlapping.push(['state.local_dir', paths.baseStateDir, paths.workspaceRoot, 'the synced workspace (paths.workspace_root_dir)']);
  }
  for (const [key, value, container, containerName] of overlapping) {
    if (isInside(value, container)) {
      problem(key, value, `must not be inside ${containerName} (${shown(container)}): choose a separate folder`);
      continue;
    }
    // The strings differ, but a symbolic link on either path can still put one inside the other.
    const [realValue, realContainer] = [realPathOf(value), realPathOf(container)];
    if (isInside(realValue, realContainer)) {
      problem(key, value, `leads through a symbolic link to ${shown(realValue)}, inside ${containerName} (${shown(realContainer)}): choose a separate folder`);
    }
  }

  if (kind(paths.cloudRoot) === 'missing') {
    warnings.push(`${label}: paths.cloud_root_dir ${shown(paths.cloudRoot)} does not exist yet: check that the cloud folder is mounted; the first sync creates it`);
  }

  for (const root of settings.targets.include_roots) {
    if (root.trim() === '' || isAbsolute(root) || root.split(/[\\/]/).includes('..')) {
      problem('targets.include_roots', root, 'must be a path inside the Codex home, like "sessions"');
    } else if (neverSyncedNames.has(root.split(/[\\/]/)[0] ?? '')) {
      warnings.push(`${label}: targets.include_roots names "${shown(root)}", which codexSync never syncs (credentials): it is left out`);
    }
  }

  if (paths.codexBinary !== undefined) {
    const why = executableProblem(paths.codexBinary, env.platform === 'windows');
    if (why !== undefined) problem('codex.binary', paths.codexBinary, `${notExecutableWords[why]}: set the path of the codex program, or remove the key to use codex on PATH`);
  }

  for (const { from, to } of paths.pathMap) {
    if (!looksAbsolute(from) || !looksAbsolute(to)) {
      problem(`paths.map."${from}"`, to, 'both sides of a path mapping must be absolute paths');
    }
  }
  return { problems, warnings };
}

const notExecutableWords: Record<NotExecutable, string> = {
  missing: 'does not exist',
  'not-a-file': 'is not a file',
  'not-executable': 'is not executable',
};

function kind(path: string): 'dir' | 'file' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

/**
 * `path` with symbolic links resolved in the part of it that exists, the rest appended as
 * written; a dangling link is followed to where it points (a folder made later lands there).
 */
export function realPathOf(path: string, hops = 0): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    const here = join(realPathOf(parent, hops), basename(path));
    if (hops >= 32) return here;
    try {
      return realPathOf(resolve(dirname(here), readlinkSync(here)), hops + 1);
    } catch {
      return here;
    }
  }
}

/** True when `path` is `container` or lies below it. */
export function isInside(path: string, container: string): boolean {
  const rel = relative(container, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function looksAbsolute(value: string): boolean {
  return value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\');
}
