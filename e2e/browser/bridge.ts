import { eventChannels, requestChannels, unwrap, type Envelope, type EventChannel } from '../../src/shared/channels.ts';
import type { CodexSyncApi } from '../../src/shared/contract.ts';

// The e2e host's stand-in for the preload: the same window.codexSync, bound to HTTP on the
// host's own origin (POST /api/<request>, events from GET /events) instead of Electron's IPC.

const requests = Object.fromEntries(
  requestChannels.map((channel) => [
    channel,
    async (request: unknown) => {
      const response = await fetch(`/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request ?? {}) });
      return unwrap((await response.json()) as Envelope<unknown>);
    },
  ]),
);

const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>(eventChannels.map((e) => [e, new Set()]));
const source = new EventSource('/events');
for (const event of eventChannels) {
  source.addEventListener(event, (message) => {
    const payload: unknown = JSON.parse((message as MessageEvent<string>).data);
    for (const listener of listeners.get(event) ?? []) listener(payload);
  });
}

function on(event: EventChannel, listener: (payload: unknown) => void): () => void {
  const set = listeners.get(event);
  if (set === undefined) throw new Error(`codexSync has no event named ${String(event)}`);
  set.add(listener);
  return () => set.delete(listener);
}

window.codexSync = { ...requests, on } as unknown as CodexSyncApi;
