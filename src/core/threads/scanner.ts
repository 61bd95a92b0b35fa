// What the lines of a rollout say, line by line, as both recorded Codex versions (0.169, 0.171)
// write them (test/fixtures/rollouts/README.md):
//   line 1                 {"type":"session_meta","payload":{"id","cwd","cli_version","originator","source","timestamp",...}}
//   a turn begins at       {"type":"event_msg","payload":{"type":"task_started","turn_id",...}}
//   the user's prompt      {"type":"event_msg","payload":{"type":"item_completed","turn_id","item":{"type":"UserMessage","content":[{"type":"text","text"}]}}}
//                          and a {"type":"response_item","payload":{"type":"message","role":"user",...}}
// The first turn also carries a role "user" response_item with the AGENTS.md text and the
// <environment_context>: context Codex injects, not the user's prompt. Older rollouts wrote the
// prompt as {"type":"event_msg","payload":{"type":"user_message","message"}}, with no
// task_started; such a prompt begins a turn of its own.
import { isoTimestamp, type JsonObject, type LineSink, own, ownArray, ownObject, ownString, oneLine, parseObject, shortValue, type Tail } from './lines.ts';
import type { NotAThread, ThreadSummary, TurnSummary } from './types.ts';

export const PROMPT_CHARS = 200;
export const TITLE_CHARS = 80;
const threadIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A turn as the scan found it: where its first line starts, for comparing two versions of a thread. */
export interface ScannedTurn extends TurnSummary {
  offset: number;
  turnId?: string;
  /** The prompt from a user-message event (what Codex shows); `prompt` falls back to the response item. */
  fromEvent: boolean;
}

interface Meta {
  id: string;
  cwd?: string;
  cliVersion?: string;
  originator?: string;
  source?: string;
  createdAt?: string;
}

export type Scanned = { kind: 'thread'; summary: ThreadSummary; turns: ScannedTurn[] } | ({ kind: 'not-a-thread' } & NotAThread);

// Text Codex puts in a role "user" message that the user did not type (older versions have no provenance metadata).
const injected =
  /^(?:# AGENTS\.md instructions|<(?:environment_context|user_instructions|INSTRUCTIONS|skills_instructions|permissions instructions|turn_aborted|user_shell_command|subagent_notification)>)/;

/** Reads a rollout's lines in order; `finish` gives the thread they describe. */
export class RolloutScanner implements LineSink {
  private first = true;
  private meta: Meta | undefined;
  private metaMissing = false;
  private readonly turns: ScannedTurn[] = [];
  private lastActivityAt: string | undefined;
  private badLines = 0;
  private oversizedLines = 0;
  private lines = 0;

  line(text: string, offset: number): void {
    this.lines += 1;
    const record = parseObject(text);
    if (this.first) {
      this.first = false;
      this.meta = record === undefined ? undefined : sessionMeta(record);
      this.metaMissing = this.meta === undefined;
      if (record === undefined) this.badLines += 1;
      else this.lastActivityAt = isoTimestamp(own(record, 'timestamp')) ?? this.lastActivityAt;
      return;
    }
    if (record === undefined) {
      this.badLines += 1;
      return;
    }
    const timestamp = isoTimestamp(own(record, 'timestamp'));
    if (timestamp !== undefined) this.lastActivityAt = timestamp;
    const payload = ownObject(record, 'payload');
    if (payload !== undefined) this.interpret(ownString(record, 'type'), payload, timestamp, offset);
  }

  oversized(): void {
    if (this.first) {
      this.first = false;
      this.metaMissing = true;
    }
    this.lines += 1;
    this.oversizedLines += 1;
  }

  /** Whether the lines so far settle the title: the session_meta, and a first prompt no later line can replace. */
  titled(): boolean {
    if (this.meta === undefined) return false;
    const first = this.turns.findIndex((turn) => turn.prompt !== '');
    return first >= 0 && ((this.turns[first] as ScannedTurn).fromEvent || first < this.turns.length - 1);
  }

  /** The turns found so far (also where the first line is no session_meta). */
  turnList(): ScannedTurn[] {
    return this.turns;
  }

  finish(fileId: string, tail: Tail | undefined, bytes: number): Scanned {
    if (this.lines === 0) return tail === undefined ? { kind: 'not-a-thread', reason: 'empty' } : { kind: 'not-a-thread', reason: 'incomplete' };
    if (this.metaMissing || this.meta === undefined) return { kind: 'not-a-thread', reason: 'no-session-meta' };
    if (this.meta.id !== fileId) return { kind: 'not-a-thread', reason: 'id-mismatch', fileId, metaId: this.meta.id };
    const turns = this.turns;
    const lastTurn = turns.at(-1);
    const firstPrompt = turns.find((turn) => turn.prompt !== '')?.prompt ?? '';
    const summary: ThreadSummary = {
      ...this.meta,
      lastActivityAt: this.lastActivityAt,
      title: oneLine(firstPrompt, TITLE_CHARS),
      turnCount: turns.length,
      lastTurn: lastTurn === undefined ? undefined : publicTurn(lastTurn),
      bytes,
      tornTail: tail !== undefined,
      badLines: this.badLines,
      oversizedLines: this.oversizedLines,
    };
    return { kind: 'thread', summary: dropUndefined(summary), turns };
  }

  private interpret(type: string | undefined, payload: JsonObject, timestamp: string | undefined, offset: number): void {
    const current = this.turns.at(-1);
    if (type === 'event_msg') {
      const event = ownString(payload, 'type');
      if (event === 'task_started') {
        const turnId = ownString(payload, 'turn_id');
        if (current === undefined || turnId === undefined || current.turnId !== turnId) this.begin(offset, timestamp, turnId);
      } else if (event === 'user_message') {
        const message = ownString(payload, 'message');
        if (message !== undefined) this.eventPrompt(message, undefined, offset, timestamp);
      } else if (event === 'item_completed') {
        const item = ownObject(payload, 'item');
        if (item !== undefined && ownString(item, 'type') === 'UserMessage') this.eventPrompt(textOf(ownArray(item, 'content'), 'text'), ownString(payload, 'turn_id'), offset, timestamp);
      }
    } else if (type === 'response_item' && current !== undefined && current.prompt === '' && ownString(payload, 'type') === 'message' && ownString(payload, 'role') === 'user') {
      current.prompt = oneLine(typedPrompt(payload), PROMPT_CHARS);
    }
  }

  /** A prompt from an event: a turn's own, or, when the turn has one already and is not the same turn, the start of the next. */
  private eventPrompt(text: string, turnId: string | undefined, offset: number, timestamp: string | undefined): void {
    let turn = this.turns.at(-1);
    const sameTurn = turn !== undefined && turnId !== undefined && turn.turnId === turnId;
    if (turn === undefined || (turn.fromEvent && !sameTurn) || (turnId !== undefined && turn.turnId !== undefined && !sameTurn)) turn = this.begin(offset, timestamp, turnId);
    if (turn.fromEvent) return; // a second message in one turn (the user steering it): the first is the turn's prompt
    turn.prompt = oneLine(text, PROMPT_CHARS);
    turn.fromEvent = true;
  }

  private begin(offset: number, timestamp: string | undefined, turnId: string | undefined): ScannedTurn {
    const turn: ScannedTurn = { index: this.turns.length, prompt: '', offset, fromEvent: false };
    if (timestamp !== undefined) turn.startedAt = timestamp;
    if (turnId !== undefined) turn.turnId = turnId;
    this.turns.push(turn);
    return turn;
  }
}

function sessionMeta(record: JsonObject): Meta | undefined {
  const payload = ownObject(record, 'payload');
  if (ownString(record, 'type') !== 'session_meta' || payload === undefined) return undefined;
  const id = ownString(payload, 'id');
  if (id === undefined || !threadIdPattern.test(id)) return undefined;
  const cwd = ownString(payload, 'cwd');
  const source = own(payload, 'source');
  // A sub-agent's source is an object: {"subagent": {...}}.
  const sourceName = typeof source === 'string' ? source : source !== null && typeof source === 'object' && !Array.isArray(source) ? Object.keys(source)[0] : undefined;
  return {
    id,
    cwd: cwd !== undefined && cwd.length <= 4096 && !cwd.includes('\0') ? cwd : undefined,
    cliVersion: shortValue(ownString(payload, 'cli_version'), 64),
    originator: shortValue(ownString(payload, 'originator'), 100),
    source: shortValue(sourceName, 100),
    createdAt: isoTimestamp(own(payload, 'timestamp')) ?? isoTimestamp(own(record, 'timestamp')),
  };
}

/** The texts of a content list's items of the given type, joined. */
function textOf(content: unknown[] | undefined, itemType: string): string {
  if (content === undefined) return '';
  const texts: string[] = [];
  for (const item of content) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    const text = ownString(item as JsonObject, 'text');
    if (ownString(item as JsonObject, 'type') === itemType && text !== undefined) texts.push(text);
  }
  return texts.join(' ');
}

/** What the user typed in a role "user" response item, leaving out the context Codex injects. */
function typedPrompt(payload: JsonObject): string {
  const content = ownArray(payload, 'content') ?? [];
  const passthrough = ownObject(payload, 'internal_chat_message_metadata_passthrough');
  const kinds = passthrough === undefined ? undefined : ownArray(passthrough, 'content_item_kinds');
  const texts: string[] = [];
  content.forEach((item, index) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return;
    const text = ownString(item as JsonObject, 'text');
    if (ownString(item as JsonObject, 'type') !== 'input_text' || text === undefined) return;
    const kind = kinds?.[index];
    if (typeof kind === 'string' ? !kind.startsWith('user.') : injected.test(text)) return;
    texts.push(text);
  });
  return texts.join(' ');
}

export function publicTurn(turn: ScannedTurn): TurnSummary {
  return turn.startedAt === undefined ? { index: turn.index, prompt: turn.prompt } : { index: turn.index, prompt: turn.prompt, startedAt: turn.startedAt };
}

/** Optional fields left out rather than undefined: the summary is stored as JSON and compared as a value. */
function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
