export { formatBytes, plural } from '../shared/format.ts';

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local date and time to the minute, unambiguous in any locale: 2026-11-25 09:41. */
export function formatLocalDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatIso(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : formatLocalDateTime(ms);
}

/** The clock time of a log line's own timestamp (it carries its offset): 09:41:07.123. */
export function logClock(time: string | undefined): string {
  const m = time === undefined ? null : /T(\d{2}:\d{2}:\d{2}(?:\.\d{3})?)/.exec(time);
  return m?.[1] ?? '';
}

export function folderOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at === -1 ? '' : path.slice(0, at);
}

export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
