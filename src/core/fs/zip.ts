import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Archiver } from 'archiver';
import type yauzl from 'yauzl';

/**
 * Writes a zip with archiver: `fill` adds the entries. The file is complete when this
 * resolves; on any error it is removed.
 */
export async function writeZip(target: string, level: number, fill: (archive: Archiver) => void): Promise<void> {
  // archiver is loaded only when a zip is written: loading it at every start slows every run.
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

/** Every file of a small zip (an archived log), name to bytes. */
export async function readZip(path: string): Promise<Map<string, Buffer>> {
  // Loaded when used, as archiver is: most runs read no zip.
  const { default: unzip } = await import('yauzl');
  return new Promise((resolve, reject) => {
    unzip.open(path, { lazyEntries: true }, (openError, zip) => {
      if (openError !== null) return reject(openError);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError !== null) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
