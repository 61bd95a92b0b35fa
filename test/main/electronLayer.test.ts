import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autostartEntry } from '../../src/main/autostart.ts';
import { ipcRequestName, requestChannels } from '../../src/shared/channels.ts';
import type { PlanView } from '../../src/shared/contract.ts';
import { contentSecurityPolicy } from '../../src/shared/csp.ts';
import { CONTROL_DIR } from '../../src/core/handoff/index.ts';
import { handoffTime } from '../../src/main/model/trayMenu.ts';
import { runCli } from '../helpers/cli.ts';
import { FakeCodex } from '../helpers/processes.ts';
import { ElectronMain } from '../helpers/electron/driver.ts';
import type { MenuItemRecord, Recording } from '../helpers/electron/recording.ts';
import { tempDir } from '../helpers/tmp.ts';
import { workspace, writeFile } from '../helpers/workspace.ts';

// The Electron layer as it ships: `npm run build`'s bundles, out/main/index.mjs started the way
// Electron starts it, under Node, with a recording stand-in for the `electron` module
// (test/helpers/electron). Electron's own binary cannot be downloaded on these machines.

const root = fileURLToPath(new URL('../../', import.meta.url));
const mainBundle = join(root, 'out', 'main', 'index.mjs');
const appPage = 'app://codexsync/index.html';
/** An AppImage in a folder with a space: the path the autostart entry must quote. */
const appImage = '/opt/My Apps/codexSync.AppImage';

const labels = (menu: MenuItemRecord[] | undefined) => (menu ?? []).map((item) => (item.type === 'separator' ? '---' : item.label));
const lastMenu = (r: Recording) => r.trays[0]?.menus.at(-1);

/** The app on a machine of its own: every folder it may touch (home, XDG folders, Codex home, cloud) is a temp folder. */
function start(dir: string, args: string[], env: Record<string, string> = {}): ElectronMain {
  return new ElectronMain(mainBundle, args, {
    PATH: process.env.PATH,
    HOME: join(dir, 'user'),
    XDG_CONFIG_HOME: join(dir, 'xdg'),
    XDG_CONFIG_DIRS: join(dir, 'xdg-system'),
    XDG_STATE_HOME: join(dir, 'xdg-state'),
    APPIMAGE: appImage,
    ...env,
  });
}

beforeAll(() => {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.ts'), 'renderer', 'preload', 'main'], { cwd: root, encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
}, 180_000);

describe('the built main process, with a config, two machines and a conflict waiting', () => {
  // One app for the whole file, so its folders outlive each test (tempDir's are removed after each).
  const dir = mkdtempSync(join(tmpdir(), 'codexsync-electron-'));
  const laptop = workspace(dir, { machine: 'laptop' });
  const desktop = workspace(dir, { machine: 'desktop' });
  let app: ElectronMain;

  beforeAll(async () => {
    writeFile(desktop.home, 'skills/review/SKILL.md', 'Desktop.\n');
    const handoff = await runCli(['-c', desktop.config, 'sync', '--apply'], { cwd: dir });
    expect(handoff.code, handoff.stderr).toBe(0);
    writeFile(laptop.home, 'skills/review/SKILL.md', 'Laptop.\n');
    writeFile(laptop.home, 'skills/new/SKILL.md', 'New.\n');
    app = start(dir, ['--config', laptop.config]);
    await app.waitFor((r) => lastMenu(r), 'the tray menu');
  });

  afterAll(() => {
    app.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the single-instance lock, once, before the app is ready', async () => {
    const r = await app.report();
    expect(r.singleInstanceLock).toEqual([true]);
    expect(r.events.slice(0, 2)).toEqual(['requestSingleInstanceLock', 'ready']);
    expect(r.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true } }]);
  });

  it('creates one tray with the idle icon and the menu of a ready app', async () => {
    const r = await app.report();
    expect(r.trays).toHaveLength(1);
    const tray = r.trays[0];
    expect(tray?.image).toBe(join(root, 'assets', 'tray', 'tray-idle.png'));
    expect(tray?.imageExists).toBe(true);
    expect(tray?.images[0]).toBe(tray?.image);
    // Before the first background check has answered, nothing is promised.
    expect(tray?.tooltips[0]).toBe('codexSync: Not checked yet: hand off before you switch machines');
    expect(labels(tray?.menus[0])).toEqual([
      'Not checked yet: hand off before you switch machines',
      '---',
      'Hand off now',
      'Threads…',
      'Review plan…',
      'Restore from backup…',
      'Open logs',
      'Settings…',
      '---',
      'Hand off when Codex closes',
      'Launch at login',
      '---',
      'Quit',
    ]);
    expect(tray?.menus[0]?.find((item) => item.label === 'Hand off when Codex closes')).toEqual({ type: 'checkbox', label: 'Hand off when Codex closes', enabled: true, checked: false });
    expect(tray?.menus[0]?.find((item) => item.label === 'Launch at login')).toEqual({ type: 'checkbox', label: 'Launch at login', enabled: true, checked: false });
  });

  it('handles every channel of the contract exactly once, and nothing else', async () => {
    const r = await app.report();
    expect([...r.ipcHandlers].sort()).toEqual(requestChannels.map(ipcRequestName).sort());
    expect(new Set(r.ipcHandlers).size).toBe(r.ipcHandlers.length);
    expect(r.ipcListeners).toEqual([]);
    const refused = await app.send({ do: 'invoke', channel: ipcRequestName('status'), request: {}, from: 'https://example.com/' });
    expect(refused).toEqual({ ok: false, error: { message: 'request from a page that is not codexSync refused', exitCode: 4, details: [] } });
  });

  it('"Hand off now" plans the real files through the service and opens the review window on that plan', async () => {
    await app.send({ do: 'click', label: 'Hand off now' });
    const url = await app.waitFor((r) => r.windows.flatMap((w) => w.urls).find((u) => u.includes('#/plan?planId=')), 'the review window');
    const planId = decodeURIComponent(url.split('planId=')[1] ?? '');
    const envelope = (await app.send({ do: 'invoke', channel: ipcRequestName('plan'), request: { planId }, from: `${appPage}#/plan` })) as { ok: true; value: PlanView };
    expect(envelope.ok).toBe(true);
    const plan = envelope.value;
    expect(plan.planId).toBe(planId);
    expect(plan.machineId).toBe('laptop');
    expect(plan.localRoot).toBe(laptop.home);
    expect(plan.conflicts.map((c) => c.path)).toEqual(['skills/review/SKILL.md']);
    expect(plan.actions.map((a) => [a.kind, a.path])).toEqual([['copy', 'skills/new/SKILL.md']]);
    expect(plan.review.map((reason) => reason.code)).toEqual(['conflicts']);
    const r = await app.report();
    expect(r.notifications).toContainEqual({ title: 'codexSync', body: 'Review the plan before it is applied: 1 file changed on both machines' });
    expect(r.dialogs).toEqual([]);
    // Planned, not applied: the cloud still holds the desktop's hand-off only.
    expect(existsSync(join(laptop.cloud, 'skills', 'new', 'SKILL.md'))).toBe(false);
    expect(readFileSync(join(laptop.cloud, 'skills', 'review', 'SKILL.md'), 'utf8')).toBe('Desktop.\n');
  });

  it('every window is sandboxed with context isolation, no Node, the preload in out/, and its page served with the CSP', async () => {
    for (const label of ['Restore from backup…', 'Open logs', 'Settings…']) await app.send({ do: 'click', label });
    const r = await app.waitFor((rec) => (rec.windows.length === 4 && rec.windows.every((w) => w.pages.length > 0) ? rec : undefined), 'four windows with their pages');
    expect(r.windows.map((w) => w.urls[0]?.replace(/\?.*$/, ''))).toEqual([`${appPage}#/plan`, `${appPage}#/restore`, `${appPage}#/logs`, `${appPage}#/settings`]);
    for (const window of r.windows) {
      const prefs = window.webPreferences;
      expect({ title: window.title, contextIsolation: prefs.contextIsolation, sandbox: prefs.sandbox, nodeIntegration: prefs.nodeIntegration }).toEqual({
        title: window.title,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
      });
      expect(prefs.nodeIntegrationInWorker).toBe(false);
      expect(prefs.nodeIntegrationInSubFrames).toBe(false);
      expect(prefs.webSecurity).toBe(true);
      expect(prefs.webviewTag).toBe(false);
      const preload = String(prefs.preload);
      expect(relative(root, preload).split(sep)).toEqual(['out', 'preload', 'index.cjs']);
      expect(existsSync(preload)).toBe(true);
      const page = window.pages[0];
      expect(page?.status).toBe(200);
      expect(page?.csp).toBe(contentSecurityPolicy);
      expect(page?.body).toContain(`<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}" />`);
      expect(window.shown).toBe(true);
      expect(window.menuRemoved).toBe(true);
      expect(window.navigationPrevented).toBe(true);
      expect(window.windowOpen).toBe('deny');
    }
    expect(r.protocolHandlers).toEqual(['app']);
    expect(r.remoteRequestBlocked).toBe(true);
    expect(r.permissionGranted).toBe(false);
    expect(r.permissionCheck).toBe(false);
  });

  it('"Launch at login" writes the XDG autostart entry, and unticking it removes the entry', async () => {
    const entry = join(dir, 'xdg', 'autostart', 'codexsync.desktop');
    await app.send({ do: 'click', label: 'Launch at login' });
    await app.waitFor((r) => lastMenu(r)?.find((item) => item.label === 'Launch at login')?.checked, 'the ticked login item');
    expect(readFileSync(entry, 'utf8')).toBe(autostartEntry(appImage));
    expect(readFileSync(entry, 'utf8')).toContain('\nExec="/opt/My Apps/codexSync.AppImage" --background\n');
    await app.send({ do: 'click', label: 'Launch at login' });
    await app.waitFor((r) => lastMenu(r)?.find((item) => item.label === 'Launch at login')?.checked === false, 'the unticked login item');
    expect(existsSync(entry)).toBe(false);
    // On Linux, Electron's login item is left alone: it does nothing there.
    expect((await app.report()).loginItems).toEqual([]);
  });

  it("the Settings window's launch at login goes through the tray's own setter: the entry is written and the menu ticks it", async () => {
    const entry = join(dir, 'xdg', 'autostart', 'codexsync.desktop');
    const ask = (channel: 'appChoices' | 'setAppChoices', request: object) => app.send({ do: 'invoke', channel: ipcRequestName(channel), request, from: `${appPage}#/settings` });
    expect(await ask('appChoices', {})).toEqual({ ok: true, value: { launchAtLogin: false, handOffWhenCodexCloses: false } });
    expect(await ask('setAppChoices', { launchAtLogin: true })).toEqual({ ok: true, value: { launchAtLogin: true, handOffWhenCodexCloses: false } });
    expect(readFileSync(entry, 'utf8')).toBe(autostartEntry(appImage));
    await app.waitFor((r) => lastMenu(r)?.find((item) => item.label === 'Launch at login')?.checked, 'the ticked login item');
    expect(await ask('setAppChoices', { launchAtLogin: false })).toEqual({ ok: true, value: { launchAtLogin: false, handOffWhenCodexCloses: false } });
    expect(existsSync(entry)).toBe(false);
    await app.waitFor((r) => lastMenu(r)?.find((item) => item.label === 'Launch at login')?.checked === false, 'the unticked login item');
  });

  it('quitting closes the windows, destroys the tray and closes the watchers: the process then exits by itself', async () => {
    await app.send({ do: 'quit' });
    const exit = await Promise.race([app.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 15_000))]);
    expect(exit, `left open after quit: ${JSON.stringify(app.quitRecording?.activeAfterQuit)}; stderr: ${app.stderr}`).toEqual({ code: 0, signal: null });
    const r = app.quitRecording;
    expect(r?.events.slice(-2)).toEqual(['quit()', 'quit']);
    expect(r?.trays.map((t) => t.destroyed)).toEqual([true]);
    expect(r?.windows.map((w) => w.closed)).toEqual([true, true, true, true]);
    expect(app.stderr).toBe('');
  });
});

describe('the built main process on its first start, with no config', () => {
  it("opens the setup window, whose folder picker is the system's dialog, and Settings… leads back to it", async () => {
    const dir = tempDir('codexsync-electron');
    const configFile = join(dir, 'xdg', 'codexsync', 'config.toml');
    const app = start(dir, ['--config', configFile]);
    try {
      const first = await app.waitFor((r) => (r.windows.length > 0 && r.windows.every((w) => w.pages.length > 0) ? r : undefined), 'the first window');
      expect(first.windows.map((w) => [w.title, w.urls[0]])).toEqual([['codexSync: set up', `${appPage}#/setup`]]);
      const picked = await app.send({ do: 'invoke', channel: ipcRequestName('chooseFolder'), request: {}, from: `${appPage}#/setup` });
      expect(picked).toEqual({ ok: true, value: {} });
      expect((await app.report()).dialogs).toEqual(['open: {"title":"Choose your cloud folder","properties":["openDirectory","createDirectory"]}']);
      await app.waitFor((r) => lastMenu(r), 'the tray menu');
      await app.send({ do: 'click', label: 'Settings…' });
      const r = await app.report();
      expect(r.windows.map((w) => w.urls[0])).toEqual([`${appPage}#/setup`]);
      expect(existsSync(configFile)).toBe(false);
    } finally {
      app.kill();
    }
  });
});

describe('the built main process, with "Hand off when Codex closes" ticked and a real stand-in for Codex', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codexsync-electron-'));
  const laptop = workspace(dir, { machine: 'laptop' });
  const desktop = workspace(dir, { machine: 'desktop' });
  const codex = new FakeCodex(join(dir, 'fakes'));
  let app: ElectronMain;

  beforeAll(async () => {
    writeFile(desktop.home, 'skills/review/SKILL.md', 'Desktop.\n');
    const handoff = await runCli(['-c', desktop.config, 'sync', '--apply'], { cwd: dir });
    expect(handoff.code, handoff.stderr).toBe(0);
    writeFile(laptop.home, 'skills/new/SKILL.md', 'New.\n');
    app = start(dir, ['--config', laptop.config]);
    await app.waitFor((r) => lastMenu(r), 'the tray menu');
  });

  afterAll(async () => {
    app.kill();
    await codex.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says what waits, warns when Codex starts, sleeps with the machine, and hands off once Codex has closed', { timeout: 90_000 }, async () => {
    const waiting = 'codexSync: Work from desktop is waiting: take it before you start Codex';
    await app.waitFor((r) => r.trays[0]?.tooltips.includes(waiting), 'the background check');

    await app.send({ do: 'click', label: 'Hand off when Codex closes' });
    await app.waitFor((r) => lastMenu(r)?.find((item) => item.label === 'Hand off when Codex closes')?.checked, 'the ticked option');
    expect(readFileSync(join(dir, 'xdg', 'codexsync', 'app.json'), 'utf8')).toBe('{\n  "handOffWhenCodexCloses": true\n}\n');

    // Codex starts on this machine while the desktop's work waits: the app says so, and hands nothing off.
    const pid = codex.named(`codex-test-${process.pid}`, []);
    const warning = 'Codex started while work from desktop is waiting: close Codex and hand off first, or your threads fork';
    await app.waitFor((r) => r.notifications.some((n) => n.body === warning), 'the warning');

    // The machine sleeps: Codex exits, and nothing is handed off until it wakes.
    await app.send({ do: 'power', event: 'suspend' });
    process.kill(pid, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    expect(existsSync(join(laptop.home, 'skills', 'review', 'SKILL.md'))).toBe(false);
    expect(existsSync(join(laptop.cloud, 'skills', 'new', 'SKILL.md'))).toBe(false);

    await app.send({ do: 'power', event: 'resume' });
    const done = await app.waitFor((r) => r.notifications.find((n) => n.body.startsWith('Done:')), 'the hand-off', 30_000);
    expect(done.body).toBe('Done: 2 changes, 14 B written.');
    expect(readFileSync(join(laptop.home, 'skills', 'review', 'SKILL.md'), 'utf8')).toBe('Desktop.\n');
    expect(readFileSync(join(laptop.cloud, 'skills', 'new', 'SKILL.md'), 'utf8')).toBe('New.\n');
    const r = await app.report();
    expect(r.notifications.map((n) => n.body).slice(-3)).toEqual([warning, 'Handing off 2 files (14 B)…', 'Done: 2 changes, 14 B written.']);
    expect(r.dialogs).toEqual([]);

    // The idle state's words: safe to switch, with the time of the hand-off just made.
    const record = JSON.parse(readFileSync(join(laptop.cloud, CONTROL_DIR, 'handoff-laptop.json'), 'utf8')) as { createdAt: string };
    const finished = new Date();
    const safe = (at: Date) => `codexSync: Safe to switch: your work is in the cloud folder (handed off ${handoffTime(at, finished)})`;
    expect([safe(new Date(record.createdAt)), safe(finished)]).toContain(r.trays[0]?.tooltips.at(-1));
    expect(r.trays[0]?.images.at(-1)).toBe(join(root, 'assets', 'tray', 'tray-idle.png'));
    expect(lastMenu(r)?.[0]?.label).toBe(r.trays[0]?.tooltips.at(-1)?.replace('codexSync: ', ''));
  });

  it('quitting stops the process check: the process then exits by itself', async () => {
    await app.send({ do: 'quit' });
    const exit = await Promise.race([app.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 15_000))]);
    expect(exit, `left open after quit: ${JSON.stringify(app.quitRecording?.activeAfterQuit)}; stderr: ${app.stderr}`).toEqual({ code: 0, signal: null });
    expect(app.stderr).toBe('');
  });
});

describe('the built main process, planning warm: folder watchers, and a full rescan when the machine wakes', () => {
  it('plans a change the watchers saw; after the wake, logs a change they could not see as missed', { timeout: 60_000 }, async () => {
    const dir = tempDir('codexsync-electron');
    const laptop = workspace(dir, { machine: 'laptop' });
    writeFile(laptop.home, 'skills/review/SKILL.md', 'Review.\n');
    writeFile(laptop.home, 'skills/review/notes.md', 'Notes.\n');
    const handoff = await runCli(['-c', laptop.config, 'sync', '--apply'], { cwd: dir });
    expect(handoff.code, handoff.stderr).toBe(0);
    const app = start(dir, ['--config', laptop.config]);
    try {
      const inSync = await app.waitFor((r) => r.trays[0]?.tooltips.find((t) => t.startsWith('codexSync: Safe to switch')), 'the check at start');
      // A change in a watched folder: planned without a hand-off, the tray says so.
      writeFile(laptop.home, 'skills/review/SKILL.md', 'Review, changed.\n');
      await app.waitFor((r) => r.trays[0]?.tooltips.at(-1) === 'codexSync: Local changes not handed off yet', 'the warm plan of the change');
      // A write through a hard link in a folder no watcher watches: the inode changes, no watched folder hears of it.
      mkdirSync(join(dir, 'elsewhere'));
      linkSync(join(laptop.home, 'skills/review/notes.md'), join(dir, 'elsewhere', 'notes.md'));
      appendFileSync(join(dir, 'elsewhere', 'notes.md'), 'More notes.\n');
      await app.send({ do: 'power', event: 'resume' });
      const logDir = join(dir, 'logs');
      const line = await app.waitFor(
        () =>
          existsSync(logDir)
            ? readdirSync(logDir)
                .flatMap((name) => readFileSync(join(logDir, name), 'utf8').split('\n'))
                .find((l) => l.includes('full rescan'))
            : undefined,
        'the watcher miss in the log',
      );
      expect(line).toContain('full rescan after the machine woke: the folder watchers missed 1 change: Codex home: skills/review/notes.md');
      expect(inSync).toMatch(/^codexSync: Safe to switch: your work is in the cloud folder/);
    } finally {
      app.kill();
    }
  });
});

describe('the built main process, started again while it runs', () => {
  it('does not get the single-instance lock, so it quits before making a tray, a window or a handler, and exits by itself', async () => {
    const dir = tempDir('codexsync-electron');
    const app = start(dir, [], { ELECTRON_STAND_IN_LOCK: 'taken' });
    try {
      expect(await app.exited).toEqual({ code: 0, signal: null });
      const r = app.quitRecording;
      expect(r?.singleInstanceLock).toEqual([false]);
      expect(r?.events).toEqual(['requestSingleInstanceLock', 'quit()', 'quit']);
      expect({ trays: r?.trays, windows: r?.windows, handlers: r?.ipcHandlers }).toEqual({ trays: [], windows: [], handlers: [] });
      expect(app.stderr).toBe('');
    } finally {
      app.kill();
    }
  });
});
