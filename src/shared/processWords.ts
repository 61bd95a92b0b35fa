// How Codex processes and the question before ending them read, in English as codexsync 0.1.2
// asks it, the same in the command line (console and system dialog) and the app's dialog.
// Plain shapes, not the engine's types: the contract stays free of the engine.

export interface NamedProcess {
  pid: number;
  /** cli, daemon, daemon-helper, ide-server, desktop, marker; none for a child process. */
  kind?: string;
  name: string;
  /** The program a Node wrapper runs, when it differs from the process name. */
  program?: string;
}

const labels: Record<string, string> = {
  cli: 'Codex CLI',
  daemon: 'Codex background daemon',
  'daemon-helper': 'Codex daemon helper',
  'ide-server': 'Codex app-server of an IDE',
  desktop: 'Codex desktop app',
  marker: 'Codex background process',
};

/** "Codex CLI codex (PID 7)". */
export function describeProcess(p: NamedProcess): string {
  return `${p.kind === undefined ? 'child' : (labels[p.kind] ?? p.kind)} ${p.program ?? p.name} (PID ${p.pid})`;
}

export function describeProcesses(list: readonly NamedProcess[]): string {
  return list.map(describeProcess).join(', ');
}

/** The question before Codex is ended (the console adds "[y/N]"). */
export function terminationQuestion(request: { cli: boolean; processes: readonly NamedProcess[] }): string {
  return request.cli
    ? `Codex is running (${describeProcesses(request.processes)}). Terminate it and continue?`
    : `Codex's background daemon is running (${describeProcesses(request.processes)}) and holds Codex's databases open. Stop it and continue?`;
}
