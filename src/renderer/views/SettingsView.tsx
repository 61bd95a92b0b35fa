import { useEffect, useMemo, useState } from 'react';
import type { SettingField } from '../../shared/contract.ts';
import { Banner } from '../components/Banner.tsx';
import { PathText } from '../components/PathText.tsx';
import { DoctorChecks } from '../components/DoctorChecks.tsx';
import { changes, draftOf } from './settings/drafts.ts';
import { Field } from './settings/Field.tsx';
import { PlainGroups, plainKeys } from './settings/PlainGroups.tsx';
import { useSettings } from './settings/settingsStore.ts';
import './SettingsView.css';

export function SettingsView() {
  const { read, drafts, problems, warnings, saved, doctor, error, busy, choices, load, edit, check, save, revert, runDoctor, setChoice, chooseFolder } = useSettings();
  const [advancedOpen, setAdvancedOpen] = useState(false);
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
  // A problem with a key only Advanced shows opens Advanced, so that it is seen beside its field.
  const advancedProblem = [...Object.keys(local), ...byKey.keys()].some((key) => !plainKeys.includes(key));
  return (
    <form
      className="settings"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p className="muted file-line">
        <PathText path={read.file} />
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
      <PlainGroups
        fields={read.fields}
        drafts={drafts}
        changed={values}
        problems={Object.fromEntries(plainKeys.map((key) => [key, local[key] ?? byKey.get(key)]))}
        edit={edit}
        check={() => void check()}
        chooseFolder={() => void chooseFolder()}
        choices={choices}
        setChoice={(change) => void setChoice(change)}
      />
      <details className="advanced" open={advancedOpen || advancedProblem} onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}>
        <summary>Advanced: every key of config.toml</summary>
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
      </details>
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
      {doctor !== undefined && <DoctorChecks doctor={doctor} />}
    </form>
  );
}
