import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { codexThreadList, rollouts, runTui } from '../helpers/codexTui.ts';
import { codexConfig, MODEL_REPLY, startFakeModel, type FakeModel } from '../helpers/fakeModel.ts';
import { codexEnv, codexWrapper } from '../helpers/realCodex.ts';
import { tempDir } from '../helpers/tmp.ts';

// Two machines A and B (two Codex homes, two project folders) and one cloud folder. Real
// Codex (@openai/codex from the npm registry) completes turns against a model server of ours
// on 127.0.0.1; codexSync hands the work over; Codex on the other machine lists and resumes it.

let model: FakeModel;
const socket = `codexsync-e2e-${process.pid}`;

beforeAll(async () => {
  model = await startFakeModel();
});
afterAll(async () => {
  await model.close();
  try {
    execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
  } catch {
    // no server left
  }
});

interface Machine {
  name: string;
  home: string;
  project: string;
  config: string;
}

function machines(root: string): { a: Machine; b: Machine } {
  const make = (name: string): Machine => ({
    name,
    home: join(root, name, '.codex'),
    project: join(root, name, 'src', 'webapp'),
    config: join(root, `${name}.toml`),
  });
  const a = make('a');
  const b = make('b');
  for (const [m, peer] of [
    [a, b],
    [b, a],
  ] as const) {
    mkdirSync(m.home, { recursive: true });
    mkdirSync(m.project, { recursive: true });
    writeFileSync(join(m.home, 'config.toml'), codexConfig(model.url, [m.project]));
    writeFileSync(
      m.config,
      `[identity]
machine_id = "${m.name}"
[paths]
workspace_root_dir = "${join(root, 'Dropbox', 'codexSync')}"
local_state_dir = "${m.home}"
cloud_root_dir = "\${workspace_root}/sync"
backup_dir = "\${workspace_root}/backups"
temp_dir = "\${workspace_root}/.tmp"
[paths.map]
"${join(peer.project, '..')}" = "${join(m.project, '..')}"
[state]
local_dir = "${join(root, m.name, 'codexsync-state')}"
[logging]
file = "${join(root, 'logs', 'codexsync.log')}"
`,
    );
  }
  return { a, b };
}

const sync = async (m: Machine): Promise<string> => {
  const result = await runCli(['-c', m.config, 'sync', '--apply'], { cwd: m.project });
  expect(result.code, `${m.name}: ${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
};

function threadIdOf(rollout: string): string {
  return /([0-9a-f-]{36})\.jsonl$/.exec(rollout)?.[1] ?? '';
}

function catalogueRow(home: string, id: string): { rollout_path: string; cwd: string } | undefined {
  const db = new DatabaseSync(join(home, 'state_5.sqlite'), { readOnly: true });
  try {
    return db.prepare('SELECT rollout_path, cwd FROM threads WHERE id = ?').get(id) as { rollout_path: string; cwd: string } | undefined;
  } finally {
    db.close();
  }
}

/** `codex exec resume <id> <prompt>` (asynchronously: the model server runs in this process). */
function resume(m: Machine, id: string, prompt: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [codexWrapper, 'exec', '--skip-git-repo-check', 'resume', id, prompt], { cwd: m.project, env: codexEnv(m.home), stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`codex exec resume ${id} did not finish`));
    }, 120_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`codex exec resume ${id} exited ${code}`));
    });
  });
}

describe('a handoff with the real Codex CLI', () => {
  it('A -> B: B lists the thread with its own paths, resumes it, and holds both histories; then B -> A', async () => {
    const { a, b } = machines(tempDir('codex-e2e'));

    await runTui({ socket, home: a.home, cwd: a.project, prompt: 'Fix the login bug (from A)', reply: MODEL_REPLY });
    await runTui({ socket, home: b.home, cwd: b.project, prompt: 'Write the release notes (from B)', reply: MODEL_REPLY });
    const [threadA] = rollouts(a.home);
    const [threadB] = rollouts(b.home);
    if (threadA === undefined || threadB === undefined) throw new Error('Codex wrote no rollout');
    const idA = threadIdOf(threadA);
    expect(catalogueRow(b.home, idA)).toBeUndefined();

    await sync(a);
    const pulled = await sync(b);
    expect(pulled).toContain('Codex lists 1 handed-off thread.');
    // Added by B's own Codex at B's path; then, with Codex ended, [paths.map] maps A's project folder to B's in the same run.
    // (Codex's thread/list reports the cwd recorded inside the rollout, which codexSync never rewrites.)
    expect(pulled).toContain('Project folders of 1 thread mapped with [paths.map].');
    expect(catalogueRow(b.home, idA)).toEqual({ rollout_path: join(b.home, threadA), cwd: b.project });

    const history = readFileSync(join(b.home, 'history.jsonl'), 'utf8');
    expect(history).toContain('Fix the login bug (from A)');
    expect(history).toContain('Write the release notes (from B)');

    // Codex's own thread list on B: A's thread, at B's absolute path.
    const listed = (await codexThreadList(b.home)).find((t) => t.id === idA);
    expect(listed?.path).toBe(join(b.home, threadA));
    expect(listed?.preview).toBe('Fix the login bug (from A)');

    // B continues A's thread: the new turn is appended to that thread's rollout file.
    const before = readFileSync(join(b.home, threadA), 'utf8');
    await resume(b, idA, 'Continue on B: add a test');
    const after = readFileSync(join(b.home, threadA), 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toContain('Continue on B: add a test');
    expect(catalogueRow(b.home, idA)?.rollout_path).toBe(join(b.home, threadA));

    // The reverse direction: B hands off, A receives the longer thread and B's own thread.
    await sync(b);
    const back = await sync(a);
    expect(back).toContain('Fix the login bug (from A) (src/webapp): +1 turn from b');
    expect(readFileSync(join(a.home, threadA), 'utf8')).toBe(after);
    const idB = threadIdOf(threadB);
    const listedOnA = await codexThreadList(a.home);
    expect(listedOnA.find((t) => t.id === idB)?.path).toBe(join(a.home, threadB));
    expect(listedOnA.map((t) => t.id)).toContain(idA);
    const historyA = readFileSync(join(a.home, 'history.jsonl'), 'utf8');
    expect(historyA).toContain('Fix the login bug (from A)');
    expect(historyA).toContain('Write the release notes (from B)');
    await resume(a, idB, 'Continue on A: tighten the wording');
    expect(readFileSync(join(a.home, threadB), 'utf8')).toContain('Continue on A: tighten the wording');

    // auth.json never went anywhere; Codex's databases never reached the cloud.
    const cloud = join(a.home, '..', '..', 'Dropbox', 'codexSync', 'sync');
    const inCloud = execFileSync('find', [cloud, '-type', 'f'], { encoding: 'utf8' });
    expect(inCloud).not.toMatch(/auth\.json|\.sqlite|packages\//);
  });
});
