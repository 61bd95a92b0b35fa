import { contextBridge, ipcRenderer } from 'electron';
import { eventChannels, ipcEventName, ipcRequestName, requestChannels, unwrap, type Envelope, type EventChannel } from '../shared/channels.ts';
import type { CodexSyncApi } from '../shared/contract.ts';

// window.codexSync: exactly the contract's requests and events, nothing else (no ipcRenderer,
// no Node). The main process validates every request; errors arrive as one-line messages.

const requests = Object.fromEntries(
  requestChannels.map((channel) => [channel, async (request: unknown) => unwrap((await ipcRenderer.invoke(ipcRequestName(channel), request ?? {})) as Envelope<unknown>)]),
);

function on(event: EventChannel, listener: (payload: unknown) => void): () => void {
  if (!eventChannels.includes(event)) throw new Error(`codexSync has no event named ${String(event)}`);
  const handler = (_event: Electron.IpcRendererEvent, payload: unknown): void => listener(payload);
  ipcRenderer.on(ipcEventName(event), handler);
  return () => {
    ipcRenderer.removeListener(ipcEventName(event), handler);
  };
}

const api = { ...requests, on } as unknown as CodexSyncApi;
contextBridge.exposeInMainWorld('codexSync', api);
