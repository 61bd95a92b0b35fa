// A recording stand-in for the `electron` module, loaded in place of it (register.ts) when a
// test runs the built main bundle (out/main/index.mjs) under plain Node. It implements only what
// main uses, each call recorded, and does what Electron does where main depends on it: 'ready'
// after start, 'web-contents-created' for each window, a window's page fetched through the
// protocol handler main registered, and app.quit()'s events. The test drives it over the child
// process's IPC channel (driver.ts); nothing here ends the process: after quit it lets go of that
// channel, so the process exits by itself only if main released everything it held.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { recording, type Command, type WindowRecord } from './recording.ts';
import { currentMenu, powerMonitor } from './trayParts.ts';

export { dialog, Menu, nativeImage, Notification, powerMonitor, shell, Tray } from './trayParts.ts';

interface PreventableEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

function preventable(): PreventableEvent {
  const event = {
    defaultPrevented: false,
    preventDefault: () => {
      event.defaultPrevented = true;
    },
  };
  return event;
}

class Emitter extends EventEmitter {}

// ---- app -------------------------------------------------------------------------------------

/** The app's folder, as `electron .` has it: the nearest folder above the main script with a package.json. */
function appPath(): string {
  let dir = dirname(process.argv[1] ?? '.');
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

class App extends Emitter {
  readonly dock = undefined;
  private readonly ready: Promise<void>;

  constructor() {
    super();
    this.ready = new Promise((resolve) =>
      setImmediate(() => {
        recording.events.push('ready');
        this.emit('ready');
        resolve();
      }),
    );
  }

  requestSingleInstanceLock(): boolean {
    const granted = process.env.ELECTRON_STAND_IN_LOCK !== 'taken';
    recording.events.push('requestSingleInstanceLock');
    recording.singleInstanceLock.push(granted);
    return granted;
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  getAppPath(): string {
    return appPath();
  }

  getLoginItemSettings(): { openAtLogin: boolean } {
    return { openAtLogin: recording.loginItems.at(-1)?.openAtLogin ?? false };
  }

  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void {
    recording.loginItems.push(settings);
  }

  /** Electron's order: before-quit, every window closed, will-quit, quit; each of the first and third may be prevented. */
  quit(): void {
    recording.events.push('quit()');
    const before = preventable();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return void recording.events.push('before-quit prevented');
    for (const window of [...windows]) window.close();
    const will = preventable();
    this.emit('will-quit', will);
    if (will.defaultPrevented) return void recording.events.push('will-quit prevented');
    this.emit('quit', preventable(), 0);
    recording.events.push('quit');
    recording.activeAfterQuit = process.getActiveResourcesInfo();
    quitted();
  }
}

export const app = new App();

// ---- windows ---------------------------------------------------------------------------------

const windows = new Set<BrowserWindow>();
let handlers: { protocol: Map<string, (request: Request) => Promise<Response>>; beforeRequest?: (details: { url: string }, callback: (r: { cancel: boolean }) => void) => void } = {
  protocol: new Map(),
};

class WebContents extends Emitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  readonly sent: string[] = [];

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  send(channel: string): void {
    this.sent.push(channel);
  }
}

export class BrowserWindow extends Emitter {
  readonly webContents = new WebContents();
  private readonly record: WindowRecord;
  private destroyed = false;

  constructor(options: { title?: string; webPreferences?: Record<string, unknown> }) {
    super();
    this.record = { title: options.title ?? '', webPreferences: { ...options.webPreferences }, urls: [], pages: [], shown: false, closed: false, menuRemoved: false };
    recording.windows.push(this.record);
    windows.add(this);
    app.emit('web-contents-created', preventable(), this.webContents);
    // What main's lock-down made of this window's contents: navigation and new windows refused.
    const navigate = preventable();
    this.webContents.emit('will-navigate', navigate, 'https://example.com/');
    this.record.navigationPrevented = navigate.defaultPrevented;
    this.record.windowOpen = this.webContents.windowOpenHandler?.({ url: 'https://example.com/' }).action ?? 'allow';
  }

  static getFocusedWindow(): BrowserWindow | null {
    return null;
  }

  /** Fetches the page as Electron would: through the session's request filter, then the protocol handler of its scheme. */
  async loadURL(url: string): Promise<void> {
    this.record.urls.push(url);
    let cancelled = false;
    handlers.beforeRequest?.({ url }, (r) => (cancelled = r.cancel));
    const handler = handlers.protocol.get(new URL(url).protocol.replace(/:$/, ''));
    if (cancelled || handler === undefined) {
      this.record.pages.push({ url, status: cancelled ? 'cancelled' : 'no handler' });
      return;
    }
    const response = await handler(new Request(url));
    const body = await response.text();
    this.record.pages.push({ url, status: response.status, csp: response.headers.get('content-security-policy') ?? undefined, body: body.slice(0, 2000) });
    if (!this.destroyed) this.emit('ready-to-show');
  }

  removeMenu(): void {
    this.record.menuRemoved = true;
  }
  show(): void {
    this.record.shown = true;
  }
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setProgressBar(): void {}

  close(): void {
    const event = preventable();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    this.record.closed = true;
    windows.delete(this);
    this.emit('closed');
  }
}

export const nativeTheme = { shouldUseDarkColors: false };

// ---- protocol and session --------------------------------------------------------------------

export const protocol = {
  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>): void {
    recording.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    recording.protocolHandlers.push(scheme);
    handlers.protocol.set(scheme, handler);
  },
};

export const session = {
  defaultSession: {
    webRequest: {
      onBeforeRequest(listener: NonNullable<typeof handlers.beforeRequest>): void {
        handlers = { ...handlers, beforeRequest: listener };
        let blocked = false;
        listener({ url: 'https://example.com/x.js' }, (r) => (blocked = r.cancel));
        recording.remoteRequestBlocked = blocked;
      },
    },
    setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void {
      handler(undefined, 'media', (granted) => (recording.permissionGranted = granted));
    },
    setPermissionCheckHandler(handler: () => boolean): void {
      recording.permissionCheck = handler();
    },
  },
};

// ---- IPC -------------------------------------------------------------------------------------

const ipcHandlers = new Map<string, (event: { senderFrame: { url: string } }, request: unknown) => Promise<unknown>>();

export const ipcMain = {
  handle(channel: string, handler: (event: { senderFrame: { url: string } }, request: unknown) => Promise<unknown>): void {
    // Electron refuses a second handler for one channel.
    if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    ipcHandlers.set(channel, handler);
    recording.ipcHandlers.push(channel);
  },
  on(channel: string): void {
    recording.ipcListeners.push(channel);
  },
};

// ---- the test's commands ---------------------------------------------------------------------

async function run(command: Command): Promise<unknown> {
  switch (command.do) {
    case 'report':
      return recording;
    case 'click': {
      const item = currentMenu()?.items.find((i) => i.label === command.label);
      if (item?.click === undefined) throw new Error(`no menu item "${command.label}" to click`);
      if (item.enabled === false) throw new Error(`menu item "${command.label}" is disabled`);
      // A checkbox item is flipped before its click handler runs.
      item.click({ checked: item.type === 'checkbox' ? !item.checked : false });
      return undefined;
    }
    case 'invoke': {
      const handler = ipcHandlers.get(command.channel);
      if (handler === undefined) throw new Error(`no handler for ${command.channel}`);
      return handler({ senderFrame: { url: command.from } }, command.request);
    }
    case 'power':
      powerMonitor.emit(command.event);
      return undefined;
    case 'quit':
      // Answered first: a quit that goes through ends with the stand-in letting go of the channel.
      setImmediate(() => app.quit());
      return undefined;
  }
}

function quitted(): void {
  // Electron would end the process here; the stand-in only lets go of its channel to the test.
  process.send?.({ quit: true, recording }, () => process.disconnect());
}

process.on('message', (message: { id: number; command: Command }) => {
  run(message.command).then(
    (value) => process.send?.({ id: message.id, value }),
    (error: unknown) => process.send?.({ id: message.id, error: String(error instanceof Error ? error.stack : error) }),
  );
});
