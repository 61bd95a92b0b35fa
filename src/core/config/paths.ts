import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { defaultCodexHome, userStateDir, type Environment } from '../platform.ts';
import type { Settings } from './schema.ts';

export type LocalStateSource = 'config' | 'CODEX_HOME' | 'default';

export interface PathMapping {
  /** A path prefix as it reads on another machine (as written in the config). */
  from: string;
  /** The same place on this machine. */
  to: string;
}

/** Every path a run uses, absolute, after `${workspace_root}`, `~` and relative resolution. */
export interface ResolvedPaths {
  configFile: string;
  workspaceRoot: string;
  localStateDir: string;
  localStateSource: LocalStateSource;
  cloudRoot: string;
  backupDir: string;
  tempDir: string;
  logFile: string;
  /** 0.1.2's shared manifest location; kept for reporting only, never used as the base. */
  legacyManifestFile: string;
  /** This machine's base state folder. */
  baseStateDir: string;
  pathMap: PathMapping[];
  /** codex.binary: the Codex program to start, when the config names one. */
  codexBinary?: string;
}

const WORKSPACE = '${workspace_root}';

/**
 * Resolves paths as 0.1.2 did: `${workspace_root}` is substituted, `~` expands to the home
 * folder, and a relative path resolves against workspace_root_dir, else the config file's
 * folder. A Windows drive path read on macOS/Linux (or the reverse) is kept as written,
 * so that a check can say plainly that it does not exist here.
 */
export function resolvePaths(settings: Settings, configFile: string, env: Environment): ResolvedPaths {
  const configDir = dirname(resolve(configFile));
  const p = settings.paths;
  const workspaceRoot = p.workspace_root_dir === undefined ? configDir : anchor(expandHome(p.workspace_root_dir, env), configDir, env);
  const path = (value: string): string => anchor(expandHome(value.split(WORKSPACE).join(workspaceRoot), env), workspaceRoot, env);

  const codexHome = defaultCodexHome(env);
  const local =
    p.local_state_dir === undefined ? { path: anchor(expandHome(codexHome.path, env), configDir, env), source: codexHome.source } : { path: path(p.local_state_dir), source: 'config' as const };

  return {
    configFile: resolve(configFile),
    workspaceRoot,
    localStateDir: local.path,
    localStateSource: local.source,
    cloudRoot: path(p.cloud_root_dir),
    backupDir: path(p.backup_dir),
    tempDir: path(p.temp_dir),
    logFile: path(settings.logging.file),
    legacyManifestFile: path(settings.state.manifest_file),
    baseStateDir: settings.state.local_dir === undefined ? userStateDir(env) : path(settings.state.local_dir),
    pathMap: Object.entries(p.map).map(([from, to]) => ({ from, to })),
    ...(settings.codex.binary === undefined ? {} : { codexBinary: path(settings.codex.binary) }),
  };
}

function expandHome(value: string, env: Environment): string {
  if (value === '~') return env.home;
  if (value.startsWith('~/') || value.startsWith('~\\')) return join(env.home, value.slice(2));
  return value;
}

const windowsDrivePath = /^[A-Za-z]:[\\/]/;

/** Whether a path is written for another operating system than this one (C:/... on Linux). */
export function isForeignPath(value: string, env: Environment): boolean {
  return env.platform !== 'windows' && windowsDrivePath.test(value);
}

function anchor(value: string, base: string, env: Environment): string {
  if (isForeignPath(value, env)) return value;
  return isAbsolute(value) ? normalize(value) : resolve(base, value);
}
