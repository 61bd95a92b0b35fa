import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { ActionView, PlanView } from '../../shared/contract.ts';
import { api } from '../api.ts';
import { PathText } from '../components/PathText.tsx';
import { Banner } from '../components/Banner.tsx';
import { VirtualList } from '../components/VirtualList.tsx';
import { formatBytes, formatLocalDateTime, nameOf, plural } from '../format.ts';
import { ConflictReview } from './plan/ConflictReview.tsx';
import { PlanThreads } from './plan/PlanThreads.tsx';
import { directionCounts, directions, planRows, sizeOf, type Direction, type Row } from './plan/planRows.ts';
import { usePlan } from './plan/planStore.ts';
import './PlanReview.css';

const ROW_HEIGHT = 34;

export function PlanReview({ planId }: { planId: string | undefined }) {
  const { phase, plan, error, load, progressed } = usePlan();
  useEffect(() => {
    void load(planId);
  }, [load, planId]);
  useEffect(() => api().on('progress', progressed), [progressed]);

  if (phase === 'discarded') return <Banner tone="info">The plan was discarded: nothing was written.</Banner>;
  if (plan === undefined) {
    if (phase === 'error') {
      return (
        <>
          <Banner tone="error" title="No plan">
            {error}
          </Banner>
          <button type="button" onClick={() => void load()}>
            Try again
          </button>
        </>
      );
    }
    return (
      <p className="muted" role="status">
        Scanning this machine and the cloud folder…
      </p>
    );
  }
  return <PlanBody plan={plan} />;
}

function PlanBody({ plan }: { plan: PlanView }) {
  const { phase, error, outcome, load } = usePlan();
  const hasWork = plan.actions.length + plan.conflicts.length > 0;
  // A thread's rollout files are shown under the thread (on demand), the other files in the list.
  const fileActions = useMemo(() => {
    const threadPaths = new Set(plan.threads.flatMap((t) => t.paths));
    return threadPaths.size === 0 ? plan.actions : plan.actions.filter((a) => !threadPaths.has(a.path));
  }, [plan]);
  return (
    <div className="plan">
      <div className="plan-head">
        <p className="muted">
          <span className="mono">{plan.machineId}</span>: <PathText path={plan.localRoot} /> and the cloud folder <PathText path={plan.cloudRoot} />, planned{' '}
          {formatLocalDateTime(Date.parse(plan.createdAt))}
        </p>
        <button type="button" onClick={() => void load()} disabled={phase === 'applying' || phase === 'loading'}>
          Plan again
        </button>
      </div>
      {outcome !== undefined && (
        <Banner tone={outcome.status === 'applied' || outcome.status === 'in-sync' ? 'success' : 'warning'} title={outcome.message}>
          {outcome.failures.length > 0 && (
            <ul>
              {outcome.failures.map((f) => (
                <li key={f.path}>
                  <PathText path={f.path} />: {f.message}
                </li>
              ))}
            </ul>
          )}
        </Banner>
      )}
      {phase === 'error' && error !== undefined && <Banner tone="error">{error}</Banner>}
      {plan.review.length > 0 && (
        <Banner tone="warning" title="Look before applying">
          <ul>
            {plan.review.map((reason) => (
              <li key={reason.code}>{reason.text}</li>
            ))}
          </ul>
        </Banner>
      )}
      <Totals plan={plan} />
      {plan.notices.length > 0 && (
        <details className="notices">
          <summary>{plural(plan.notices.length, 'note')}</summary>
          <ul>
            {plan.notices.map((notice, i) => (
              <li key={i}>{notice}</li>
            ))}
          </ul>
        </details>
      )}
      {plan.conflicts.length > 0 && <ConflictReview plan={plan} />}
      {plan.threads.length > 0 && <PlanThreads threads={plan.threads} />}
      {fileActions.length > 0 ? (
        <ActionList actions={fileActions} heading={plan.threads.length > 0 ? 'Files' : 'Changes'} />
      ) : (
        !hasWork &&
        plan.threads.length === 0 && (
          <Banner tone="success" title="Nothing to hand off">
            This machine and the cloud folder agree.
          </Banner>
        )
      )}
      {plan.skips.length > 0 && (
        <section aria-labelledby="skips-title">
          <h2 id="skips-title">Left different on purpose ({plan.skips.length})</h2>
          <ul className="plain">
            {plan.skips.map((skip) => (
              <li key={skip.path}>
                <PathText path={skip.path} />: {skip.why}
              </li>
            ))}
          </ul>
        </section>
      )}
      <ApplyBar plan={plan} />
    </div>
  );
}

function Totals({ plan }: { plan: PlanView }) {
  const t = plan.totals;
  const items: Array<[string, string]> = [
    ['Cloud to this machine', `${plural(t.toLocal.files, 'file')}, ${formatBytes(t.toLocal.bytes)}`],
    ['This machine to the cloud', `${plural(t.toCloud.files, 'file')}, ${formatBytes(t.toCloud.bytes)}`],
    ['Merged', plural(t.merges, 'file')],
    ['Deleted', `${t.deletesLocal} here, ${t.deletesCloud} in the cloud`],
    ['Conflicts', String(plan.conflicts.length)],
    ['Unchanged', plural(plan.unchanged, 'file')],
  ];
  return (
    <dl className="totals" aria-label="Totals">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function ActionList({ actions, heading }: { actions: PlanView['actions']; heading: string }) {
  const { filter, search, setFilter, setSearch } = usePlan();
  const deferredSearch = useDeferredValue(search);
  const rows = useMemo(() => planRows(actions, filter, deferredSearch), [actions, filter, deferredSearch]);
  const counts = useMemo(() => directionCounts(actions), [actions]);
  const [active, setActive] = useState(0);
  const shown = rows.filter((r) => r.kind === 'action').length;
  return (
    <section className="actions-section" aria-labelledby="actions-title">
      <div className="toolbar">
        <h2 id="actions-title">
          {heading} ({actions.length.toLocaleString('en')})
        </h2>
        <label>
          <span>Search</span>
          <input type="search" value={search} placeholder="Path contains…" onChange={(e) => (setSearch(e.target.value), setActive(0))} />
        </label>
        <label>
          <span>Show</span>
          <select value={filter} onChange={(e) => (setFilter(e.target.value as Direction | 'all'), setActive(0))}>
            <option value="all">Every direction</option>
            {directions.map((d) => (
              <option key={d.direction} value={d.direction} disabled={counts[d.direction] === 0}>
                {d.label} ({counts[d.direction]})
              </option>
            ))}
          </select>
        </label>
        <span className="muted" role="status">
          {shown === actions.length ? `${plural(shown, 'file')}` : `${shown.toLocaleString('en')} of ${plural(actions.length, 'file')}`}
        </span>
      </div>
      <VirtualList
        label="Planned changes, grouped by direction and folder"
        className="actions-list"
        count={rows.length}
        rowHeight={ROW_HEIGHT}
        rowKey={(i) => rows[i]?.key ?? String(i)}
        renderRow={(i) => <PlanRow row={rows[i] as Row} />}
        active={Math.min(active, Math.max(0, rows.length - 1))}
        onActive={setActive}
      />
    </section>
  );
}

function PlanRow({ row }: { row: Row }) {
  if (row.kind === 'group') {
    const direction = directions.find((d) => d.direction === row.direction);
    return (
      <div className={`group-row dir-${row.direction}`}>
        <span className="symbol" aria-hidden="true">
          {direction?.symbol}
        </span>
        <span className="group-label">{direction?.label}</span>
        <span className="mono folder">{row.folder === '' ? '(top level)' : `${row.folder}/`}</span>
        <span className="muted">
          {plural(row.files, 'file')}, {formatBytes(row.bytes)}
        </span>
      </div>
    );
  }
  const action: ActionView = row.action;
  return (
    <div className="action-row" title={action.path}>
      <span className="mono name">{nameOf(action.path)}</span>
      <span className="size">{formatBytes(sizeOf(action))}</span>
      <span className="why">{action.why}</span>
    </div>
  );
}

function ApplyBar({ plan }: { plan: PlanView }) {
  const { phase, choices, progress, cancelling, apply, cancel } = usePlan();
  const undecided = plan.conflicts.filter((c) => c.settled === undefined && choices[c.path] === undefined).length;
  const blocked = plan.conflicts.some((c) => c.choices.length === 0 && c.settled === undefined);
  const nothing = plan.actions.length === 0 && plan.conflicts.length === 0;
  const arriving = plan.waiting !== undefined;
  const applying = phase === 'applying';
  const percent = progress === undefined || progress.total === 0 ? undefined : Math.round((progress.done * 100) / progress.total);
  return (
    <div className="applybar">
      {applying ? (
        <div className="progress" role="status" aria-live="polite">
          <progress max={100} value={percent} aria-label="Hand-off progress" />
          <span>
            {progress === undefined
              ? 'Checking that Codex is closed and that nothing changed…'
              : `Handing off: ${progress.done} of ${plural(progress.total, 'file')}, ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`}
            {progress !== undefined && <span className="mono current"> {progress.path}</span>}
          </span>
        </div>
      ) : (
        <span className="muted">
          {arriving
            ? `Files from ${plan.waiting?.from ?? 'the other machine'} are still arriving: plan again when your cloud client has finished.`
            : blocked
              ? 'A conflict here cannot be settled in the app (see its note).'
              : undecided > 0
                ? `Choose what to keep for ${plural(undecided, 'more conflict')} to apply.`
                : nothing
                  ? 'Nothing to apply.'
                  : plan.backupNote}
        </span>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={() => void apply()} disabled={applying || undecided > 0 || blocked || nothing || arriving || phase === 'loading'}>
          Apply
        </button>
        <button type="button" onClick={() => void cancel()} disabled={applying && cancelling}>
          {applying ? (cancelling ? 'Cancelling…' : 'Cancel') : 'Cancel'}
        </button>
      </div>
    </div>
  );
}
