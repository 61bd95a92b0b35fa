import { join } from 'node:path';
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { HandoffState } from './model/handoffState.ts';
import { trayIcon, trayMenu, trayTooltip, type TrayIconName, type TrayMenuId, type TrayMenuOptions } from './model/trayMenu.ts';

/** The icon file of a state: a template image on macOS (the menu bar tints it), .ico on Windows, .png elsewhere. */
export function trayIconFile(dir: string, name: TrayIconName, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return join(dir, `tray-${name}Template.png`);
  if (platform === 'win32') return join(dir, `tray-${name}.ico`);
  return join(dir, `tray-${name}.png`);
}

/** The tray icon and its menu, drawn from the pure menu model each time the state changes. */
export class TrayView {
  private readonly tray: Tray;
  private readonly dir: string;
  private readonly onItem: (id: TrayMenuId, checked: boolean) => void;
  private readonly images = new Map<TrayIconName, NativeImage>();

  constructor(dir: string, onItem: (id: TrayMenuId, checked: boolean) => void) {
    this.dir = dir;
    this.onItem = onItem;
    this.tray = new Tray(this.image('idle'));
    // Windows opens a tray icon's menu on a right click only; a left click should open it too.
    if (process.platform === 'win32') this.tray.on('click', () => this.tray.popUpContextMenu());
  }

  render(state: HandoffState, options: TrayMenuOptions): void {
    // A state change may still arrive while the app quits, after the icon is gone.
    if (this.tray.isDestroyed()) return;
    this.tray.setImage(this.image(trayIcon(state)));
    this.tray.setToolTip(trayTooltip(state));
    const template = trayMenu(state, options).map((item): MenuItemConstructorOptions => {
      switch (item.kind) {
        case 'separator':
          return { type: 'separator' };
        case 'status':
          return { label: item.label, enabled: false };
        case 'checkbox':
          return { type: 'checkbox', label: item.label, checked: item.checked, click: (menuItem) => this.onItem(item.id, menuItem.checked) };
        case 'action':
          return { label: item.label, enabled: item.enabled, click: () => this.onItem(item.id, false) };
      }
    });
    this.tray.setContextMenu(Menu.buildFromTemplate(template));
  }

  /** Removes the icon from the tray (at quit). */
  destroy(): void {
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }

  private image(name: TrayIconName): NativeImage {
    let image = this.images.get(name);
    if (image === undefined) {
      image = nativeImage.createFromPath(trayIconFile(this.dir, name, process.platform));
      if (process.platform === 'darwin') image.setTemplateImage(true);
      this.images.set(name, image);
    }
    return image;
  }
}
