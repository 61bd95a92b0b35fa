import type { Platform } from '../platform.ts';
import type { ProcessInfo } from './processes.ts';

/**
 * - cli: the Codex CLI/TUI (`codex`, `codex.exe`, or its Node wrapper)
 * - daemon: `codex app-server ... --managed-daemon`, left running after the TUI exits
 * - daemon-helper: `codex app-server daemon pid-update-loop`
 * - ide-server: `codex app-server` under an IDE extension
 * - desktop: the Codex desktop app (Electron)
 * - marker: a background process that means "Codex is still running" (background_process_names)
 */
export type CodexKind = 'cli' | 'daemon' | 'daemon-helper' | 'ide-server' | 'desktop' | 'marker';

export interface CodexProcess extends ProcessInfo {
  kind: CodexKind;
  /** The name it was recognised by: its own, or the program its command line runs (a Node wrapper's script). */
  program: string;
}

export interface ProcessSnapshot {
  platform: Platform;
  codex: CodexProcess[];
  /** Processes started by a Codex process that are not Codex themselves (shells, tools). */
  children: ProcessInfo[];
}

export interface Names {
  processNames: readonly string[];
  markers: readonly string[];
}

const nodeNames = new Set(['node', 'node.exe', 'nodejs']);

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

function stripScript(name: string): string {
  return name.replace(/\.(c|m)?js$/i, '');
}

/** Linux keeps only the first 15 characters of a process name. */
function nameMatches(actual: string, wanted: readonly string[]): boolean {
  const bare = (name: string): string => name.toLowerCase().replace(/\.exe$/, '');
  const a = bare(actual);
  return wanted.some((w) => {
    const x = bare(w);
    return a === x || (actual.length === 15 && x.startsWith(a));
  });
}

/** The program a command line runs: argv[0], or the script when argv[0] is Node. */
function programOf(cmd: string): string | undefined {
  const argv = cmd.trim().split(/\s+/);
  const first = baseName(argv[0] ?? '');
  if (nodeNames.has(first.toLowerCase())) return argv[1] === undefined ? undefined : stripScript(baseName(argv[1]));
  return first === '' ? undefined : first;
}

function kindOf(p: ProcessInfo): CodexKind {
  const args = p.cmd;
  if (/--type=|--enable-sandbox/.test(args) || /\.app\/Contents\/MacOS\//.test(args)) return 'desktop';
  if (/\bapp-server\b/.test(args)) {
    if (/\bpid-update-loop\b/.test(args)) return 'daemon-helper';
    if (/--managed-daemon\b/.test(args)) return 'daemon';
    return 'ide-server';
  }
  return 'cli';
}

/** Finds every Codex process and marker in a process list; `selfPid` (codexSync itself) never counts. */
export function classify(processes: readonly ProcessInfo[], names: Names, platform: Platform, selfPid: number): ProcessSnapshot {
  const codex: CodexProcess[] = [];
  for (const p of processes) {
    if (p.pid === selfPid) continue;
    const program = p.cmd === '' ? undefined : programOf(p.cmd);
    if (nameMatches(p.name, names.markers)) {
      codex.push({ ...p, kind: 'marker', program: p.name });
    } else if (program !== undefined && nameMatches(program, names.markers)) {
      codex.push({ ...p, kind: 'marker', program });
    } else if (nameMatches(p.name, names.processNames)) {
      codex.push({ ...p, kind: kindOf(p), program: p.name });
    } else if (program !== undefined && nameMatches(program, names.processNames)) {
      codex.push({ ...p, kind: kindOf(p), program });
    }
  }
  const codexPids = new Set(codex.map((p) => p.pid));
  const byParent = new Map<number, ProcessInfo[]>();
  for (const p of processes) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const children: ProcessInfo[] = [];
  const visit = (pid: number, depth: number): void => {
    if (depth > 32) return;
    for (const child of byParent.get(pid) ?? []) {
      if (codexPids.has(child.pid) || children.includes(child)) continue;
      children.push(child);
      visit(child.pid, depth + 1);
    }
  };
  for (const p of codex) visit(p.pid, 0);
  return { platform, codex, children };
}

export { describeProcess } from '../../shared/processWords.ts';
