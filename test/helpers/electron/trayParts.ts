// The tray, menus, images, dialogs, notifications, shell and power parts of the electron
// stand-in (standIn.ts re-exports them), each recording what main asks of it.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { recording, type MenuItemRecord } from './recording.ts';

export interface MenuItemOptions {
  type?: string;
  label?: string;
  enabled?: boolean;
  checked?: boolean;
  click?: (item: { checked: boolean }) => void;
}

// ---- tray, menus, images ---------------------------------------------------------------------

interface Image {
  path: string;
  isEmpty(): boolean;
  setTemplateImage(flag: boolean): void;
}

export const nativeImage = {
  createFromPath(path: string): Image {
    return { path, isEmpty: () => !existsSync(path), setTemplateImage: () => undefined };
  },
};

class BuiltMenu {
  readonly items: MenuItemOptions[];
  constructor(items: MenuItemOptions[]) {
    this.items = items;
  }
}

export const Menu = {
  buildFromTemplate(template: MenuItemOptions[]): BuiltMenu {
    return new BuiltMenu(template);
  },
};

let shownMenu: BuiltMenu | undefined;

/** The menu the tray shows now, for the test's clicks. */
export function currentMenu(): BuiltMenu | undefined {
  return shownMenu;
}

export class Tray extends EventEmitter {
  private readonly record;
  constructor(image: Image) {
    super();
    this.record = { image: image.path, imageExists: !image.isEmpty(), images: [] as string[], tooltips: [] as string[], menus: [] as MenuItemRecord[][], destroyed: false };
    recording.trays.push(this.record);
  }
  setImage(image: Image): void {
    this.guard();
    this.record.images.push(image.path);
  }
  setToolTip(text: string): void {
    this.guard();
    this.record.tooltips.push(text);
  }
  setContextMenu(menu: BuiltMenu): void {
    this.guard();
    shownMenu = menu;
    this.record.menus.push(menu.items.map((item) => ({ type: item.type ?? 'normal', label: item.label ?? '', enabled: item.enabled ?? true, checked: item.checked })));
  }
  popUpContextMenu(): void {}
  destroy(): void {
    this.record.destroyed = true;
    shownMenu = undefined;
  }
  isDestroyed(): boolean {
    return this.record.destroyed;
  }
  /** Electron throws on a destroyed tray's methods. */
  private guard(): void {
    if (this.record.destroyed) throw new TypeError('Object has been destroyed');
  }
}

// ---- dialogs, notifications, shell, power ----------------------------------------------------

export const dialog = {
  /** Answers every question with its cancel button: nothing is ever ended or chosen. */
  async showMessageBox(...args: unknown[]): Promise<{ response: number }> {
    const spec = args.at(-1) as { message?: string; cancelId?: number };
    recording.dialogs.push(spec.message ?? '');
    return { response: spec.cancelId ?? 0 };
  },
  async showOpenDialog(...args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> {
    recording.dialogs.push(`open: ${JSON.stringify(args.at(-1))}`);
    return { canceled: true, filePaths: [] };
  },
};

export class Notification extends EventEmitter {
  private readonly options: { title: string; body: string };
  constructor(options: { title: string; body: string }) {
    super();
    this.options = options;
  }
  static isSupported(): boolean {
    return true;
  }
  show(): void {
    recording.notifications.push(this.options);
  }
}

export const shell = {
  async openPath(path: string): Promise<string> {
    recording.shell.push(`openPath ${path}`);
    return '';
  },
  async openExternal(url: string): Promise<void> {
    recording.shell.push(`openExternal ${url}`);
  },
  showItemInFolder(path: string): void {
    recording.shell.push(`showItemInFolder ${path}`);
  },
};

export const powerMonitor = new EventEmitter();
