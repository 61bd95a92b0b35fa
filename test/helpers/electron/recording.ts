// What the electron stand-in (standIn.ts) records of the main process, and the commands a test
// sends it. Plain data: it crosses the child process's IPC channel as JSON.

export interface MenuItemRecord {
  type: string;
  label: string;
  enabled: boolean;
  checked: boolean | undefined;
}

export interface PageRecord {
  url: string;
  /** The protocol handler's HTTP status, or why the page was never fetched. */
  status: number | 'cancelled' | 'no handler';
  csp?: string;
  body?: string;
}

export interface WindowRecord {
  title: string;
  webPreferences: Record<string, unknown>;
  urls: string[];
  pages: PageRecord[];
  shown: boolean;
  closed: boolean;
  menuRemoved: boolean;
  /** Whether main's lock-down prevented a navigation away. */
  navigationPrevented?: boolean;
  /** What main's window-open handler answered for a web page ('allow' when it set none). */
  windowOpen?: string;
}

export interface TrayRecord {
  /** The image the tray was created with. */
  image: string;
  imageExists: boolean;
  images: string[];
  tooltips: string[];
  menus: MenuItemRecord[][];
  destroyed: boolean;
}

export interface Recording {
  events: string[];
  singleInstanceLock: boolean[];
  loginItems: Array<{ openAtLogin: boolean; args?: string[] }>;
  privilegedSchemes: Array<{ scheme: string; privileges: Record<string, boolean> }>;
  protocolHandlers: string[];
  remoteRequestBlocked?: boolean;
  permissionGranted?: boolean;
  permissionCheck?: boolean;
  ipcHandlers: string[];
  ipcListeners: string[];
  trays: TrayRecord[];
  windows: WindowRecord[];
  dialogs: string[];
  notifications: Array<{ title: string; body: string }>;
  shell: string[];
  /** process.getActiveResourcesInfo() once the quit events have run. */
  activeAfterQuit?: string[];
}

export const recording: Recording = {
  events: [],
  singleInstanceLock: [],
  loginItems: [],
  privilegedSchemes: [],
  protocolHandlers: [],
  ipcHandlers: [],
  ipcListeners: [],
  trays: [],
  windows: [],
  dialogs: [],
  notifications: [],
  shell: [],
};

export type Command =
  | { do: 'report' }
  /** Clicks the tray menu item with this label, as a user would. */
  | { do: 'click'; label: string }
  /** Calls the IPC handler of a channel as a page at `from` would. */
  | { do: 'invoke'; channel: string; request: unknown; from: string }
  /** The machine goes to sleep or wakes up: powerMonitor's event. */
  | { do: 'power'; event: 'suspend' | 'resume' }
  | { do: 'quit' };
