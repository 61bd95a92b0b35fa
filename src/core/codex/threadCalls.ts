import { join, sep } from 'node:path';
import { z } from 'zod';
import type { AppServer } from './appServer.ts';
import { failed, succeeded, type CodexResult } from './failures.ts';

// The app-server calls codexSync uses, typed, each answer checked against the fields it relies
// on (the same on Codex 0.169 and 0.171; other fields are ignored). docs/codex-app-server.md
// says what each call was seen to do and which test shows it.

export interface CodexTurn {
  id: string;
  /** completed, interrupted, failed, inProgress. */
  status: string;
  /** The text of the user's messages in this turn. */
  userTexts: string[];
}

export interface CodexThread {
  id: string;
  /** Its rollout on this machine, as Codex's catalogue names it (absolute). */
  path: string | null;
  /** Filed under archived_sessions/: from the listing it came from, else from its path. */
  archived: boolean | undefined;
  /** The project folder recorded in its rollout. */
  cwd: string;
  /** The title the user gave it (thread/name/set), if any. */
  name: string | null;
  /** Usually its first user message. */
  preview: string;
  /** Who started it: cli, vscode, exec, appServer, subAgent, custom, unknown. */
  source: string;
  section: CodexSection | null;
  createdAt: number;
  updatedAt: number;
  cliVersion: string;
  /** Only thread/read with includeTurns (after this machine resumed it once) and thread/resume fill these. */
  turns: CodexTurn[];
}

export interface CodexSection {
  id: string;
  name: string;
}

/**
 * The built-in "Pinned" section: the same id in every Codex home (seen on 0.169 and 0.171, on
 * fresh homes of two machines), so a pin can be carried by id.
 */
export const PINNED_SECTION_ID = '01984de2-8f74-7c91-a3b2-5c5e937cf318';

/** Every source kind thread/list knows (both versions): without them it lists interactive threads only, hiding `codex exec` ones. */
export const ALL_SOURCE_KINDS = ['cli', 'vscode', 'exec', 'appServer', 'subAgent', 'subAgentReview', 'subAgentCompact', 'subAgentThreadSpawn', 'subAgentOther', 'unknown'] as const;

const section = z.object({ id: z.string(), name: z.string() });
const turn = z.object({ id: z.string(), status: z.string(), items: z.array(z.unknown()) });
const thread = z.object({
  id: z.string().min(1),
  path: z.string().nullable(),
  cwd: z.string(),
  name: z.string().nullable(),
  preview: z.string(),
  source: z.union([z.string(), z.record(z.string(), z.unknown())]),
  section: section.nullable().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  cliVersion: z.string(),
  turns: z.array(turn),
});
type RawThread = z.infer<typeof thread>;

const empty = z.object({});
const withThread = z.object({ thread });
const threadPage = z.object({ data: z.array(thread), nextCursor: z.string().nullable() });
const sectionPage = z.object({ data: z.array(section), nextCursor: z.string().nullable() });

const MAX_PAGES = 100_000;

function userTexts(items: readonly unknown[]): string[] {
  const texts: string[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null || (item as { type?: unknown }).type !== 'userMessage') continue;
    const content = (item as { content?: unknown }).content;
    if (!Array.isArray(content)) continue;
    const text = content
      .filter((c): c is { text: string } => typeof c === 'object' && c !== null && (c as { type?: unknown }).type === 'text' && typeof (c as { text?: unknown }).text === 'string')
      .map((c) => c.text)
      .join('');
    texts.push(text);
  }
  return texts;
}

function archivedByPath(path: string | null, codexHome: string): boolean | undefined {
  if (path === null) return undefined;
  if (path.startsWith(join(codexHome, 'archived_sessions') + sep)) return true;
  if (path.startsWith(join(codexHome, 'sessions') + sep)) return false;
  return undefined;
}

function toThread(raw: RawThread, archived: boolean | undefined): CodexThread {
  return {
    id: raw.id,
    path: raw.path,
    archived,
    cwd: raw.cwd,
    name: raw.name,
    preview: raw.preview,
    source: typeof raw.source === 'string' ? raw.source : (Object.keys(raw.source)[0] ?? 'unknown'),
    section: raw.section ?? null,
    createdAt: raw.createdAt,
    updatedAt: raw.updatedAt,
    cliVersion: raw.cliVersion,
    turns: raw.turns.map((t) => ({ id: t.id, status: t.status, userTexts: userTexts(t.items) })),
  };
}

const done = <T>(result: CodexResult<T>): CodexResult<void> => (result.ok ? succeeded(undefined) : result);

/**
 * Reads one thread. A rollout placed at its own name under sessions/ (or archived_sessions/)
 * of this Codex home that Codex does not know yet is added to its catalogue by this call, with
 * this machine's path (and archived when it lies in archived_sessions/).
 */
export async function readThread(server: AppServer, threadId: string, options: { includeTurns?: boolean } = {}): Promise<CodexResult<CodexThread>> {
  const answer = await server.request('thread/read', { threadId, includeTurns: options.includeTurns ?? false }, withThread);
  return answer.ok ? succeeded(toThread(answer.value.thread, archivedByPath(answer.value.thread.path, server.server.codexHome))) : answer;
}

/** Every thread Codex lists, archived and not, of every source kind, all pages. */
export async function listThreads(server: AppServer, options: { pageSize?: number } = {}): Promise<CodexResult<CodexThread[]>> {
  const threads: CodexThread[] = [];
  for (const archived of [false, true]) {
    const seen = new Set<string>();
    let cursor: string | null = null;
    for (let page = 0; ; page++) {
      // modelProviders: [] lists threads of every provider (absent, only the configured provider's).
      const params: Record<string, unknown> = { archived, sourceKinds: [...ALL_SOURCE_KINDS], modelProviders: [], limit: options.pageSize ?? 100, ...(cursor === null ? {} : { cursor }) };
      const answer: CodexResult<z.infer<typeof threadPage>> = await server.request('thread/list', params, threadPage);
      if (!answer.ok) return answer;
      threads.push(...answer.value.data.map((t) => toThread(t, archived)));
      cursor = answer.value.nextCursor;
      if (cursor === null) break;
      if (seen.has(cursor) || page >= MAX_PAGES) return failed({ kind: 'bad-response', method: 'thread/list', issue: 'nextCursor: repeats an earlier page' });
      seen.add(cursor);
    }
  }
  return succeeded(threads);
}

/** Which of `expected` a listing lacks, or shows on the other side of the archive. */
export function unlisted(listed: readonly CodexThread[], expected: ReadonlyArray<{ id: string; archived: boolean }>): { missing: string[]; misfiled: string[] } {
  const byId = new Map(listed.map((t) => [t.id, t]));
  const missing: string[] = [];
  const misfiled: string[] = [];
  for (const want of expected) {
    const found = byId.get(want.id);
    if (found === undefined) missing.push(want.id);
    else if (found.archived !== want.archived) misfiled.push(want.id);
  }
  return { missing, misfiled };
}

/** Codex moves the rollout to archived_sessions/<same name> (bytes unchanged) and marks its row archived. */
export async function archiveThread(server: AppServer, threadId: string): Promise<CodexResult<void>> {
  return done(await server.request('thread/archive', { threadId }, empty));
}

/** Codex moves the rollout back to sessions/YYYY/MM/DD/<same name> (the date of its name) and clears the archive mark. */
export async function unarchiveThread(server: AppServer, threadId: string): Promise<CodexResult<CodexThread>> {
  const answer = await server.request('thread/unarchive', { threadId }, withThread);
  return answer.ok ? succeeded(toThread(answer.value.thread, false)) : answer;
}

/** Sets the thread's title (threads.name and a session_index.jsonl line). Codex refuses an empty name: a title can be changed, not removed. */
export async function setThreadName(server: AppServer, threadId: string, name: string): Promise<CodexResult<void>> {
  return done(await server.request('thread/name/set', { threadId, name }, empty));
}

/**
 * Loads the thread as opening it in Codex does, which brings this machine's history
 * projection up to date with its rollout. Without overrides it writes nothing to the rollout.
 */
export async function resumeThread(server: AppServer, threadId: string, options: { includeTurns?: boolean } = {}): Promise<CodexResult<CodexThread>> {
  const answer = await server.request('thread/resume', { threadId, excludeTurns: !(options.includeTurns ?? true) }, withThread);
  return answer.ok ? succeeded(toThread(answer.value.thread, archivedByPath(answer.value.thread.path, server.server.codexHome))) : answer;
}

/**
 * Deletes the thread from this Codex home: its rollout file, its catalogue row (name and
 * section with it), its history projection and its session_index.jsonl lines.
 */
export async function deleteThread(server: AppServer, threadId: string): Promise<CodexResult<void>> {
  return done(await server.request('thread/delete', { threadId }, empty));
}

/** Every section of this Codex home (the built-in Pinned one and the user's own). */
export async function listSections(server: AppServer): Promise<CodexResult<CodexSection[]>> {
  const sections: CodexSection[] = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  for (;;) {
    const answer: CodexResult<z.infer<typeof sectionPage>> = await server.request('threadSection/list', cursor === null ? {} : { cursor }, sectionPage);
    if (!answer.ok) return answer;
    sections.push(...answer.value.data);
    cursor = answer.value.nextCursor;
    if (cursor === null) return succeeded(sections);
    if (seen.has(cursor)) return failed({ kind: 'bad-response', method: 'threadSection/list', issue: 'nextCursor: repeats an earlier page' });
    seen.add(cursor);
  }
}

/** Moves a thread into a section (appended last), or out of any with null. Its section is in readThread's `section`. */
export async function moveThreadToSection(server: AppServer, threadId: string, sectionId: string | null): Promise<CodexResult<void>> {
  return done(await server.request('thread/section/move', { threadId, sectionId }, empty));
}

export const pinThread = (server: AppServer, threadId: string): Promise<CodexResult<void>> => moveThreadToSection(server, threadId, PINNED_SECTION_ID);

/** Takes a thread out of whatever section it is in: check readThread's `section` first to unpin only a pinned one. */
export const unpinThread = (server: AppServer, threadId: string): Promise<CodexResult<void>> => moveThreadToSection(server, threadId, null);
