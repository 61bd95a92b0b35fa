// `npm run bench [-- --size small|medium|large] [--runs N] [--dir PATH] [--keep] [--only first,no-change,incremental,restore,progress,warm] [--profile]`: how fast a handoff is,
// against the tools a user would pick instead, on one generated Codex home, in one process.
// Prints a table of medians with ratios to a reference measured in the same run, and writes
// it to bench/results/<size>.md. --profile: where the command line's time goes in each scenario
// (bench/profile.ts), written to bench/results/profiles/<size>.md.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/core/config/load.ts';
import { benchContext } from './engineContext.ts';
import { sync } from '../src/core/engine/index.ts';
import type { ApplyProgress } from '../src/core/apply/index.ts';
import { SnapshotWriter } from '../src/core/backup/snapshot.ts';
import { currentEnvironment } from '../src/core/platform.ts';
import { progressPrinter } from '../src/cli/print/progress.ts';
import { ProgressSink } from '../src/main/service/progressSink.ts';
import { buildCli } from '../scripts/build.ts';
import { generateHome, random, sizes, type TreeSize } from './generate.ts';
import { floorScript, measure, median, type Sample } from './measure.ts';
import { profileRun, writeProfiles } from './profile.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
// The command line as the app ships it: one bundled file, built here from the sources. The
// no-change plan is also measured from the sources (bin/codexsync.mjs), as a clone runs it.
const cli = join(here, '..', 'out', 'cli', 'codexsync.mjs');
const cliFromSources = join(here, '..', 'bin', 'codexsync.mjs');
const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
};
const size: TreeSize = sizes[option('size', 'small') as TreeSize['name']] ?? sizes.small;
const runs = Number(option('runs', size.name === 'small' ? '5' : '3'));
const scenarios = ['first', 'no-change', 'incremental', 'restore', 'progress', 'warm'] as const;
/** `--only a,b`: some scenarios (the others are not measured); all by default. */
const only = option('only', scenarios.join(',')).split(',');
const wanted = (scenario: (typeof scenarios)[number]): boolean => only.includes(scenario);
const profiling = args.includes('--profile');
const profiles: string[] = [];
/** With --profile: one more run of the command line, under the profiler (not timed). */
const profile = (title: string, ...cliArgs: string[]): void => {
  profiles.push(profileRun(title, ['-c', config, ...cliArgs]));
};
const root = mkdtempSync(join(option('dir', tmpdir()), `codexsync-bench-${size.name}-`));
const scope = ['sessions', 'history.jsonl', 'skills'];

const home = join(root, 'home');
const cloud = join(root, 'cloud', 'sync');
const config = join(root, 'bench.toml');
writeFileSync(
  config,
  `[identity]\nmachine_id = "bench"\n[paths]\nworkspace_root_dir = "${join(root, 'cloud')}"\nlocal_state_dir = "${home}"\ncloud_root_dir = "\${workspace_root}/sync"\nbackup_dir = "\${workspace_root}/backups"\ntemp_dir = "\${workspace_root}/.tmp"\n[state]\nlocal_dir = "${join(root, 'state')}"\n[logging]\nfile = "${join(root, 'logs', 'codexsync.log')}"\n[process_detection]\nprocess_names = ["codex-bench-${process.pid}"]\n`,
);

interface Row {
  scenario: string;
  tool: string;
  seconds: number;
  rssMb: number;
  reference: string;
  ratio: number | undefined;
}
const rows: Row[] = [];

function record(scenario: string, reference: string, results: Record<string, Sample[]>): void {
  const ref = median((results[reference] ?? []).map((s) => s.seconds));
  for (const [tool, samples] of Object.entries(results)) {
    const seconds = median(samples.map((s) => s.seconds));
    rows.push({ scenario, tool, seconds, rssMb: Math.max(...samples.map((s) => s.rssMb)), reference, ratio: tool === reference ? undefined : seconds / ref });
  }
  const line = Object.entries(results)
    .map(([tool, samples]) => `${tool} ${median(samples.map((s) => s.seconds)).toFixed(3)} s`)
    .join(', ');
  console.log(`${scenario}: ${line}`);
}

const node = process.execPath;
const codexsync = (...cliArgs: string[]): Sample => measure(node, [cli, '-c', config, ...cliArgs]);
const scopeOf = (tree: string): string[] => scope.map((entry) => join(tree, entry)).filter(existsSync);
const unisonHome = join(root, 'unison');
const unisonArgs = (left: string, right: string): string[] => [left, right, '-batch', '-times', '-confirmbigdel=false', '-ui', 'text', ...scope.flatMap((p) => ['-path', p])];
const unisonEnv = { UNISON: unisonHome };

function resetCloud(): void {
  rmSync(join(root, 'cloud'), { recursive: true, force: true });
  rmSync(join(root, 'state'), { recursive: true, force: true });
  mkdirSync(cloud, { recursive: true });
}

console.log(`codexSync benchmark, ${size.name} tree, ${runs} runs per figure, in ${root}`);
await buildCli();
const generated = generateHome(home, size, 20261125);
console.log(`generated ${generated.files} files, ${(generated.bytes / 1e6).toFixed(0)} MB in scope (plus out-of-scope noise)`);

const quote = (p: string): string => `'${p.replace(/'/g, `'\\''`)}'`;
const env = currentEnvironment();
const loaded = loadConfig(config, env);

// First full sync into an empty cloud folder: codexsync vs cp -a and rsync -a of the same scope.
// "cp -a; sync" and "rsync -a --fsync" are cp and rsync with the durability codexSync gives
// (every file on disk before it counts as copied).
if (wanted('first')) {
  const first: Record<string, Sample[]> = { 'cp -a': [], 'cp -a; sync': [], 'rsync -a': [], 'rsync -a --fsync': [], codexsync: [] };
  for (let i = 0; i < runs; i += 1) {
    for (const tool of ['cp -a', 'cp -a; sync', 'rsync -a', 'rsync -a --fsync'] as const) {
      const target = join(root, 'copy');
      rmSync(target, { recursive: true, force: true });
      mkdirSync(target);
      spawnSync('sync');
      const sample =
        tool === 'cp -a'
          ? measure('cp', ['-a', ...scopeOf(home), target])
          : tool === 'rsync -a' || tool === 'rsync -a --fsync'
            ? measure('rsync', [...(tool === 'rsync -a' ? ['-a'] : ['-a', '--fsync']), ...scopeOf(home), target])
            : measure('sh', ['-c', `cp -a ${scopeOf(home).map(quote).join(' ')} ${quote(target)} && sync`]);
      first[tool]?.push(sample);
    }
    spawnSync('sync');
    resetCloud();
    first.codexsync?.push(codexsync('sync', '--apply'));
  }
  rmSync(join(root, 'copy'), { recursive: true, force: true });
  record('first full sync', 'cp -a', first);
  if (profiling) {
    resetCloud();
    profile('first full sync', 'sync', '--apply');
  }
} else {
  // The scenarios below start from both sides in sync.
  resetCloud();
  codexsync('sync', '--apply');
}

if (wanted('no-change')) {
  // A plain walk that stats every file of both trees, written in Node like codexSync.
  const floor = join(root, 'floor.mjs');
  writeFileSync(floor, floorScript);

  // No-change plan: both sides synced.
  measure('unison', unisonArgs(home, cloud), unisonEnv); // builds unison's archive once
  const noChange: Record<string, Sample[]> = {
    'find -printf (floor)': [],
    'node walk (floor)': [],
    'rsync -a --dry-run': [],
    'unison -batch': [],
    codexsync: [],
    'codexsync (from sources)': [],
  };
  for (let i = 0; i < runs; i += 1) {
    noChange['find -printf (floor)']?.push(measure('sh', ['-c', `find ${[...scopeOf(home), ...scopeOf(cloud)].map((p) => `'${p}'`).join(' ')} -printf '%s %T@\\n' > /dev/null`]));
    noChange['node walk (floor)']?.push(measure(node, [floor, ...scopeOf(home), ...scopeOf(cloud)]));
    noChange['rsync -a --dry-run']?.push(measure('rsync', ['-a', '--dry-run', ...scopeOf(home), `${cloud}/`]));
    noChange['unison -batch']?.push(measure('unison', unisonArgs(home, cloud), unisonEnv));
    noChange.codexsync?.push(codexsync('plan'));
    noChange['codexsync (from sources)']?.push(measure(node, [cliFromSources, '-c', config, 'plan']));
  }
  record('no-change plan', 'find -printf (floor)', noChange);
  if (profiling) profile('no-change plan', 'plan');
}

if (wanted('incremental')) {
  // Incremental handoff: 50 threads appended, 20 new, history grown; each run starts from the same synced state.
  const rng = random(7);
  const appended = Array.from({ length: 50 }, () => generated.threads[Math.floor(rng() * generated.threads.length)] as string).filter((p, i, all) => all.indexOf(p) === i);
  // Each tree's own time of each file, put back to the millisecond codexSync keeps (a Date's
  // seconds as a float could land a millisecond off: the cloud file then looked changed, and
  // with its record removed the run waited, exit 5).
  const timesOf = (p: string): Map<string, number> => new Map([home, cloud].map((tree) => [tree, Math.floor(statSync(join(tree, p)).mtimeMs)]));
  const backTo = (tree: string, p: string, times: Map<string, number>): void => {
    const seconds = ((times.get(tree) as number) + 0.5) / 1000;
    utimesSync(join(tree, p), seconds, seconds);
  };
  const saved = new Map(appended.map((p) => [p, { bytes: readFileSync(join(home, p)), times: timesOf(p) }]));
  const history = { bytes: readFileSync(join(home, 'history.jsonl')), times: timesOf('history.jsonl') };
  const stateSaved = join(root, 'state-saved');
  cpSync(join(root, 'state'), stateSaved, { recursive: true, preserveTimestamps: true });
  cpSync(unisonHome, `${unisonHome}-saved`, { recursive: true, preserveTimestamps: true });
  const fresh = Array.from({ length: 20 }, (_v, i) => `sessions/2026/11/25/rollout-2026-11-25T12-00-${String(i).padStart(2, '0')}-019abench-0000-7000-8000-${String(i).padStart(12, '0')}.jsonl`);
  function change(): void {
    for (const p of appended) appendFileSync(join(home, p), '{"type":"response_item","payload":{"text":"one more turn"}}\n'.repeat(100));
    for (const p of fresh) {
      mkdirSync(join(home, 'sessions/2026/11/25'), { recursive: true });
      writeFileSync(join(home, p), '{"type":"session_meta"}\n'.repeat(2000));
    }
    appendFileSync(join(home, 'history.jsonl'), '{"session_id":"x","ts":1795000000,"text":"new prompt"}\n'.repeat(50));
  }
  function revert(): void {
    for (const tree of [home, cloud]) {
      for (const [p, v] of saved) {
        writeFileSync(join(tree, p), v.bytes);
        backTo(tree, p, v.times);
      }
      for (const p of fresh) rmSync(join(tree, p), { force: true });
      writeFileSync(join(tree, 'history.jsonl'), history.bytes);
      backTo(tree, 'history.jsonl', history.times);
    }
    rmSync(join(root, 'state'), { recursive: true, force: true });
    cpSync(stateSaved, join(root, 'state'), { recursive: true, preserveTimestamps: true });
    rmSync(unisonHome, { recursive: true, force: true });
    cpSync(`${unisonHome}-saved`, unisonHome, { recursive: true, preserveTimestamps: true });
    rmSync(join(root, 'cloud', 'backups'), { recursive: true, force: true });
    rmSync(join(cloud, '.codexsync'), { recursive: true, force: true });
  }
  const incremental: Record<string, Sample[]> = { 'rsync -a': [], 'rsync -a --fsync': [], 'unison -batch': [], codexsync: [] };
  for (let i = 0; i < runs; i += 1) {
    for (const tool of ['rsync -a', 'rsync -a --fsync', 'unison -batch', 'codexsync'] as const) {
      change();
      spawnSync('sync');
      if (tool === 'rsync -a') incremental[tool]?.push(measure('rsync', ['-a', ...scopeOf(home), `${cloud}/`]));
      else if (tool === 'rsync -a --fsync') incremental[tool]?.push(measure('rsync', ['-a', '--fsync', ...scopeOf(home), `${cloud}/`]));
      else if (tool === 'unison -batch') incremental[tool]?.push(measure('unison', unisonArgs(home, cloud), unisonEnv));
      else incremental[tool]?.push(codexsync('sync', '--apply'));
      revert();
    }
  }
  record('incremental handoff', 'rsync -a', incremental);
  if (profiling) {
    change();
    spawnSync('sync');
    profile('incremental handoff', 'sync', '--apply');
    revert();
  }
}

if (wanted('restore')) {
  // Restore of a 1,000-file snapshot, folder and zip.
  const backupDir = loaded.paths.backupDir;
  const restored = generated.threads.slice(0, 1000);
  const snapshots: Record<'folder' | 'zip', string> = { folder: '', zip: '' };
  for (const [format, when] of [
    ['folder', '2026-01-01T00:00:00Z'],
    ['zip', '2026-01-02T00:00:00Z'],
  ] as const) {
    const writer = new SnapshotWriter(backupDir, { machineId: 'bench', localRoot: home, cloudRoot: cloud }, new Date(when));
    for (const p of restored) {
      const stat = statSync(join(home, p));
      await writer.add('local', home, p, { size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) }, 'overwrite');
    }
    snapshots[format] = (await writer.finish(format === 'zip' ? 'zip' : 'none')) as string;
  }
  const restore: Record<string, Sample[]> = { 'cp -a (folder)': [], 'cp -a; sync (folder)': [], 'codexsync (folder)': [], 'codexsync (zip)': [] };
  const touch = (): void => {
    for (const p of restored) appendFileSync(join(home, p), '\n');
  };
  for (let i = 0; i < runs; i += 1) {
    touch();
    spawnSync('sync');
    restore['cp -a (folder)']?.push(measure('cp', ['-a', `${join(backupDir, snapshots.folder, 'local')}/.`, `${home}/`]));
    touch();
    spawnSync('sync');
    restore['cp -a; sync (folder)']?.push(measure('sh', ['-c', `cp -a ${quote(`${join(backupDir, snapshots.folder, 'local')}/.`)} ${quote(`${home}/`)} && sync`]));
    for (const format of ['folder', 'zip'] as const) {
      touch();
      spawnSync('sync');
      restore[`codexsync (${format})`]?.push(codexsync('restore', '--from', snapshots[format], '--apply'));
      for (const name of readdirSync(backupDir)) if (name !== snapshots.folder && name !== snapshots.zip) rmSync(join(backupDir, name), { recursive: true, force: true });
    }
  }
  record('restore 1,000 files', 'cp -a (folder)', restore);
  for (const format of profiling ? (['folder', 'zip'] as const) : []) {
    touch();
    spawnSync('sync');
    profile(`restore 1,000 files (${format})`, 'restore', '--from', snapshots[format], '--apply');
  }
}

let progressLine = '';
if (wanted('progress')) {
  // Progress reporting: the time spent in the progress callbacks, against the whole first full
  // sync, in this process: the terminal progress line (CLI) on every applied file, and the app's
  // progress events (at most about a hundred per run, each serialized as Electron's IPC does).
  const devNull = Object.assign(new (await import('node:stream')).Writable({ write: (_c, _e, done) => done() }), { isTTY: true, columns: 120 }) as unknown as NodeJS.WriteStream;
  const progressShares: { cli: number[]; app: number[] } = { cli: [], app: [] };
  let events = 0;
  let appEvents = 0;
  for (let i = 0; i < runs; i += 1) {
    resetCloud();
    const printer = progressPrinter(devNull);
    const sink = new ProgressSink((event) => {
      appEvents += 1;
      serialize(event);
    });
    const spent = { cli: 0, app: 0 };
    const ctx = benchContext(loaded, {
      progress: (event: ApplyProgress) => {
        events += 1;
        const started = performance.now();
        printer?.(event);
        const printed = performance.now();
        sink.report(event);
        spent.cli += printed - started;
        spent.app += performance.now() - printed;
      },
    });
    const started = performance.now();
    await sync(ctx, { apply: true });
    const whole = performance.now() - started;
    progressShares.cli.push(spent.cli / whole);
    progressShares.app.push(spent.app / whole);
    await ctx.log.close();
  }
  const progressCost = { cli: median(progressShares.cli), app: median(progressShares.app) };
  progressLine =
    `Progress reporting: ${(progressCost.cli * 100).toFixed(3)}% of a first full sync is spent in the command line's progress line (${Math.round(events / runs)} events per run), ` +
    `${(progressCost.app * 100).toFixed(3)}% in the app's progress events (${Math.round(appEvents / runs)} sent per run, serialized as for IPC); median of ${runs} runs in this process.`;
  console.log(progressLine);
}

// The app's warm plans (bench/warm.ts, a process of its own as the app's main process): the full
// plan of its check at start, then one thread file appended to at a time, reported as its folder
// watcher reports it, and planned again; then idle, holding the kept scans and the watchers.
let warmLine = '';
if (wanted('warm')) {
  codexsync('sync', '--apply'); // from a tree in sync, whatever the scenarios before left
  const started = performance.now();
  const child = spawnSync('/usr/bin/time', ['-f', '%M', node, '--expose-gc', join(here, 'warm.ts'), config, String(Math.max(9, runs))], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`bench/warm.ts exited ${child.status}: ${child.stderr.slice(-2000)}`);
  const peakMb = Number(child.stderr.trim().split('\n').pop()) / 1024;
  const warm = JSON.parse(child.stdout.trim().split('\n').pop() as string) as { full: number; watchSeconds: number; watchers: number; replans: number[]; idleRssMb: number };
  record('warm plan (app)', 'full plan, in process', {
    'full plan, in process': [{ seconds: warm.full, rssMb: peakMb }],
    're-plan after one change': warm.replans.map((seconds) => ({ seconds, rssMb: peakMb })),
    'idle, holding plan state and watchers': [{ seconds: warm.watchSeconds, rssMb: warm.idleRssMb }],
  });
  warmLine =
    `Warm plans: median of ${warm.replans.length} re-plans, each after one more line in the same thread file (${warm.replans.map((s) => s.toFixed(3)).join(', ')} s), in one process that planned in full first (peak RSS of that process); ` +
    `idle: the seconds it took to start ${warm.watchers} folder watchers, and its RSS after a full garbage collection (${((performance.now() - started) / 1000).toFixed(0)} s in all).`;
  console.log(warmLine);
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
const versions = {
  node: process.version,
  rsync: spawnSync('rsync', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0],
  unison: spawnSync('unison', ['-version'], { encoding: 'utf8' }).stdout.trim(),
};
const table = [
  `# codexSync benchmark: ${size.name} tree`,
  '',
  `- date: ${new Date().toISOString()}`,
  `- machine: ${machine}`,
  `- Node ${versions.node}; ${versions.rsync}; ${versions.unison}`,
  `- tree: ${generated.files} files, ${(generated.bytes / 1e6).toFixed(0)} MB in scope (threads with long-tailed sizes, ${size.huge} of 50 MB; plus ${(size.noiseBytes / 1e6).toFixed(0)} MB of out-of-scope noise)`,
  `- each figure: median of ${runs} runs; warm file cache; wall time of the whole command (process start included); peak RSS from GNU time`,
  '- codexsync: the bundled command line the app ships (out/cli/codexsync.mjs); "from sources": bin/codexsync.mjs running the TypeScript sources, as a clone does',
  '',
  '| scenario | tool | median (s) | ratio to reference | peak RSS (MB) |',
  '|---|---|---:|---:|---:|',
  ...rows.map((r) => `| ${r.scenario} | ${r.tool} | ${r.seconds.toFixed(3)} | ${r.ratio === undefined ? `reference` : `${r.ratio.toFixed(2)}x`} | ${r.rssMb.toFixed(0)} |`),
  '',
  ...[progressLine, warmLine].filter((line) => line !== '').flatMap((line) => [line, '']),
];
console.log(`\n${table.join('\n')}`);
mkdirSync(join(here, 'results'), { recursive: true });
// Some scenarios only: a file of their own, so that the size's table of every scenario stays whole.
const resultsName = args.includes('--only') ? `${size.name}-${only.join('+')}.md` : `${size.name}.md`;
writeFileSync(join(here, 'results', resultsName), table.join('\n'));
console.log(`written to bench/results/${resultsName}`);
if (profiles.length > 0) console.log(`profiles written to ${writeProfiles(args.includes('--only') ? `${size.name}-${only.join('+')}` : size.name, profiles)}`);
if (!args.includes('--keep')) rmSync(root, { recursive: true, force: true });
