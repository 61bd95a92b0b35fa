import { readFile, rm } from 'node:fs/promises';
import { z } from 'zod';
import { isNodeError } from '../errors.ts';
import { writeFileAtomic } from '../fs/index.ts';

/**
 * The cloud writes a run is about to make, noted in this machine's state folder before the
 * first of them: a run killed before it saves its base and writes its handoff record leaves
 * cloud files no record accounts for, and without this note the next run (on either machine)
 * would wait for them for good. A copy keeps its source's time, so a cloud file whose size and
 * time match a note is this machine's own push. `size` is null where it is only known once the
 * bytes are written (a line merge). A deletion in the cloud is noted too (`deleted`, with the
 * deleted file's size and time): a file gone from the cloud is then this machine's own doing.
 */
export interface PushNote {
  size: number | null;
  mtimeMs: number;
  deleted?: true;
}

/** One run's planned pushes, by path. */
export type PushNotes = Map<string, PushNote>;

/**
 * Every push noted since this machine last saved its base, by path: runs killed one after
 * another each add theirs, since the cloud may hold any of them.
 */
export type NotedPushes = Map<string, PushNote[]>;

const noteSchema = z.object({ size: z.number().int().min(0).nullable(), mtimeMs: z.number(), deleted: z.literal(true).optional() });
const notesSchema = z.union([
  z.object({ version: z.literal(2), pushes: z.record(z.string(), z.array(noteSchema)) }),
  // codexSync 0.2.0 before runs added to the note: one push per path.
  z.object({ version: z.literal(1), pushes: z.record(z.string(), noteSchema) }),
]);

/** The note beside this machine's base state (one per pair of roots, as the base). */
export function pushNotesFile(baseFile: string): string {
  return `${baseFile}.pushes.json`;
}

export async function readPushNotes(file: string): Promise<NotedPushes> {
  try {
    const notes = notesSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    return new Map(Object.entries(notes.pushes).map(([path, noted]) => [path, Array.isArray(noted) ? noted : [noted]]));
  } catch (error) {
    // None, or damaged: only a convenience for the next run, which then waits as before.
    if (isNodeError(error, 'ENOENT') || error instanceof SyntaxError || error instanceof z.ZodError) return new Map();
    throw error;
  }
}

/** Adds a run's planned pushes to what earlier runs noted and never saw saved in a base. */
export async function addPushNotes(file: string, notes: PushNotes): Promise<void> {
  const all = await readPushNotes(file);
  for (const [path, note] of notes) {
    const noted = all.get(path) ?? [];
    if (!noted.some((n) => n.size === note.size && n.mtimeMs === note.mtimeMs && n.deleted === note.deleted)) all.set(path, [...noted, note]);
  }
  await writeFileAtomic(file, `${JSON.stringify({ version: 2, pushes: Object.fromEntries(all) })}\n`);
}

/** Once the base state describes what the run did, the note has served. */
export async function clearPushNotes(file: string): Promise<void> {
  await rm(file, { force: true });
}
