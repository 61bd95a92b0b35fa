import { create } from 'zustand';
import type { ApplyOutcome, ConflictChoice, PlanView, ProgressEvent } from '../../../shared/contract.ts';
import { api, errorText } from '../../api.ts';
import type { Direction } from './planRows.ts';

export type PlanPhase = 'loading' | 'ready' | 'applying' | 'error' | 'discarded';

interface PlanStore {
  phase: PlanPhase;
  plan: PlanView | undefined;
  error: string | undefined;
  /** The user's choice per conflicting path. */
  choices: Record<string, ConflictChoice>;
  filter: Direction | 'all';
  search: string;
  progress: ProgressEvent | undefined;
  outcome: ApplyOutcome | undefined;
  cancelling: boolean;
  load(planId?: string): Promise<void>;
  choose(path: string, choice: ConflictChoice): void;
  chooseForAll(choice: ConflictChoice): void;
  setFilter(filter: Direction | 'all'): void;
  setSearch(search: string): void;
  progressed(event: ProgressEvent): void;
  apply(): Promise<void>;
  cancel(): Promise<void>;
}

export const usePlan = create<PlanStore>((set, get) => ({
  phase: 'loading',
  plan: undefined,
  error: undefined,
  choices: {},
  filter: 'all',
  search: '',
  progress: undefined,
  outcome: undefined,
  cancelling: false,

  async load(planId) {
    set({ phase: 'loading', error: undefined });
    try {
      const plan = await api().plan(planId === undefined ? {} : { planId });
      set({ phase: 'ready', plan, choices: {}, progress: undefined });
    } catch (error) {
      set({ phase: 'error', error: errorText(error) });
    }
  },

  choose(path, choice) {
    set({ choices: { ...get().choices, [path]: choice } });
  },

  chooseForAll(choice) {
    const choices = { ...get().choices };
    for (const conflict of get().plan?.conflicts ?? []) if (conflict.choices.includes(choice)) choices[conflict.path] = choice;
    set({ choices });
  },

  setFilter: (filter) => set({ filter }),
  setSearch: (search) => set({ search }),
  progressed: (progress) => set(get().phase === 'applying' ? { progress } : {}),

  async apply() {
    const { plan, choices } = get();
    if (plan === undefined) return;
    set({ phase: 'applying', outcome: undefined, error: undefined, progress: undefined, cancelling: false });
    try {
      const outcome = await api().apply({ planId: plan.planId, choices: Object.entries(choices).map(([path, choice]) => ({ path, choice })) });
      set({ outcome });
      // What the folders look like now: a new plan (usually "nothing to do").
      const next = await api().plan({});
      set({ phase: 'ready', plan: next, choices: {}, progress: undefined });
    } catch (error) {
      set({ phase: 'error', error: errorText(error), progress: undefined });
    }
  },

  async cancel() {
    const { phase, plan } = get();
    if (phase === 'applying') {
      set({ cancelling: true });
      await api().cancel({});
      return;
    }
    await api().cancel(plan === undefined ? {} : { planId: plan.planId });
    set({ phase: 'discarded', plan: undefined, outcome: undefined });
    window.close();
  },
}));
