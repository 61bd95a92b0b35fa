import { describe, expect, it } from 'vitest';
import type { CodexProcess, ProcessSnapshot } from '../../../src/core/guard/classify.ts';
import { decideGuard, type GuardRules } from '../../../src/core/guard/policy.ts';
import type { Platform } from '../../../src/core/platform.ts';
import type { ProcessFacts } from '../../../src/core/errors.ts';
import type { TerminationRequest } from '../../../src/core/plan/index.ts';
import { problemText, terminationQuestion } from '../../../src/cli/print/words.ts';

const p = (pid: number, kind: CodexProcess['kind'], name = 'codex.exe'): CodexProcess => ({ pid, ppid: 1, name, cmd: '', kind, program: name });
const snap = (platform: Platform, ...codex: CodexProcess[]): ProcessSnapshot => ({ platform, codex, children: [] });
const rules = (platform: Platform, over: Partial<GuardRules> = {}): GuardRules => ({ platform, requireStopped: true, allowTerminate: true, confirmation: 'manual', ...over });

// Snapshots as recorded on Windows, where the process list has names only.
describe('Windows rules of codexsync 0.1.2', () => {
  it('codex-windows-sandbox means "still running": exit 3, nothing terminated', () => {
    const decision = decideGuard(snap('windows', p(4100, 'cli'), p(4200, 'marker', 'codex-windows-sandbox.exe')), rules('windows'));
    expect(decision).toEqual({ kind: 'refuse', processes: [{ pid: 4200, kind: 'marker', name: 'codex-windows-sandbox.exe' }], closable: false });
    expect(problemText({ code: 'codex-running', ...(decision as { processes: ProcessFacts[]; closable: boolean }) })).toBe(
      'Codex is still running (Codex background process codex-windows-sandbox.exe (PID 4200)): close it and run again',
    );
  });
  it('the desktop app means "still running"', () => {
    expect(decideGuard(snap('windows', p(5000, 'desktop', 'Codex.exe')), rules('windows')).kind).toBe('refuse');
  });
  it('codex.exe without a marker: ask whether to terminate and continue', () => {
    const decision = decideGuard(snap('windows', p(4100, 'cli')), rules('windows'));
    expect(decision).toEqual({ kind: 'terminate', targets: [p(4100, 'cli')], ask: true, request: { cli: true, processes: [{ pid: 4100, kind: 'cli', name: 'codex.exe' }] } });
    expect(terminationQuestion((decision as { request: TerminationRequest }).request)).toBe('Codex is running (Codex CLI codex.exe (PID 4100)). Terminate it and continue?');
  });
  it('--auto-terminate-without-confirmation: terminate without asking', () => {
    expect(decideGuard(snap('windows', p(4100, 'cli')), rules('windows', { confirmation: 'auto' }))).toMatchObject({ kind: 'terminate', ask: false });
  });
  it('allow_terminate_if_running = false: exit 3', () => {
    expect(decideGuard(snap('windows', p(4100, 'cli')), rules('windows', { allowTerminate: false })).kind).toBe('refuse');
  });
  it('require_codex_stopped = false: go on', () => {
    expect(decideGuard(snap('windows', p(4100, 'cli')), rules('windows', { requireStopped: false }))).toEqual({ kind: 'clear' });
  });
});

describe('macOS and Linux', () => {
  it.each<Platform>(['macos', 'linux'])('%s: the CLI/TUI is never ended without a confirmation, even with auto', (platform) => {
    expect(decideGuard(snap(platform, p(7, 'cli', 'codex')), rules(platform, { confirmation: 'auto' }))).toMatchObject({ kind: 'terminate', ask: true });
  });
  it.each<Platform>(['macos', 'linux'])('%s: the managed daemon alone may be stopped without asking under auto', (platform) => {
    const decision = decideGuard(snap(platform, p(8, 'daemon', 'codex'), p(9, 'daemon-helper', 'codex')), rules(platform, { confirmation: 'auto' }));
    expect(decision).toMatchObject({ kind: 'terminate', targets: [p(8, 'daemon', 'codex'), p(9, 'daemon-helper', 'codex')], ask: false });
    expect(terminationQuestion((decision as { request: TerminationRequest }).request)).toBe(
      "Codex's background daemon is running (Codex background daemon codex (PID 8), Codex daemon helper codex (PID 9)) and holds Codex's databases open. Stop it and continue?",
    );
  });
  it("an IDE's app-server is never ended", () => {
    expect(decideGuard(snap('linux', p(10, 'ide-server', 'codex')), rules('linux', { confirmation: 'auto' })).kind).toBe('refuse');
  });
  it('nothing running: clear', () => {
    expect(decideGuard(snap('linux'), rules('linux'))).toEqual({ kind: 'clear' });
  });
});
