import { BrowserWindow, nativeTheme } from 'electron';
import { appOrigin } from './rendererFiles.ts';

export type View = 'threads' | 'plan' | 'restore' | 'logs' | 'settings' | 'setup';

const titles: Record<View, string> = {
  threads: 'codexSync: threads',
  plan: 'codexSync: plan review',
  restore: 'codexSync: restore from backup',
  logs: 'codexSync: logs',
  settings: 'codexSync: settings',
  setup: 'codexSync: set up',
};

/** One window per view, reused when it is already open. */
export class Windows {
  private readonly windows = new Map<View, BrowserWindow>();
  private readonly preload: string;
  private readonly icon: string;

  constructor(preload: string, icon: string) {
    this.preload = preload;
    this.icon = icon;
  }

  open(view: View, planId?: string): void {
    const hash = `#/${view}${planId === undefined ? '' : `?planId=${encodeURIComponent(planId)}`}`;
    const existing = this.windows.get(view);
    if (existing !== undefined && !existing.isDestroyed()) {
      if (planId !== undefined) void existing.loadURL(`${appOrigin}/index.html${hash}`);
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return;
    }
    const window = new BrowserWindow({
      width: 1100,
      height: 760,
      minWidth: 520,
      minHeight: 400,
      show: false,
      title: titles[view],
      icon: this.icon,
      autoHideMenuBar: true,
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#f6f7f9',
      // Reviewed: the preload exposes exactly the contract's requests and events (src/preload/index.ts).
      webPreferences: {
        preload: this.preload, // eng-disable PRELOAD_JS_CHECK
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        safeDialogs: true,
        disableBlinkFeatures: 'Auxclick',
      },
    });
    window.removeMenu();
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => this.windows.delete(view));
    this.windows.set(view, window);
    void window.loadURL(`${appOrigin}/index.html${hash}`);
  }

  focused(): BrowserWindow | undefined {
    return BrowserWindow.getFocusedWindow() ?? [...this.windows.values()].find((w) => !w.isDestroyed());
  }

  /** Sends an event to every open window. */
  broadcast(channel: string, payload: unknown): void {
    for (const window of this.windows.values()) if (!window.isDestroyed()) window.webContents.send(channel, payload);
  }

  setProgress(fraction: number | undefined): void {
    for (const window of this.windows.values()) if (!window.isDestroyed()) window.setProgressBar(fraction ?? -1);
  }
}
