import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type { LoadedConfig } from '../config/index.ts';
import { CodexSyncError } from '../errors.ts';
import { probeWrite } from '../fs/index.ts';
import { checkArrival, describeProcess, isOtherInstallation, lockFile, readLock, type GuardReport } from '../guard/index.ts';
import { otherInstallation, readHandoffRecords, type HandoffRecord } from '../handoff/index.ts';
import { scanSide, skippedOver } from '../scan/index.ts';
import { buildScope } from '../scope/index.ts';
import { baseStateFile, loadBase, readInstallation, type BaseState } from '../state/index.ts';
import type { Check, CheckStatus } from './check.ts';
import { threadChecks } from './threads.ts';

export interface DoctorReport {
  checks: Check[];
  summary: Record<CheckStatus, number>;
}

/**
 * The preflight checks of codexsync 0.1.2 and ours: config, runtime paths, state folders,
 * write probes (which leave nothing behind), base state, Codex processes, leftover temp files,
 * this machine's clock against the cloud folder's handoff records, and Codex's threads (threads.ts).
 */
export async function runDoctor(config: LoadedConfig, guard: () => Promise<GuardReport>, now: Date): Promise<DoctorReport> {
  const checks: Check[] = [];
  const add = (status: CheckStatus, name: string, detail: string): void => {
    checks.push({ status, name, detail });
  };
  const { paths, settings } = config;

  add(config.warnings.length === 0 ? 'PASS' : 'WARN', 'config', config.warnings.length === 0 ? `${config.file} is valid` : config.warnings.join('; '));

  const home = await folderState(paths.localStateDir);
  add(home === 'dir' ? 'PASS' : 'FAIL', 'codex home', home === 'dir' ? paths.localStateDir : `${paths.localStateDir} ${home === 'missing' ? 'does not exist' : 'is not a folder'}`);
  const cloud = await folderState(paths.cloudRoot);
  add(
    cloud === 'dir' ? 'PASS' : cloud === 'missing' ? 'WARN' : 'FAIL',
    'cloud mirror',
    cloud === 'dir' ? paths.cloudRoot : cloud === 'missing' ? `${paths.cloudRoot} does not exist yet: is the cloud folder mounted? The first sync creates it` : `${paths.cloudRoot} is not a folder`,
  );

  const probes: Array<[string, string]> = [
    ['write codex home', paths.localStateDir],
    ['write cloud mirror', paths.cloudRoot],
    ['write backups', paths.backupDir],
    ['write temp', paths.tempDir],
    ['write base state', paths.baseStateDir],
    ['write logs', dirname(paths.logFile)],
  ];
  for (const [name, dir] of probes) {
    const result = await writeProbe(dir);
    add(result.ok ? 'PASS' : 'FAIL', name, result.detail);
  }

  const baseFile = baseStateFile(paths);
  let lastBase: BaseState | undefined;
  try {
    const base = await loadBase(baseFile, settings.identity.machine_id, paths.localStateDir, paths.cloudRoot);
    lastBase = base;
    add(
      'PASS',
      'base state',
      base.syncedAt === undefined
        ? `no sync from this machine yet (${baseFile}); the first sync deletes nothing`
        : `version ${base.storedForm ?? 2}, ${base.entries.size} files, last sync ${base.syncedAt} (${baseFile})`,
    );
  } catch (error) {
    const damaged = error instanceof CodexSyncError && error.problem.code === 'base-damaged';
    add('FAIL', 'base state', damaged ? `${baseFile} is damaged: move it aside to start over (the next sync then treats every file as new and deletes nothing)` : String(error));
  }
  if ((await folderState(paths.legacyManifestFile)) === 'file') {
    add('WARN', 'legacy manifest', `${paths.legacyManifestFile} (codexsync 0.1.2's shared manifest) is not used: each machine keeps its own base state`);
  }

  try {
    const report = await guard();
    const running = report.snapshot?.codex ?? [];
    if (report.snapshot === undefined) add('WARN', 'codex process', 'the process list could not be read (safety.fail_on_unknown = false)');
    else if (running.length === 0) add('PASS', 'codex process', 'Codex is not running');
    else add('FAIL', 'codex process', `Codex is running: ${running.map(describeProcess).join(', ')}; close it before syncing`);
  } catch (error) {
    const unreadable = error instanceof CodexSyncError && error.problem.code === 'process-list-unreadable';
    add('FAIL', 'codex process', unreadable ? `the process list could not be read (${error.problem.why}): cannot tell whether Codex is running` : String(error));
  }

  const scope = buildScope({ include_roots: settings.targets.include_roots, exclude_globs: settings.filters.exclude_globs });
  const temps: string[] = [];
  const scans = await Promise.all([scanSide('local', paths.localStateDir, scope), scanSide('cloud', paths.cloudRoot, scope)]);
  for (const scan of scans) temps.push(...scan.leftoverTemps.map((p) => `${scan.side}:${p}`));
  const read = await readHandoffRecords(paths.cloudRoot);
  const { records, unreadable } = read;
  add(...(await machineIdCheck(config, records, now)));
  // As a sync sees it: a listed file below what the cloud scan skipped is unknown, not awaited.
  const unknownInCloud = skippedOver(scans[1].skipped, scans[1].files);
  const arrival = checkArrival({
    read,
    machineId: settings.identity.machine_id,
    local: scans[0].files,
    cloud: scans[1].files,
    base: lastBase?.entries ?? new Map(),
    handoffSeen: lastBase?.handoffSeen,
    inScope: (path) => scope.includesFile(path) && unknownInCloud(path) === undefined,
  });
  const files = `${arrival.pending.length} ${arrival.pending.length === 1 ? 'file' : 'files'}`;
  if (unreadable.length > 0) add('WARN', 'handoff', `handoff record(s) not readable yet (still arriving, or damaged): ${unreadable.map((r) => r.name).join(', ')}`);
  else if (arrival.pending.length > 0 && arrival.from === undefined) add('WARN', 'handoff', `waiting for ${files} no handoff record accounts for: still arriving, or not written by codexSync`);
  else if (arrival.from === undefined) add('PASS', 'handoff', records.length === 0 ? 'no handoff record in the cloud folder yet' : 'this machine handed off last');
  else if (arrival.pending.length > 0) add('WARN', 'handoff', `waiting for ${files} from ${arrival.from}: the cloud folder has not finished syncing`);
  else add('PASS', 'handoff', `everything ${arrival.from} handed off has arrived`);
  add(
    temps.length === 0 ? 'PASS' : 'WARN',
    'orphan temp files',
    temps.length === 0 ? 'none' : `${temps.length} left by an interrupted run (the next sync removes them): ${temps.slice(0, 5).join(', ')}`,
  );

  add(...clockCheck(records, settings.sync.time_tolerance_seconds, now));
  // Codex's own list of threads against the rollouts in its home: read only, Codex is never started.
  if (home === 'dir') checks.push(...(await threadChecks(paths.localStateDir)));

  const summary: Record<CheckStatus, number> = { PASS: 0, WARN: 0, FAIL: 0 };
  for (const check of checks) summary[check.status] += 1;
  return { checks, summary };
}

/** Whether another installation (another machine) uses this machine_id, by its handoff record or its lock. */
async function machineIdCheck(config: LoadedConfig, records: readonly HandoffRecord[], now: Date): Promise<[CheckStatus, string, string]> {
  const machineId = config.settings.identity.machine_id;
  const installation = await readInstallation(config.paths.baseStateDir);
  const lock = await readLock(lockFile(config.paths.cloudRoot));
  const other = otherInstallation(records, machineId, installation) ?? (lock !== undefined && isOtherInstallation(lock, { machineId, installation }, now) ? lock : undefined);
  if (other === undefined) return ['PASS', 'machine id', `${machineId} (this installation${installation === undefined ? ' has not written yet' : ` ${installation.slice(0, 8)}`})`];
  return [
    'FAIL',
    'machine id',
    `two machines use machine_id ${machineId}: ${hostname()} and ${other.host ?? 'a host that did not say its name'}; give each its own identity.machine_id, starting with this one`,
  ];
}

async function folderState(path: string): Promise<'dir' | 'file' | 'missing'> {
  try {
    return (await stat(path)).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

/** Creates, syncs and removes a probe file in the folder (or its nearest existing parent). */
async function writeProbe(dir: string): Promise<{ ok: boolean; detail: string }> {
  let target = dir;
  while ((await folderState(target)) !== 'dir') {
    const parent = dirname(target);
    if (parent === target) return { ok: false, detail: `no existing folder above ${dir}` };
    target = parent;
  }
  const problem = await probeWrite(target);
  if (problem === undefined) return { ok: true, detail: target === dir ? dir : `${dir} (not there yet; ${target} is writable)` };
  return { ok: false, detail: `cannot write in ${target}: ${problem instanceof Error ? problem.message : String(problem)}` };
}

/**
 * Compares this machine's clock with the times other machines recorded in the cloud folder's
 * handoff records: a record "from the future" means one of the two clocks is off.
 */
function clockCheck(records: readonly HandoffRecord[], toleranceSeconds: number, now: Date): [CheckStatus, string, string] {
  let newest: { machine: string; time: number } | undefined;
  for (const record of records) {
    const time = Date.parse(record.createdAt);
    if (!Number.isNaN(time) && (newest === undefined || time > newest.time)) newest = { machine: record.machineId, time };
  }
  if (newest === undefined) return ['PASS', 'clock', 'no handoff record in the cloud folder yet'];
  const ahead = (newest.time - now.getTime()) / 1000;
  const allowed = Math.max(toleranceSeconds, 2);
  if (ahead > allowed) {
    return ['WARN', 'clock', `${newest.machine} recorded a handoff ${Math.round(ahead)} s in this machine's future: one of the two clocks is off; sync both clocks (NTP)`];
  }
  return ['PASS', 'clock', `consistent with the newest handoff record (from ${newest.machine})`];
}
