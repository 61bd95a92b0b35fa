import type { Confirmer } from '../../core/guard/index.ts';
import type { TerminationRequest } from '../../core/plan/index.ts';
import { terminationQuestion } from '../service/words.ts';

/** A native message box, as Electron's dialog.showMessageBox takes it. */
export interface DialogSpec {
  type: 'warning';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
  noLink: true;
}

/**
 * The question before Codex is ended, in English as codexsync 0.1.2's rules say, with "No"
 * the default and the answer to Escape or closing the box: nothing is ended without a yes.
 */
export function terminationDialog(request: TerminationRequest, timeoutSeconds: number): DialogSpec {
  return {
    type: 'warning',
    title: 'codexSync',
    message: terminationQuestion(request),
    detail:
      `codexSync ends these processes by their process ID and waits up to ${timeoutSeconds} seconds for them to exit. ` +
      'Nothing is written unless Codex has exited. Answer No to close Codex yourself.',
    buttons: ['Yes', 'No'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
}

/**
 * The app's Confirmer: every question the engine asks goes to one native dialog at a time.
 * `show` returns the index of the button pressed; only "Yes" (0) is a yes.
 */
export function dialogConfirmer(show: (spec: DialogSpec) => Promise<number>, timeoutSeconds: () => number): Confirmer {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    confirmTermination(request) {
      const answer = queue.then(async () => (await show(terminationDialog(request, timeoutSeconds()))) === 0);
      queue = answer.catch(() => undefined);
      return answer;
    },
  };
}
