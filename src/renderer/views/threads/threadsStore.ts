import { create } from 'zustand';
import type { ResponseOf, ThreadDetailView, ThreadStanding } from '../../../shared/contract.ts';
import { api, errorText } from '../../api.ts';

export type Listing = ResponseOf<'threads'>;
export type ArchivedFilter = 'all' | 'active' | 'archived';

interface ThreadsStore {
  phase: 'loading' | 'ready' | 'error';
  listing: Listing | undefined;
  error: string | undefined;
  search: string;
  standing: ThreadStanding | 'all';
  archived: ArchivedFilter;
  project: string;
  /** The thread whose detail is open, and that detail once read. */
  selected: string | undefined;
  detail: ThreadDetailView | undefined;
  detailError: string | undefined;
  load(): Promise<void>;
  setSearch(search: string): void;
  setStanding(standing: ThreadStanding | 'all'): void;
  setArchived(archived: ArchivedFilter): void;
  setProject(project: string): void;
  open(id: string | undefined): Promise<void>;
}

export const useThreads = create<ThreadsStore>((set, get) => ({
  phase: 'loading',
  listing: undefined,
  error: undefined,
  search: '',
  standing: 'all',
  archived: 'all',
  project: '',
  selected: undefined,
  detail: undefined,
  detailError: undefined,

  async load() {
    set({ phase: 'loading', error: undefined });
    try {
      set({ phase: 'ready', listing: await api().threads({}) });
      const { selected } = get();
      if (selected !== undefined) await get().open(selected);
    } catch (error) {
      set({ phase: 'error', error: errorText(error) });
    }
  },

  setSearch: (search) => set({ search }),
  setStanding: (standing) => set({ standing }),
  setArchived: (archived) => set({ archived }),
  setProject: (project) => set({ project }),

  async open(id) {
    set({ selected: id, detail: undefined, detailError: undefined });
    if (id === undefined) return;
    try {
      const detail = await api().threadDetail({ id });
      // A later click may have opened another thread meanwhile.
      if (get().selected === id) set({ detail });
    } catch (error) {
      if (get().selected === id) set({ detailError: errorText(error) });
    }
  },
}));
