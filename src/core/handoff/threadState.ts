import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { isNodeError } from '../errors.ts';
import { writeFileAtomic } from '../fs/index.ts';
import { CONTROL_DIR } from './record.ts';

// What a person did to a thread that its rollout does not hold: its name and whether it is
// pinned. Codex keeps both in its catalogue only, so they travel in a small file per machine
// in the cloud folder's control folder. Each value carries a stamp, a Lamport counter over
// every stamp the writer had seen: the newer change wins by what each machine had seen
// when it made it, never by two machines' clocks.

/** One travelling value of a thread and the stamp of the change that set it. */
export interface Stamped<T> {
  value: T;
  stamp: number;
}

export interface ThreadMarks {
  /** The name given in Codex; null: no name (Codex shows the first prompt). */
  name?: Stamped<string | null>;
  pinned?: Stamped<boolean>;
}

export interface ThreadStateFile {
  machineId: string;
  threads: Record<string, ThreadMarks>;
}

const MAX_NAME = 500;
const stampSchema = z.number().refine((n) => Number.isSafeInteger(n) && n >= 1 && n < Number.MAX_SAFE_INTEGER);
const marksSchema = z
  .object({
    name: z
      .object({ value: z.string().max(MAX_NAME).nullable(), stamp: stampSchema })
      .strict()
      .optional(),
    pinned: z.object({ value: z.boolean(), stamp: stampSchema }).strict().optional(),
  })
  .strict();
const threadId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const fileSchema = z
  .object({
    format: z.literal('codexsync-thread-state'),
    version: z.literal(1),
    machineId: z.string().min(1),
    threads: z.record(z.string().regex(threadId), marksSchema),
  })
  .strict();

const stateName = /^threads-(.+)\.json$/;

export function threadStateFile(cloudRoot: string, machineId: string): string {
  return join(cloudRoot, CONTROL_DIR, `threads-${machineId}.json`);
}

export interface ThreadStatesRead {
  files: ThreadStateFile[];
  /** Machines whose file cannot be read (still arriving, or damaged): their changes wait for the next run. */
  unreadable: string[];
}

/** Every machine's thread-state file, each checked whole: a file that does not pass is left out entirely. */
export async function readThreadStates(cloudRoot: string): Promise<ThreadStatesRead> {
  const dir = join(cloudRoot, CONTROL_DIR);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (isNodeError(error, 'ENOENT') || isNodeError(error, 'ENOTDIR')) return { files: [], unreadable: [] };
    throw error;
  }
  const read: ThreadStatesRead = { files: [], unreadable: [] };
  for (const name of names.sort()) {
    const machineId = stateName.exec(name)?.[1];
    if (machineId === undefined) continue;
    try {
      const parsed = fileSchema.safeParse(JSON.parse(await readFile(join(dir, name), 'utf8')));
      // A file under another machine's name would speak for that machine.
      if (!parsed.success || parsed.data.machineId !== machineId) read.unreadable.push(machineId);
      else read.files.push({ machineId, threads: withoutPrototype(parsed.data.threads) });
    } catch {
      read.unreadable.push(machineId);
    }
  }
  return read;
}

/** Writes this machine's file whole (atomic replace): the other machines read it as it was, or as it is. */
export async function writeThreadState(cloudRoot: string, file: ThreadStateFile): Promise<void> {
  await mkdir(join(cloudRoot, CONTROL_DIR), { recursive: true });
  const ids = Object.keys(file.threads).sort();
  const threads: Record<string, ThreadMarks> = {};
  for (const id of ids) threads[id] = file.threads[id] as ThreadMarks;
  await writeFileAtomic(threadStateFile(cloudRoot, file.machineId), [`${JSON.stringify({ format: 'codexsync-thread-state', version: 1, machineId: file.machineId, threads }, null, 1)}\n`]);
}

function withoutPrototype(threads: Record<string, ThreadMarks>): Record<string, ThreadMarks> {
  const out = Object.create(null) as Record<string, ThreadMarks>;
  for (const [id, marks] of Object.entries(threads)) out[id] = marks;
  return out;
}
