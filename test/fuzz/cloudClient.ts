import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { random } from '../../bench/generate.ts';
import { freshContent, isJsonl, jsonlLine, type CopyStyle, type Machine } from './steps.ts';
import { CONTROL, type FileNode } from './trees.ts';
import { kindOf, noEffects, type Effects, type World } from './world.ts';

/** A write of one machine that the cloud client has not delivered to the shared folder yet. */
export interface Held {
  id: number;
  path: string;
  from: Machine;
  /** The new bytes (in the limbo folder), or null for a deletion. */
  content: string | null;
  mtimeMs: number;
  /** What the cloud folder held when the write was made: a different file there now means a conflict. */
  old: string | null;
  /** Half of it is already written in place (halfArrive). */
  partial: boolean;
}

/**
 * The cloud client, as the other machine sees it: one real folder, and writes it has not
 * delivered yet kept aside (the path shows its previous state meanwhile). A delivery is a
 * whole-file rename; a write that meets another one makes a Dropbox conflict copy.
 */
export class CloudClient {
  readonly held: Held[] = [];
  readonly #world: World;
  #nextId = 0;

  constructor(world: World) {
    this.#world = world;
  }

  #at(path: string): string {
    return join(this.#world.cloud, ...path.split('/'));
  }

  #current(path: string): string | null {
    return kindOf(this.#at(path)) === 'file' ? readFileSync(this.#at(path), 'latin1') : null;
  }

  #limboFile(held: Held): string {
    return join(this.#world.limbo, String(held.id));
  }

  /** Places a file whole: written aside, timed, then renamed in. */
  #place(path: string, content: string, mtimeMs: number): boolean {
    const temp = join(this.#world.limbo, `place-${this.#nextId++}`);
    writeFileSync(temp, content, 'latin1');
    utimesSync(temp, new Date(mtimeMs), new Date(mtimeMs));
    try {
      mkdirSync(dirname(this.#at(path)), { recursive: true });
      renameSync(temp, this.#at(path));
      return true;
    } catch {
      rmSync(temp, { force: true });
      return false;
    }
  }

  /**
   * After machine `from` ran: some of the changes it made in the cloud folder (data files and
   * its handoff record alike) are held back, the path put back as it was before the run.
   */
  holdBack(from: Machine, before: Map<string, FileNode>, after: Map<string, FileNode>, seed: number): void {
    const rng = random(seed);
    const paths = [...new Set([...before.keys(), ...after.keys()])].filter((p) => p !== `${CONTROL}/lock.json`).sort();
    for (const path of paths) {
      const was = before.get(path);
      const now = after.get(path);
      if (was?.content === now?.content || rng() >= 0.5) continue;
      const held: Held = { id: this.#nextId++, path, from, content: now?.content ?? null, mtimeMs: now?.mtimeMs ?? 0, old: was?.content ?? null, partial: false };
      if (now !== undefined) renameSync(this.#at(path), this.#limboFile(held));
      if (was !== undefined && !this.#place(path, was.content, was.mtimeMs)) {
        if (now !== undefined) renameSync(this.#limboFile(held), this.#at(path));
        continue;
      }
      this.held.push(held);
    }
  }

  /** Delivers held writes: all of one machine's (`only`), every one (`all`), or a random share, in a random order. */
  deliver(seed: number, which: { only?: Machine; all?: boolean } = {}): Effects {
    const rng = random(seed);
    const effects = noEffects();
    const chosen = this.held.filter((h) => (which.only !== undefined ? h.from === which.only : which.all === true || rng() < 0.5));
    for (let i = chosen.length - 1; i > 0; i -= 1) {
      const j = Math.floor(rng() * (i + 1));
      [chosen[i], chosen[j]] = [chosen[j] as Held, chosen[i] as Held];
    }
    for (const held of chosen) this.#deliverOne(held, effects);
    return effects;
  }

  #deliverOne(held: Held, effects: Effects): void {
    this.held.splice(this.held.indexOf(held), 1);
    const current = this.#current(held.path);
    const unchanged = held.partial || (current === held.old && (current !== null || kindOf(this.#at(held.path)) === 'absent'));
    if (held.content === null) {
      // A deletion of a file that changed meanwhile is not delivered: the client keeps the change.
      if (unchanged && current !== null) rmSync(this.#at(held.path));
      return;
    }
    if (unchanged) {
      try {
        mkdirSync(dirname(this.#at(held.path)), { recursive: true });
        renameSync(this.#limboFile(held), this.#at(held.path));
        return;
      } catch {
        // a folder or a file in the way: the client keeps both, as below
      }
    }
    const copy = this.#freeName(held.path, 'dropbox', `${held.from}'s`);
    try {
      renameSync(this.#limboFile(held), this.#at(copy));
      effects.wrote.push({ path: copy, content: held.content, copyOf: held.path });
    } catch {
      rmSync(this.#limboFile(held), { force: true });
      effects.removed.push({ path: held.path, content: held.content });
    }
  }

  /** A conflict copy's name for `path` that is not taken yet. */
  #freeName(path: string, style: CopyStyle, owner: string): string {
    const slash = path.lastIndexOf('/');
    const name = path.slice(slash + 1);
    const dot = name.lastIndexOf('.');
    const stem = `${path.slice(0, slash + 1)}${dot > 0 ? name.slice(0, dot) : name}`;
    const ext = dot > 0 ? name.slice(dot) : '';
    for (let n = 1; ; n += 1) {
      const candidate =
        style === 'google'
          ? `${stem} (${n})${ext}`
          : style === 'syncthing'
            ? `${stem}.sync-conflict-20261130-101010-FUZZ${String(n).padStart(3, '0')}${ext}`
            : `${stem} (${owner} conflicted copy 2026-11-30${n === 1 ? '' : ` ${n}`})${ext}`;
      if (kindOf(this.#at(candidate)) === 'absent') return candidate;
    }
  }

  /** Half of a held-back file (or handoff record) written in place, the way some clients download. */
  halfArrive(seed: number, record: boolean): { effects: Effects; half: { path: string; content: string } | undefined } {
    const effects = noEffects();
    const candidates = this.held.filter((h) => h.content !== null && !h.partial && h.path.startsWith(`${CONTROL}/`) === record && h.old === this.#current(h.path));
    const held = candidates[Math.floor(random(seed)() * candidates.length)];
    if (held === undefined || held.content === null) return { effects, half: undefined };
    const target = this.#at(held.path);
    const half = held.content.slice(0, Math.max(1, Math.floor(held.content.length / 2)));
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, half, 'latin1');
      utimesSync(target, new Date(held.mtimeMs), new Date(held.mtimeMs));
    } catch {
      return { effects, half: undefined };
    }
    if (held.old !== null) effects.removed.push({ path: held.path, content: held.old });
    held.partial = true;
    return { effects, half: { path: held.path, content: half } };
  }

  /** The client's copy of `path` beside it, holding another machine's version of it. */
  conflictCopy(path: string, style: CopyStyle, v: number): Effects {
    const effects = noEffects();
    const current = this.#current(path);
    if (current === null) return effects;
    const content = isJsonl(path) ? current + jsonlLine(path, 'b', v) : freshContent(path, 'b', v);
    const copy = this.#freeName(path, style, "laptop's");
    if (this.#place(copy, content, this.#world.tick().getTime())) effects.wrote.push({ path: copy, content, copyOf: path });
    return effects;
  }

  /** The user deletes each conflict copy, or renames it over its original. */
  resolve(copies: ReadonlyMap<string, string>, how: 'delete' | 'adopt'): Effects {
    const effects = noEffects();
    for (const [copy, original] of copies) {
      const content = this.#current(copy);
      if (content === null) continue;
      effects.removed.push({ path: copy, content });
      if (how === 'delete') {
        rmSync(this.#at(copy));
        continue;
      }
      const old = this.#current(original);
      try {
        renameSync(this.#at(copy), this.#at(original));
      } catch {
        continue;
      }
      if (old !== null) effects.removed.push({ path: original, content: old });
      effects.wrote.push({ path: original, content });
    }
    return effects;
  }

  /** The user swaps a cloud folder for a link to a folder outside every root. */
  linkFolder(path: string, files: ReadonlyMap<string, FileNode>): Effects {
    const effects = noEffects();
    if (kindOf(this.#at(path)) !== 'dir') return effects;
    for (const [file, node] of files) if (file.startsWith(`${path}/`)) effects.removed.push({ path: file, content: node.content });
    rmSync(this.#at(path), { recursive: true });
    symlinkSync(join(this.#world.outside, 'cloud-folder'), this.#at(path));
    return effects;
  }

  /** Paths the client is writing in place right now (half there). */
  partialPaths(): Set<string> {
    return new Set(this.held.filter((h) => h.partial).map((h) => h.path));
  }
}
