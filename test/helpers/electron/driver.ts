import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command, Recording } from './recording.ts';

const register = fileURLToPath(new URL('./register.ts', import.meta.url));

/** The built main bundle running under Node in a child process, `electron` replaced by the recording stand-in. */
export class ElectronMain {
  readonly child: ChildProcess;
  /** The child's stderr: main's own errors, if any. */
  stderr = '';
  /** The recording the stand-in sent when the quit went through. */
  quitRecording: Recording | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  constructor(mainBundle: string, args: string[], env: Record<string, string | undefined>) {
    this.child = fork(mainBundle, args, { execArgv: ['--import', register], env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.child.on('message', (message: { id?: number; value?: unknown; error?: string; quit?: boolean; recording?: Recording }) => {
      if (message.quit === true) this.quitRecording = message.recording;
      if (message.id === undefined) return;
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiting?.reject(new Error(message.error));
      else waiting?.resolve(message.value);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  send(command: Command): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, command }, (error) => {
        if (error !== null) reject(new Error(`the main process is gone: ${error.message}; its stderr: ${this.stderr}`));
      });
    });
  }

  report(): Promise<Recording> {
    return this.send({ do: 'report' }) as Promise<Recording>;
  }

  /** Asks for the recording until `check` finds what it waits for in it. */
  async waitFor<T>(check: (r: Recording) => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const recording = await this.report();
      const found = check(recording);
      if (found !== undefined && found !== false) return found;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; recorded: ${JSON.stringify(recording, null, 1)}; stderr: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Ends the child if a test failed before it could quit. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
