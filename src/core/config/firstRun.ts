import { existsSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CodexSyncError, ExitCode } from '../errors.ts';
import { probeWrite } from '../fs/index.ts';
import { defaultCodexHome, type Environment } from '../platform.ts';
import { machineIdPattern } from './schema.ts';
import { saveSettings } from './settings.ts';

// A first run: what the setup window shows about this machine, and the one config.toml it
// writes, through the same comment-keeping writer as Settings, after the choices are checked.

/** The folder codexSync makes its own inside the chosen cloud folder (the template's workspace_root_dir). */
export const workspaceFolderName = 'codexSync';

export interface CodexHomeFacts {
  path: string;
  /** Named by $CODEX_HOME rather than the default ~/.codex. */
  fromEnv: boolean;
  exists: boolean;
  /** Codex has written threads here (sessions/ holds something). */
  holdsSessions: boolean;
}

export async function codexHomeFacts(env: Environment): Promise<CodexHomeFacts> {
  const home = defaultCodexHome(env);
  const path = resolve(expandHome(home.path, env));
  const exists = await isFolder(path);
  let holdsSessions = false;
  try {
    holdsSessions = (await readdir(join(path, 'sessions'))).length > 0;
  } catch {
    // no sessions folder yet: Codex has not run here
  }
  return { path, fromEnv: home.source === 'CODEX_HOME', exists, holdsSessions };
}

/** The host name as a machine id: its first label, lowercase, only the characters config.toml accepts. */
export function suggestedMachineId(host: string = hostname()): string {
  const safe = (host.split('.')[0] ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 64)
    .replace(/[-.]+$/, '');
  return safe === '' ? 'machine' : safe;
}

export interface SetupChoice {
  /** The cloud client's folder; codexSync's workspace becomes its codexSync/ subfolder. */
  cloudFolder: string;
  machineId: string;
}

export interface SetupWritten {
  file: string;
  /** The workspace folder, as config.toml now names it (workspace_root_dir). */
  workspace: string;
}

/**
 * Checks the choices and writes config.toml: the template with this machine id and workspace,
 * comments kept. Refuses (writing nothing) a missing or read-only folder, a folder nested with
 * the Codex home either way, a machine id config.toml would refuse, and an existing config.
 */
export async function writeFirstConfig(file: string, choice: SetupChoice, options: { env: Environment; now: Date }): Promise<SetupWritten> {
  const refuse = (problem: ConstructorParameters<typeof CodexSyncError>[1]): never => {
    throw new CodexSyncError(ExitCode.invalidInput, problem);
  };
  if (existsSync(file)) refuse({ code: 'setup-config-exists', path: file });
  const machineId = choice.machineId.trim();
  if (!machineIdPattern.test(machineId)) refuse({ code: 'setup-machine-id', value: choice.machineId });

  const cloudFolder = resolve(expandHome(choice.cloudFolder.trim(), options.env));
  let kind: 'missing' | 'file' | 'dir';
  try {
    kind = (await stat(cloudFolder)).isDirectory() ? 'dir' : 'file';
  } catch {
    kind = 'missing';
  }
  if (choice.cloudFolder.trim() === '' || kind === 'missing') refuse({ code: 'setup-unwritable', folder: cloudFolder, why: 'missing' });
  if (kind === 'file') refuse({ code: 'setup-unwritable', folder: cloudFolder, why: 'not-a-folder' });

  const codexHome = (await codexHomeFacts(options.env)).path;
  const workspace = join(cloudFolder, workspaceFolderName);
  // Both as written and through any symbolic link: either way round, one would sync into the other.
  for (const [home, cloud] of [
    [codexHome, cloudFolder],
    [await realOrSame(codexHome), await realOrSame(cloudFolder)],
  ] as const) {
    if (within(home, join(cloud, workspaceFolderName))) refuse({ code: 'setup-nested', cloudFolder, codexHome, inside: 'cloud-in-home' });
    if (within(cloud, home)) refuse({ code: 'setup-nested', cloudFolder, codexHome, inside: 'home-in-cloud' });
  }
  if (!(await canWrite(cloudFolder))) refuse({ code: 'setup-unwritable', folder: cloudFolder, why: 'refused' });

  const saved = await saveSettings(file, { 'identity.machine_id': machineId, 'paths.workspace_root_dir': configPath(workspace, options.env) }, { dryRun: false, env: options.env, now: options.now });
  if (!saved.saved) {
    const summary = saved.problems.map((p) => p.message).join('; ');
    throw new CodexSyncError(ExitCode.invalidInput, { code: 'config-invalid', summary: summary === '' ? 'config.toml could not be written' : summary });
  }
  return { file, workspace };
}

/** "~/Dropbox/codexSync" under the home folder (the same config then reads right on a machine with another user name), else the absolute path with "/". */
function configPath(path: string, env: Environment): string {
  const below = relative(env.home, path);
  if (below !== '' && !below.startsWith('..') && !isAbsolute(below)) return `~/${below.split(sep).join('/')}`;
  return path.split(sep).join('/');
}

function expandHome(value: string, env: Environment): string {
  if (value === '~') return env.home;
  if (value.startsWith('~/') || value.startsWith('~\\')) return join(env.home, value.slice(2));
  return value;
}

/** `inner` is `outer` or lies below it. */
function within(outer: string, inner: string): boolean {
  const below = relative(outer, inner);
  return below === '' || (!below.startsWith('..') && !isAbsolute(below));
}

async function realOrSame(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Whether a probe file can be written and synced there (see probeWrite). */
async function canWrite(folder: string): Promise<boolean> {
  return (await probeWrite(folder)) === undefined;
}
