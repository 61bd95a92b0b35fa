import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll } from 'vitest';
import { openAppServer, type AppServer, type CodexResult, type CodexThread } from '../../src/core/codex/index.ts';
import { newThreadId, rekeyRollout } from '../../src/core/threads/index.ts';
import { newThread } from './codexThreads.ts';
import { codexConfig, startFakeModel, type FakeModel } from './fakeModel.ts';
import { codexEnv, codexProgramFor, type CodexVersion } from './realCodex.ts';

// Machines for the real-Codex tests of src/core/codex: each a Codex home of its own (pointing
// at the model server of fakeModel.ts), a project folder, and `codex` of one version as a
// program, as locateCodex would find it on PATH. One set per version, reused by a test file.

export interface CodexMachine {
  name: string;
  home: string;
  project: string;
  binary: string;
}

export interface Machines {
  root: string;
  make(name: string): CodexMachine;
  /** Removes every folder (call in afterAll: the homes outlive single tests). */
  remove(): void;
}

export function machinesFor(version: CodexVersion, modelUrl: string): Machines {
  const root = mkdtempSync(join(tmpdir(), `codexsync-codex-${version}-`));
  const bin = join(root, 'bin');
  mkdirSync(bin);
  const binary = codexProgramFor(version, bin);
  return {
    root,
    make(name) {
      const home = join(root, name, '.codex');
      const project = join(root, name, 'project');
      mkdirSync(home, { recursive: true });
      mkdirSync(project, { recursive: true });
      writeFileSync(join(home, 'config.toml'), codexConfig(modelUrl, [project]));
      return { name, home, project, binary };
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** codexSync's app-server client on a machine's Codex home. */
export async function session(m: CodexMachine): Promise<AppServer> {
  const opened = await openAppServer({ binary: m.binary, codexHome: m.home, cwd: m.project, env: codexEnv(m.home), clientVersion: '0.0.0-test', closeGraceMs: 1000 });
  if (!opened.ok) throw new Error(`${m.name}: the app-server did not start: ${JSON.stringify(opened.failure)}`);
  return opened.value;
}

/** Runs `use` on a fresh app-server of the machine and ends it afterwards (asserting it is gone). */
export async function withSession<T>(m: CodexMachine, use: (server: AppServer) => Promise<T>): Promise<T> {
  const server = await session(m);
  let result: T;
  try {
    result = await use(server);
  } catch (error) {
    await server.close();
    throw error;
  }
  const closed = await server.close();
  if (!closed.gone) throw new Error(`${m.name}: the app-server ${closed.pid} is still running`);
  return result;
}

/** The path (relative to the home) of a thread's rollout, under sessions/ or archived_sessions/. */
export function rolloutOf(home: string, id: string): string {
  for (const top of ['sessions', 'archived_sessions']) {
    const dir = join(home, top);
    if (!existsSync(dir)) continue;
    const found = readdirSync(dir, { recursive: true, encoding: 'utf8' }).find((p) => p.endsWith(`-${id}.jsonl`));
    if (found !== undefined) return `${top}/${found}`;
  }
  throw new Error(`no rollout of ${id} in ${home}`);
}

export function readRollout(m: CodexMachine, rel: string): Buffer {
  return readFileSync(join(m.home, rel));
}

/** Writes bytes at a relative path of a machine's home, making folders: what a handoff does. */
export function place(m: CodexMachine, rel: string, bytes: Buffer): void {
  mkdirSync(dirname(join(m.home, rel)), { recursive: true });
  writeFileSync(join(m.home, rel), bytes);
}

export function copyRollout(from: CodexMachine, to: CodexMachine, rel: string): void {
  mkdirSync(dirname(join(to.home, rel)), { recursive: true });
  copyFileSync(join(from.home, rel), join(to.home, rel));
}

/** A call's value, or the test fails with Codex's failure. */
export function value<T>(result: CodexResult<T>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.failure));
  return result.value;
}

/** The user prompts of a thread's turns, as Codex shows them. */
export const texts = (thread: CodexThread): string[] => thread.turns.flatMap((t) => t.userTexts);

/** A model server of the test file's own for its whole run: the getter gives it once started. */
export function useFakeModel(): () => FakeModel {
  let model: FakeModel | undefined;
  beforeAll(async () => {
    model = await startFakeModel();
  });
  afterAll(async () => {
    await model?.close();
  });
  return () => {
    if (model === undefined) throw new Error('the model server is not started yet');
    return model;
  };
}

function backfillStatusOf(home: string): string {
  const db = new DatabaseSync(join(home, 'state_5.sqlite'), { readOnly: true });
  try {
    return (db.prepare('SELECT status FROM backfill_state').get() as { status: string }).status;
  } finally {
    db.close();
  }
}

/**
 * A Codex killed during its start-up import of rollouts: 1,500 rollouts placed (so the import
 * takes longer than it takes to see it running), the import set back to pending, a real
 * `codex app-server` started and killed by its PID once the import runs. Leaves
 * backfill_state 'running', as a real crash does; returns the id of the thread first made.
 */
export async function interruptImport(m: CodexMachine): Promise<string> {
  const id = await withSession(m, (s) => newThread(s, m.project, ['Seed']));
  const rel = rolloutOf(m.home, id);
  const bytes = readRollout(m, rel);
  const firstLine = bytes.subarray(0, bytes.indexOf(0x0a) + 1);
  for (let i = 0; i < 1500; i++) {
    const copy = rekeyRollout(firstLine, rel.slice(rel.lastIndexOf('/') + 1), id, newThreadId(Date.now() - i * 1000));
    if (!copy.ok) throw new Error(copy.why);
    place(m, join(dirname(rel), copy.name), copy.bytes);
  }
  const db = new DatabaseSync(join(m.home, 'state_5.sqlite'));
  db.exec("UPDATE backfill_state SET status = 'pending', last_watermark = NULL");
  db.close();
  const codex = spawn(m.binary, ['app-server'], { env: codexEnv(m.home), stdio: ['pipe', 'ignore', 'ignore'] });
  const exited = new Promise((done) => codex.on('exit', done));
  const deadline = Date.now() + 30_000;
  while (backfillStatusOf(m.home) !== 'running' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  codex.kill('SIGKILL');
  await exited;
  if (backfillStatusOf(m.home) !== 'running') throw new Error(`${m.name}: the import was not seen running`);
  return id;
}
