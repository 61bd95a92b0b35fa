import { useEffect, useMemo, useState } from 'react';
import { create } from 'zustand';
import type { LogLine } from '../../shared/contract.ts';
import { api, errorText } from '../api.ts';
import { PathText } from '../components/PathText.tsx';
import { Banner } from '../components/Banner.tsx';
import { VirtualList } from '../components/VirtualList.tsx';
import { logClock, plural } from '../format.ts';
import './LogsView.css';

type Level = 'ERROR' | 'WARNING' | 'INFO' | 'DEBUG';
const rank: Record<Level, number> = { ERROR: 0, WARNING: 1, INFO: 2, DEBUG: 3 };
const levelChoices: Array<[Level, string]> = [
  ['ERROR', 'Errors'],
  ['WARNING', 'Warnings and errors'],
  ['INFO', 'Info and above'],
  ['DEBUG', 'Everything (debug)'],
];

interface LogsStore {
  date: string | undefined;
  dir: string;
  files: string[];
  lines: LogLine[];
  level: Level;
  follow: boolean;
  error: string | undefined;
  loaded: boolean;
  load(): Promise<void>;
  setLevel(level: Level): void;
  setFollow(follow: boolean): void;
}

const useLogs = create<LogsStore>((set, get) => ({
  date: undefined,
  dir: '',
  files: [],
  lines: [],
  level: 'INFO',
  follow: true,
  error: undefined,
  loaded: false,
  async load() {
    try {
      const log = await api().readLogs({});
      set({ date: log.date, dir: log.dir, files: log.files, lines: log.lines, error: undefined, loaded: true });
    } catch (error) {
      set({ error: errorText(error), loaded: true });
    }
  },
  setLevel: (level) => set({ level }),
  setFollow(follow) {
    set({ follow });
    if (follow) void get().load();
  },
}));

const ROW_HEIGHT = 30;

function text(line: LogLine): string {
  const fields = Object.entries(line.fields)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  return fields === '' ? line.message : `${line.message}  ${fields}`;
}

export function LogsView() {
  const { date, dir, files, lines, level, follow, error, loaded, load, setLevel, setFollow } = useLogs();
  const [active, setActive] = useState(0);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(
    () =>
      api().on('logs', () => {
        if (useLogs.getState().follow) void load();
      }),
    [load],
  );
  // A line in none of the formats is shown at every level.
  const shown = useMemo(() => lines.filter((line) => line.level === undefined || rank[line.level] <= rank[level]), [lines, level]);
  const selected = shown[Math.min(active, shown.length - 1)];
  useEffect(() => {
    if (follow) setActive(Math.max(0, shown.length - 1));
  }, [follow, shown.length]);

  return (
    <div className="logs">
      <div className="toolbar">
        <label>
          <span>Show</span>
          <select value={level} onChange={(e) => setLevel(e.target.value as Level)}>
            {levelChoices.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
          Follow new lines
        </label>
        <button type="button" onClick={() => void load()}>
          Read again
        </button>
        <span className="muted" role="status">
          {plural(shown.length, 'line')}
          {shown.length === lines.length ? '' : ` of ${lines.length}`}
        </span>
      </div>
      {error !== undefined && <Banner tone="error">{error}</Banner>}
      <p className="muted small">
        Today ({date ?? '…'}) on this machine: {files.length === 0 ? 'no log file yet' : files.join(', ')} in <PathText path={dir} />
      </p>
      {loaded && lines.length === 0 && error === undefined ? (
        <Banner tone="info">Nothing logged today yet.</Banner>
      ) : (
        <VirtualList
          label="Log lines"
          className="log-list"
          count={shown.length}
          rowHeight={ROW_HEIGHT}
          rowKey={(i) => `${shown[i]?.file}:${shown[i]?.n}`}
          renderRow={(i) => {
            const line = shown[i] as LogLine;
            return (
              <div className={`log-row level-${line.level ?? 'none'}`} title={text(line)}>
                <span className="mono time">{logClock(line.time)}</span>
                <span className="level">{line.level ?? ''}</span>
                <span className="mono message">{text(line)}</span>
              </div>
            );
          }}
          active={Math.min(active, Math.max(0, shown.length - 1))}
          onActive={setActive}
          stickToEnd={follow}
        />
      )}
      {selected !== undefined && (
        <div className="log-detail" aria-live="polite">
          <span className="muted small">
            {selected.file}, line {selected.n}
          </span>
          <pre className="mono">{`${selected.time ?? ''} ${selected.level ?? ''}\n${text(selected)}`}</pre>
        </div>
      )}
    </div>
  );
}
