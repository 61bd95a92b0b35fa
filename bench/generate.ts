// Writes a realistic Codex home, deterministically from a seed: threads as
// sessions/YYYY/MM/DD/rollout-<time>-<uuid>.jsonl with long-tailed sizes, history.jsonl,
// skills, and the out-of-scope noise a real home has (SQLite files with -wal, packages/
// binaries, shell snapshots, locks, logs).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface TreeSize {
  name: 'small' | 'medium' | 'large';
  threads: number;
  /** Bytes of all rollout files together (approximate). */
  rolloutBytes: number;
  /** 50 MB threads among them. */
  huge: number;
  /** Out-of-scope bytes (packages/, databases). */
  noiseBytes: number;
}

export const sizes: Record<TreeSize['name'], TreeSize> = {
  small: { name: 'small', threads: 1_000, rolloutBytes: 200e6, huge: 1, noiseBytes: 40e6 },
  medium: { name: 'medium', threads: 20_000, rolloutBytes: 2e9, huge: 4, noiseBytes: 150e6 },
  large: { name: 'large', threads: 100_000, rolloutBytes: 5e9, huge: 10, noiseBytes: 400e6 },
};

/** mulberry32: a small seeded PRNG, so that the same seed gives the same tree. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuid(rng: () => number): string {
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(rng() * 16).toString(16)).join('');
  return `019a${hex(4)}-${hex(4)}-7${hex(3)}-${hex(4)}-${hex(12)}`;
}

/** JSONL-looking text of any length, cut from a seeded pool (fast to write, realistic to hash and copy). */
function textPool(rng: () => number): string {
  const words = ['the', 'function', 'returns', 'test', 'file', 'error', 'fixed', 'module', 'config', 'value', 'user', 'request', 'build', 'cache', 'diff'];
  const lines: string[] = [];
  let length = 0;
  while (length < 4 * 1024 * 1024) {
    const text = Array.from({ length: 8 + Math.floor(rng() * 40) }, () => words[Math.floor(rng() * words.length)]).join(' ');
    const line = `{"timestamp":"2026-11-25T10:00:00.000Z","type":"response_item","payload":{"type":"message","role":"${rng() < 0.5 ? 'user' : 'assistant'}","content":[{"type":"output_text","text":"${text}"}]}}\n`;
    lines.push(line);
    length += line.length;
  }
  return lines.join('');
}

function write(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** Long-tailed sizes: log-normal around ~100 KB, clamped to 20 KB-2 MB, plus a few 50 MB threads, scaled to the target. */
function threadSizes(size: TreeSize, rng: () => number): number[] {
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const raw = Array.from({ length: size.threads - size.huge }, () => Math.exp(Math.log(100e3) + 1.0 * normal()));
  const rest = size.rolloutBytes - size.huge * 50e6;
  const scale = rest / raw.reduce((a, b) => a + b, 0);
  return [...Array.from({ length: size.huge }, () => 50e6), ...raw.map((s) => Math.min(2e6, Math.max(20e3, Math.round(s * scale))))];
}

export interface GeneratedHome {
  threads: string[];
  files: number;
  bytes: number;
}

export function generateHome(home: string, size: TreeSize, seed: number): GeneratedHome {
  const rng = random(seed);
  const pool = textPool(rng);
  const threads: string[] = [];
  let files = 0;
  let bytes = 0;
  const history: string[] = [];
  const start = Date.UTC(2026, 0, 1);
  for (const [i, bytesWanted] of threadSizes(size, rng).entries()) {
    const when = new Date(start + Math.floor(rng() * 328 * 86_400_000));
    const id = uuid(rng);
    const stamp = when.toISOString().slice(0, 19).replace(/:/g, '-');
    const rel = `sessions/${stamp.slice(0, 4)}/${stamp.slice(5, 7)}/${stamp.slice(8, 10)}/rollout-${stamp}-${id}.jsonl`;
    const meta = `{"timestamp":"${when.toISOString()}","type":"session_meta","payload":{"id":"${id}","cwd":"/home/dev/src/project-${i % 40}","cli_version":"0.169.0","originator":"codex_cli_rs"}}\n`;
    // The first prompt as Codex writes it (a user-message event): the thread's title.
    const prompt = `{"timestamp":"${when.toISOString()}","type":"event_msg","payload":{"type":"user_message","message":"task ${i}: fix the failing build"}}\n`;
    // Whole lines of the pool, as Codex writes a thread: one that ended inside a line would be
    // torn, and a line appended to it no continuation of the thread.
    let position = pool.indexOf('\n', Math.floor(rng() * (pool.length - 1))) + 1;
    let body = meta + prompt;
    while (body.length < bytesWanted) {
      const end = Math.min(pool.length, pool.indexOf('\n', Math.min(pool.length - 1, position + bytesWanted - body.length)) + 1 || pool.length);
      body += pool.slice(position, end);
      position = end % pool.length;
    }
    write(join(home, rel), body);
    threads.push(rel);
    history.push(`{"session_id":"${id}","ts":${Math.floor(when.getTime() / 1000)},"text":"task ${i}: fix the failing build"}`);
    files += 1;
    bytes += body.length;
  }
  const historyText = `${history.sort().join('\n')}\n`;
  write(join(home, 'history.jsonl'), historyText);
  files += 1;
  bytes += historyText.length;
  for (let s = 0; s < 20; s += 1) {
    write(join(home, 'skills', `skill-${s}`, 'SKILL.md'), `---\nname: skill-${s}\n---\n${pool.slice(s * 1000, s * 1000 + 3000)}`);
    write(join(home, 'skills', `skill-${s}`, 'scripts', 'run.sh'), `#!/bin/sh\necho skill ${s}\n`);
    files += 2;
    bytes += 3000;
  }
  // Out-of-scope noise that a real Codex home carries and a sync must not touch or even read.
  const noise = Buffer.alloc(Math.round(size.noiseBytes / 4), 0x5a);
  write(join(home, 'packages', 'app-server-daemon', 'releases', '0.169.0-x86_64-unknown-linux-musl', 'bin', 'codex'), noise);
  write(join(home, 'state_5.sqlite'), noise.subarray(0, noise.length / 2));
  write(join(home, 'state_5.sqlite-wal'), noise.subarray(0, noise.length / 4));
  write(join(home, 'logs_2.sqlite'), noise);
  for (let k = 0; k < 50; k += 1) write(join(home, 'shell_snapshots', `${k}.sh`), 'export PATH=/usr/bin:/bin\n');
  write(join(home, 'thread-writer-locks', '.coordination.lock'), '');
  write(join(home, 'auth.json'), '{"OPENAI_API_KEY":"sk-bench-never-synced"}\n');
  write(join(home, 'log', 'codex-tui.log'), pool.slice(0, 100_000));
  return { threads, files, bytes };
}
