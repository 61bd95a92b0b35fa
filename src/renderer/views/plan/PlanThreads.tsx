import { PathText } from '../../components/PathText.tsx';
import { useState } from 'react';
import type { PlanView } from '../../../shared/contract.ts';
import { VirtualList } from '../../components/VirtualList.tsx';
import { plural } from '../../format.ts';
import { cutMiddle, projectLabel } from '../threads/threadRows.ts';
import '../ThreadsView.css';

const ROW_HEIGHT = 52;

/** The plan's changes by thread, title first; the rollout files of the selected thread on demand. */
export function PlanThreads({ threads }: { threads: PlanView['threads'] }) {
  const [active, setActive] = useState(0);
  const current = threads[Math.min(active, threads.length - 1)];
  return (
    <section className="plan-threads" aria-labelledby="plan-threads-title">
      <h2 id="plan-threads-title">Threads ({threads.length.toLocaleString('en')})</h2>
      <VirtualList
        label="Threads this plan changes"
        className="plan-threads-list"
        count={threads.length}
        rowHeight={ROW_HEIGHT}
        rowKey={(i) => threads[i]?.id ?? String(i)}
        renderRow={(i) => {
          const thread = threads[i] as PlanView['threads'][number];
          const title = thread.title === thread.id ? 'Untitled thread' : thread.title;
          return (
            <div className="thread-row" title={`${title}${thread.project === undefined ? '' : `\n${thread.project}`}\n${thread.text}`}>
              <div className="thread-main">
                <span className="thread-title">{title}</span>
                <span className="thread-sub">{thread.project !== undefined && <span className="mono">{projectLabel(thread.project)}</span>}</span>
              </div>
              <span className={`change change-${thread.from}`}>{thread.text}</span>
            </div>
          );
        }}
        active={Math.min(active, Math.max(0, threads.length - 1))}
        onActive={setActive}
      />
      {current !== undefined && current.paths.length > 0 && (
        <details className="thread-paths">
          <summary>
            Files of “{current.title === current.id ? 'Untitled thread' : cutMiddle(current.title, 60)}” ({plural(current.paths.length, 'file')})
          </summary>
          <ul className="plain">
            {current.paths.map((path) => (
              <li key={path}>
                <PathText path={path} />
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
