import { ExitCode, plainError } from '../../core/errors.ts';
import type { AppChoices } from '../../shared/contract.ts';
import type { Handlers } from './dispatch.ts';

// The Settings window's "When to hand off": the app's own choices, which the Electron main keeps
// (app.json and the system's login item) and the tray menu changes too.

export interface AppChoicesStore {
  read(): Promise<AppChoices>;
  write(change: Partial<AppChoices>): Promise<AppChoices>;
}

export function appChoicesHandlers(store: AppChoicesStore | undefined): Pick<Handlers, 'appChoices' | 'setAppChoices'> {
  return {
    appChoices: async () => (store === undefined ? { handOffWhenCodexCloses: false } : store.read()),
    setAppChoices: async (request) => {
      if (store === undefined) throw plainError(ExitCode.invalidInput, 'these choices can be changed only in the app');
      const change: Partial<AppChoices> = {};
      if (request.launchAtLogin !== undefined) change.launchAtLogin = request.launchAtLogin;
      if (request.handOffWhenCodexCloses !== undefined) change.handOffWhenCodexCloses = request.handOffWhenCodexCloses;
      return store.write(change);
    },
  };
}
