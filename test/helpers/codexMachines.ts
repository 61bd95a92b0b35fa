import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openAppServer, type AppServer } from '../../src/core/codex/index.ts';
import { codexConfig } from './fakeModel.ts';
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
