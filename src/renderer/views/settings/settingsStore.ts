// The settings window's state: the config as read, the drafts, and the check, save and doctor calls.
import { create } from 'zustand';
import type { AppChoices, DoctorView, ResponseOf } from '../../../shared/contract.ts';
import { api, errorText } from '../../api.ts';
import { changes, type Draft } from './drafts.ts';

type Saved = ResponseOf<'writeSettings'>;

interface SettingsStore {
  read: ResponseOf<'readSettings'> | undefined;
  drafts: Record<string, Draft>;
  problems: Saved['problems'];
  warnings: string[];
  saved: Saved | undefined;
  doctor: DoctorView | undefined;
  error: string | undefined;
  busy: boolean;
  /** Launch at login and hand off when Codex closes: saved at once, apart from config.toml. */
  choices: AppChoices | undefined;
  load(): Promise<void>;
  setChoice(change: Partial<AppChoices>): Promise<void>;
  /** The system's folder picker for the codexSync folder; a cancel changes nothing. */
  chooseFolder(): Promise<void>;
  edit(key: string, draft: Draft): void;
  check(): Promise<void>;
  save(): Promise<void>;
  revert(): void;
  runDoctor(): Promise<void>;
}

export const useSettings = create<SettingsStore>((set, get) => ({
  read: undefined,
  drafts: {},
  problems: [],
  warnings: [],
  saved: undefined,
  doctor: undefined,
  error: undefined,
  busy: false,
  choices: undefined,
  async load() {
    try {
      const [read, choices] = await Promise.all([api().readSettings({}), api().appChoices({})]);
      set({ read, choices, drafts: {}, problems: [], warnings: read.warnings, error: undefined });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async setChoice(change) {
    try {
      set({ choices: await api().setAppChoices(change) });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async chooseFolder() {
    try {
      const { path } = await api().chooseFolder({});
      if (path !== undefined) get().edit('paths.workspace_root_dir', path);
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  edit(key, draft) {
    set({ drafts: { ...get().drafts, [key]: draft }, saved: undefined });
  },
  async check() {
    const { values, local } = changes(get().read, get().drafts);
    if (Object.keys(local).length > 0) return;
    try {
      const result = await api().writeSettings({ values, dryRun: true });
      set({ problems: result.problems, warnings: result.warnings });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async save() {
    const { values, local } = changes(get().read, get().drafts);
    if (Object.keys(local).length > 0) return;
    set({ busy: true, saved: undefined });
    try {
      const result = await api().writeSettings({ values, dryRun: false });
      set({ problems: result.problems, warnings: result.warnings });
      if (result.saved) {
        await get().load();
        set({ saved: result, warnings: result.warnings });
      }
    } catch (error) {
      set({ error: errorText(error) });
    } finally {
      set({ busy: false });
    }
  },
  revert: () => set({ drafts: {}, problems: [], saved: undefined }),
  async runDoctor() {
    set({ doctor: undefined });
    try {
      set({ doctor: await api().doctor({}) });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
}));
