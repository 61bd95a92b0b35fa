import type { RestoreView as RestorePreview } from '../../../shared/contract.ts';
import { PathText } from '../../components/PathText.tsx';
import { formatBytes, formatLocalDateTime } from '../../format.ts';

export type RestoreTarget = 'local' | 'cloud';

/** Where a restore writes, as the windows name it in a sentence. */
export const targetName: Record<RestoreTarget, string> = { local: "this machine's Codex home", cloud: 'the cloud folder' };

/** A restore's plan, file by file: the stored version against what is there now (`withSource`: each file's snapshot too). */
export function RestorePlanTable({ items, withSource = false }: { items: RestorePreview['items']; withSource?: boolean }) {
  return (
    <table className="files">
      <thead>
        <tr>
          <th scope="col">File</th>
          {withSource && <th scope="col">From snapshot</th>}
          <th scope="col">In the snapshot</th>
          <th scope="col">There now</th>
          <th scope="col">Restore</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.path}>
            <td className="mono">
              <PathText path={item.path} />
            </td>
            {withSource && <td className="mono small">{item.from ?? ''}</td>}
            <td>
              {formatBytes(item.stored.size)} · {formatLocalDateTime(item.stored.mtimeMs)}
            </td>
            <td>{item.current === undefined ? <span className="muted">missing</span> : `${formatBytes(item.current.size)} · ${formatLocalDateTime(item.current.mtimeMs)}`}</td>
            <td>{item.action === 'restore' ? 'yes' : <span className="muted">already the same</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
