import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { ThreadRow, ThreadStanding } from '../../shared/contract.ts';
import { PathText } from '../components/PathText.tsx';
import { Banner } from '../components/Banner.tsx';
import { VirtualList } from '../components/VirtualList.tsx';
import { formatIso, plural } from '../format.ts';
import { ThreadDetail } from './threads/ThreadDetail.tsx';
import { cutMiddle, filterThreads, projectCounts, projectLabel, standingCounts, standings } from './threads/threadRows.ts';
import { useThreads, type ArchivedFilter, type Listing } from './threads/threadsStore.ts';
import './ThreadsView.css';

const ROW_HEIGHT = 52;
/** A thread's detail is read once the keyboard rests on it, not for every row passed. */
const OPEN_DELAY_MS = 150;

export function ThreadsView() {
  const { phase, listing, error, load } = useThreads();
  useEffect(() => {
    void load();
  }, [load]);
  if (listing === undefined) {
    if (phase === 'error') {
      return (
        <>
          <Banner tone="error" title="No threads">
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
        Reading the threads of this machine and the cloud folder…
      </p>
    );
  }
  return <ThreadsBody listing={listing} />;
}

function ThreadsBody({ listing }: { listing: Listing }) {
  const { phase, error, load, search, standing, archived, project, selected, setSearch, setStanding, setArchived, setProject, open } = useThreads();
  const deferredSearch = useDeferredValue(search);
  const rows = useMemo(() => filterThreads(listing.threads, { search: deferredSearch, standing, archived, project }), [listing, deferredSearch, standing, archived, project]);
  const counts = useMemo(() => standingCounts(listing.threads), [listing]);
  const projects = useMemo(() => projectCounts(listing.threads), [listing]);
  const [active, setActive] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const onActive = (index: number): void => {
    setActive(index);
    clearTimeout(timer.current);
    const id = rows[index]?.id;
    timer.current = setTimeout(() => void open(id), OPEN_DELAY_MS);
  };
  const reset = (): void => setActive(0);
  const total = listing.threads.length;
  const row = selected === undefined ? undefined : listing.threads.find((t) => t.id === selected);
  return (
    <div className="threads">
      <div className="plan-head">
        <p className="muted">
          {plural(total, 'thread')} on <span className="mono">{listing.machineId}</span> and in the cloud folder <PathText path={listing.cloudRoot} />
        </p>
        <button type="button" onClick={() => void load()} disabled={phase === 'loading'}>
          Refresh
        </button>
      </div>
      {phase === 'error' && error !== undefined && <Banner tone="error">{error}</Banner>}
      <div className="toolbar">
        <label>
          <span>Search</span>
          <input type="search" value={search} placeholder="Title, project or id…" onChange={(e) => (setSearch(e.target.value), reset())} />
        </label>
        <label>
          <span>State</span>
          <select value={standing} onChange={(e) => (setStanding(e.target.value as ThreadStanding | 'all'), reset())}>
            <option value="all">Every state ({total.toLocaleString('en')})</option>
            {standings.map((s) => (
              <option key={s.standing} value={s.standing} disabled={counts[s.standing] === 0}>
                {s.label} ({counts[s.standing].toLocaleString('en')})
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Archived</span>
          <select value={archived} onChange={(e) => (setArchived(e.target.value as ArchivedFilter), reset())}>
            <option value="all">Shown</option>
            <option value="active">Hidden</option>
            <option value="archived">Only archived</option>
          </select>
        </label>
        <label>
          <span>Project</span>
          <select value={project} onChange={(e) => (setProject(e.target.value), reset())}>
            <option value="">Every project</option>
            {projects.map(([folder, n]) => (
              <option key={folder} value={folder} title={folder}>
                {cutMiddle(folder, 48)} ({n})
              </option>
            ))}
          </select>
        </label>
        <span className="muted" role="status">
          {rows.length === total ? plural(total, 'thread') : `${rows.length.toLocaleString('en')} of ${plural(total, 'thread')}`}
        </span>
      </div>
      <div className={row === undefined ? 'threads-body' : 'threads-body with-detail'}>
        {rows.length === 0 ? (
          <p className="muted empty">{total === 0 ? 'No thread on this machine or in the cloud folder yet.' : 'No thread matches the search and filters.'}</p>
        ) : (
          <VirtualList
            label="Threads, newest activity first"
            className="threads-list"
            count={rows.length}
            rowHeight={ROW_HEIGHT}
            rowKey={(i) => rows[i]?.id ?? String(i)}
            renderRow={(i) => <ThreadLine row={rows[i] as ThreadRow} open={rows[i]?.id === selected} />}
            active={Math.min(active, Math.max(0, rows.length - 1))}
            onActive={onActive}
          />
        )}
        {row !== undefined && <ThreadDetail row={row} onClose={() => void open(undefined)} />}
      </div>
    </div>
  );
}

function ThreadLine({ row, open }: { row: ThreadRow; open: boolean }) {
  const title = row.title === '' ? 'Untitled thread' : row.title;
  return (
    <div className={open ? 'thread-row open' : 'thread-row'} title={`${title}${row.project === undefined ? '' : `\n${row.project}`}\n${row.standingText}`}>
      <div className="thread-main">
        <span className={row.title === '' ? 'thread-title muted' : 'thread-title'}>{title}</span>
        <span className="thread-sub">
          {row.project !== undefined && <span className="mono">{projectLabel(row.project)}</span>}
          <span>{formatIso(row.lastActivity)}</span>
          {row.archived && <span className="tag">archived</span>}
        </span>
      </div>
      <span className={`standing standing-${row.standing}`}>{row.standingText}</span>
    </div>
  );
}
