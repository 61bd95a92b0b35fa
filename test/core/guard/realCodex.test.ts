import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { codexConfig } from '../../helpers/fakeModel.ts';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../../src/core/config/schema.ts';
import { terminationQuestion } from '../../../src/cli/print/words.ts';
import { checkCodex } from '../../../src/core/guard/guard.ts';
import { systemProcesses, type ProcessSource } from '../../../src/core/guard/processes.ts';
import { isAlive } from '../../../src/core/guard/terminate.ts';
import { createLogger } from '../../../src/core/log/logger.ts';
import { parseSettings } from '../../../src/core/config/parse.ts';
import { endByPid, startCodex, startDaemon } from '../../helpers/realCodex.ts';
import { tempDir } from '../../helpers/tmp.ts';

const started: Array<number | undefined> = [];
afterEach(async () => {
  await endByPid(started.splice(0));
});

function defaults(): Settings {
  const parsed = parseSettings('[paths]\ncloud_root_dir = "s"\nbackup_dir = "b"\ntemp_dir = "t"\n[process_detection]\ngrace_period_seconds = 0\n', '/x/config.toml');
  if (!parsed.ok) throw new Error(parsed.problems.join());
  return parsed.value.settings;
}

describe('the real Codex CLI (@openai/codex from the npm registry)', () => {
  it('is reported with its daemon, and both are ended by PID after a yes', async ({ onTestFinished }) => {
    const dir = tempDir('real-codex');
    const home = join(dir, 'codex-home');
    mkdirSync(home);
    // A model endpoint that accepts and never answers keeps `codex exec` running for the test.
    const silent = createServer((socket) => sockets.push(socket));
    const sockets: Socket[] = [];
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });
    writeFileSync(join(home, 'config.toml'), codexConfig(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`, [dir]));
    const { daemon, helper } = startDaemon(home);
    started.push(daemon, helper);
    const marker = `hello-${process.pid}-${Date.now()}`;
    const exec = startCodex(['exec', '--skip-git-repo-check', marker], home, dir);
    started.push(exec.pid);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    // Ours: the daemon pair, and every process whose command line carries this test's prompt
    // (the Node wrapper and the native binary). A developer's own Codex is never touched.
    const all = await systemProcesses.list();
    const ours = new Set([daemon, helper, ...all.filter((p) => p.cmd.includes(marker)).map((p) => p.pid)]);
    for (const pid of ours) started.push(pid);
    const native = all.find((p) => p.cmd.includes(marker) && p.pid !== exec.pid);
    const onlyOurs: ProcessSource = { list: async () => (await systemProcesses.list()).filter((p) => ours.has(p.pid)) };

    const log = createLogger({ machineId: 'a', level: 'DEBUG', format: 'text' });
    const base = { settings: defaults(), platform: 'linux' as const, override: undefined, processes: onlyOurs, log, verbose: true };
    const report = await checkCodex({ ...base, confirmer: { confirmTermination: async () => false } }, 'report');
    const kinds = new Map(report.snapshot?.codex.map((p) => [p.pid, p.kind]));
    expect(kinds.get(daemon)).toBe('daemon');
    if (helper !== undefined) expect(kinds.get(helper)).toBe('daemon-helper');
    expect(kinds.get(exec.pid as number)).toBe('cli');
    if (native !== undefined) expect(kinds.get(native.pid)).toBe('cli');
    expect(report.decision.kind).toBe('terminate');

    const questions: string[] = [];
    await checkCodex({ ...base, confirmer: { confirmTermination: async (request) => (questions.push(terminationQuestion(request)), true) } }, 'enforce');
    await log.close();
    expect(questions).toHaveLength(1);
    expect(questions[0]).toContain('Codex is running (');
    expect(questions[0]).toContain(`Codex background daemon codex (PID ${daemon})`);
    for (const pid of ours) if (pid !== undefined) expect(isAlive(pid), `PID ${pid}`).toBe(false);
  });
});
