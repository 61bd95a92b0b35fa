import type { CodexSyncApi } from '../shared/contract.ts';

declare global {
  interface Window {
    /** Set by the preload in the app, by the bridge in the e2e host: exactly the contract. */
    codexSync?: CodexSyncApi;
  }
}

export function api(): CodexSyncApi {
  const bound = window.codexSync;
  if (bound === undefined) throw new Error('this page only works inside the codexSync app');
  return bound;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
