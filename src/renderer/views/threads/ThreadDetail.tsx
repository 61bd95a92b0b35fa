import { useEffect, useState } from 'react';
import type { ThreadDetailView, ThreadRow } from '../../../shared/contract.ts';
import { Banner } from '../../components/Banner.tsx';
import { PathText } from '../../components/PathText.tsx';
import { formatBytes, formatIso, plural } from '../../format.ts';
import { useThreads } from './threadsStore.ts';

/** One thread: where it stands, its turns (prompt and time), its resume command and its files. */
export function ThreadDetail({ row, onClose }: { row: ThreadRow; onClose: () => void }) {
  const { detail, detailError } = useThreads();
  const [copied, setCopied] = useState<'copied' | 'failed' | undefined>(undefined);
  const [showFiles, setShowFiles] = useState(false);
  useEffect(() => {
    setCopied(undefined);
    setShowFiles(false);
  }, [row.id]);
  const command = `codex resume ${row.id}`;
  const copy = async (): Promise<void> => setCopied((await copyText(command)) ? 'copied' : 'failed');
  const shown = detail?.id === row.id ? detail : undefined;
  return (
    <section className="thread-detail" aria-labelledby="thread-detail-title">
      <div className="detail-head">
        <h2 id="thread-detail-title" title={row.title}>
          {row.title === '' ? 'Untitled thread' : row.title}
        </h2>
        <button type="button" className="icon" aria-label="Close the thread's detail" title="Close" onClick={onClose}>
          ✕
        </button>
      </div>
      <p className="detail-badges">
        <span className={`standing standing-${row.standing}`}>{row.standingText}</span>
        {row.archived && <span className="tag">archived</span>}
      </p>
      <dl className="detail-facts">
        {row.project !== undefined && (
          <div>
            <dt>Project</dt>
            <dd className="mono">
              <PathText path={row.project} />
            </dd>
          </div>
        )}
        <div>
          <dt>Last activity</dt>
          <dd>{formatIso(row.lastActivity)}</dd>
        </div>
        <div>
          <dt>Thread id</dt>
          <dd className="mono">{row.id}</dd>
        </div>
      </dl>
      <div className="actions">
        <button type="button" onClick={() => void copy()}>
          Copy <code>{command}</code>
        </button>
        <button type="button" aria-expanded={showFiles} aria-controls="thread-files" onClick={() => setShowFiles(!showFiles)}>
          {showFiles ? 'Hide files' : 'Show files'}
        </button>
      </div>
      <p className="muted small" role="status">
        {copied === 'copied' ? `Copied: ${command}` : copied === 'failed' ? 'The clipboard cannot be written here: select the command above and copy it.' : ''}
      </p>
      {detailError !== undefined && <Banner tone="error">{detailError}</Banner>}
      {shown === undefined ? detailError === undefined && <p className="muted">Reading its turns…</p> : <Turns detail={shown} showFiles={showFiles} />}
    </section>
  );
}

function Turns({ detail, showFiles }: { detail: ThreadDetailView; showFiles: boolean }) {
  return (
    <>
      {showFiles && (
        <div id="thread-files" className="thread-files">
          {detail.sides.map((side) => (
            <div key={side.side}>
              <h3>{side.label}</h3>
              {side.problem !== undefined && <p className="note">Cannot be read: {side.problem}</p>}
              <ul className="plain">
                {side.files.map((file) => (
                  <li key={file.path}>
                    <PathText path={file.fullPath} />
                    <span className="muted">
                      {' '}
                      {formatBytes(file.size)}, {formatIso(file.modified)}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      )}
      {detail.relation !== undefined && <p>{detail.relation}</p>}
      <h3>Turns ({detail.turns.length})</h3>
      <ol className="turns">
        {detail.turns.map((turn) => (
          <li key={`${turn.on}-${turn.index}`} className={`turn on-${turn.on}`}>
            <div className="turn-meta">
              <span>{turn.startedAt === undefined ? 'time unknown' : formatIso(turn.startedAt)}</span>
              {turn.on !== 'both' && <span className="tag">{turn.on === 'local' ? 'only on this machine' : 'only in the cloud folder'}</span>}
            </div>
            <p className={turn.prompt === '' ? 'muted' : undefined}>{turn.prompt === '' ? '(no text: an image, or an interrupted start)' : turn.prompt}</p>
          </li>
        ))}
      </ol>
      {detail.turns.length === 0 && <p className="muted">{plural(0, 'turn')} could be read.</p>}
    </>
  );
}

/** The clipboard of the page (the app's windows and the e2e host both allow it). */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
