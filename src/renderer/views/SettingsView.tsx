import { useEffect, useMemo } from 'react';
import { create } from 'zustand';
import type { DoctorView, ResponseOf, SettingField, SettingValue } from '../../shared/contract.ts';
import { api, errorText } from '../api.ts';
import { Banner } from '../components/Banner.tsx';

type Draft = string | boolean;
type Saved = ResponseOf<'writeSettings'>;

interface SettingsStore {
  read: ResponseOf<'readSettings'> | undefined;
  drafts: Record<string, Draft>;
  problems: Saved['problems'];
  warnings: string[];
  saved: Saved | undefined;
  doctor: DoctorView | undefined;
  error: string | undefined;
  busy: boolean;
  load(): Promise<void>;
  edit(key: string, draft: Draft): void;
  check(): Promise<void>;
  save(): Promise<void>;
  revert(): void;
  runDoctor(): Promise<void>;
}

/** What a form control holds, as the text or box the user sees. */
export function draftOf(field: SettingField): Draft {
  const value = field.value ?? (field.optional ? undefined : field.defaultValue);
  switch (field.kind) {
    case 'boolean':
      return value === true;
    case 'list':
      return Array.isArray(value) ? value.join('\n') : '';
    case 'map-string':
    case 'map-boolean':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? Object.entries(value)
            .map(([k, v]) => `${k} = ${String(v)}`)
            .join('\n')
        : '';
    default:
      return value === undefined ? '' : String(value);
  }
}

/** The value a draft stands for, null to remove an optional key, or why it cannot be one. */
export function valueOf(field: SettingField, draft: Draft): { value: SettingValue | null } | { problem: string } {
  if (typeof draft === 'boolean') return { value: draft };
  const text = draft.trim();
  switch (field.kind) {
    case 'number':
    case 'integer': {
      if (text === '' && field.optional) return { value: null };
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) return { problem: 'must be a number' };
      if (field.kind === 'integer' && !Number.isInteger(n)) return { problem: 'must be a whole number' };
      return { value: n };
    }
    case 'list':
      return {
        value: draft
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== ''),
      };
    case 'map-string':
    case 'map-boolean': {
      const map: Record<string, string | boolean> = {};
      for (const [i, line] of draft.split('\n').entries()) {
        if (line.trim() === '') continue;
        const at = line.indexOf('=');
        if (at === -1) return { problem: `line ${i + 1}: write it as key = value` };
        const key = unquote(line.slice(0, at));
        const raw = unquote(line.slice(at + 1));
        if (key === '') return { problem: `line ${i + 1}: the key is empty` };
        if (field.kind === 'map-boolean') {
          if (raw !== 'true' && raw !== 'false') return { problem: `line ${i + 1}: the value must be true or false` };
          map[key] = raw === 'true';
        } else map[key] = raw;
      }
      return { value: map };
    }
    case 'string':
      return text === '' && field.optional ? { value: null } : { value: draft };
    default:
      return { value: draft };
  }
}

function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) ? t.slice(1, -1) : t;
}

/** Changed values to send, and the problems the form itself sees (a number that is not one). */
function changes(read: ResponseOf<'readSettings'> | undefined, drafts: Record<string, Draft>): { values: Record<string, SettingValue | null>; local: Record<string, string> } {
  const values: Record<string, SettingValue | null> = {};
  const local: Record<string, string> = {};
  for (const field of read?.fields ?? []) {
    const draft = drafts[field.key];
    if (draft === undefined) continue;
    const converted = valueOf(field, draft);
    if ('problem' in converted) local[field.key] = converted.problem;
    else if (JSON.stringify(converted.value) !== JSON.stringify(field.value ?? null)) values[field.key] = converted.value;
  }
  return { values, local };
}

const useSettings = create<SettingsStore>((set, get) => ({
  read: undefined,
  drafts: {},
  problems: [],
  warnings: [],
  saved: undefined,
  doctor: undefined,
  error: undefined,
  busy: false,
  async load() {
    try {
      const read = await api().readSettings({});
      set({ read, drafts: {}, problems: [], warnings: read.warnings, error: undefined });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  edit(key, draft) {
    set({ drafts: { ...get().drafts, [key]: draft }, saved: undefined });
  },
  async check() {
    const { values, local } = changes(get().read, get().drafts);
    if (Object.keys(local).length > 0) return;
    try {
      const result = await api().writeSettings({ values, dryRun: true });
      set({ problems: result.problems, warnings: result.warnings });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async save() {
    const { values, local } = changes(get().read, get().drafts);
    if (Object.keys(local).length > 0) return;
    set({ busy: true, saved: undefined });
    try {
      const result = await api().writeSettings({ values, dryRun: false });
      set({ problems: result.problems, warnings: result.warnings });
      if (result.saved) {
        await get().load();
        set({ saved: result, warnings: result.warnings });
      }
    } catch (error) {
      set({ error: errorText(error) });
    } finally {
      set({ busy: false });
    }
  },
  revert: () => set({ drafts: {}, problems: [], saved: undefined }),
  async runDoctor() {
    set({ doctor: undefined });
    try {
      set({ doctor: await api().doctor({}) });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
}));

export function SettingsView() {
  const { read, drafts, problems, warnings, saved, doctor, error, busy, load, edit, check, save, revert, runDoctor } = useSettings();
  useEffect(() => {
    void load();
  }, [load]);
  const { values, local } = useMemo(() => changes(read, drafts), [read, drafts]);
  const sections = useMemo(() => {
    const map = new Map<string, SettingField[]>();
    for (const field of read?.fields ?? []) map.set(field.section, [...(map.get(field.section) ?? []), field]);
    return [...map.entries()];
  }, [read]);
  if (read === undefined)
    return error === undefined ? (
      <p className="muted" role="status">
        Reading config.toml…
      </p>
    ) : (
      <Banner tone="error">{error}</Banner>
    );
  const byKey = new Map(problems.filter((p) => p.key !== undefined).map((p) => [p.key as string, p.message]));
  const general = problems.filter((p) => p.key === undefined || !read.fields.some((f) => f.key === p.key));
  const changed = Object.keys(values).length;
  return (
    <form
      className="settings"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p className="muted">
        <span className="mono">{read.file}</span>
        {read.exists ? '' : ': not there yet. These are the defaults of a new config; Save creates it.'}
      </p>
      {error !== undefined && <Banner tone="error">{error}</Banner>}
      {saved !== undefined && (
        <Banner tone="success" title={`Saved to ${saved.file}`}>
          {saved.method === 'in-place'
            ? 'Only the changed lines were rewritten; your comments are kept.'
            : saved.method === 'created'
              ? 'A new config.toml was written.'
              : `Its comments could not be kept: the old file was backed up as ${saved.backup ?? ''}.`}
        </Banner>
      )}
      {general.length > 0 && (
        <Banner tone="error" title="Not saved">
          <ul>
            {general.map((p, i) => (
              <li key={i}>{p.message}</li>
            ))}
          </ul>
        </Banner>
      )}
      {read.problems.length > 0 && problems.length === 0 && changed === 0 && (
        <Banner tone="warning" title="The config has problems">
          <ul>
            {read.problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </Banner>
      )}
      {warnings.length > 0 && (
        <details className="notices">
          <summary>{warnings.length === 1 ? '1 warning' : `${warnings.length} warnings`}</summary>
          <ul>
            {warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </details>
      )}
      {sections.map(([section, fields]) => (
        <fieldset key={section} className="section">
          <legend className="mono">[{section}]</legend>
          {fields.map((field) => (
            <Field
              key={field.key}
              field={field}
              draft={drafts[field.key] ?? draftOf(field)}
              changed={field.key in values}
              problem={local[field.key] ?? byKey.get(field.key)}
              onEdit={(d) => edit(field.key, d)}
              onBlur={() => void check()}
            />
          ))}
        </fieldset>
      ))}
      <div className="applybar">
        <span className="muted">{changed === 0 ? (read.exists ? 'No changes.' : 'Save to create config.toml.') : `${changed === 1 ? '1 change' : `${changed} changes`} not saved.`}</span>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || Object.keys(local).length > 0 || (changed === 0 && read.exists)}>
            Save
          </button>
          <button type="button" onClick={revert} disabled={changed === 0}>
            Revert
          </button>
          <button type="button" onClick={() => void runDoctor()} disabled={!read.exists}>
            Check setup
          </button>
        </div>
      </div>
      {doctor !== undefined && (
        <section aria-labelledby="doctor-title" className="doctor">
          <h2 id="doctor-title">
            Setup check: {doctor.summary.PASS} passed, {doctor.summary.WARN} warnings, {doctor.summary.FAIL} failed
          </h2>
          <ul className="plain">
            {doctor.checks.map((c, i) => (
              <li key={i}>
                <span className={`badge badge-${c.status}`}>{c.status}</span> <strong>{c.name}</strong>: {c.detail}
              </li>
            ))}
          </ul>
        </section>
      )}
    </form>
  );
}

function Field(props: { field: SettingField; draft: Draft; changed: boolean; problem: string | undefined; onEdit: (draft: Draft) => void; onBlur: () => void }) {
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
