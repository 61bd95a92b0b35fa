import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Side } from '../../src/core/facts.ts';
import { writeFile } from './workspace.ts';

/** A snapshot folder as anyone with access to the cloud workspace can make one. */
export function forgeSnapshot(backups: string, name: string, machineId: string, files: Array<{ side: Side; path: string; content: string }>): void {
  const dir = join(backups, name);
  const header = { type: 'snapshot', format: 'codexsync-snapshot', version: 1, machineId, createdAt: '2999-12-31T23:59:59.000Z', localRoot: '/x', cloudRoot: '/y' };
  const lines = [JSON.stringify(header)];
  for (const file of files) {
    writeFile(dir, `${file.side}/${file.path}`, file.content);
    const sha256 = createHash('sha256').update(file.content).digest('hex');
    lines.push(JSON.stringify({ type: 'file', side: file.side, path: file.path, size: Buffer.byteLength(file.content), sha256, mtimeMs: Date.UTC(2026, 10, 25, 10), reason: 'overwrite' }));
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.jsonl'), `${lines.join('\n')}\n`);
}
