import { useState } from 'react';
import type { RestoreView as RestorePreview } from '../../../shared/contract.ts';
import { api, errorText } from '../../api.ts';
import { Banner } from '../../components/Banner.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { PathText } from '../../components/PathText.tsx';
import { formatLocalDateTime, plural } from '../../format.ts';
import { RestorePlanTable, targetName, type RestoreTarget } from './RestorePlanTable.tsx';

/** The value of a datetime-local input for a moment: local time to the second (a backup of a minute ago is "at or before" now). */
function localInput(ms: number): string {
  return `${formatLocalDateTime(ms).replace(' ', 'T')}:${String(new Date(ms).getSeconds()).padStart(2, '0')}`;
}

/** Everything as it was at a time: the plan (each file from the newest snapshot at or before it) first, then the restore. */
export function AsOfRestore() {
  const [at, setAt] = useState(() => localInput(Date.now() + 999)); // to the next second: a backup made this second is "at or before" it
  const [target, setTarget] = useState<RestoreTarget>('local');
  const [plan, setPlan] = useState<RestorePreview | undefined>(undefined);
  const [result, setResult] = useState<RestorePreview | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const moment = (): string => new Date(at).toISOString();
  const run = async (apply: boolean): Promise<void> => {
    setBusy(true);
    setError(undefined);
    setConfirming(false);
    try {
      const view = await api().restoreAsOf({ at: moment(), target, apply });
      if (apply) {
        setResult(view);
        setPlan(await api().restoreAsOf({ at: moment(), target, apply: false }));
      } else setPlan(view);
    } catch (e) {
      setError(errorText(e));
      setPlan(undefined);
    } finally {
      setBusy(false);
    }
  };
  const toRestore = plan?.items.filter((i) => i.action === 'restore').length ?? 0;
  return (
    <>
      {error !== undefined && <Banner tone="error">{error}</Banner>}
      {result !== undefined && <Banner tone={result.failures.length === 0 ? 'success' : 'warning'} title={result.message} />}
      <form
        className="as-of"
        onSubmit={(e) => {
          e.preventDefault();
          setResult(undefined);
          void run(false);
        }}
      >
        <label>
          Everything as it was at
          <input type="datetime-local" step={1} value={at} required onChange={(e) => (setAt(e.target.value), setPlan(undefined))} />
        </label>
        <fieldset className="target">
          <legend>Restore into</legend>
          {(['local', 'cloud'] as const).map((side) => (
            <label key={side}>
              <input type="radio" name="as-of-target" value={side} checked={target === side} onChange={() => (setTarget(side), setPlan(undefined))} />
              {side === 'local' ? "This machine's Codex home" : 'The cloud folder'}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy || at === ''}>
          Show the plan
        </button>
      </form>
      {plan !== undefined && (
        <section aria-labelledby="as-of-plan-title">
          <h2 id="as-of-plan-title">Plan</h2>
          <p className="muted">
            Into <PathText path={plan.root} />: {plan.message}
          </p>
          <RestorePlanTable items={plan.items} withSource />
          <div className="actions">
            <button type="button" className="primary" disabled={toRestore === 0 || busy} onClick={() => setConfirming(true)}>
              Restore {plural(toRestore, 'file')}…
            </button>
          </div>
        </section>
      )}
      <ConfirmDialog open={confirming} title="Restore everything as it was?" confirmLabel="Restore" onConfirm={() => void run(true)} onCancel={() => setConfirming(false)}>
        <p>
          Put back {plural(toRestore, 'file')} as they were at {at.replace('T', ' ')} into {targetName[target]}?
        </p>
        <p>The versions there now are backed up first, in a new snapshot. Codex must be closed.</p>
      </ConfirmDialog>
    </>
  );
}
