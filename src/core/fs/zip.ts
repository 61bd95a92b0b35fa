import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Archiver } from 'archiver';

/**
 * Writes a zip with archiver: `fill` adds the entries. The file is complete when this
 * resolves; on any error it is removed.
 */
export async function writeZip(target: string, level: number, fill: (archive: Archiver) => void): Promise<void> {
  // archiver is loaded only when a zip is written: it costs ~0.1 s at every start otherwise.
  const { ZipArchive } = await import('archiver');
  await new Promise<void>((resolve, reject) => {
    const output = createWriteStream(target, { flush: true });
    const archive = new ZipArchive({ zlib: { level } });
    output.on('close', resolve);
    output.on('error', reject);
    archive.on('error', reject);
    archive.pipe(output);
    fill(archive);
    void archive.finalize();
  }).catch(async (error: unknown) => {
    await rm(target, { force: true });
    throw error;
  });
}
