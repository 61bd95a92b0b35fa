import { useEffect, useState } from 'react';
import { create } from 'zustand';
import type { RestoreView as RestorePreview, SnapshotSummary } from '../../shared/contract.ts';
import { api, errorText } from '../api.ts';
import { Banner } from '../components/Banner.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { PathText } from '../components/PathText.tsx';
import { formatBytes, formatIso, plural } from '../format.ts';
import { AsOfRestore } from './restore/AsOfRestore.tsx';
import { ThreadRestore } from './restore/ThreadRestore.tsx';
import { RestorePlanTable, targetName, type RestoreTarget } from './restore/RestorePlanTable.tsx';
import './RestoreView.css';

type Target = RestoreTarget;

interface RestoreStore {
  snapshots: SnapshotSummary[] | undefined;
  backupDir: string;
  selected: string | undefined;
  target: Target;
  preview: RestorePreview | undefined;
  busy: boolean;
  confirming: boolean;
  error: string | undefined;
  result: RestorePreview | undefined;
  load(initial?: string): Promise<void>;
  select(name: string, target?: Target): Promise<void>;
  ask(open: boolean): void;
  restore(): Promise<void>;
}

const useRestore = create<RestoreStore>((set, get) => ({
  snapshots: undefined,
  backupDir: '',
  selected: undefined,
  target: 'local',
  preview: undefined,
  busy: false,
  confirming: false,
  error: undefined,
  result: undefined,

  async load(initial) {
    try {
      const { snapshots, backupDir } = await api().listSnapshots({});
      set({ snapshots, backupDir, error: undefined });
      const wanted = snapshots.find((s) => s.damaged === undefined && s.name === initial);
      const first = snapshots.find((s) => s.damaged === undefined);
      if (wanted !== undefined && get().selected !== wanted.name) await get().select(wanted.name);
      else if (get().selected === undefined && first !== undefined) await get().select(first.name);
    } catch (error) {
      set({ error: errorText(error), snapshots: [] });
    }
  },

  async select(name, target) {
    const snapshot = get().snapshots?.find((s) => s.name === name);
    const side: Target = target ?? (snapshot !== undefined && snapshot.sides.local === 0 && snapshot.sides.cloud > 0 ? 'cloud' : 'local');
    set({ selected: name, target: side, preview: undefined, busy: true, error: undefined });
    try {
      const preview = await api().restore({ name, target: side, apply: false });
      if (get().selected === name && get().target === side) set({ preview });
    } catch (error) {
      set({ error: errorText(error) });
    } finally {
      set({ busy: false });
    }
  },

  ask: (open) => set({ confirming: open }),

  async restore() {
    const { selected, target } = get();
    if (selected === undefined) return;
    set({ confirming: false, busy: true, error: undefined, result: undefined });
    try {
      const result = await api().restore({ name: selected, target, apply: true });
      set({ result });
      await get().load();
      await get().select(selected, target);
    } catch (error) {
      set({ error: errorText(error) });
    } finally {
      set({ busy: false });
    }
  },
}));

type Mode = 'snapshot' | 'thread' | 'time';
const modes: ReadonlyArray<[Mode, string]> = [
  ['snapshot', 'By snapshot'],
  ['thread', 'By thread'],
  ['time', 'As it was at a time'],
];

/** Restore from backup: a whole snapshot (the picker), one thread's version, or everything as it was at a time. */
export function RestoreView({ snapshot }: { snapshot?: string | undefined }) {
  const [mode, setMode] = useState<Mode>('snapshot');
  return (
    <>
      <div className="modes" role="group" aria-label="Restore">
        {modes.map(([m, label]) => (
          <button key={m} type="button" aria-pressed={mode === m} onClick={() => setMode(m)}>
            {label}
          </button>
        ))}
      </div>
      {mode === 'snapshot' && <SnapshotRestore snapshot={snapshot} />}
      {mode === 'thread' && <ThreadRestore />}
      {mode === 'time' && <AsOfRestore />}
    </>
  );
}

function SnapshotRestore({ snapshot: initial }: { snapshot: string | undefined }) {
  const store = useRestore();
  const load = useRestore((s) => s.load);
  useEffect(() => {
    void load(initial);
  }, [load, initial]);
  const { snapshots, selected, preview, target, busy, confirming, error, result } = store;
  if (snapshots === undefined)
    return (
      <p className="muted" role="status">
        Reading this machine's backups…
      </p>
    );
  const snapshot = snapshots.find((s) => s.name === selected);
  const toRestore = preview?.items.filter((i) => i.action === 'restore').length ?? 0;
  return (
    <div className="restore">
      {error !== undefined && <Banner tone="error">{error}</Banner>}
      {result !== undefined && <Banner tone={result.failures.length === 0 ? 'success' : 'warning'} title={result.message} />}
      {snapshots.length === 0 ? (
        <Banner tone="info" title="No backups yet">
          Every hand-off that replaces or deletes a file first saves the old version in a snapshot in <PathText path={store.backupDir} />. There are none of this machine yet.
        </Banner>
      ) : (
        <div className="split">
          <section aria-labelledby="snapshots-title" className="pane">
            <h2 id="snapshots-title">Snapshots of this machine</h2>
            <table className="snapshots">
              <thead>
                <tr>
                  <th scope="col">Taken</th>
                  <th scope="col">Files</th>
                  <th scope="col">Size</th>
                  <th scope="col">From</th>
                </tr>
              </thead>
              <tbody>
                {snapshots.map((s) => (
                  <tr key={s.name} className={s.name === selected ? 'selected' : undefined}>
                    <td>
                      <label>
                        <input type="radio" name="snapshot" value={s.name} checked={s.name === selected} disabled={s.damaged !== undefined} onChange={() => void store.select(s.name)} />
                        <span>{formatIso(s.createdAt)}</span>
                      </label>
                      <div className="mono small muted">{s.name}</div>
                    </td>
                    <td>{s.damaged === undefined ? s.files : '—'}</td>
                    <td className="nowrap">{s.damaged === undefined ? formatBytes(s.bytes) : '—'}</td>
                    <td>{s.damaged !== undefined ? <span className="bad">damaged</span> : sidesText(s)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="preview-title" className="pane">
            <h2 id="preview-title">{snapshot === undefined ? 'Preview' : `Preview of ${snapshot.name}`}</h2>
            {snapshot !== undefined && (
              <fieldset className="target">
                <legend>Restore into</legend>
                {(['local', 'cloud'] as const).map((side) => (
                  <label key={side}>
                    <input type="radio" name="target" value={side} checked={target === side} disabled={snapshot.sides[side] === 0} onChange={() => void store.select(snapshot.name, side)} />
                    {side === 'local' ? "This machine's Codex home" : 'The cloud folder'} ({plural(snapshot.sides[side], 'file')})
                  </label>
                ))}
              </fieldset>
            )}
            {busy && preview === undefined && (
              <p className="muted" role="status">
                Comparing the snapshot with {targetName[target]}…
              </p>
            )}
            {preview !== undefined && (
              <>
                <p className="muted">
                  Into <PathText path={preview.root} />: {preview.message}
                </p>
                <RestorePlanTable items={preview.items} />
                {preview.refused.length > 0 && (
                  <ul className="plain">
                    {preview.refused.map((r) => (
                      <li key={r.path}>
                        <PathText path={r.path} />: {r.why}
                      </li>
                    ))}
                  </ul>
                )}
                <div className="actions">
                  <button type="button" className="primary" disabled={toRestore === 0 || busy} onClick={() => store.ask(true)}>
                    Restore {plural(toRestore, 'file')}…
                  </button>
                </div>
              </>
            )}
          </section>
        </div>
      )}
      <ConfirmDialog open={confirming} title="Restore from backup?" confirmLabel="Restore" onConfirm={() => void store.restore()} onCancel={() => store.ask(false)}>
        <p>
          Put back {plural(toRestore, 'file')} from snapshot <span className="mono">{selected}</span> into {targetName[target]}?
        </p>
        <p>The versions there now are backed up first, in a new snapshot. Codex must be closed.</p>
      </ConfirmDialog>
    </div>
  );
}

function sidesText(s: SnapshotSummary): string {
  if (s.sides.local > 0 && s.sides.cloud > 0) return `${s.sides.local} this machine, ${s.sides.cloud} cloud`;
  return s.sides.cloud > 0 ? 'the cloud' : 'this machine';
}
