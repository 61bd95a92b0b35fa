import { PathText } from '../../components/PathText.tsx';
import { useEffect, useState } from 'react';
import type { RestoreView as RestorePreview, SnapshotThreadsView } from '../../../shared/contract.ts';
import { api, errorText } from '../../api.ts';
import { Banner } from '../../components/Banner.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { formatBytes, formatIso, plural } from '../../format.ts';
import { cutMiddle } from '../threads/threadRows.ts';

type Thread = SnapshotThreadsView['threads'][number];
type Version = Thread['versions'][number];

const sideName = { local: 'this machine', cloud: 'the cloud folder' } as const;

/** Restore by thread: a thread of this machine's snapshots, its versions, and one of them put back. */
export function ThreadRestore() {
  const [threads, setThreads] = useState<Thread[] | undefined>(undefined);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [asking, setAsking] = useState<{ version: Version; preview: RestorePreview } | undefined>(undefined);
  const [result, setResult] = useState<RestorePreview | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const load = async (): Promise<void> => {
    try {
      const view = await api().snapshotThreads({});
      setThreads(view.threads);
      setSelected((current) => current ?? view.threads[0]?.id);
    } catch (e) {
      setError(errorText(e));
      setThreads([]);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const request = (version: Version, apply: boolean) => api().restore({ name: version.snapshot, target: version.side, apply, paths: [version.path] });
  const ask = async (version: Version): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      setAsking({ version, preview: await request(version, false) });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const confirm = async (): Promise<void> => {
    if (asking === undefined) return;
    const { version } = asking;
    setAsking(undefined);
    setBusy(true);
    try {
      setResult(await request(version, true));
      await load();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (threads === undefined)
    return (
      <p className="muted" role="status">
        Reading the threads in this machine's backups…
      </p>
    );
  const thread = threads.find((t) => t.id === selected);
  const toRestore = asking?.preview.items.filter((i) => i.action === 'restore').length ?? 0;
  return (
    <>
      {error !== undefined && <Banner tone="error">{error}</Banner>}
      {result !== undefined && <Banner tone={result.failures.length === 0 ? 'success' : 'warning'} title={result.message} />}
      {threads.length === 0 ? (
        <Banner tone="info" title="No threads in the backups yet">
          A backup holds a thread once a hand-off replaced one of its versions.
        </Banner>
      ) : (
        <div className="split">
          <section aria-labelledby="backup-threads-title" className="pane">
            <h2 id="backup-threads-title">Threads in the backups</h2>
            <fieldset className="thread-pick">
              <legend className="sr-only">Thread</legend>
              {threads.map((t) => (
                <label key={t.id} className={t.id === selected ? 'selected' : undefined} title={t.title === '' ? t.id : t.title}>
                  <input type="radio" name="thread" value={t.id} checked={t.id === selected} onChange={() => setSelected(t.id)} />
                  <span>
                    <span className="thread-title">{t.title === '' ? <span className="mono">{t.id}</span> : cutMiddle(t.title, 80)}</span>
                    <span className="muted small">{plural(t.versions.length, 'version')}</span>
                  </span>
                </label>
              ))}
            </fieldset>
          </section>
          {thread !== undefined && (
            <section aria-labelledby="versions-title" className="pane">
              <h2 id="versions-title" title={thread.title}>
                Versions of {thread.title === '' ? thread.id : cutMiddle(thread.title, 60)}
              </h2>
              <table className="versions">
                <thead>
                  <tr>
                    <th scope="col">Backed up</th>
                    <th scope="col">Machine</th>
                    <th scope="col">Turns</th>
                    <th scope="col">Size</th>
                    <th scope="col">
                      <span className="sr-only">Restore</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {thread.versions.map((v) => (
                    <tr key={`${v.snapshot}/${v.side}/${v.path}`}>
                      <td>
                        {formatIso(v.createdAt)}
                        <div className="mono small muted">{v.snapshot}</div>
                      </td>
                      <td>
                        {v.machine}
                        <div className="small muted">{sideName[v.side]}</div>
                      </td>
                      <td>{v.turnCount ?? <span className="muted">unreadable</span>}</td>
                      <td className="nowrap">{formatBytes(v.size)}</td>
                      <td>
                        <button type="button" disabled={busy} aria-label={`Restore the version of ${formatIso(v.createdAt)}`} onClick={() => void ask(v)}>
                          Restore…
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </div>
      )}
      <ConfirmDialog open={asking !== undefined} title="Restore this version?" confirmLabel="Restore" onConfirm={() => void confirm()} onCancel={() => setAsking(undefined)}>
        {asking !== undefined && (
          <>
            <p>
              {toRestore === 0
                ? `This version is already the one in ${sideName[asking.version.side]}: nothing to restore.`
                : `Put back the version of ${formatIso(asking.version.createdAt)} (${asking.version.turnCount === undefined ? 'turns unknown' : plural(asking.version.turnCount, 'turn')}) into ${sideName[asking.version.side]}?`}
            </p>
            <p className="small">
              <PathText path={asking.version.path} />
            </p>
            <p>The version there now is backed up first, in a new snapshot. Codex must be closed.</p>
          </>
        )}
      </ConfirmDialog>
    </>
  );
}
