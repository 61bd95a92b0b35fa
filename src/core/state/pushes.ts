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
 * bytes are written (a line merge).
 */
export type PushNotes = Map<string, { size: number | null; mtimeMs: number }>;

const notesSchema = z.object({ version: z.literal(1), pushes: z.record(z.string(), z.object({ size: z.number().int().min(0).nullable(), mtimeMs: z.number() })) });

/** The note beside this machine's base state (one per pair of roots, as the base). */
export function pushNotesFile(baseFile: string): string {
  return `${baseFile}.pushes.json`;
}

export async function readPushNotes(file: string): Promise<PushNotes> {
  try {
    return new Map(Object.entries(notesSchema.parse(JSON.parse(await readFile(file, 'utf8'))).pushes));
  } catch (error) {
    // None, or damaged: only a convenience for the next run, which then waits as before.
    if (isNodeError(error, 'ENOENT') || error instanceof SyntaxError || error instanceof z.ZodError) return new Map();
    throw error;
  }
}

export async function writePushNotes(file: string, notes: PushNotes): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify({ version: 1, pushes: Object.fromEntries(notes) })}\n`);
}

/** Once the base state describes what the run did, the note has served. */
export async function clearPushNotes(file: string): Promise<void> {
  await rm(file, { force: true });
}
