/**
 * The names of everything the windows may ask and hear, with no dependency at all: the
 * preload and the e2e bridge import only this, so they expose exactly these and nothing else.
 */
export const requestChannels = [
  'status',
  'plan',
  'apply',
  'cancel',
  'listSnapshots',
  'restore',
  'readLogs',
  'readSettings',
  'writeSettings',
  'doctor',
  'threads',
  'threadDetail',
  'setupFacts',
  'chooseFolder',
  'writeSetup',
  'activity',
  'snapshotThreads',
  'restoreAsOf',
  'appChoices',
  'setAppChoices',
] as const;
export type RequestChannel = (typeof requestChannels)[number];

export const eventChannels = ['progress', 'status', 'logs'] as const;
export type EventChannel = (typeof eventChannels)[number];

export function ipcRequestName(channel: RequestChannel): string {
  return `codexsync:${channel}`;
}

export function ipcEventName(channel: EventChannel): string {
  return `codexsync:event:${channel}`;
}

export function isRequestChannel(name: string): name is RequestChannel {
  return (requestChannels as readonly string[]).includes(name);
}

/** What every request resolves to on the wire: the response, or an error a user can act on. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { message: string; exitCode: number; details: string[] } };

/** Turns an envelope back into the value, or throws its one-line message. */
export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  const error = new Error(envelope.error.message);
  error.name = 'CodexSyncError';
  throw error;
}
