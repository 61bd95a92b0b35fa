import { useEffect } from 'react';
import type { SetupView as Facts } from '../../shared/contract.ts';
import { Banner } from '../components/Banner.tsx';
import { DoctorChecks } from '../components/DoctorChecks.tsx';
import { PathText } from '../components/PathText.tsx';
import { useSetup } from './setup/setupStore.ts';
import './SetupView.css';

/** First run: where Codex and the cloud folder are, this machine's name, what travels; then config.toml and the doctor's checks. */
export function SetupView() {
  const { facts, folder, picked, machineId, error, busy, written, doctor, load, choose, pick, setMachineId, write } = useSetup();
  useEffect(() => {
    void load();
  }, [load]);
  if (facts === undefined)
    return error === undefined ? (
      <p className="muted" role="status">
        Looking at this machine…
      </p>
    ) : (
      <Banner tone="error">{error}</Banner>
    );
  if (written !== undefined) return <SetupDone written={written} doctor={doctor} error={error} />;
  if (facts.configExists)
    return (
      <Banner tone="info" title="codexSync is set up on this machine">
        Its settings are in <PathText path={facts.configFile} />. <a href="#/settings">Open Settings</a> to change them.
      </Banner>
    );
  const options = [...facts.cloudFolders.map((f) => ({ label: f.label, path: f.path })), ...(picked === undefined ? [] : [{ label: 'Chosen folder', path: picked }])];
  return (
    <form
      className="setup"
      onSubmit={(e) => {
        e.preventDefault();
        void write();
      }}
    >
      <p className="lead">codexSync hands your Codex threads to your other machines through a folder your cloud client already syncs, while Codex is closed.</p>
      <CodexHome home={facts.codexHome} />
      <fieldset className="section">
        <legend>Cloud folder</legend>
        {options.length === 0 ? (
          <p className="muted">No cloud folder was found on this machine (Dropbox, OneDrive, Google Drive, iCloud Drive, Syncthing). Choose the folder your cloud client syncs.</p>
        ) : (
          <div className="choices" role="radiogroup" aria-label="Cloud folder">
            {options.map((o) => (
              <label key={o.path} className="choice">
                <input type="radio" name="cloud-folder" value={o.path} checked={folder === o.path} onChange={() => choose(o.path)} />
                <span>
                  <strong>{o.label}</strong>{' '}
                  <span className="mono small" title={o.path}>
                    <PathText path={o.path} />
                  </span>
                </span>
              </label>
            ))}
          </div>
        )}
        <p>
          <button type="button" onClick={() => void pick()}>
            Choose another folder…
          </button>
        </p>
        {folder !== undefined && (
          <p className="muted small">
            codexSync keeps its files in <PathText path={`${folder}/${facts.workspaceFolder}`} />.
          </p>
        )}
      </fieldset>
      <fieldset className="section">
        <legend>This machine</legend>
        <label className="machine">
          <span>Machine name</span>
          <input type="text" value={machineId} onChange={(e) => setMachineId(e.target.value)} spellCheck={false} autoComplete="off" aria-describedby="machine-help" />
        </label>
        <p id="machine-help" className="muted small">
          Names this machine's hand-offs, backups and logs; give every machine its own.
        </p>
        <p className="muted small">
          Settings file: <PathText path={facts.configFile} />
        </p>
      </fieldset>
      <Scope facts={facts} />
      <div className="applybar">
        {/* In the bar beside the button, so that the one line is in view where the click was. */}
        {error !== undefined && (
          <div className="setup-error">
            <Banner tone="error">{error}</Banner>
          </div>
        )}
        <span className="muted" title={facts.configFile}>
          Writes only config.toml; nothing else changes.
        </span>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            Write config.toml
          </button>
        </div>
      </div>
    </form>
  );
}

function CodexHome({ home }: { home: Facts['codexHome'] }) {
  const where = home.fromEnv ? ' (from CODEX_HOME)' : '';
  return (
    <fieldset className="section">
      <legend>Codex on this machine</legend>
      <p>
        <PathText path={home.path} />
        {where}:{' '}
        {!home.exists ? (
          <span className="warn-text">not there yet. Start Codex once on this machine, or hand off to it from another.</span>
        ) : home.holdsSessions ? (
          'holds Codex threads.'
        ) : (
          'no threads yet.'
        )}
      </p>
    </fieldset>
  );
}

function Scope({ facts }: { facts: Facts }) {
  return (
    <div className="scope">
      <fieldset className="section">
        <legend>What travels</legend>
        <ul className="plain">
          {facts.travels.map((t) => (
            <li key={t.name}>
              <span className="mono">{t.name}</span>: {t.why}
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset className="section">
        <legend>What never leaves this machine</legend>
        <ul className="plain">
          {facts.stays.map((t) => (
            <li key={t.name}>
              <span className="mono">{t.name}</span>: {t.why}
            </li>
          ))}
        </ul>
      </fieldset>
    </div>
  );
}

function SetupDone({ written, doctor, error }: { written: { file: string; workspace: string }; doctor: ReturnType<typeof useSetup.getState>['doctor']; error: string | undefined }) {
  const failed = doctor !== undefined && doctor.summary.FAIL > 0;
  return (
    <div className="setup">
      <Banner tone="success" title="codexSync is set up">
        Settings written to <PathText path={written.file} />; hand-offs go through <PathText path={written.workspace} />.
      </Banner>
      {error !== undefined && <Banner tone="error">{error}</Banner>}
      {doctor === undefined ? (
        error === undefined && (
          <p className="muted" role="status">
            Checking the setup…
          </p>
        )
      ) : (
        <DoctorChecks doctor={doctor} />
      )}
      {doctor !== undefined && (
        <div className="applybar">
          <span className="muted">
            {failed ? 'Fix what failed in Settings before the first hand-off.' : 'Close Codex, then hand off: the plan shows what will be copied before anything is written.'}
          </span>
          <div className="actions">
            {failed ? (
              <button type="button" onClick={() => (window.location.hash = '#/settings')}>
                Open Settings
              </button>
            ) : (
              <button type="button" className="primary" onClick={() => (window.location.hash = '#/plan')}>
                Make the first hand-off
              </button>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
