import { afterEach, describe, expect, it } from 'vitest';
import { classify, type CodexKind } from '../../../src/core/guard/classify.ts';
import { systemProcesses } from '../../../src/core/guard/processes.ts';
import { FakeCodex, settle } from '../../helpers/processes.ts';
import { tempDir } from '../../helpers/tmp.ts';

const defaults = { processNames: ['codex.exe', 'codex'], markers: ['codex-linux-sandbox'] };
let fakes: FakeCodex | undefined;
afterEach(async () => {
  await fakes?.stopAll();
  fakes = undefined;
});

describe('detection of real processes by name and command line', () => {
  it('finds each Codex kind with pid, parent pid, name and command line, and nothing else', async () => {
    fakes = new FakeCodex(tempDir());
    const expected = new Map<number, CodexKind>([
      [fakes.native('codex'), 'cli'],
      [fakes.nodeWrapper(['exec', '--skip-git-repo-check', 'hi']), 'cli'],
      [fakes.named('codex', ['app-server', '--listen', 'unix://', '--managed-daemon']), 'daemon'],
      [fakes.named('codex', ['app-server', 'daemon', 'pid-update-loop']), 'daemon-helper'],
      [fakes.named('codex', ['app-server', '--listen', 'stdio://']), 'ide-server'],
      [fakes.named('codex', ['--type=renderer', '--enable-sandbox']), 'desktop'],
      [fakes.native('codex-linux-sandbox'), 'marker'],
    ]);
    const decoys = [fakes.native('codexsync-decoy'), fakes.named('my-codex', ['app-server', '--managed-daemon'])];
    await settle();
    const snapshot = classify(await systemProcesses.list(), defaults, 'linux', process.pid);
    const ours = new Map(snapshot.codex.filter((p) => expected.has(p.pid) || decoys.includes(p.pid)).map((p) => [p.pid, p]));
    expect(new Map([...ours].map(([pid, p]) => [pid, p.kind]))).toEqual(expected);
    for (const [pid, p] of ours) {
      expect(p.ppid).toBe(process.pid);
      expect(p.cmd.length, `command line of ${pid}`).toBeGreaterThan(0);
    }
    expect(ours.get([...expected.keys()][0] as number)?.name).toBe('codex');
  });
});

describe('recorded snapshots', () => {
  it('matches a Linux name cut to 15 characters', () => {
    const snapshot = classify([{ pid: 10, ppid: 1, name: 'codex-windows-s', cmd: '' }], { processNames: ['codex'], markers: ['codex-windows-sandbox'] }, 'windows', 1);
    expect(snapshot.codex.map((p) => p.kind)).toEqual(['marker']);
  });
  it('matches Windows names without command lines, case-insensitively, with or without .exe', () => {
    const snapshot = classify(
      [
        { pid: 10, ppid: 1, name: 'Codex.exe', cmd: '' },
        { pid: 11, ppid: 10, name: 'pwsh.exe', cmd: '' },
        { pid: 12, ppid: 1, name: 'codex-windows-sandbox.exe', cmd: '' },
        { pid: 13, ppid: 1, name: 'explorer.exe', cmd: '' },
      ],
      { processNames: ['codex.exe', 'codex'], markers: ['codex-windows-sandbox'] },
      'windows',
      1,
    );
    expect(snapshot.codex.map((p) => [p.pid, p.kind])).toEqual([
      [10, 'cli'],
      [12, 'marker'],
    ]);
    expect(snapshot.children.map((p) => p.pid)).toEqual([11]);
  });
  it('never counts codexSync itself', () => {
    expect(classify([{ pid: 5, ppid: 1, name: 'codex', cmd: 'codex' }], defaults, 'linux', 5).codex).toEqual([]);
  });
});
