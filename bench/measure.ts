// How the benchmark times a command: wall time measured here, peak RSS from GNU time.
import { spawnSync } from 'node:child_process';

export interface Sample {
  seconds: number;
  rssMb: number;
}

/** Runs a command under GNU time; returns wall time (measured here) and peak RSS. */
export function measure(command: string, commandArgs: string[], env: Record<string, string> = {}): Sample {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...commandArgs], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0 && !(command === 'unison' && result.status === 1)) {
    throw new Error(`${command} ${commandArgs.join(' ')} exited ${result.status}: ${result.stderr.slice(-2000)}`);
  }
  const rssKb = Number(result.stderr.trim().split('\n').pop());
  return { seconds, rssMb: rssKb / 1024 };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** A plain walk that stats every file of the trees it is given, written in Node like codexSync: the floor of a walk in Node. */
export const floorScript = `import { readdirSync, lstatSync } from 'node:fs';\nimport { join } from 'node:path';\nlet n = 0;\nconst walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true })) { const p = join(d, e.name); if (e.isDirectory()) walk(p); else { lstatSync(p); n += 1; } } };\nfor (const r of process.argv.slice(2)) { try { const s = lstatSync(r); if (s.isDirectory()) walk(r); else n += 1; } catch {} }\nconsole.log(n);\n`;
