import type { FileStat } from '../facts.ts';
import { grown, PathColumns } from './columns.ts';

/** A side's files as one walk saw them: size, time and inode in columns (NaN: no inode seen). */
export class StatColumns extends PathColumns<FileStat> {
  #size = new Float64Array(0);
  #mtime = new Float64Array(0);
  #ino = new Float64Array(0);

  protected resize(capacity: number, used: number): void {
    this.#size = grown(this.#size, capacity, used);
    this.#mtime = grown(this.#mtime, capacity, used);
    this.#ino = grown(this.#ino, capacity, used);
  }

  protected read(row: number): FileStat {
    const ino = this.#ino[row] as number;
    const stat: FileStat = { size: this.#size[row] as number, mtimeMs: this.#mtime[row] as number };
    if (!Number.isNaN(ino)) stat.ino = ino;
    return stat;
  }

  protected write(row: number, value: FileStat): void {
    this.put(row, value.size, value.mtimeMs, value.ino);
  }

  /** Adds or replaces a path's stat without an object (the walk's own calls). */
  add(path: string, size: number, mtimeMs: number, ino: number | undefined): void {
    this.put(this.rowFor(path), size, mtimeMs, ino);
  }

  private put(row: number, size: number, mtimeMs: number, ino: number | undefined): void {
    this.#size[row] = size;
    this.#mtime[row] = mtimeMs;
    this.#ino[row] = ino ?? Number.NaN;
  }
}
