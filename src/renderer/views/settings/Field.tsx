import type { SettingField } from '../../../shared/contract.ts';
import type { Draft } from './drafts.ts';

/** One setting: its label, the control for its kind, its help and its problem. */
export function Field(props: { field: SettingField; draft: Draft; changed: boolean; problem: string | undefined; onEdit: (draft: Draft) => void; onBlur: () => void }) {
  const { field, draft, problem } = props;
  const id = `field-${field.key.replace(/\./g, '-')}`;
  const described = [field.help === '' ? undefined : `${id}-help`, problem === undefined ? undefined : `${id}-problem`].filter(Boolean).join(' ') || undefined;
  const common = { id, 'aria-describedby': described, 'aria-invalid': problem !== undefined, onBlur: props.onBlur };
  const placeholder = field.optional ? `not set${field.defaultValue === undefined ? '' : `: ${String(field.defaultValue)}`}` : undefined;
  let control;
  switch (field.kind) {
    case 'boolean':
      control = <input type="checkbox" {...common} checked={draft === true} onChange={(e) => props.onEdit(e.target.checked)} />;
      break;
    case 'enum':
      control = (
        <select {...common} value={String(draft)} onChange={(e) => props.onEdit(e.target.value)}>
          {(field.options ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
      break;
    case 'fixed':
      control = (
        <output id={id} className="mono">
          {String(draft)}
        </output>
      );
      break;
    case 'list':
    case 'map-string':
    case 'map-boolean':
      control = (
        <textarea
          {...common}
          className="mono"
          rows={Math.min(8, Math.max(2, String(draft).split('\n').length + 1))}
          value={String(draft)}
          placeholder={field.kind === 'list' ? 'one per line' : 'key = value, one per line'}
          onChange={(e) => props.onEdit(e.target.value)}
        />
      );
      break;
    default:
      control = (
        <input
          {...common}
          className={field.kind === 'string' ? 'mono wide' : 'mono'}
          type={field.kind === 'string' ? 'text' : 'number'}
          step={field.kind === 'integer' ? 1 : 'any'}
          value={String(draft)}
          placeholder={placeholder}
          onChange={(e) => props.onEdit(e.target.value)}
        />
      );
  }
  return (
    <div className={`field field-${field.kind}${props.changed ? ' changed' : ''}`}>
      <label htmlFor={id} className="mono">
        {field.name}
        {props.changed && <span className="sr-only"> (changed)</span>}
      </label>
      <div className="control">
        {control}
        {field.help !== '' && (
          <p id={`${id}-help`} className="help">
            {field.help}
          </p>
        )}
        {problem !== undefined && (
          <p id={`${id}-problem`} className="problem" role="alert">
            {problem}
          </p>
        )}
      </div>
    </div>
  );
}
