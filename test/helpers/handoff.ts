import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONTROL_DIR, readHandoffRecords, writeHandoffRecord, type HandoffRecord } from '../../src/core/handoff/index.ts';

/**
 * Another machine hands off the cloud folder as it stands: its handoff record lists every file
 * there (size and SHA-256), one sequence above the records it finds. What a real sync of that
 * machine leaves after writing those files, without needing its Codex home.
 */
export async function handOffAs(cloud: string, machineId: string, writer: { installation?: string; host?: string } = {}): Promise<HandoffRecord> {
  const files = new Map<string, { size: number; sha256: string }>();
  for (const rel of readdirSync(cloud, { recursive: true, encoding: 'utf8' })) {
    const path = rel.split('\\').join('/');
    if (path === CONTROL_DIR || path.startsWith(`${CONTROL_DIR}/`) || !statSync(join(cloud, rel)).isFile()) continue;
    const bytes = readFileSync(join(cloud, rel));
    files.set(path, { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  const { records } = await readHandoffRecords(cloud);
  const identity = { machineId, installation: writer.installation ?? randomBytes(16).toString('hex'), host: writer.host ?? `${machineId}-host` };
  return writeHandoffRecord(cloud, identity, files, records, new Date(), '0.2.0');
}

/** Another machine's handoff record listing exactly these files (path -> content), one sequence above the records it finds. */
export async function recordListing(cloud: string, machineId: string, files: Record<string, string>): Promise<HandoffRecord> {
  const listed = new Map(Object.entries(files).map(([path, content]) => [path, { size: Buffer.byteLength(content), sha256: createHash('sha256').update(content).digest('hex') }]));
  const { records } = await readHandoffRecords(cloud);
  return writeHandoffRecord(cloud, { machineId, installation: randomBytes(16).toString('hex'), host: `${machineId}-host` }, listed, records, new Date(), '0.2.0');
}
