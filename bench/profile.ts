// `npm run bench -- --profile`: where the command line spends a scenario's time. One more run of
// each scenario, from the sources (so that a frame names its file and function), under Node's
// --cpu-prof; each profile summed up by function, its own time and its time with what it calls,
// into bench/results/profiles/<size>.md. Not timed: a profile's run is slower than the others.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const repo = fileURLToPath(new URL('..', import.meta.url));
/** Lines of each table. */
const TOP = 18;

/** A frame as a reader finds it: function and file (relative to the repository, or Node's own module), line. */
function frameOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.startsWith('file://') ? relative(repo, fileURLToPath(url)) : url === '' ? '' : url.replace(/^node:internal\//, 'node:');
  return `${functionName === '' ? '(anonymous)' : functionName}${file === '' ? '' : ` ${file}:${lineNumber + 1}`}`;
}

/** Each function's own milliseconds and its milliseconds with the functions it called (a recursive call counted once). */
function summarize(profile: CpuProfile): { totalMs: number; self: Map<string, number>; inclusive: Map<string, number> } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const spent = new Map<number, number>();
  profile.samples.forEach((id, i) => spent.set(id, (spent.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of spent) {
    totalMs += ms;
    const frame = frameOf(byId.get(id) as ProfileNode);
    self.set(frame, (self.get(frame) ?? 0) + ms);
    const counted = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const up = frameOf(byId.get(at) as ProfileNode);
      if (up === '(root)' || counted.has(up)) continue;
      counted.add(up);
      inclusive.set(up, (inclusive.get(up) ?? 0) + ms);
    }
  }
  return { totalMs, self, inclusive };
}

/** Runs `args` (the command line from the sources) once under --cpu-prof; its summary as markdown. */
export function profileRun(title: string, cliArgs: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'codexsync-profile-'));
  try {
    const run = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval', '250', join(repo, 'bin', 'codexsync.mjs'), ...cliArgs], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    if (run.status !== 0) throw new Error(`profile of ${title} exited ${run.status}: ${run.stderr.slice(-2000)}`);
    // The launcher runs the command in this process; a profile per thread that ran JavaScript.
    const profiles = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
    const { totalMs, self, inclusive } = summarize(JSON.parse(readFileSync(join(dir, profiles[0] as string), 'utf8')) as CpuProfile);
    const rows = (map: Map<string, number>, only: (frame: string) => boolean = () => true): string[] =>
      [...map]
        .filter(([frame]) => only(frame))
        .sort((a, b) => b[1] - a[1])
        .slice(0, TOP)
        .map(([frame, ms]) => `| ${ms.toFixed(1)} | ${((100 * ms) / totalMs).toFixed(0)}% | \`${frame}\` |`);
    return [
      `## ${title}`,
      '',
      `${totalMs.toFixed(0)} ms sampled. Own time: the function itself ("(garbage collector)", system calls such as \`lstat\` and \`(idle)\`, waiting on the disk, are frames of their own).`,
      '',
      '| own ms | share | function |',
      '|---:|---:|---|',
      ...rows(self),
      '',
      "codexSync's own functions (src/), with what they call:",
      '',
      '| ms | share | function |',
      '|---:|---:|---|',
      ...rows(inclusive, (frame) => frame.includes(' src/')),
      '',
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function writeProfiles(size: string, sections: string[]): string {
  const dir = join(repo, 'bench', 'results', 'profiles');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${size}.md`);
  const intro = `# Where codexsync spends a scenario's time: ${size} tree\n\nOne run of each scenario from the sources (\`bin/codexsync.mjs\`) under \`node --cpu-prof\`, written by \`npm run bench -- --size ${size} --profile\`. See bench/results/profile-notes.md for what was found and tried.\n\n`;
  writeFileSync(file, intro + sections.join('\n'));
  return relative(repo, file);
}
