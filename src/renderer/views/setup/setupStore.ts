// The first run's state: what this machine has, the user's choices, the write and the check after it.

import { create } from 'zustand';
import type { DoctorView, SetupView } from '../../../shared/contract.ts';
import { api, errorText } from '../../api.ts';

interface SetupState {
  facts: SetupView | undefined;
  /** The chosen cloud folder: one found, or one picked with the system's folder picker. */
  folder: string | undefined;
  /** A folder picked with the picker, offered beside the ones found. */
  picked: string | undefined;
  machineId: string;
  error: string | undefined;
  busy: boolean;
  written: { file: string; workspace: string } | undefined;
  doctor: DoctorView | undefined;
  load(): Promise<void>;
  choose(folder: string): void;
  pick(): Promise<void>;
  setMachineId(value: string): void;
  write(): Promise<void>;
}

export const useSetup = create<SetupState>((set, get) => ({
  facts: undefined,
  folder: undefined,
  picked: undefined,
  machineId: '',
  error: undefined,
  busy: false,
  written: undefined,
  doctor: undefined,
  async load() {
    try {
      const facts = await api().setupFacts({});
      // The first folder found is the likely one: chosen already, one click fewer.
      set({ facts, folder: facts.cloudFolders[0]?.path, machineId: facts.machineId, error: undefined });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  choose: (folder) => set({ folder, error: undefined }),
  async pick() {
    try {
      const { path } = await api().chooseFolder({});
      if (path !== undefined) set({ picked: path, folder: path, error: undefined });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  setMachineId: (machineId) => set({ machineId, error: undefined }),
  async write() {
    const { folder, machineId } = get();
    set({ busy: true, error: undefined });
    try {
      const written = await api().writeSetup({ cloudFolder: folder ?? '', machineId });
      set({ written });
      set({ doctor: await api().doctor({}) });
    } catch (error) {
      set({ error: errorText(error) });
    } finally {
      set({ busy: false });
    }
  },
}));
