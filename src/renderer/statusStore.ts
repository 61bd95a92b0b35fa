import { create } from 'zustand';
import type { StatusView } from '../shared/contract.ts';
import { api, errorText } from './api.ts';

interface StatusStore {
  status: StatusView | undefined;
  error: string | undefined;
  load(): Promise<void>;
  set(status: StatusView): void;
}

export const useStatus = create<StatusStore>((set) => ({
  status: undefined,
  error: undefined,
  async load() {
    try {
      set({ status: await api().status({}), error: undefined });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  set(status) {
    set({ status, error: undefined });
  },
}));
