// Golden scenario tests, after rclone bisync's: a folder per scenario holding
//   scenario.toml   description, config, and the steps (commands, edits, another machine's handoff
//                   record, checks); schema.ts checks it
//   initial/<a|b|cloud|backups>/   the trees before the first step
//   expected/<a|b|cloud>/          the exact trees (paths and bytes) after the last step
//   expected/state/<machine>.json, expected/records/handoff-<machine>.json
//                                  golden base states and handoff records (golden.ts; UPDATE_GOLDEN=1 writes them)
// A `run` step runs its command in-process through the engine, as the CLI would (invoke.ts).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync, appendFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { handOffAs } from '../helpers/handoff.ts';
import { readZip } from '../helpers/zip.ts';
import { checkGoldens } from './golden.ts';
import { runInProcess } from './invoke.ts';
import { goldenFolders, loadScenario as loadScenarioFile, type Scenario } from './schema.ts';

export const scenariosDir = new URL('.', import.meta.url).pathname;

const DEFAULT_MTIME = new Date('2026-01-01T00:00:00Z');

/** The scenario folders of `dir`: those holding a scenario.toml. */
export function scenarioNames(dir = scenariosDir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'scenario.toml')))
    .map((d) => d.name)
    .sort();
}

/** Parses and checks `<dir>/<name>/scenario.toml` (an unknown key is an error, see schema.ts). */
export function loadScenario(name: string, dir = scenariosDir): Scenario {
  return loadScenarioFile(join(dir, name, 'scenario.toml'));
}

/** Where each named tree of a scenario lives in its work folder. */
function treePath(work: string, tree: string): string {
  if (tree === 'cloud') return join(work, 'ws', 'sync');
  if (tree === 'backups') return join(work, 'ws', 'backups');
  if (tree === 'ws') return join(work, 'ws');
  return join(work, 'home', tree);
}

function config(work: string, machine: string, extra: string): string {
  return `[identity]
machine_id = "${machine}"
[paths]
workspace_root_dir = "${join(work, 'ws')}"
local_state_dir = "${join(work, 'home', machine)}"
cloud_root_dir = "\${workspace_root}/sync"
backup_dir = "\${workspace_root}/backups"
temp_dir = "\${workspace_root}/.tmp"
[state]
local_dir = "${join(work, 'state', machine)}"
[logging]
file = "${join(work, 'logs', 'codexsync.log')}"
${extra}`;
}

/** "a:sessions/x" -> [tree "a", path "sessions/x"] */
function target(spec: string): [string, string] {
  const colon = spec.indexOf(':');
  return [spec.slice(0, colon), spec.slice(colon + 1)];
}

export function listTree(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  if (!existsSync(root)) return files;
  for (const rel of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const full = join(root, rel);
    // Git keeps no empty folders: an expected empty tree holds a .gitkeep, which is not compared.
    if (statSync(full).isFile() && !rel.endsWith('.gitkeep')) files.set(rel.split('\\').join('/'), readFileSync(full));
  }
  return files;
}

function expectTree(actualRoot: string, expectedRoot: string, label: string): void {
  // codexSync's own control files: the handoff records are compared as goldens (golden.ts), the lock by its own tests.
  const actual = new Map([...listTree(actualRoot)].filter(([path]) => !path.startsWith('.codexsync/')));
  const expected = listTree(expectedRoot);
  expect([...actual.keys()].sort(), `files of ${label}`).toEqual([...expected.keys()].sort());
  for (const [path, bytes] of expected) {
    expect(actual.get(path)?.toString('utf8'), `${label}/${path}`).toBe(bytes.toString('utf8'));
  }
}

async function snapshotContents(backups: string, machine: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (!existsSync(backups)) return found;
  for (const name of readdirSync(backups).sort()) {
    if (!name.startsWith(`${machine}-`)) continue;
    if (name.endsWith('.zip')) {
      for (const [entry, bytes] of await readZip(join(backups, name))) found.set(`${name}:${entry}`, bytes.toString('utf8'));
    } else {
      for (const [entry, bytes] of listTree(join(backups, name))) found.set(`${name}:${entry}`, bytes.toString('utf8'));
    }
  }
  return found;
}

export async function runScenario(name: string, work: string, dir = scenariosDir): Promise<void> {
  const scenario = loadScenario(name, dir);
  const root = join(dir, name);
  const { machines } = scenario;
  const configFile = (machine: string): string => join(work, `${machine}.toml`);
  for (const machine of machines) {
    mkdirSync(treePath(work, machine), { recursive: true });
    writeFileSync(configFile(machine), config(work, machine, scenario.config));
  }
  const initial = join(root, 'initial');
  if (existsSync(initial)) {
    for (const tree of readdirSync(initial)) {
      cpSync(join(initial, tree), treePath(work, tree), { recursive: true });
      for (const path of listTree(treePath(work, tree)).keys()) {
        const when = scenario.mtimes[`${tree}:${path}`];
        const time = when === undefined ? DEFAULT_MTIME : new Date(when);
        utimesSync(join(treePath(work, tree), path), time, time);
      }
    }
  }

  for (const [index, step] of scenario.steps.entries()) {
    const label = `${name} step ${index + 1}`;
    if ('run' in step) {
      const machine = step.machine ?? machines[0] ?? 'a';
      const result = await runInProcess(step.invocation, configFile(machine), work);
      expect(result.code, `${label}: exit code of "${step.run}" on ${machine}\n${result.stdout}\n${result.stderr}${result.stack ?? ''}`).toBe(step.exit ?? 0);
      for (const text of step.stdout_contains ?? []) expect(result.stdout + result.stderr, label).toContain(text);
      for (const text of step.stdout_lacks ?? []) expect(result.stdout + result.stderr, label).not.toContain(text);
    } else if ('write' in step || 'append' in step) {
      const [tree, path] = target('write' in step ? step.write : step.append);
      const file = join(treePath(work, tree), path);
      mkdirSync(dirname(file), { recursive: true });
      if ('write' in step) writeFileSync(file, step.content);
      else appendFileSync(file, step.content);
      if (step.mtime !== undefined) utimesSync(file, new Date(step.mtime), new Date(step.mtime));
    } else if ('touch' in step) {
      const [tree, path] = target(step.touch);
      const time = new Date(step.mtime ?? Date.now());
      utimesSync(join(treePath(work, tree), path), time, time);
    } else if ('delete' in step) {
      const [tree, path] = target(step.delete);
      rmSync(join(treePath(work, tree), path), { recursive: true });
    } else if ('backup_has' in step) {
      const [machine, entry] = target(step.backup_has);
      const contents = await snapshotContents(treePath(work, 'backups'), machine);
      const matches = [...contents].filter(([key]) => key.endsWith(`:${entry}`)).map(([, text]) => text);
      expect(matches, `${label}: a snapshot of ${machine} holds ${entry}`).toContain(step.content);
    } else if ('handoff' in step) {
      await handOffAs(treePath(work, 'cloud'), step.handoff);
    } else if ('absent' in step) {
      const [tree, path] = target(step.absent);
      expect(existsSync(join(treePath(work, tree), path)), `${label}: ${step.absent} must not exist`).toBe(false);
    } else {
      const machine = step.no_backups;
      expect([...(await snapshotContents(treePath(work, 'backups'), machine)).keys()], `${label}: snapshots of ${machine}`).toEqual([]);
    }
    for (const tree of step.check ?? []) expectTree(treePath(work, tree), join(root, `expected-step${index + 1}`, tree), `${label} ${tree}`);
  }

  const expected = join(root, 'expected');
  if (existsSync(expected)) {
    for (const tree of readdirSync(expected)) {
      if (!(goldenFolders as readonly string[]).includes(tree)) expectTree(treePath(work, tree), join(expected, tree), tree);
    }
  }
  await checkGoldens(root, name, machines, configFile, treePath(work, 'cloud'));
}
