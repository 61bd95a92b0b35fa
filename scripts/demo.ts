// `npm run demo`: a handoff between two demo machines through a "cloud" folder, all in a
// temporary folder, with the real codexsync command line. No Codex and no config needed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../bin/codexsync.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'codexsync-demo-'));
const bold = (text: string): string => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);

function write(path: string, content: string, mtime?: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  if (mtime !== undefined) utimesSync(path, new Date(mtime), new Date(mtime));
}

function machine(name: string, extra = ''): string {
  const config = join(root, `${name}.toml`);
  mkdirSync(join(root, name, '.codex'), { recursive: true });
  writeFileSync(
    config,
    `# Demo machine "${name}"
[identity]
machine_id = "${name}"
[sync]
delete_policy = "propagate"
[paths]
workspace_root_dir = "${join(root, 'Dropbox', 'codexSync')}"
local_state_dir = "${join(root, name, '.codex')}"
cloud_root_dir = "\${workspace_root}/sync"
backup_dir = "\${workspace_root}/backups"
temp_dir = "\${workspace_root}/.tmp"
[state]
local_dir = "${join(root, name, 'codexsync-state')}"
[process_detection]
# A real Codex running on this computer is not part of the demo.
process_names = ["codex-demo-${process.pid}"]
${extra}`,
  );
  return config;
}

function run(title: string, config: string, ...args: string[]): number {
  console.log(`\n${bold(`== ${title}`)}\n$ codexsync -c ${config.slice(root.length + 1)} ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [cli, '-c', config, ...args], { cwd: root, encoding: 'utf8' });
  const out = `${result.stdout}${result.stderr}`.replaceAll(`${root}/`, '');
  process.stdout.write(
    out
      .split('\n')
      .map((line) => (line === '' ? line : `  ${line}`))
      .join('\n'),
  );
  console.log(`  (exit code ${result.status})`);
  return result.status ?? 1;
}

const laptopHome = join(root, 'laptop', '.codex');
const desktopHome = join(root, 'desktop', '.codex');
const laptop = machine('laptop');
const desktop = machine('desktop');
// A thread real Codex 0.171 wrote (two turns; see test/fixtures/rollouts/README.md).
const thread = 'sessions/2026/11/30/rollout-2026-11-30T06-22-56-01a22b1e-eaee-7150-9726-cda98745b7c0.jsonl';
const recordedThread = fileURLToPath(new URL(`../test/fixtures/rollouts/0.171.0/two-turns/${thread}`, import.meta.url));

console.log(bold('codexSync demo') + `: two machines and one cloud folder in ${root}`);
write(join(laptopHome, thread), readFileSync(recordedThread, 'utf8'));
write(join(laptopHome, 'history.jsonl'), '{"session_id":"01a22b1e-eaee-7150-9726-cda98745b7c0","ts":1764483776,"text":"Add a health check endpoint to the server"}\n');
write(join(laptopHome, 'skills', 'review', 'SKILL.md'), '---\nname: review\n---\nReview the diff.\n', '2026-11-25T09:00:00Z');
write(join(laptopHome, 'auth.json'), '{"OPENAI_API_KEY":"sk-demo-never-leaves-this-machine"}\n');
write(join(desktopHome, 'history.jsonl'), '{"session_id":"0199ffff","ts":1764050000,"text":"Profile the build"}\n');
write(join(desktopHome, 'auth.json'), '{"OPENAI_API_KEY":"sk-demo-desktop"}\n');

run('On the laptop: what would a handoff do? (writes nothing)', laptop, 'plan');
run('On the laptop: hand off (Codex closed)', laptop, 'sync', '--apply');
run('On the desktop: receive the work; the two prompt histories are merged', desktop, 'sync', '--apply');
console.log(`\n  The desktop now has the laptop's thread; its history.jsonl:\n${readFileSync(join(desktopHome, 'history.jsonl'), 'utf8').replace(/^/gm, '    ')}`);

write(join(laptopHome, 'skills', 'review', 'SKILL.md'), '---\nname: review\n---\nReview the diff, then run the tests.\n', '2026-11-25T10:00:00Z');
write(join(desktopHome, 'skills', 'review', 'SKILL.md'), '---\nname: review\n---\nReview the diff for security issues.\n', '2026-11-25T10:05:00Z');
run('Both machines edited the same skill; the laptop hands off first', laptop, 'sync', '--apply');
run('The desktop finds a conflict: nothing is written (exit 2)', desktop, 'sync', '--apply');

const preferCloud = machine('desktop', '[conflict]\npolicy = "prefer_cloud"\n');
run('The desktop takes the cloud version; its own goes into a backup snapshot', preferCloud, 'sync', '--apply');
run('Changed your mind? See what a restore would put back', preferCloud, 'restore');
run("Restore the desktop's own version from the backup", preferCloud, 'restore', '--apply');
console.log(`\n  skills/review/SKILL.md on the desktop again:\n${readFileSync(join(desktopHome, 'skills', 'review', 'SKILL.md'), 'utf8').replace(/^/gm, '    ')}`);
run('Preflight checks', preferCloud, 'doctor');

console.log(`\n${bold('Done.')} auth.json stayed on each machine; the cloud folder holds only threads, history and skills.`);
console.log(`Everything is in ${root} (configs, both Codex homes, the cloud folder with backups and logs).`);
