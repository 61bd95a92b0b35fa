import { describe, expect, it } from 'vitest';
import type { CodexProcess, ProcessSnapshot } from '../../../src/core/guard/classify.ts';
import { decideGuard, type GuardRules } from '../../../src/core/guard/policy.ts';
import type { Platform } from '../../../src/core/platform.ts';

const p = (pid: number, kind: CodexProcess['kind'], name = 'codex.exe'): CodexProcess => ({ pid, ppid: 1, name, cmd: '', kind, program: name });
const snap = (platform: Platform, ...codex: CodexProcess[]): ProcessSnapshot => ({ platform, codex, children: [] });
const rules = (platform: Platform, over: Partial<GuardRules> = {}): GuardRules => ({ platform, requireStopped: true, allowTerminate: true, confirmation: 'manual', ...over });

// Snapshots as recorded on Windows, where the process list has names only.
describe('Windows rules of codexsync 0.1.2', () => {
  it('codex-windows-sandbox means "still running": exit 3, nothing terminated', () => {
    expect(decideGuard(snap('windows', p(4100, 'cli'), p(4200, 'marker', 'codex-windows-sandbox.exe')), rules('windows'))).toEqual({
      kind: 'refuse',
      reason: 'Codex is still running (Codex background process codex-windows-sandbox.exe (PID 4200)): close it and run again',
    });
  });
  it('the desktop app means "still running"', () => {
    expect(decideGuard(snap('windows', p(5000, 'desktop', 'Codex.exe')), rules('windows')).kind).toBe('refuse');
  });
  it('codex.exe without a marker: ask whether to terminate and continue', () => {
    expect(decideGuard(snap('windows', p(4100, 'cli')), rules('windows'))).toEqual({
      kind: 'terminate',
      targets: [p(4100, 'cli')],
      ask: true,
      question: 'Codex is running (Codex CLI codex.exe (PID 4100)). Terminate it and continue? [y/N] ',
    });
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
    expect(decideGuard(snap(platform, p(8, 'daemon', 'codex'), p(9, 'daemon-helper', 'codex')), rules(platform, { confirmation: 'auto' }))).toEqual({
      kind: 'terminate',
      targets: [p(8, 'daemon', 'codex'), p(9, 'daemon-helper', 'codex')],
      ask: false,
      question: "Codex's background daemon is running (Codex background daemon codex (PID 8), Codex daemon helper codex (PID 9)) and holds Codex's databases open. Stop it and continue? [y/N] ",
    });
  });
  it('an IDE\'s app-server is never ended', () => {
    expect(decideGuard(snap('linux', p(10, 'ide-server', 'codex')), rules('linux', { confirmation: 'auto' })).kind).toBe('refuse');
  });
  it('nothing running: clear', () => {
    expect(decideGuard(snap('linux'), rules('linux'))).toEqual({ kind: 'clear' });
  });
});
