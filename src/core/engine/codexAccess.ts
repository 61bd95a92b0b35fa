import {
  deleteThread,
  listThreads,
  locateCodex,
  openAppServer,
  pinThread,
  readThread,
  setThreadName,
  archiveThread,
  unarchiveThread,
  unpinThread,
  type AppServer,
  type CodexFailure,
  type CodexResult,
} from '../codex/index.ts';
import { execFile } from 'node:child_process';
import { currentEnvironment } from '../platform.ts';
import { version } from '../version.ts';
import type { EngineContext } from './context.ts';
import type { CallOutcome, CodexAccess, ThreadCalls } from './threadPhase.ts';

/** This machine's Codex for a run: the context's, else codex.binary, `codex` on PATH or the desktop app's. */
export function codexOf(ctx: EngineContext): CodexAccess {
  if (ctx.codex !== undefined) return ctx.codex;
  const location = locateCodex({ configured: ctx.config.paths.codexBinary, env: ctx.environment ?? currentEnvironment() });
  if (location.kind === 'missing') return { found: false, tried: location.tried };
  const codexHome = ctx.config.paths.localStateDir;
  let asked: Promise<string | undefined> | undefined;
  return {
    found: true,
    binary: location.path,
    version: () => (asked ??= codexVersion(location.path, ctx.environment?.vars)),
    open: async () => {
      const opened = await openAppServer({ binary: location.path, codexHome, cwd: codexHome, clientVersion: version, ...(ctx.environment === undefined ? {} : { env: ctx.environment.vars }) });
      if (!opened.ok) throw new Error(describeCodexFailure(opened.failure));
      ctx.log.info(`started Codex's app-server (PID ${opened.value.pid}, ${opened.value.server.userAgent})`);
      return threadCallsOf(opened.value, ctx);
    },
  };
}

/** `codex --version` ("codex-cli 0.171.0"): the version only, or undefined when it does not answer like that within 10 s. */
function codexVersion(binary: string, env: Readonly<Record<string, string | undefined>> | undefined): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(binary, ['--version'], { timeout: 10_000, env: { ...(env ?? process.env), NO_COLOR: '1' }, maxBuffer: 64 * 1024 }, (error, stdout) => {
      resolve(error === null ? /^codex-cli (\d+\.\d+\.\d+[0-9A-Za-z.+-]*)\s*$/m.exec(stdout)?.[1] : undefined);
    });
  });
}

function threadCallsOf(server: AppServer, ctx: EngineContext): ThreadCalls {
  const outcome = <T>(result: CodexResult<T>): CallOutcome => (result.ok ? { ok: true } : { ok: false, why: describeCodexFailure(result.failure) });
  return {
    read: async (thread) => outcome(await readThread(server, thread)),
    archive: async (thread) => outcome(await archiveThread(server, thread)),
    unarchive: async (thread) => outcome(await unarchiveThread(server, thread)),
    setName: async (thread, name) => (name === null ? { ok: false, why: 'Codex cannot remove a thread name, only change it' } : outcome(await nameThread(server, thread, name))),
    setPinned: async (thread, pinned) => outcome(pinned ? await pinThread(server, thread) : await unpinThread(server, thread)),
    remove: async (thread) => outcome(await deleteThread(server, thread)),
    listed: async () => {
      const listed = await listThreads(server);
      return listed.ok ? { ok: true, ids: new Set(listed.value.map((t) => t.id)) } : { ok: false, why: describeCodexFailure(listed.failure) };
    },
    close: async () => {
      const closed = await server.close();
      ctx.log.info(`ended Codex's app-server (PID ${closed.pid}${closed.daemonsEnded.length > 0 ? `, and the daemon it started: ${closed.daemonsEnded.join(', ')}` : ''})`);
    },
  };
}

/**
 * thread/name/set, also for an archived thread: Codex (0.169, 0.171) names only threads under
 * sessions/ ("no rollout found" otherwise), so an archived one is unarchived, named and archived
 * again; Codex moves the same bytes back to the same path (docs/codex-app-server.md).
 */
async function nameThread(server: AppServer, thread: string, name: string): Promise<CodexResult<unknown>> {
  const named = await setThreadName(server, thread, name);
  if (named.ok) return named;
  const read = await readThread(server, thread);
  if (!read.ok || read.value.archived !== true) return named;
  const out = await unarchiveThread(server, thread);
  if (!out.ok) return out;
  const renamed = await setThreadName(server, thread, name);
  const back = await archiveThread(server, thread);
  return back.ok ? renamed : back;
}

/**
 * A failed call to Codex in Codex's own terms (its error message, its exit), for the log and
 * for a failure's detail, as a file-system error is given in the system's terms.
 */
export function describeCodexFailure(failure: CodexFailure): string {
  switch (failure.kind) {
    case 'spawn-failed':
      return `cannot start ${failure.binary}: ${failure.why}`;
    case 'backfill-running':
      return `Codex's first import of threads was interrupted (state db backfill is running at ${failure.codexHome})`;
    case 'home-mismatch':
      return `Codex serves ${failure.reported}, not ${failure.expected}`;
    case 'exited':
      return `Codex exited during ${failure.method} (${failure.signal ?? `code ${String(failure.code)}`})`;
    case 'timeout':
      return `Codex did not answer ${failure.method} within ${Math.round(failure.ms / 1000)} s`;
    case 'rpc-error':
      return `${failure.method}: ${failure.message}`;
    case 'bad-response':
      return `${failure.method}: unexpected answer (${failure.issue})`;
    case 'bad-output':
      return `${failure.method}: Codex printed something that is not a protocol message`;
    case 'closed':
      return `${failure.method}: the connection was closed`;
  }
}
