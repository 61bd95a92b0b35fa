import type { ReactNode } from 'react';
import type { AppChoices, SettingField } from '../../../shared/contract.ts';
import { draftOf, type Draft } from './drafts.ts';
import { compressionChoices, conflictChoices, equalTimeChoices, type Choice } from './plainWords.ts';

/** The config.toml keys the groups show; every other key is only under Advanced. */
export const plainKeys = [
  'identity.machine_id',
  'paths.local_state_dir',
  'paths.workspace_root_dir',
  'conflict.policy',
  'sync.equal_mtime_action',
  'backup.retention_days',
  'backup.max_backups',
  'backup.backup_before_overwrite',
  'backup.compression',
];

export interface PlainProps {
  fields: SettingField[];
  drafts: Record<string, Draft>;
  changed: Record<string, unknown>;
  problems: Record<string, string | undefined>;
  edit(key: string, draft: Draft): void;
  check(): void;
  chooseFolder(): void;
  choices: AppChoices | undefined;
  setChoice(change: Partial<AppChoices>): void;
}

/** Settings for people: five groups in plain words, each writing the same config keys as Advanced. */
export function PlainGroups(props: PlainProps) {
  const field = (key: string) => props.fields.find((f) => f.key === key);
  const draft = (key: string): Draft => {
    const f = field(key);
    return props.drafts[key] ?? (f === undefined ? '' : draftOf(f));
  };
  const text = (key: string, label: string, help: string, extra?: ReactNode) => (
    <Row key={key} id={idOf(key)} label={label} help={help} changed={key in props.changed} problem={props.problems[key]}>
      <div className="with-button">
        <input
          id={idOf(key)}
          className="mono wide"
          type="text"
          value={String(draft(key))}
          placeholder={field(key)?.optional === true ? 'not set' : undefined}
          aria-describedby={described(key, props.problems[key])}
          aria-invalid={props.problems[key] !== undefined}
          onChange={(e) => props.edit(key, e.target.value)}
          onBlur={props.check}
        />
        {extra}
      </div>
    </Row>
  );
  const number = (key: string, label: string, unit: string, help: string) => (
    <Row key={key} id={idOf(key)} label={label} help={help} changed={key in props.changed} problem={props.problems[key]}>
      <span className="with-unit">
        <input
          id={idOf(key)}
          className="mono"
          type="number"
          min={0}
          step={1}
          value={String(draft(key))}
          aria-describedby={described(key, props.problems[key])}
          aria-invalid={props.problems[key] !== undefined}
          onChange={(e) => props.edit(key, e.target.value)}
          onBlur={props.check}
        />
        <span className="muted">{unit}</span>
      </span>
    </Row>
  );
  const radios = (key: string, legend: string, choices: Choice[]) => (
    <fieldset key={key} className={`choices${key in props.changed ? ' changed' : ''}`} aria-describedby={props.problems[key] === undefined ? undefined : `${idOf(key)}-problem`}>
      <legend>{legend}</legend>
      {choices.map((c) => (
        <label key={c.value} className="choice">
          <input type="radio" name={key} value={c.value} checked={draft(key) === c.value} aria-describedby={`${idOf(key)}-${c.value}`} onChange={() => props.edit(key, c.value)} onBlur={props.check} />
          <span>
            <span className="choice-label">{c.label}</span>
            <span id={`${idOf(key)}-${c.value}`} className="help">
              {c.help}
            </span>
          </span>
        </label>
      ))}
      {props.problems[key] !== undefined && (
        <p id={`${idOf(key)}-problem`} className="problem" role="alert">
          {props.problems[key]}
        </p>
      )}
    </fieldset>
  );
  const box = (id: string, label: string, help: string, checked: boolean, onChange: (checked: boolean) => void, changed = false) => (
    <label key={id} className={`choice check${changed ? ' changed' : ''}`}>
      <input id={id} type="checkbox" checked={checked} aria-describedby={`${id}-help`} onChange={(e) => onChange(e.target.checked)} onBlur={props.check} />
      <span>
        <span className="choice-label">{label}</span>
        <span id={`${id}-help`} className="help">
          {help}
        </span>
      </span>
    </label>
  );
  const choices = props.choices;
  return (
    <>
      <fieldset className="section group">
        <legend>This machine</legend>
        {text('identity.machine_id', 'Machine name', 'How the other machine names this one, and the name on its backups and logs: letters, digits, ".", "_" or "-".')}
        {text('paths.local_state_dir', 'Codex home', 'Where Codex keeps its threads on this machine. Empty: $CODEX_HOME, else ~/.codex.')}
      </fieldset>
      <fieldset className="section group">
        <legend>Cloud folder</legend>
        {text(
          'paths.workspace_root_dir',
          'codexSync folder',
          'The folder inside your cloud folder (Dropbox, OneDrive, Google Drive, iCloud Drive, Syncthing) that carries the hand-off. Both machines must name the same one.',
          <button type="button" onClick={props.chooseFolder}>
            Choose…
          </button>,
        )}
      </fieldset>
      <fieldset className="section group">
        <legend>When to hand off</legend>
        <p className="muted">These take effect at once, on this machine only.</p>
        {choices === undefined ? (
          <p className="muted" role="status">
            Reading…
          </p>
        ) : (
          <>
            {choices.launchAtLogin === undefined ? (
              <p className="muted">Launch at login: this system has no login item codexSync can set.</p>
            ) : (
              box('app-login', 'Launch codexSync when I log in', 'It starts quietly in the tray.', choices.launchAtLogin, (checked) => props.setChoice({ launchAtLogin: checked }))
            )}
            {box(
              'app-codex-closed',
              'Hand off by itself when Codex closes',
              'When Codex exits on this machine and its files settle, codexSync hands off and tells you. Off by default.',
              choices.handOffWhenCodexCloses,
              (checked) => props.setChoice({ handOffWhenCodexCloses: checked }),
            )}
          </>
        )}
        <p className="help">
          To hand off on a timer without the app, codexSync comes with scheduler scripts: a Windows scheduled task, a macOS launch agent and a Linux systemd user timer. Their interval is under
          Advanced, in [scheduler].
        </p>
      </fieldset>
      <fieldset className="section group">
        <legend>Conflicts</legend>
        {radios('conflict.policy', 'When both machines changed the same file', conflictChoices)}
        {radios('sync.equal_mtime_action', 'When the two copies differ but carry the same time', equalTimeChoices)}
      </fieldset>
      <fieldset className="section group">
        <legend>Backups</legend>
        {box(
          idOf('backup.backup_before_overwrite'),
          'Back up a file before it is replaced',
          'Deleted files and the copy that loses a conflict are backed up either way.',
          draft('backup.backup_before_overwrite') === true,
          (checked) => props.edit('backup.backup_before_overwrite', checked),
          'backup.backup_before_overwrite' in props.changed,
        )}
        {number('backup.retention_days', 'Keep backups for', 'days', '0 keeps them however old they are.')}
        {number('backup.max_backups', 'Keep at most', 'snapshots', '0 keeps any number. The oldest go first.')}
        {radios('backup.compression', 'Keep each snapshot as', compressionChoices)}
      </fieldset>
    </>
  );
}

function idOf(key: string): string {
  return `plain-${key.replace(/\./g, '-')}`;
}

function described(key: string, problem: string | undefined): string {
  return problem === undefined ? `${idOf(key)}-help` : `${idOf(key)}-help ${idOf(key)}-problem`;
}

function Row(props: { id: string; label: string; help: string; changed: boolean; problem: string | undefined; children: ReactNode }) {
  return (
    <div className={`field${props.changed ? ' changed' : ''}`}>
      <label htmlFor={props.id}>{props.label}</label>
      <div className="control">
        {props.children}
        <p id={`${props.id}-help`} className="help">
          {props.help}
        </p>
        {props.problem !== undefined && (
          <p id={`${props.id}-problem`} className="problem" role="alert">
            {props.problem}
          </p>
        )}
      </div>
    </div>
  );
}
