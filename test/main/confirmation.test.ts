import { describe, expect, it } from 'vitest';
import { decideGuard } from '../../src/core/guard/policy.ts';
import { dialogConfirmer, terminationDialog, type DialogSpec } from '../../src/main/model/confirmation.ts';

describe('confirmation before Codex is ended', () => {
  const question = decideGuard(
    { codex: [{ pid: 4242, ppid: 1, name: 'codex', cmd: 'codex resume --last', kind: 'cli' }], children: [] } as never,
    { platform: 'linux', requireStopped: true, allowTerminate: true, confirmation: 'manual' },
  );

  it("asks the engine's own English question in a warning box, No the default and the answer to Escape", () => {
    expect(question.kind).toBe('terminate');
    const spec = terminationDialog((question as { question: string }).question, 20);
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
    const confirmer = dialogConfirmer(async (spec) => {
      shown.push(spec);
      return answers.shift() as number;
    }, () => 7);
    expect(await confirmer.confirm('Stop it? [y/N] ')).toBe(true);
    expect(await confirmer.confirm('Stop it? [y/N] ')).toBe(false);
    expect(await confirmer.confirm('Stop it?')).toBe(false);
    expect(shown.map((s) => s.message)).toEqual(['Stop it?', 'Stop it?', 'Stop it?']);
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
    const first = confirmer.confirm('first');
    const second = confirmer.confirm('second');
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['open first']);
    release(0);
    expect(await first).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['open first', 'close first', 'open second']);
    release(1);
    expect(await second).toBe(false);
  });

  it('a dialog that fails is a no for that question and does not block the next', async () => {
    let calls = 0;
    const confirmer = dialogConfirmer(async () => {
      calls += 1;
      if (calls === 1) throw new Error('no display');
      return 0;
    }, () => 20);
    await expect(confirmer.confirm('first')).rejects.toThrow('no display');
    expect(await confirmer.confirm('second')).toBe(true);
  });
});
