import { delimiter, join, win32 } from 'node:path';
import { CodexSyncError, ExitCode } from '../errors.ts';
import { executableProblem } from '../fs/index.ts';
import type { Environment, Platform } from '../platform.ts';

/** How the Codex program was found: named by codex.binary, on PATH, or inside the desktop app. */
export type CodexFoundHow = 'config' | 'path' | 'desktop-app';

export type CodexLocation = { kind: 'found'; path: string; how: CodexFoundHow } | { kind: 'missing'; tried: string[] };

/**
 * Where the desktop app keeps its own codex program, per system. None of these was seen on a
 * real machine here (only Linux, which has no desktop app); they are the places reported in
 * openai/codex's sources and issue threads:
 * - macOS: `<app>/Contents/Resources/codex` (codex-rs/desktop-distribution/src/macos.rs looks
 *   in Contents/Resources; codex-rs/cli/src/desktop_app/mac.rs installs Codex.app into
 *   /Applications, else ~/Applications). Builds after the desktop apps merged ship it in
 *   ChatGPT.app (issues in UsefulSoftwareCo/executor#2094, gkorepanov/ccodex#6), older ones in Codex.app.
 * - Windows: the Store (MSIX) app copies its CLI out of the launch-protected WindowsApps folder
 *   to %LOCALAPPDATA%\OpenAI\Codex\bin\codex.exe (openai/codex#40700, #40752).
 */
const desktopPlaces: Record<Platform, ReadonlyArray<(env: Environment) => string | undefined>> = {
  macos: [
    () => '/Applications/ChatGPT.app/Contents/Resources/codex',
    () => '/Applications/Codex.app/Contents/Resources/codex',
    (env) => join(env.home, 'Applications', 'ChatGPT.app', 'Contents', 'Resources', 'codex'),
    (env) => join(env.home, 'Applications', 'Codex.app', 'Contents', 'Resources', 'codex'),
  ],
  windows: [(env) => (env.vars.LOCALAPPDATA === undefined ? undefined : win32.join(env.vars.LOCALAPPDATA, 'OpenAI', 'Codex', 'bin', 'codex.exe'))],
  linux: [],
};

/** The names `codex` has on PATH: npm's shims on Windows are codex.cmd (and codex.ps1, which cannot be started directly). */
function commandNames(platform: Platform): string[] {
  return platform === 'windows' ? ['codex.exe', 'codex.cmd'] : ['codex'];
}

export interface LocateOptions {
  /** codex.binary as the config resolved it (absolute), when set. */
  configured: string | undefined;
  env: Environment;
}

/**
 * Finds the Codex program: codex.binary when the config names one (a path that is not an
 * executable file stops the run, exit 4), else the first `codex` on PATH, else the desktop
 * app's own. Reads the file system only.
 */
export function locateCodex(options: LocateOptions): CodexLocation {
  const { configured, env } = options;
  const onWindows = env.platform === 'windows';
  if (configured !== undefined) {
    const why = executableProblem(configured, onWindows);
    if (why !== undefined) throw new CodexSyncError(ExitCode.invalidInput, { code: 'codex-binary-unusable', path: configured, why });
    return { kind: 'found', path: configured, how: 'config' };
  }
  const tried: string[] = [];
  const pathVar = (onWindows ? (env.vars.Path ?? env.vars.PATH) : env.vars.PATH) ?? '';
  const join_ = onWindows ? win32.join : join;
  for (const dir of pathVar.split(onWindows ? ';' : delimiter)) {
    // An empty PATH entry means the current folder to a shell; a program codexSync starts on its own never comes from there.
    if (dir.trim() === '') continue;
    for (const name of commandNames(env.platform)) {
      const candidate = join_(dir, name);
      tried.push(candidate);
      if (executableProblem(candidate, onWindows) === undefined) return { kind: 'found', path: candidate, how: 'path' };
    }
  }
  for (const place of desktopPlaces[env.platform]) {
    const candidate = place(env);
    if (candidate === undefined) continue;
    tried.push(candidate);
    if (executableProblem(candidate, onWindows) === undefined) return { kind: 'found', path: candidate, how: 'desktop-app' };
  }
  return { kind: 'missing', tried };
}
