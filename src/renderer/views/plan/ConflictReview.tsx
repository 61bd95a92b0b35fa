import { useState } from 'react';
import type { ConflictChoice, ConflictView, PlanView } from '../../../shared/contract.ts';
import { PathText } from '../../components/PathText.tsx';
import { formatBytes, formatLocalDateTime, nameOf, plural } from '../../format.ts';
import { usePlan } from './planStore.ts';

const PAGE = 50;

export function choiceLabel(choice: ConflictChoice, conflict: Pick<ConflictView, 'path' | 'cloudMachine'>): string {
  switch (choice) {
    case 'keep-local':
      return "Keep this machine's version";
    case 'take-cloud':
      return "Take the cloud's version";
    case 'keep-both':
      return `Keep both (the cloud's as "${bothName(conflict)}")`;
    case 'merge-lines':
      return 'Merge the lines of both';
  }
}

function bothName(conflict: Pick<ConflictView, 'path' | 'cloudMachine'>): string {
  const name = nameOf(conflict.path);
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return `${stem} (cloud from ${conflict.cloudMachine ?? 'another machine'})${ext}`;
}

const everyChoice: ConflictChoice[] = ['keep-local', 'take-cloud', 'keep-both', 'merge-lines'];
const allLabels: Record<ConflictChoice, string> = {
  'keep-local': 'This machine',
  'take-cloud': 'Cloud',
  'keep-both': 'Both',
  'merge-lines': 'Merge lines (JSONL)',
};

export function ConflictReview({ plan }: { plan: PlanView }) {
  const { chooseForAll } = usePlan();
  const [shown, setShown] = useState(PAGE);
  const conflicts = plan.conflicts;
  return (
    <section className="conflicts" aria-labelledby="conflicts-title">
      <h2 id="conflicts-title">Conflicts ({conflicts.length})</h2>
      <p className="muted">These files changed on this machine and in the cloud since the last hand-off. Choose what to keep for each; the version not kept is backed up first.</p>
      <div className="toolbar" role="group" aria-label="Apply one choice to every conflict">
        <span>Apply to all:</span>
        {everyChoice
          .filter((choice) => conflicts.some((c) => c.choices.includes(choice)))
          .map((choice) => (
            <button key={choice} type="button" onClick={() => chooseForAll(choice)}>
              {allLabels[choice]}
            </button>
          ))}
      </div>
      {conflicts.slice(0, shown).map((conflict) => (
        <ConflictCard key={conflict.path} conflict={conflict} />
      ))}
      {conflicts.length > shown && (
        <button type="button" onClick={() => setShown(shown + PAGE)}>
          Show {Math.min(PAGE, conflicts.length - shown)} more of {conflicts.length - shown} conflicts
        </button>
      )}
    </section>
  );
}

function ConflictCard({ conflict }: { conflict: ConflictView }) {
  const { choices, choose } = usePlan();
  const chosen = choices[conflict.path];
  const policy = conflict.settled === undefined ? undefined : conflict.settled.winner === 'local' ? 'keep-local' : 'take-cloud';
  const current = chosen ?? policy;
  const id = `conflict-${conflict.path.replace(/[^A-Za-z0-9]/g, '-')}`;
  return (
    <article className="conflict" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="mono">
        <PathText path={conflict.path} />
      </h3>
      <p className="muted">{conflict.why}</p>
      <div className="sides">
        <Side
          title="This machine"
          stat={conflict.local}
          lines={conflict.preview.kind === 'lines' ? conflict.preview.local : undefined}
          more={conflict.preview.kind === 'lines' ? conflict.preview.moreLocal : 0}
          format={conflict.preview.kind === 'lines' ? conflict.preview.format : undefined}
        />
        <Side
          title={`Cloud (from ${conflict.cloudMachine ?? 'another machine'})`}
          stat={conflict.cloud}
          lines={conflict.preview.kind === 'lines' ? conflict.preview.cloud : undefined}
          more={conflict.preview.kind === 'lines' ? conflict.preview.moreCloud : 0}
          format={conflict.preview.kind === 'lines' ? conflict.preview.format : undefined}
        />
      </div>
      {conflict.preview.kind === 'none' && <p className="muted">{conflict.preview.why}</p>}
      {conflict.choices.length === 0 ? (
        <p className="note">This conflict cannot be settled here: rename or remove one of the files, then plan again.</p>
      ) : (
        <fieldset className="choices">
          <legend>Keep</legend>
          {conflict.choices.map((choice) => (
            <label key={choice}>
              <input type="radio" name={id} value={choice} checked={current === choice} onChange={() => choose(conflict.path, choice)} />
              {choiceLabel(choice, conflict)}
              {chosen === undefined && policy === choice && <span className="muted"> (conflict.policy)</span>}
            </label>
          ))}
        </fieldset>
      )}
    </article>
  );
}

function Side(props: {
  title: string;
  stat: { size: number; mtimeMs: number } | undefined;
  lines: Array<{ n: number; text: string }> | undefined;
  more: number;
  format: 'text' | 'jsonl' | undefined;
}) {
  return (
    <section className="side" aria-label={props.title}>
      <h4>{props.title}</h4>
      {props.stat === undefined ? (
        <p className="muted">Missing here</p>
      ) : (
        <p className="facts">
          {formatBytes(props.stat.size)} · modified {formatLocalDateTime(props.stat.mtimeMs)}
        </p>
      )}
      {props.lines !== undefined && (
        <>
          <p className="muted small">
            {props.format === 'jsonl' ? `Lines only this side has (${plural(props.lines.length + props.more, 'line')})` : `Lines that differ (${plural(props.lines.length + props.more, 'line')})`}
          </p>
          <pre className="diff" tabIndex={0} aria-label={`${props.title}: differing lines`}>
            {props.lines.length === 0 ? (
              <span className="muted">(none)</span>
            ) : (
              props.lines.map((line) => (
                <span key={line.n} className="diff-line">
                  <span className="ln" aria-hidden="true">
                    {line.n}
                  </span>
                  {line.text}
                  {'\n'}
                </span>
              ))
            )}
            {props.more > 0 && <span className="muted">… {plural(props.more, 'more line')}</span>}
          </pre>
        </>
      )}
    </section>
  );
}
