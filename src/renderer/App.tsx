import { useEffect } from 'react';
import { api } from './api.ts';
import { Banner } from './components/Banner.tsx';
import { useRoute, views, type View } from './route.ts';
import { useStatus } from './statusStore.ts';
import { ActivityView } from './views/ActivityView.tsx';
import { LogsView } from './views/LogsView.tsx';
import { PlanReview } from './views/PlanReview.tsx';
import { RestoreView } from './views/RestoreView.tsx';
import { SettingsView } from './views/SettingsView.tsx';
import { SetupView } from './views/SetupView.tsx';
import { ThreadsView } from './views/ThreadsView.tsx';

const titles: Record<View, string> = { threads: 'Threads', plan: 'Plan review', restore: 'Restore from backup', logs: 'Logs', settings: 'Settings', setup: 'Set up codexSync', activity: 'Activity' };

export function App() {
  const route = useRoute();
  useEffect(() => {
    document.title = `codexSync: ${titles[route.view].toLowerCase()}`;
  }, [route.view]);
  if (window.codexSync === undefined) {
    return (
      <main className="page">
        <Banner tone="error">This page only works inside the codexSync app.</Banner>
      </main>
    );
  }
  return (
    <div className="app">
      <a className="skip" href="#content" onClick={(e) => (e.preventDefault(), document.getElementById('content')?.focus())}>
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand" aria-hidden="true">
          codexSync
        </span>
        {/* Before the first config the other windows have nothing to show: the setup stands alone. */}
        {route.view !== 'setup' && (
          <nav aria-label="Windows">
            {views.map(({ view, label }) => (
              <a key={view} href={`#/${view}`} aria-current={route.view === view ? 'page' : undefined}>
                {label}
              </a>
            ))}
          </nav>
        )}
        {route.view !== 'setup' && <StatusChip />}
      </header>
      <main id="content" className="page" tabIndex={-1}>
        <h1>{titles[route.view]}</h1>
        {route.view === 'threads' && <ThreadsView />}
        {route.view === 'plan' && <PlanReview planId={route.planId} />}
        {route.view === 'restore' && <RestoreView snapshot={route.snapshot} />}
        {route.view === 'activity' && <ActivityView />}
        {route.view === 'logs' && <LogsView />}
        {route.view === 'settings' && <SettingsView />}
        {route.view === 'setup' && <SetupView />}
      </main>
    </div>
  );
}

function StatusChip() {
  const { status, load, set } = useStatus();
  useEffect(() => {
    void load();
    return api().on('status', set);
  }, [load, set]);
  if (status === undefined) return null;
  return (
    <p className={`status status-${status.state}`} role="status" title={status.configFile}>
      <span className="dot" aria-hidden="true" />
      {status.machineId === undefined ? '' : `${status.machineId}: `}
      {status.label}
    </p>
  );
}
