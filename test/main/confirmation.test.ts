import { describe, expect, it } from 'vitest';
import { decideGuard } from '../../src/core/guard/policy.ts';
import type { TerminationRequest } from '../../src/core/plan/index.ts';
import { dialogConfirmer, terminationDialog, type DialogSpec } from '../../src/main/model/confirmation.ts';

const daemon: TerminationRequest = { cli: false, processes: [{ pid: 9, kind: 'daemon', name: 'codex' }] };

describe('confirmation before Codex is ended', () => {
  const question = decideGuard({ codex: [{ pid: 4242, ppid: 1, name: 'codex', cmd: 'codex resume --last', kind: 'cli', program: 'codex' }], children: [] } as never, {
    platform: 'linux',
    requireStopped: true,
    allowTerminate: true,
    confirmation: 'manual',
  });

  it('asks in English in a warning box, No the default and the answer to Escape', () => {
    expect(question.kind).toBe('terminate');
    const spec = terminationDialog((question as { request: TerminationRequest }).request, 20);
    expect(spec).toEqual({
      type: 'warning',
      title: 'codexSync',
      message: 'Codex is running (Codex CLI codex (PID 4242)). Terminate it and continue?',
      detail: 'codexSync ends these processes by their process ID and waits up to 20 seconds for them to exit. Nothing is written unless Codex has exited. Answer No to close Codex yourself.',
      buttons: ['Yes', 'No'],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    });
  });

  it('only the Yes button is a yes; closing the box or No is a no', async () => {
    const answers = [0, 1, 1];
    const shown: DialogSpec[] = [];
    const confirmer = dialogConfirmer(
      async (spec) => {
        shown.push(spec);
        return answers.shift() as number;
      },
      () => 7,
    );
    expect(await confirmer.confirmTermination(daemon)).toBe(true);
    expect(await confirmer.confirmTermination(daemon)).toBe(false);
    expect(await confirmer.confirmTermination(daemon)).toBe(false);
    const asked = "Codex's background daemon is running (Codex background daemon codex (PID 9)) and holds Codex's databases open. Stop it and continue?";
    expect(shown.map((s) => s.message)).toEqual([asked, asked, asked]);
    expect(shown[0]?.detail).toContain('up to 7 seconds');
  });

  it('shows one dialog at a time: a second question waits for the first answer', async () => {
    const order: string[] = [];
    let release: (answer: number) => void = () => undefined;
    const confirmer = dialogConfirmer(
      (spec) =>
        new Promise<number>((resolve) => {
          order.push(`open ${spec.message}`);
          release = (answer) => {
            order.push(`close ${spec.message}`);
            resolve(answer);
          };
        }),
      () => 20,
    );
    const first = confirmer.confirmTermination(daemon);
    const second = confirmer.confirmTermination({ ...daemon, processes: [{ pid: 10, kind: 'daemon', name: 'codex' }] });
    await new Promise((resolve) => setImmediate(resolve));
    const [firstText, secondText] = ['PID 9', 'PID 10'].map(
      (pid) => `Codex's background daemon is running (Codex background daemon codex (${pid})) and holds Codex's databases open. Stop it and continue?`,
    );
    expect(order).toEqual([`open ${firstText}`]);
    release(0);
    expect(await first).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([`open ${firstText}`, `close ${firstText}`, `open ${secondText}`]);
    release(1);
    expect(await second).toBe(false);
  });

  it('a dialog that fails is a no for that question and does not block the next', async () => {
    let calls = 0;
    const confirmer = dialogConfirmer(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('no display');
        return 0;
      },
      () => 20,
    );
    await expect(confirmer.confirmTermination(daemon)).rejects.toThrow('no display');
    expect(await confirmer.confirmTermination(daemon)).toBe(true);
  });
});
