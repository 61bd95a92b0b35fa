// Golden copies of what a scenario leaves besides the trees: each machine's base state and every
// handoff record, reduced to what matters (machine, sequence, per path size + SHA-256; no times,
// no absolute roots, no codexSync version). UPDATE_GOLDEN=1 rewrites them instead of comparing.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { expect } from 'vitest';
import { loadConfig } from '../../src/core/config/index.ts';
import { controlDir, recordMachine } from '../../src/core/handoff/index.ts';
import { baseStateFile, loadBase } from '../../src/core/state/index.ts';
import { scenarioEnvironment } from './invoke.ts';

export const updateGolden = process.env.UPDATE_GOLDEN === '1';

type Files = Record<string, { size: number; sha256: string }> | ReadonlyMap<string, { size: number; sha256: string }>;

/** Stable JSON, one path per line, so that a mismatch reads as a diff of the paths that differ. */
function goldenJson(header: Record<string, string | number>, key: string, files: Files): string {
  // A base's entries are a Map or columns behind the Map interface (src/core/store).
  const entries = typeof files.entries === 'function' ? [...(files as ReadonlyMap<string, { size: number; sha256: string }>).entries()] : Object.entries(files);
  const lines = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, f]) => `    ${JSON.stringify(path)}: { "size": ${f.size}, "sha256": "${f.sha256}" }`);
  const head = Object.entries(header).map(([name, value]) => `  ${JSON.stringify(name)}: ${JSON.stringify(value)},\n`);
  return `{\n${head.join('')}  ${JSON.stringify(key)}: {${lines.length === 0 ? '}' : `\n${lines.join(',\n')}\n  }`}\n}\n`;
}

/** A machine's base state, normalised; undefined when it never synced. */
async function normalisedBase(configFile: string): Promise<string | undefined> {
  const config = loadConfig(configFile, scenarioEnvironment());
  const file = baseStateFile(config.paths);
  if (!existsSync(file)) return undefined;
  const base = await loadBase(file, config.settings.identity.machine_id, config.paths.localStateDir, config.paths.cloudRoot);
  return goldenJson({ machineId: base.machineId }, 'entries', base.entries);
}

/** Every handoff record in the cloud mirror, normalised, by file name. */
function normalisedRecords(cloudRoot: string): Map<string, string> {
  const found = new Map<string, string>();
  const dir = controlDir(cloudRoot);
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir).sort()) {
    if (recordMachine(name) === undefined) continue;
    const record = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { machineId: string; sequence: number; files: Files };
    found.set(name, goldenJson({ machineId: record.machineId, sequence: record.sequence }, 'files', record.files));
  }
  return found;
}

function goldenFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.json')) : [];
}

function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

/** Compares (or with UPDATE_GOLDEN=1 writes) one golden file; undefined = must not exist. */
function compare(goldenFile: string, actual: string | undefined, label: string, missing: string): void {
  if (updateGolden) {
    if (actual === undefined) rmSync(goldenFile, { force: true });
    else {
      mkdirSync(dirname(goldenFile), { recursive: true });
      writeFileSync(goldenFile, actual);
    }
    if (existsSync(dirname(goldenFile)) && readdirSync(dirname(goldenFile)).length === 0) rmSync(dirname(goldenFile), { recursive: true });
    return;
  }
  const golden = existsSync(goldenFile) ? readFileSync(goldenFile, 'utf8') : undefined;
  const absent = '(no file)';
  expect(actual ?? absent, `${label} vs golden ${shown(goldenFile)}${actual === undefined ? ` (${missing})` : ''}${golden === undefined ? ' (no golden file)' : ''}; UPDATE_GOLDEN=1 rewrites it`).toBe(
    golden ?? absent,
  );
}

/**
 * expected/state/<machine>.json: the base state of each machine after the last step;
 * expected/records/handoff-<machine>.json: each handoff record in the cloud mirror.
 */
export async function checkGoldens(scenarioDir: string, label: string, machines: readonly string[], configFile: (machine: string) => string, cloudRoot: string): Promise<void> {
  const stateDir = join(scenarioDir, 'expected', 'state');
  for (const machine of machines) {
    compare(join(stateDir, `${machine}.json`), await normalisedBase(configFile(machine)), `${label}: base state of ${machine}`, `machine ${machine} has no base state`);
  }
  for (const name of goldenFiles(stateDir)) {
    const machine = name.slice(0, -'.json'.length);
    if (!machines.includes(machine)) expect.fail(`${label}: golden ${shown(join(stateDir, name))} names ${machine}, not a machine of the scenario (${machines.join(', ')})`);
  }

  const recordsDir = join(scenarioDir, 'expected', 'records');
  const records = normalisedRecords(cloudRoot);
  for (const name of new Set([...records.keys(), ...goldenFiles(recordsDir)])) {
    compare(join(recordsDir, name), records.get(name), `${label}: handoff record ${name}`, 'the cloud mirror holds no such record');
  }
}
