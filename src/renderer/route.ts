import { useEffect, useState } from 'react';

export type View = 'threads' | 'plan' | 'restore' | 'logs' | 'settings' | 'setup' | 'activity';
export const views: ReadonlyArray<{ view: View; label: string }> = [
  { view: 'threads', label: 'Threads' },
  { view: 'activity', label: 'Activity' },
  { view: 'plan', label: 'Plan' },
  { view: 'restore', label: 'Restore' },
  { view: 'logs', label: 'Logs' },
  { view: 'settings', label: 'Settings' },
];

export interface Route {
  view: View;
  planId: string | undefined;
  /** The restore window opened on one snapshot (from the Activity window). */
  snapshot: string | undefined;
}

/** `#/plan?planId=…`: the main process opens each window on its view; the main window (no view) shows the threads. */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  // The first run's setup is not among the windows of the menu: the app opens it when there is no config.
  const view = views.find((v) => v.view === path)?.view ?? (path === 'setup' ? 'setup' : 'threads');
  const params = new URLSearchParams(query);
  const planId = params.get('planId') ?? undefined;
  const snapshot = params.get('snapshot') ?? undefined;
  return { view, planId, snapshot };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
