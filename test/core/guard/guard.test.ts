import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sync } from '../../../src/core/engine/sync.ts';
import { CodexSyncError } from '../../../src/core/errors.ts';
import { checkCodex } from '../../../src/core/guard/guard.ts';
import { isAlive } from '../../../src/core/guard/terminate.ts';
import type { TerminationRequest } from '../../../src/core/plan/index.ts';
import { problemText, terminationQuestion } from '../../../src/cli/print/words.ts';
import { runCli } from '../../helpers/cli.ts';
import { FakeCodex, settle } from '../../helpers/processes.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { engineContext, workspace, writeFile, type Workspace } from '../../helpers/workspace.ts';

// Fake Codex processes carry a name of this test file's own, so other test files' syncs never see them.
const NAME = `cxg${process.pid}`;
let fakes: FakeCodex;
let ws: Workspace;

function setup(extra = ''): void {
  const dir = tempDir();
  fakes = new FakeCodex(join(dir, 'bin'));
  ws = workspace(dir, { processNames: [NAME], extra });
  writeFile(ws.home, 'skills/review/SKILL.md', 'Review the diff.\n');
}

afterEach(async () => {
  await fakes.stopAll();
});

const cli = (...args: string[]) => runCli(['-c', ws.config, ...args], { cwd: ws.dir });

describe('a running Codex CLI', () => {
  it('sync --apply without a terminal: the question gets no answer, exit 3, nothing written, Codex untouched', async () => {
    setup();
    await import('node:fs').then(({ mkdirSync }) => mkdirSync(fakes.dir, { recursive: true }));
    const pid = fakes.native(NAME);
    await settle();
    const result = await cli('sync', '--apply');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('codexsync: Codex is running and ending it was declined: close Codex and run again');
    expect(existsSync(ws.cloud)).toBe(false);
    expect(isAlive(pid)).toBe(true);
  });

  it('--auto-terminate-without-confirmation does not end a CLI on Linux without asking: exit 3', async () => {
    setup();
    await import('node:fs').then(({ mkdirSync }) => mkdirSync(fakes.dir, { recursive: true }));
    const pid = fakes.native(NAME);
    await settle();
    const result = await cli('--auto-terminate-without-confirmation', 'sync', '--apply');
    expect(result.code).toBe(3);
    expect(isAlive(pid)).toBe(true);
  });

  it('a dry run only reports what it would ask', async () => {
    setup();
    await import('node:fs').then(({ mkdirSync }) => mkdirSync(fakes.dir, { recursive: true }));
    const pid = fakes.native(NAME);
    await settle();
    const result = await cli('sync', '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Note: a real run would ask: Codex is running (Codex CLI ${NAME} (PID ${pid})). Terminate it and continue? [y/N]`);
    expect(isAlive(pid)).toBe(true);
  });

  it('restore --apply is guarded too', async () => {
    setup();
    await import('node:fs').then(({ mkdirSync }) => mkdirSync(fakes.dir, { recursive: true }));
    fakes.native(NAME);
    await settle();
    expect((await cli('restore', '--apply')).code).toBe(3);
  });

  it('plan -v logs the process snapshot with pid, name and command line', async () => {
    setup();
    const cliPid = fakes.named(NAME, ['resume', '--last']);
    const daemonPid = fakes.named(NAME, ['app-server', '--listen', 'unix://', '--managed-daemon']);
    await settle();
    const result = await cli('-v', 'plan');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('process snapshot: Codex CLI running: yes; background marker detected: no');
    expect(result.stderr).toMatch(new RegExp(`Codex CLI ${NAME} \\(PID ${cliPid}\\): \\S+/${NAME} -e .* resume --last`));
    expect(result.stderr).toMatch(new RegExp(`Codex background daemon ${NAME} \\(PID ${daemonPid}\\): .*--managed-daemon`));
  });
});

describe('the background daemon', () => {
  it('--auto-terminate-without-confirmation stops the daemon and its helper by PID, and the sync goes on', async () => {
    setup();
    const daemon = fakes.named(NAME, ['app-server', '--listen', 'unix://', '--managed-daemon']);
    const helper = fakes.named(NAME, ['app-server', 'daemon', 'pid-update-loop']);
    const bystander = fakes.named(`${NAME}x`, ['app-server', '--managed-daemon']);
    await settle();
    const result = await cli('--auto-terminate-without-confirmation', 'sync', '--apply');
    expect(result.code, result.stderr).toBe(0);
    expect(isAlive(daemon)).toBe(false);
    expect(isAlive(helper)).toBe(false);
    expect(isAlive(bystander)).toBe(true);
    expect(existsSync(join(ws.cloud, 'skills/review/SKILL.md'))).toBe(true);
  });

  it('plan never ends anything, even with --auto-terminate-without-confirmation', async () => {
    setup();
    const daemon = fakes.named(NAME, ['app-server', '--listen', 'unix://', '--managed-daemon']);
    await settle();
    const result = await cli('--auto-terminate-without-confirmation', 'plan');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Note: a real run would end Codex background daemon ${NAME} (PID ${daemon})`);
    expect(isAlive(daemon)).toBe(true);
  });
});

describe('processes that mean "still running"', () => {
  it.each([
    ['the desktop app', ['--type=renderer', '--enable-sandbox']],
    ["an IDE's app-server", ['app-server', '--listen', 'stdio://']],
  ])('%s: exit 3, nothing ended', async (_label, args) => {
    setup();
    const pid = fakes.named(NAME, args);
    await settle();
    const result = await cli('--auto-terminate-without-confirmation', 'sync', '--apply');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Codex is still running (');
    expect(isAlive(pid)).toBe(true);
  });

  it('a background marker of this OS: exit 3', async () => {
    setup(`[process_detection.background_process_names]\nlinux = ["${NAME}-sbx"]\n`);
    await import('node:fs').then(({ mkdirSync }) => mkdirSync(fakes.dir, { recursive: true }));
    fakes.native(`${NAME}-sbx`);
    await settle();
    const result = await cli('sync', '--apply');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`Codex background process ${NAME}-sbx`);
  });
});

describe('confirmation and termination (engine, scripted answers)', () => {
  it('asks in English, ends exactly the Codex PIDs on "yes", SIGKILL for one that ignores SIGTERM', async () => {
    setup('terminate_timeout_seconds = 2\n');
    const tui = fakes.named(NAME, ['resume']);
    const stubborn = fakes.stubborn(NAME);
    const bystander = fakes.named(`${NAME}y`, ['resume']);
    await settle();
    const requests: TerminationRequest[] = [];
    const ctx = engineContext(ws.config, { confirmTermination: async (request) => (requests.push(request), true) });
    const result = await sync(ctx, { apply: true });
    await ctx.log.close();
    expect(result.exitCode).toBe(0);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.cli).toBe(true);
    expect(requests[0]?.processes.map((p) => p.pid).sort()).toEqual([tui, stubborn].sort());
    expect(terminationQuestion(requests[0] as TerminationRequest)).toMatch(
      new RegExp(`^Codex is running \\(Codex CLI ${NAME} \\(PID (${tui}|${stubborn})\\), Codex CLI ${NAME} \\(PID (${tui}|${stubborn})\\)\\)\\. Terminate it and continue\\?$`),
    );
    expect(isAlive(tui)).toBe(false);
    expect(isAlive(stubborn)).toBe(false);
    expect(isAlive(bystander)).toBe(true);
  });

  it('"no" is exit 3 and nothing is ended', async () => {
    setup();
    const tui = fakes.named(NAME, ['resume']);
    await settle();
    const ctx = engineContext(ws.config, { confirmTermination: async () => false });
    await expect(sync(ctx, { apply: true })).rejects.toMatchObject({ exitCode: 3, problem: { code: 'termination-declined' } });
    await ctx.log.close();
    expect(isAlive(tui)).toBe(true);
  });

  it('a process that outlives terminate_timeout_seconds is exit 5 (fail safe)', async () => {
    // A process that survives SIGKILL (stuck in the kernel) cannot be made on demand, so the
    // signal sender here delivers nothing; everything else is the real guard.
    setup('terminate_timeout_seconds = 0.4\n');
    const tui = fakes.named(NAME, ['resume']);
    await settle();
    const ctx = engineContext(ws.config, { confirmTermination: async () => true });
    const error = await checkCodex(
      { settings: ctx.config.settings, platform: 'linux', override: undefined, confirmer: ctx.confirmer, processes: ctx.processes, log: ctx.log, verbose: false, signal: () => undefined },
      'enforce',
    ).catch((e: unknown) => e);
    await ctx.log.close();
    expect(error).toBeInstanceOf(CodexSyncError);
    expect((error as CodexSyncError).exitCode).toBe(5);
    expect((error as CodexSyncError).problem).toEqual({ code: 'termination-timeout', seconds: 0.4, pids: [tui] });
    expect(problemText((error as CodexSyncError).problem)).toBe(`Codex did not exit within 0.4 s (PID ${tui}): nothing was written; close it and run again`);
  });
});

describe('terminate_confirmation_mode = "gui" on the command line', () => {
  // zenity's protocol (exit 0 = Yes, 1 = No), served by a small script on PATH: this machine
  // has no desktop session to show the real dialog in.
  async function withDialog(answer: 0 | 1): Promise<{ code: number | null; pid: number; asked: string }> {
    setup();
    const pid = fakes.named(NAME, ['resume']);
    const bin = tempDir();
    const asked = join(bin, 'asked.txt');
    const { writeFileSync, chmodSync, readFileSync } = await import('node:fs');
    writeFileSync(join(bin, 'zenity'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${asked}'\nexit ${answer}\n`);
    chmodSync(join(bin, 'zenity'), 0o755);
    await settle();
    const result = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir, env: { DISPLAY: ':99', PATH: `${bin}:${process.env.PATH ?? ''}` } });
    return { code: result.code, pid, asked: readFileSync(asked, 'utf8') };
  }

  it('shows the question in a dialog; Yes ends Codex and the sync goes on', async () => {
    const { code, pid, asked } = await withDialog(0);
    expect(code).toBe(0);
    expect(isAlive(pid)).toBe(false);
    expect(asked).toContain(`--text=Codex is running (Codex CLI ${NAME} (PID ${pid})). Terminate it and continue?\n`);
  });

  it('No is exit 3 and Codex keeps running', async () => {
    const { code, pid } = await withDialog(1);
    expect(code).toBe(3);
    expect(isAlive(pid)).toBe(true);
  });
});

describe('safety.fail_on_unknown', () => {
  it('an unreadable process list is exit 5, or a warning when false', async () => {
    setup();
    const noPs = { PATH: tempDir() };
    const strict = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir, env: noPs });
    expect(strict.code).toBe(5);
    expect(strict.stderr).toContain('cannot tell whether Codex is running: the process list could not be read');
    setup('[safety]\nfail_on_unknown = false\n');
    const lenient = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir, env: noPs });
    expect(lenient.code, lenient.stderr).toBe(0);
    expect(lenient.stderr).toContain('going on because safety.fail_on_unknown = false');
  });
});
