import { useEffect } from 'react';
import { create } from 'zustand';
import type { ActivityView as Timeline } from '../../shared/contract.ts';
import { api, errorText } from '../api.ts';
import { Banner } from '../components/Banner.tsx';
import { formatIso } from '../format.ts';
import { cutMiddle } from './threads/threadRows.ts';
import './ActivityView.css';

type Entry = Timeline['entries'][number];

interface ActivityStore {
  timeline: Timeline | undefined;
  error: string | undefined;
  load(): Promise<void>;
}

const useActivity = create<ActivityStore>((set) => ({
  timeline: undefined,
  error: undefined,
  async load() {
    try {
      set({ timeline: await api().activity({}), error: undefined });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
}));

/** Thread titles named per entry; the rest are counted. */
const TITLES_SHOWN = 5;

export function ActivityView() {
  const { timeline, error, load } = useActivity();
  useEffect(() => {
    void load();
  }, [load]);
  if (error !== undefined) return <Banner tone="error">{error}</Banner>;
  if (timeline === undefined)
    return (
      <p className="muted" role="status">
        Reading the hand-offs…
      </p>
    );
  return (
    <div className="activity">
      {timeline.unreadable.map((text) => (
        <Banner key={text} tone="warning">
          {text}
        </Banner>
      ))}
      {timeline.entries.length === 0 ? (
        <Banner tone="info" title="No hand-offs yet">
          Each machine's latest hand-off and this machine's backups show here once there are some.
        </Banner>
      ) : (
        <ol className="timeline" aria-label="Hand-offs and backups, newest first">
          {timeline.entries.map((entry) => (
            <ActivityItem key={`${entry.kind}-${entry.machine}-${entry.at}-${entry.snapshot ?? ''}`} entry={entry} />
          ))}
        </ol>
      )}
    </div>
  );
}

function ActivityItem({ entry }: { entry: Entry }) {
  const shown = entry.threads.slice(0, TITLES_SHOWN);
  const more = entry.threads.length - shown.length;
  return (
    <li className={`event event-${entry.kind}${entry.mine ? ' event-mine' : ''}`}>
      <span className="marker" aria-hidden="true" />
      <div className="event-body">
        <p className="event-head">
          <time dateTime={entry.at}>{formatIso(entry.at)}</time>
          <span className={`machine${entry.mine ? ' machine-mine' : ''}`}>{entry.mine ? 'this machine' : entry.machine}</span>
          <strong>{entry.headline}</strong>
        </p>
        <p className="muted small">{entry.detail}</p>
        {shown.length > 0 && (
          <ul className="event-threads">
            {shown.map((thread) => (
              <li key={thread.id} title={thread.title === '' ? thread.id : thread.title}>
                {thread.title === '' ? <span className="mono small">{thread.id}</span> : cutMiddle(thread.title, 90)}
                {thread.turns !== undefined && <span className="muted small"> · {thread.turns === 1 ? '1 turn' : `${thread.turns} turns`}</span>}
              </li>
            ))}
            {more > 0 && <li className="muted">and {more} more</li>}
          </ul>
        )}
        {entry.snapshot !== undefined && (
          <p className="event-actions">
            <a href={`#/restore?snapshot=${encodeURIComponent(entry.snapshot)}`}>{entry.kind === 'handoff' ? 'Restore from the backup it made' : 'Restore from this backup'}</a>
            <span className="mono small muted">{entry.snapshot}</span>
          </p>
        )}
      </div>
    </li>
  );
}
