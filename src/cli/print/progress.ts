import type { ApplyProgress } from '../../core/apply/index.ts';
import { formatBytes } from './format.ts';

/**
 * Progress of a long apply on a terminal: one line rewritten in place, at most ten times a
 * second, so that printing never costs a run more than a sliver of its time.
 */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): ((event: ApplyProgress) => void) | undefined {
  if (stream.isTTY !== true) return undefined;
  let last = 0;
  return (event) => {
    const now = Date.now();
    const final = event.done === event.total;
    if (!final && now - last < 100) return;
    last = now;
    const line = `[${event.done}/${event.total}] ${formatBytes(event.bytesDone)} of ${formatBytes(event.bytesTotal)}  ${event.path}`;
    const width = Math.max(20, (stream.columns ?? 100) - 1);
    stream.write(`\r${line.length > width ? `${line.slice(0, width - 1)}…` : line.padEnd(width)}${final ? '\n' : ''}`);
  };
}
