import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { failed, sample, succeeded, type CodexFailure, type CodexResult } from './failures.ts';
import { daemonPids, endLeftovers, endNewDaemons, isAlive, signalTree, spawnAppServer, waitUntil } from './process.ts';

// A JSON-RPC client for `codex app-server` over stdio: one JSON message per line, the
// "jsonrpc" member left out (as the app-server README says), `initialize` then `initialized`
// before anything else. Everything the process prints is untrusted: a response is checked
// against the shape a call relies on, and a failure is data (CodexFailure), never a throw.

export interface AppServerOptions {
  /** The Codex program (see locateCodex). */
  binary: string;
  /** The Codex home it must serve (CODEX_HOME): the config's local_state_dir. */
  codexHome: string;
  /** Its working folder; the Codex home when not given. */
  cwd?: string;
  /** Its environment, before CODEX_HOME is set; codexSync's own when not given. */
  env?: Readonly<Record<string, string | undefined>>;
  /** codexSync's version, which Codex records as the client of the calls. */
  clientVersion: string;
  /** How long the start and the handshake may take (default 60 s; an interrupted import is recognised at once). */
  startTimeoutMs?: number;
  /** How long one call may take (default 120 s: a first thread/list reads every rollout). */
  requestTimeoutMs?: number;
  /** How long close() waits after closing its input, and after each signal (default 3 s). */
  closeGraceMs?: number;
}

export interface ServerInfo {
  /** The app-server's user agent, "codexsync/0.171.0 (...)". */
  userAgent: string;
  /** The Codex version, read from the user agent when it has one. */
  version: string | undefined;
  /** The Codex home it serves, as it reports it. */
  codexHome: string;
  platformOs: string;
}

export interface CloseReport {
  pid: number;
  /** How it ended: on its own (before close), when its input closed, after SIGTERM, or after SIGKILL. */
  how: 'exited' | 'input-closed' | 'terminated' | 'killed';
  /** Neither it nor anything of its process group is alive. */
  gone: boolean;
  /** PIDs of a managed daemon that appeared while it ran and were ended. */
  daemonsEnded: number[];
}

export interface AppServer {
  readonly pid: number;
  readonly server: ServerInfo;
  /** One call; the result must match `schema`. */
  request<T>(method: string, params: Record<string, unknown>, schema: z.ZodType<T>, timeoutMs?: number): Promise<CodexResult<T>>;
  /** Listens to the app-server's notifications (tests wait for turn/completed); returns the unsubscribe. */
  onNotification(listener: (method: string, params: unknown) => void): () => void;
  /** The end of what the process wrote on stderr (bounded). */
  stderr(): string;
  /** Ends the process by its PID: input closed, then SIGTERM, then SIGKILL; confirms it is gone. */
  close(): Promise<CloseReport>;
}

const STDERR_KEPT = 8192;
/** The longest line accepted from the app-server (a whole thread with its turns is one line). */
const LINE_MAX = 256 * 1024 * 1024;
/** What Codex prints when its start-up import was interrupted: it would wait 30 s and then exit 1. */
const backfillRunning = /state db backfill is running|waiting for state db backfill.*\(status: running\)/;

const initializeResult = z.object({ userAgent: z.string(), codexHome: z.string(), platformOs: z.string() });
const rpcError = z.object({ code: z.number(), message: z.string() });

interface Pending {
  method: string;
  settle: (outcome: CodexResult<unknown>) => void;
  schema: z.ZodType;
}

class Connection implements AppServer {
  server: ServerInfo = { userAgent: '', version: undefined, codexHome: '', platformOs: '' };
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(method: string, params: unknown) => void>();
  private buffer = '';
  private stderrTail = '';
  private broken: ((method: string) => CodexFailure) | undefined;
  private exit: { code: number | null; signal: string | null } | undefined;
  private readonly exited: Promise<void>;
  private closing: Promise<CloseReport> | undefined;
  private initialized = false;

  private readonly child: ReturnType<typeof spawnAppServer>;
  readonly pid: number;
  private readonly options: AppServerOptions;
  private readonly daemonsBefore: ReadonlyMap<string, number>;

  constructor(child: ReturnType<typeof spawnAppServer>, pid: number, options: AppServerOptions, daemonsBefore: ReadonlyMap<string, number>) {
    this.child = child;
    this.pid = pid;
    this.options = options;
    this.daemonsBefore = daemonsBefore;
    child.stdin.on('error', () => {
      // A write after the process ended: its exit is reported instead.
    });
    child.on('error', () => {
      // A signal that could not be sent: close() checks by PID whether it is gone.
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.onOutput(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => this.onStderr(chunk));
    this.exited = new Promise((done) => {
      child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        const stderr = this.stderrTail;
        const failure = (method: string): CodexFailure =>
          backfillRunning.test(stderr) ? { kind: 'backfill-running', codexHome: options.codexHome, stderr } : { kind: 'exited', method, code, signal, stderr };
        this.breakWith(failure);
        done();
      });
    });
  }

  stderr(): string {
    return this.stderrTail;
  }

  onNotification(listener: (method: string, params: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  request<T>(method: string, params: Record<string, unknown>, schema: z.ZodType<T>, timeoutMs = this.options.requestTimeoutMs ?? 120_000): Promise<CodexResult<T>> {
    if (this.closing !== undefined) return Promise.resolve(failed({ kind: 'closed', method }));
    if (this.broken !== undefined) return Promise.resolve(failed(this.broken(method)));
    const id = this.nextId++;
    return new Promise<CodexResult<T>>((settle) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        settle(failed({ kind: 'timeout', method, ms: timeoutMs }));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        schema,
        settle: (outcome) => {
          clearTimeout(timer);
          this.pending.delete(id);
          settle(outcome as CodexResult<T>);
        },
      });
      this.send({ id, method, params });
    });
  }

  /** The handshake: `initialize`, then the `initialized` notification. */
  async handshake(): Promise<CodexResult<ServerInfo>> {
    const params = { clientInfo: { name: 'codexsync', title: 'codexSync', version: this.options.clientVersion }, capabilities: { experimentalApi: false } };
    const answer = await this.request('initialize', params, initializeResult, this.options.startTimeoutMs ?? 60_000);
    if (!answer.ok) return answer;
    const expected = canonical(this.options.codexHome);
    if (canonical(answer.value.codexHome) !== expected) return failed({ kind: 'home-mismatch', expected: this.options.codexHome, reported: answer.value.codexHome });
    this.send({ method: 'initialized' });
    this.initialized = true;
    const version = /^[^/\s]+\/(\d+\.\d+\.\d+[^\s]*)/.exec(answer.value.userAgent)?.[1];
    this.server = { userAgent: answer.value.userAgent, version, codexHome: answer.value.codexHome, platformOs: answer.value.platformOs };
    return succeeded(this.server);
  }

  close(): Promise<CloseReport> {
    this.closing ??= this.end();
    return this.closing;
  }

  private async end(): Promise<CloseReport> {
    this.breakWith((method) => ({ kind: 'closed', method }));
    const ended = (): boolean => this.exit !== undefined;
    const grace = this.options.closeGraceMs ?? 3000;
    let how: CloseReport['how'] = ended() ? 'exited' : 'input-closed';
    this.child.stdin.end();
    if (!(await waitExit(this.exited, grace))) {
      how = 'terminated';
      signalTree(this.pid, 'SIGTERM');
      if (!(await waitExit(this.exited, grace))) {
        how = 'killed';
        signalTree(this.pid, 'SIGKILL');
        await waitExit(this.exited, grace);
      }
    }
    const leftovers = await endLeftovers(this.pid, grace);
    const daemonsEnded = await endNewDaemons(this.options.codexHome, this.daemonsBefore, grace);
    const gone = ended() && leftovers && (await waitUntil(() => !isAlive(this.pid), grace));
    return { pid: this.pid, how, gone, daemonsEnded };
  }

  private send(message: Record<string, unknown>): void {
    if (this.exit !== undefined || this.child.stdin.destroyed || this.child.stdin.writableEnded) return;
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  private breakWith(failure: (method: string) => CodexFailure): void {
    this.broken ??= failure;
    for (const entry of [...this.pending.values()]) entry.settle(failed(this.broken(entry.method)));
  }

  private onStderr(chunk: string): void {
    this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_KEPT);
    if (!this.initialized && backfillRunning.test(this.stderrTail)) {
      const stderr = this.stderrTail;
      this.breakWith(() => ({ kind: 'backfill-running', codexHome: this.options.codexHome, stderr }));
    }
  }

  private onOutput(chunk: string): void {
    if (this.broken !== undefined) return;
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\n'); end >= 0 && this.broken === undefined; end = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, end).replace(/\r$/, '');
      this.buffer = this.buffer.slice(end + 1);
      if (line.trim() !== '') this.onLine(line);
    }
    if (this.buffer.length > LINE_MAX) this.giveUp(`a line of more than ${LINE_MAX} characters`);
  }

  private onLine(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.giveUp(line);
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.giveUp(line);
      return;
    }
    const m = message as Record<string, unknown>;
    const hasId = typeof m.id === 'number' || typeof m.id === 'string';
    if (typeof m.method === 'string') {
      if (hasId) this.send({ id: m.id, error: { code: -32601, message: 'codexSync answers no requests: it only reads and files threads' } });
      else for (const listener of this.listeners) listener(m.method, m.params);
      return;
    }
    if (!hasId || !('result' in m || 'error' in m)) {
      this.giveUp(line);
      return;
    }
    const entry = typeof m.id === 'number' ? this.pending.get(m.id) : undefined;
    // An answer to no pending call (one that timed out) is dropped.
    if (entry === undefined) return;
    if ('error' in m) {
      const error = rpcError.safeParse(m.error);
      entry.settle(
        error.success
          ? failed({ kind: 'rpc-error', method: entry.method, code: error.data.code, message: sample(error.data.message) })
          : failed({ kind: 'bad-response', method: entry.method, issue: `error: ${issueOf(error.error)}` }),
      );
      return;
    }
    const result = entry.schema.safeParse(m.result);
    entry.settle(result.success ? succeeded(result.data) : failed({ kind: 'bad-response', method: entry.method, issue: issueOf(result.error) }));
  }

  /** Output that is not JSON-RPC: nothing more it says can be trusted, so every call fails from here on. */
  private giveUp(line: string): void {
    const text = sample(line, 200);
    this.breakWith((method) => ({ kind: 'bad-output', method, sample: text }));
  }
}

function issueOf(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'not valid';
  return sample(`${issue.path.length === 0 ? '(result)' : issue.path.map(String).join('.')}: ${issue.message}`, 300);
}

function canonical(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return resolve(path);
  }
}

async function waitExit(exited: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((done) => {
    timer = setTimeout(() => done(false), ms);
  });
  const result = await Promise.race([exited.then(() => true as const), timeout]);
  clearTimeout(timer);
  return result;
}

/**
 * Starts `<binary> app-server` for one Codex home and does the handshake. It runs on its own
 * (the stdio app-server neither needs nor starts the managed daemon); call close() when done,
 * or use withAppServer.
 */
export async function openAppServer(options: AppServerOptions): Promise<CodexResult<AppServer>> {
  const daemonsBefore = daemonPids(options.codexHome);
  let child: ReturnType<typeof spawnAppServer>;
  try {
    child = spawnAppServer(options.binary, options.codexHome, options.cwd ?? options.codexHome, options.env ?? process.env);
  } catch (error) {
    return failed({ kind: 'spawn-failed', binary: options.binary, why: error instanceof Error ? error.message : String(error) });
  }
  const started = await new Promise<CodexResult<number>>((settle) => {
    child.once('spawn', () => settle(succeeded(child.pid ?? -1)));
    child.once('error', (error: NodeJS.ErrnoException) => settle(failed({ kind: 'spawn-failed', binary: options.binary, why: error.code ?? error.message })));
  });
  if (!started.ok) return started;
  const connection = new Connection(child, started.value, options, daemonsBefore);
  const shaken = await connection.handshake();
  if (!shaken.ok) {
    await connection.close();
    return shaken;
  }
  return succeeded(connection);
}

/** Opens an app-server, hands it to `use`, and always closes it (by its PID) afterwards. */
export async function withAppServer<T>(options: AppServerOptions, use: (server: AppServer) => Promise<T>): Promise<CodexResult<{ value: T; closed: CloseReport }>> {
  const opened = await openAppServer(options);
  if (!opened.ok) return opened;
  try {
    const value = await use(opened.value);
    return succeeded({ value, closed: await opened.value.close() });
  } catch (error) {
    await opened.value.close();
    throw error;
  }
}
