import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvePaths } from '../../src/core/config/paths.ts';
import { parseSettings } from '../../src/core/config/parse.ts';
import { currentEnvironment } from '../../src/core/platform.ts';
import { baseStateFile } from '../../src/core/state/location.ts';
import { cliPath, runCli } from '../helpers/cli.ts';
import { handOffAs } from '../helpers/handoff.ts';
import { tempDir } from '../helpers/tmp.ts';
import { random } from '../../bench/generate.ts';
import { workspace, writeFile, type Workspace } from '../helpers/workspace.ts';

const EXTRA = '[sync]\ndelete_policy = "propagate"\n';
const PAUSE_MS = '8';
const KILL_WINDOW_MS = 450;

type Tree = Map<string, string>;

/** Every file of a tree (control files, temp files and snapshots aside), path -> content. */
function readTree(root: string): Tree {
  const files: Tree = new Map();
  if (!existsSync(root)) return files;
  for (const rel of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const full = join(root, rel);
    if (rel.startsWith('.codexsync') || rel.split('/').pop()?.startsWith('.codexsync-') === true || !statSync(full).isFile()) continue;
    files.set(rel, readFileSync(full, 'latin1'));
  }
  return files;
}

function temps(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((rel) => rel.split('/').pop()?.startsWith('.codexsync-') === true);
}

/** Every backed-up version, by "<side>/<path>", from all snapshot folders. */
function backedUp(backups: string): Map<string, Set<string>> {
  const versions = new Map<string, Set<string>>();
  if (!existsSync(backups)) return versions;
  for (const snapshot of readdirSync(backups)) {
    for (const side of ['local', 'cloud']) {
      const root = join(backups, snapshot, side);
      for (const [path, content] of readTree(root)) {
        const key = `${side}/${path}`;
        versions.set(key, new Set([...(versions.get(key) ?? []), content]));
      }
    }
  }
  return versions;
}

/** A synced machine, then edits, additions, deletions and appends on both sides. */
async function buildPreRun(dir: string, rng: () => number): Promise<Workspace> {
  const ws = workspace(dir, { extra: EXTRA });
  const text = (label: string, min: number, max: number): string => {
    const size = Math.floor(min + rng() * (max - min));
    return `${label}\n${Array.from({ length: size }, () => String.fromCharCode(97 + Math.floor(rng() * 26))).join('')}\n`;
  };
  const when = (n: number): Date => new Date(Date.UTC(2026, 11, 1, 0, 0, n));
  for (let i = 0; i < 24; i += 1) writeFile(ws.home, `skills/s${i}/SKILL.md`, text(`skill ${i}`, 100, 4000), when(0));
  for (let i = 0; i < 10; i += 1) {
    writeFile(ws.home, `sessions/2026/11/2${i % 5}/rollout-${i}.jsonl`, `{"type":"session_meta","payload":{"id":"${i}"}}\n`, when(0));
  }
  writeFile(ws.home, 'history.jsonl', '{"ts":1,"text":"first"}\n', when(0));
  const first = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: dir });
  if (first.code !== 0) throw new Error(first.stderr);

  let t = 10;
  for (let i = 0; i < 6; i += 1) writeFile(ws.home, `skills/s${i}/SKILL.md`, text(`skill ${i} edited here`, 100, 4000), when((t += 1)));
  for (let i = 6; i < 12; i += 1) writeFile(ws.cloud, `skills/s${i}/SKILL.md`, text(`skill ${i} edited there`, 100, 4000), when((t += 1)));
  for (let i = 0; i < 4; i += 1) writeFile(ws.home, `skills/new-here-${i}/SKILL.md`, text('new here', 100, 2000), when((t += 1)));
  for (let i = 0; i < 4; i += 1) writeFile(ws.cloud, `skills/new-there-${i}/SKILL.md`, text('new there', 100, 2000), when((t += 1)));
  writeFile(ws.home, 'skills/big/model.bin', text('big', 600_000, 800_000), when((t += 1)));
  for (const i of [12, 13]) rmSync(join(ws.home, `skills/s${i}/SKILL.md`));
  for (const i of [14, 15]) rmSync(join(ws.cloud, `skills/s${i}/SKILL.md`));
  for (const i of [0, 1]) writeFile(ws.home, `sessions/2026/11/2${i}/rollout-${i}.jsonl`, `{"type":"session_meta","payload":{"id":"${i}"}}\n{"type":"turn","n":${i}}\n`, when((t += 1)));
  for (const i of [2, 3]) writeFile(ws.cloud, `sessions/2026/11/2${i}/rollout-${i}.jsonl`, `{"type":"session_meta","payload":{"id":"${i}"}}\n{"type":"turn","n":${i}}\n`, when((t += 1)));
  writeFile(ws.home, 'history.jsonl', '{"ts":1,"text":"first"}\n{"ts":5,"text":"here"}\n', when((t += 1)));
  writeFile(ws.cloud, 'history.jsonl', '{"ts":1,"text":"first"}\n{"ts":3,"text":"there"}\n', when(t + 1));
  // The cloud's changes are another machine's handoff: its record lists them.
  await handOffAs(ws.cloud, 'b');
  return ws;
}

/** A copy of the pre-run state at another place, with the base state renamed for its new paths. */
function copyState(pre: Workspace, dir: string): Workspace {
  for (const sub of ['home', 'ws', 'state']) cpSync(join(pre.dir, sub), join(dir, sub), { recursive: true, preserveTimestamps: true });
  const ws = workspace(dir, { extra: EXTRA });
  const env = currentEnvironment();
  const baseOf = (w: Workspace): string => {
    const parsed = parseSettings(readFileSync(w.config, 'utf8'), w.config);
    if (!parsed.ok) throw new Error(parsed.problems.join());
    return baseStateFile(resolvePaths(parsed.value.settings, w.config, env));
  };
  const from = join(dir, 'state', 'a', baseOf(pre).split('/').pop() as string);
  mkdirSync(join(dir, 'state', 'a'), { recursive: true });
  renameSync(from, baseOf(ws));
  return ws;
}

interface Outcome {
  killed: boolean;
  code: number | null;
}

/** One `sync --apply`, killed with SIGKILL `delay` ms after it took the lock (when it got that far). */
function runAndMaybeKill(ws: Workspace, delay: number | undefined): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, '-c', ws.config, 'sync', '--apply'], {
      cwd: ws.dir,
      env: { ...process.env, CODEXSYNC_TEST_PAUSE_MS: PAUSE_MS, DISPLAY: '', WAYLAND_DISPLAY: '' },
      stdio: 'ignore',
    });
    let killed = false;
    const lock = join(ws.cloud, '.codexsync', 'lock.json');
    const poll = setInterval(() => {
      if (delay === undefined || !existsSync(lock)) return;
      clearInterval(poll);
      setTimeout(() => {
        if (child.exitCode === null) {
          killed = child.kill('SIGKILL');
        }
      }, delay);
    }, 2);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ killed, code });
    });
  });
}

describe('crash injection: SIGKILL at seeded random points of the apply phase', () => {
  it('leaves every file old or new, never torn; every replaced version backed up; the next run converges', async () => {
    const rng = random(20261125);
    const pre = await buildPreRun(tempDir('crash-pre'), rng);
    const old = { local: readTree(pre.home), cloud: readTree(pre.cloud) };

    const reference = copyState(pre, tempDir('crash-ref'));
    const uninterrupted = await runCli(['-c', reference.config, 'sync', '--apply'], { cwd: reference.dir });
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
    const fresh = { local: readTree(reference.home), cloud: readTree(reference.cloud) };
    expect(fresh.local).toEqual(fresh.cloud);

    let killPoints = 0;
    let torn = 0;
    let lost = 0;
    const problems: string[] = [];
    for (let chain = 0; killPoints < 100; chain += 1) {
      const ws = copyState(pre, tempDir(`crash-${chain}`));
      for (let attempt = 0; ; attempt += 1) {
        const delay = attempt < 6 ? rng() * KILL_WINDOW_MS : undefined;
        const outcome = await runAndMaybeKill(ws, delay);
        if (!outcome.killed) {
          expect(outcome.code, `chain ${chain} attempt ${attempt}`).toBe(0);
          break;
        }
        killPoints += 1;
        const backups = backedUp(ws.backups);
        for (const side of ['local', 'cloud'] as const) {
          const now = readTree(side === 'local' ? ws.home : ws.cloud);
          for (const path of new Set([...old[side].keys(), ...fresh[side].keys(), ...now.keys()])) {
            const current = now.get(path);
            if (current !== old[side].get(path) && current !== fresh[side].get(path)) {
              torn += 1;
              problems.push(`torn: ${side}/${path} after kill ${killPoints}`);
            }
            const before = old[side].get(path);
            if (before !== undefined && current !== before && !(backups.get(`${side}/${path}`)?.has(before) ?? false)) {
              lost += 1;
              problems.push(`lost: the old ${side}/${path} after kill ${killPoints}`);
            }
          }
        }
      }
      expect(readTree(ws.home), `chain ${chain}: this machine converges`).toEqual(fresh.local);
      expect(readTree(ws.cloud), `chain ${chain}: the cloud converges`).toEqual(fresh.cloud);
      expect([...temps(ws.home), ...temps(ws.cloud)], `chain ${chain}: temp files`).toEqual([]);
      const again = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir });
      expect(again.stdout, `chain ${chain}`).toContain('Already in sync.');
      rmSync(ws.dir, { recursive: true, force: true });
    }
    console.log(`${killPoints} kill points, ${torn} torn files, ${lost} lost versions`);
    expect(problems).toEqual([]);
    expect(killPoints).toBeGreaterThanOrEqual(100);
  }, 600_000);

  it('stops right after write N, for N seeded across the whole apply: each point replays exactly, and the next run converges', async () => {
    // A failure names its N: CODEXSYNC_TEST_CRASH_AFTER_WRITE=N on the same pre-run state replays it.
    const seed = 20261130;
    const rng = random(seed);
    const pre = await buildPreRun(tempDir('crash-pre'), rng);
    const old = { local: readTree(pre.home), cloud: readTree(pre.cloud) };
    const reference = copyState(pre, tempDir('crash-ref'));
    expect((await runCli(['-c', reference.config, 'sync', '--apply'], { cwd: reference.dir })).code).toBe(0);
    const fresh = { local: readTree(reference.home), cloud: readTree(reference.cloud) };

    const problems: string[] = [];
    const points: number[] = [];
    for (let n = 1; ; n += 1 + Math.floor(rng() * 3)) {
      const ws = copyState(pre, tempDir(`crash-n${n}`));
      const crashed = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir, env: { CODEXSYNC_TEST_CRASH_AFTER_WRITE: String(n) } });
      if (crashed.code !== null) {
        // Fewer than n writes in the whole run: it finished.
        expect(crashed.code, crashed.stderr).toBe(0);
        break;
      }
      points.push(n);
      const backups = backedUp(ws.backups);
      for (const side of ['local', 'cloud'] as const) {
        const now = readTree(side === 'local' ? ws.home : ws.cloud);
        for (const path of new Set([...old[side].keys(), ...fresh[side].keys(), ...now.keys()])) {
          const current = now.get(path);
          const before = old[side].get(path);
          if (current !== before && current !== fresh[side].get(path)) problems.push(`seed ${seed}, write ${n}: ${side}/${path} is torn`);
          if (before !== undefined && current !== before && !(backups.get(`${side}/${path}`)?.has(before) ?? false)) problems.push(`seed ${seed}, write ${n}: the old ${side}/${path} is lost`);
        }
      }
      const next = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir });
      expect(next.code, `seed ${seed}, write ${n}: ${next.stderr}`).toBe(0);
      expect(readTree(ws.home), `seed ${seed}, write ${n}: this machine converges`).toEqual(fresh.local);
      expect(readTree(ws.cloud), `seed ${seed}, write ${n}: the cloud converges`).toEqual(fresh.cloud);
      expect([...temps(ws.home), ...temps(ws.cloud)], `seed ${seed}, write ${n}: temp files`).toEqual([]);
      rmSync(ws.dir, { recursive: true, force: true });
    }
    console.log(`seed ${seed}: stopped after writes ${points.join(', ')}`);
    expect(problems).toEqual([]);
    expect(points.length).toBeGreaterThanOrEqual(5);
  }, 600_000);
});
