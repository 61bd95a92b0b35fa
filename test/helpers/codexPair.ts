import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect } from 'vitest';
import { listThreads, resumeThread, type CodexThread } from '../../src/core/codex/index.ts';
import { runCli } from './cli.ts';
import { machinesFor, withSession, value, type CodexMachine, type Machines } from './codexMachines.ts';
import { addTurn } from './codexThreads.ts';
import type { CodexVersion } from './realCodex.ts';

// Two machines with the real Codex CLI (each its own home and its own `codex` on PATH) and
// the real `codexsync` between them through one cloud folder, for test/codex-e2e: what is
// checked is what a person sees in Codex after a handoff.

export interface Machine extends CodexMachine {
  config: string;
}

/** The PATH of a shell on `m`: its own codex first, and no other (node_modules/.bin holds one). */
function pathOf(m: Machine | undefined): string {
  const system = (process.env.PATH ?? '').split(':').filter((dir) => !dir.includes('node_modules'));
  return [...(m === undefined ? [] : [join(m.binary, '..')]), ...system].join(':');
}

export async function codexsync(m: Machine, args: string[], options: { withCodex?: boolean } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCli(['-c', m.config, ...args], { cwd: m.project, env: { PATH: pathOf(options.withCodex === false ? undefined : m) } });
}

/** `codexsync sync --apply` on `m`, which must succeed; its report. */
export async function handOff(m: Machine): Promise<string> {
  const result = await codexsync(m, ['sync', '--apply']);
  expect(result.code, `${m.name}: ${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

/** Resumes a thread on `m` and runs one turn per prompt, as a person continuing it in Codex. */
export async function continueThread(m: Machine, id: string, prompts: string[]): Promise<void> {
  await withSession(m, async (s) => {
    value(await resumeThread(s, id));
    for (const prompt of prompts) await addTurn(s, id, prompt);
  });
}

/** The thread as Codex shows it on `m` after a resume: its turns, name, section, archived flag. */
export async function shown(m: Machine, id: string): Promise<CodexThread> {
  return withSession(m, async (s) => value(await resumeThread(s, id, { includeTurns: true })));
}

export async function listed(m: Machine): Promise<CodexThread[]> {
  return withSession(m, async (s) => value(await listThreads(s)));
}

/** Sets `conflict.policy` in `m`'s config.toml. */
export function setPolicy(m: Machine, policy: 'manual_abort' | 'prefer_local' | 'prefer_cloud' | 'prefer_newer_mtime'): void {
  writeFileSync(m.config, readFileSync(m.config, 'utf8').replace(/^policy = ".*"$/m, `policy = "${policy}"`));
}

/** A laptop and a desk, each a Codex home of its version with a codexSync config (manual_abort) on one cloud folder under `root`. */
export function pair(root: string, fakeModelUrl: string, versions: [CodexVersion, CodexVersion], sets: Machines[]): { laptop: Machine; desk: Machine } {
  const cloud = join(root, 'Dropbox', 'codexSync');
  const make = (name: string, version: CodexVersion): Machine => {
    const set = machinesFor(version, fakeModelUrl);
    sets.push(set);
    const m = set.make(name);
    const config = join(root, `${name}.toml`);
    writeFileSync(
      config,
      `[identity]
machine_id = "${name}"
[paths]
workspace_root_dir = "${cloud}"
local_state_dir = "${m.home}"
cloud_root_dir = "\${workspace_root}/sync"
backup_dir = "\${workspace_root}/backups"
temp_dir = "\${workspace_root}/.tmp"
[state]
local_dir = "${join(root, name, 'state')}"
[logging]
file = "${join(root, 'logs', 'codexsync.log')}"
[conflict]
policy = "manual_abort"
`,
    );
    return { ...m, config };
  };
  return { laptop: make('laptop', versions[0]), desk: make('desk', versions[1]) };
}

/** Codex's own catalogue row of a thread, read without starting Codex (a thread/list would add the thread itself). */
export function catalogueRow(m: Machine, id: string): { rollout_path: string; archived: number } | undefined {
  const db = new DatabaseSync(join(m.home, 'state_5.sqlite'), { readOnly: true });
  try {
    return db.prepare('SELECT rollout_path, archived FROM threads WHERE id = ?').get(id) as { rollout_path: string; archived: number } | undefined;
  } finally {
    db.close();
  }
}
