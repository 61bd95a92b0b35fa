import { existsSync } from 'node:fs';
import { app, dialog, Notification, powerMonitor } from 'electron';
import { watchHandoffRecords, watchLogFiles, type Watching } from './watch.ts';
import { validateConfig } from '../core/config/index.ts';
import { systemProcesses } from '../core/guard/index.ts';
import { localDate } from '../core/log/index.ts';
import { keepYoungGenerationSmall } from '../core/heap.ts';
import { currentEnvironment } from '../core/platform.ts';
import type { Side } from '../core/facts.ts';
import { ipcEventName } from '../shared/channels.ts';
import type { AppChoices } from '../shared/contract.ts';
import { appConfigFile, bundledPaths } from './appPaths.ts';
import { appSettingsFile, readAppSettings, writeAppSettings } from './appSettings.ts';
import { CodexClosedWatcher } from './codexClosed.ts';
import { isAutostartEnabled, setAutostart } from './autostart.ts';
import { bindIpc } from './ipc.ts';
import type { Notice } from './model/backgroundNotice.ts';
import { dialogConfirmer } from './model/confirmation.ts';
import type { TrayMenuId } from './model/trayMenu.ts';
import { lockDownContents, registerAppScheme, serveRenderer } from './security.ts';
import { AppService } from './service/appService.ts';
import { CheckSchedule } from './service/checkSchedule.ts';
import { TreeWatch } from './treeWatch.ts';
import { CONTROL_DIR } from '../core/handoff/index.ts';
import { TrayView } from './tray.ts';
import { Windows } from './windows.ts';

// The Electron main process: tray, windows, dialogs, notifications, login item and the
// background check. Every decision is made in ./model and ./service, which run under Node.

// As the command line does: the check at start and each hourly rescan read every path.
keepYoungGenerationSmall();
const env = currentEnvironment();
const configFile = appConfigFile(process.argv, env);
const startedAtLogin = process.argv.includes('--background');

registerAppScheme();
lockDownContents();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('window-all-closed', () => {
    // A tray app keeps running with no window open.
  });
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  if (process.platform === 'darwin') app.dock?.hide();
  const paths = bundledPaths(app.getAppPath());
  serveRenderer(paths.renderer);
  const windows = new Windows(paths.preload, paths.appIcon);
  const notifications = new Set<Notification>();

  /** The review window, on the plan that waits for review when there is one. */
  const openReview = (): void => {
    const state = service.state();
    windows.open('plan', state.kind === 'review' || state.kind === 'conflict' ? state.planId : undefined);
  };
  const notify = (notice: Notice): void => {
    if (!Notification.isSupported()) return;
    const shown = new Notification({ title: notice.title, body: notice.body });
    notifications.add(shown);
    shown.on('close', () => notifications.delete(shown));
    shown.on('click', () => {
      if (notice.opens === 'review') openReview();
      else if (notice.opens !== undefined) windows.open(notice.opens);
    });
    shown.show();
  };
  const timeout = (): number => validateConfig(configFile, env).config?.settings.process_detection.terminate_timeout_seconds ?? 20;
  const confirmer = dialogConfirmer(async (spec) => {
    const parent = windows.focused();
    const answer = parent === undefined ? await dialog.showMessageBox(spec) : await dialog.showMessageBox(parent, spec);
    return answer.response;
  }, timeout);

  let watchers: Watching[] = [];
  let quitting = false;
  // Warm plans: the folder watchers tell the service what changed, a check plans only that, then watches the folders the plan saw.
  const changed = (side: Side, paths: string[]): void => {
    if (service.warm.changed(side, paths)) checks.changed();
  };
  const tree = new TreeWatch({
    changed,
    lost: () => {
      service.warm.distrust();
      checks.changed();
    },
  });
  let checksStarted = false;
  const startChecks = (): void => {
    checksStarted = true;
    checks.start();
  };
  const checks = new CheckSchedule(async (rescan) => {
    await service.backgroundCheck(rescan);
    const folders = service.warm.folders();
    if (folders !== undefined && !quitting) tree.update(folders);
  });
  const service: AppService = new AppService({
    configFile,
    env,
    confirmer,
    emit: (event, payload) => windows.broadcast(ipcEventName(event), payload),
    notify,
    openReview: (planId) => windows.open('plan', planId),
    settingsSaved: () =>
      void watch().then(() => {
        if (validateConfig(configFile, env).config === undefined) return;
        // Other folders or another scope: the next check reads both trees (the first one, after the first run's setup, starts the schedule).
        if (checksStarted) checks.changed();
        else startChecks();
      }),
    unwatchedFolders: () => tree.unwatched,
    chooseFolder: async () => {
      const options: Electron.OpenDialogOptions = { title: 'Choose your cloud folder', properties: ['openDirectory', 'createDirectory'] };
      const parent = windows.focused();
      const answer = parent === undefined ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(parent, options);
      return answer.canceled ? undefined : answer.filePaths[0];
    },
    // The Settings window and the tray menu change the same choices, through the same two functions.
    appChoices: {
      read: async () => appChoices(),
      write: async (change) => {
        if (change.launchAtLogin !== undefined && loginSupported) await setLaunchAtLogin(change.launchAtLogin);
        if (change.handOffWhenCodexCloses !== undefined) await setHandOffWhenCodexCloses(change.handOffWhenCodexCloses);
        return appChoices();
      },
    },
  });
  bindIpc(service);

  const loginSupported = process.platform === 'darwin' || process.platform === 'win32' || process.platform === 'linux';
  const launcher = process.env.APPIMAGE ?? process.execPath;
  const readLogin = async (): Promise<boolean> => (process.platform === 'linux' ? isAutostartEnabled(env) : app.getLoginItemSettings().openAtLogin);
  let launchAtLogin = await readLogin();
  const settingsFile = appSettingsFile(env);
  let appSettings = await readAppSettings(settingsFile);

  // Hand off when Codex closes (opt-in): a low-rate process check, paused while the machine sleeps.
  const codexClosed = new CodexClosedWatcher({
    processes: systemProcesses,
    setup: () => {
      const config = validateConfig(configFile, env).config;
      if (config === undefined) return undefined;
      const pd = config.settings.process_detection;
      return { names: { processNames: pd.process_names, markers: pd.background_process_names[env.platform] }, platform: env.platform, codexHome: config.paths.localStateDir };
    },
    state: () => service.state(),
    handOff: () => service.handOffNow(),
    notify,
  });
  powerMonitor.on('suspend', () => codexClosed.suspend());
  powerMonitor.on('resume', () => {
    codexClosed.resume();
    // What changed while the machine slept (the cloud client catching up) may have passed the watchers by.
    if (checksStarted) checks.rescan('resume');
  });
  if (appSettings.handOffWhenCodexCloses) codexClosed.start();

  const appChoices = (): AppChoices => ({ ...(loginSupported ? { launchAtLogin } : {}), handOffWhenCodexCloses: appSettings.handOffWhenCodexCloses });
  const setLaunchAtLogin = async (checked: boolean): Promise<void> => {
    if (process.platform === 'linux') await setAutostart(env, checked, launcher);
    else app.setLoginItemSettings({ openAtLogin: checked, args: ['--background'] });
    launchAtLogin = await readLogin();
    render();
  };
  const setHandOffWhenCodexCloses = async (checked: boolean): Promise<void> => {
    appSettings = { ...appSettings, handOffWhenCodexCloses: checked };
    await writeAppSettings(settingsFile, appSettings);
    if (checked) codexClosed.start();
    else codexClosed.stop();
    render();
  };

  const onItem = (id: TrayMenuId, checked: boolean): void => {
    switch (id) {
      case 'handoff':
        void service.handOffNow();
        return;
      case 'review':
        openReview();
        return;
      case 'threads':
      case 'restore':
      case 'logs':
        windows.open(id);
        return;
      case 'settings':
        // With no config file at all, the first run's setup is the way to make one.
        windows.open(existsSync(configFile) ? 'settings' : 'setup');
        return;
      case 'login':
        void setLaunchAtLogin(checked);
        return;
      case 'codexClosed':
        void setHandOffWhenCodexCloses(checked);
        return;
      case 'quit':
        app.quit();
        return;
      case 'status':
        return;
    }
  };
  const tray = new TrayView(paths.trayIcons, onItem);
  const render = (): void => {
    const state = service.state();
    tray.render(state, {
      configReady: validateConfig(configFile, env).config !== undefined,
      launchAtLogin: loginSupported ? launchAtLogin : undefined,
      handOffWhenCodexCloses: appSettings.handOffWhenCodexCloses,
    });
    windows.setProgress(state.kind === 'busy' && state.total > 0 ? state.done / state.total : undefined);
  };
  service.onState(render);
  render();

  // Quitting during a hand-off cancels it (files in flight finish whole), then quits.
  app.on('before-quit', (event) => {
    if (!service.isBusy()) return;
    event.preventDefault();
    void service.dispatch('cancel', {});
    const stop = service.onState(() => {
      if (service.isBusy()) return;
      stop();
      app.quit();
    });
  });
  // Starting the app again opens its main window: the threads, or the plan that waits for review.
  app.on('second-instance', () => {
    const state = service.state();
    if (state.kind === 'review' || state.kind === 'conflict') openReview();
    else windows.open('threads');
  });
  // Quitting lets go of what the app holds: the folder watchers and the tray icon. Electron ends
  // the process anyway, but a watcher or icon that outlives the quit would be a leak anywhere else.
  app.on('will-quit', () => {
    quitting = true;
    codexClosed.stop();
    checks.stop();
    tree.close();
    tray.destroy();
    for (const watcher of watchers) void watcher.close();
    watchers = [];
  });

  /** Another machine's handoff record starts a background check; this machine's log files feed follow mode. */
  async function watch(): Promise<void> {
    await Promise.all(watchers.map((w) => w.close()));
    watchers = [];
    tree.close(); // the folders of other paths: set again by the next check
    if (quitting) return;
    render();
    const config = validateConfig(configFile, env).config;
    if (config === undefined) return;
    const machineId = config.settings.identity.machine_id;
    watchers = [
      watchHandoffRecords(config.paths.cloudRoot, machineId, () => changed('cloud', [CONTROL_DIR])),
      watchLogFiles(config.paths.logFile, machineId, () => windows.broadcast(ipcEventName('logs'), { date: localDate(new Date()) })),
    ];
  }
  await watch();

  if (validateConfig(configFile, env).config === undefined) {
    if (!startedAtLogin) windows.open('setup');
  } else {
    startChecks();
  }
}
