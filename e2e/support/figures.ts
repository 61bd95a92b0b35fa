import { appendFileSync } from 'node:fs';
import { artifacts } from './browser.ts';

/** A measured figure (not a pass/fail threshold): printed, and kept beside the screenshots in figures.jsonl. */
export function recordFigure(name: string, value: number): void {
  appendFileSync(`${artifacts}figures.jsonl`, `${JSON.stringify({ name, value, at: new Date().toISOString() })}\n`);
  process.stdout.write(`figure: ${name} = ${value}\n`);
}
