import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { CloudClient } from './cloudClient.ts';
import { Model, type Live, type Violation } from './model.ts';
import type { Machine, Step } from './steps.ts';
import { fingerprint, type FileNode, type TreeScan } from './trees.ts';
import { World, type Effects, type RunOutcome } from './world.ts';

/** The trees as the last check read them, for choosing the next step. */
export interface View {
  homes: Record<Machine, TreeScan>;
  cloud: TreeScan;
  held: CloudClient['held'];
  copies: ReadonlyMap<string, string>;
}

const expectedTopLevel = ['backups', 'cloud', 'config-a.toml', 'config-b.toml', 'home', 'limbo', 'logs', 'outside', 'state', 'tmp'].join();

/** Plays steps on one world and checks every invariant after each. */
export class Runner {
  readonly world: World;
  readonly client: CloudClient;
  readonly model = new Model();
  /** What each run ended with, in order ("a: applied", "b: arrival-pending", ...). */
  readonly outcomes: string[] = [];
  /** Quiet steps whose trees were compared, and those a pending conflict left uncompared. */
  readonly quiet = { compared: 0, conflicted: 0, stuck: 0 };
  readonly #outside: string;
  /** Versions the user put in the cloud folder by hand (a conflict copy taken over its original), by path. */
  readonly #handEdits = new Map<string, string>();
  readonly #lastOutcome: Partial<Record<Machine, RunOutcome>> = {};
  #view: View;

  constructor(dir: string) {
    this.world = new World(dir);
    this.client = new CloudClient(this.world);
    this.#outside = fingerprint(this.world.outside);
    this.#view = this.#read();
  }

  view(): View {
    return this.#view;
  }

  async do(step: Step, index: number): Promise<Violation[]> {
    const violations: Violation[] = [];
    switch (step.op) {
      case 'run':
        violations.push(...(await this.#run(step.m, step, index)).violations);
        break;
      case 'quiet':
        violations.push(...(await this.#quiet(step.seed, index)));
        break;
      case 'deliver':
        this.#apply(this.client.deliver(step.seed));
        break;
      case 'halfArrive': {
        const { effects, half } = this.client.halfArrive(step.seed, step.record);
        if (half !== undefined) this.model.halfWritten(half.path, half.content);
        this.#apply(effects);
        break;
      }
      case 'conflictCopy':
        this.#apply(this.client.conflictCopy(step.path, step.style, step.v));
        break;
      case 'resolve': {
        const effects = this.client.resolve(this.#presentCopies(), step.how);
        for (const { path, content } of effects.wrote) this.#handEdits.set(path, content);
        this.#apply(effects);
        break;
      }
      case 'cloudFolderLink':
        this.#apply(this.client.linkFolder(step.path, this.world.scanCloud().files));
        break;
      default:
        this.#apply(this.world.userOp(step));
    }
    return [...violations, ...this.#check()];
  }

  #apply(effects: Effects): void {
    for (const { path, content, copyOf } of effects.wrote) this.model.wrote(path, content, copyOf);
    if (effects.removed.length === 0) return;
    const live = this.#live(this.#read());
    for (const { path, content } of effects.removed) this.model.removedByUser(path, content, live);
  }

  #presentCopies(): Map<string, string> {
    const files = this.world.scanCloud().files;
    return new Map([...this.model.copies].filter(([copy]) => files.has(copy)));
  }

  async #run(
    m: Machine,
    options: { kill?: number; late?: number; mergeCopies: boolean; acceptDeletion: boolean; ignoreRecords?: boolean },
    index: number,
  ): Promise<{ violations: Violation[]; exit: number }> {
    this.world.clock.ms += 30_000;
    // This machine's own writes are in its own view of the cloud folder.
    this.#apply(this.client.deliver(index, { only: m }));
    const partial = this.client.partialPaths();
    const before = this.world.scanCloud();
    this.model.sawAtRunStart([...this.world.scanHome(m).files, ...[...before.files].filter(([path]) => !partial.has(path))], index);
    const outcome = await this.world.run(m, options);
    this.outcomes.push(`${m}: ${outcome.how}`);
    this.#lastOutcome[m] = outcome;
    const violations = this.#judge(m, outcome);
    violations.push(...this.model.readSnapshots(this.world.snapshotsOf(m)));
    if (options.late !== undefined) {
      const after = this.world.scanCloud();
      this.client.holdBack(m, new Map([...before.files, ...before.control]), new Map([...after.files, ...after.control]), options.late);
    }
    return { violations, exit: outcome.exit };
  }

  /** Exit 0, 2 (conflict) and 5 (safe stop) are outcomes; anything else is a failure. A finished run leaves no temp file. */
  #judge(m: Machine, outcome: RunOutcome): Violation[] {
    if (outcome.killed) return [];
    if (![0, 2, 5].includes(outcome.exit)) return [{ invariant: 'exit', detail: `${m}: exit ${outcome.exit} (${outcome.how}): ${outcome.detail ?? ''}` }];
    if (outcome.exit !== 0) return [];
    const temps = [...this.world.scanHome(m).temps.map((p) => `${m}/${p}`), ...this.world.scanCloud().temps.map((p) => `cloud/${p}`)];
    return temps.length === 0 ? [] : [{ invariant: 'temps', detail: `${m}: a finished run left temp files: ${temps.join(', ')}` }];
  }

  /** Everything delivered, then a, b, a (and b, a again after a safe stop): the three trees must agree, unless a conflict is pending. */
  async #quiet(seed: number, index: number): Promise<Violation[]> {
    this.world.clock.ms += 180_000; // locks of killed runs have expired
    this.#apply(this.client.deliver(seed, { all: true }));
    const violations: Violation[] = [];
    const exits: number[] = [];
    const runs: Machine[] = ['a', 'b', 'a'];
    for (let i = 0; i < runs.length; i += 1) {
      const run = await this.#run(runs[i] as Machine, { mergeCopies: false, acceptDeletion: true }, index);
      violations.push(...run.violations);
      exits.push(run.exit);
      if (i === 2 && exits.includes(5)) runs.push('b', 'a');
    }
    // A conflict needs a person: while one is pending, the machine that has it hands off
    // nothing, and the other may wait for its files. Nothing is compared then.
    if (exits.includes(2)) {
      this.quiet.conflicted += 1;
      return violations;
    }
    // Everything was delivered, yet a machine still waits. That is by design only for a version
    // the user put in the cloud folder by hand (a conflict copy taken over its original) that no
    // handoff record accounts for: codexSync cannot tell it from a file still arriving, and
    // `sync --apply --force` (ignoreHandoffRecord) is the documented way to take it. Such a
    // phase is forgiven, counted, and must then converge once --force took the hand edit on the
    // machines it blocked; a machine waiting for anything else fails the walk.
    const stuck = await this.#stuck(runs, exits);
    if (stuck.length > 0) {
      const byHand = this.#unaccountedHandEdits();
      const blocked = stuck.filter(({ waits }) => waits.some((path) => byHand.has(path))).map(({ m }) => m);
      // FUZZ_STUCK_FAILS=1 fails even the phases a hand edit explains, to find and shrink what leads to one.
      if (blocked.length === 0 || process.env.FUZZ_STUCK_FAILS === '1') return [this.#stuckViolation(runs, stuck, byHand)];
      this.quiet.stuck += 1;
      // A conflict met on the way needs a person, as above.
      const conflictAfter = (from: number): boolean => exits.slice(from).includes(2);
      let from = exits.length;
      violations.push(...(await this.#runAll([...blocked.map((m): [Machine, boolean] => [m, true]), ['a', false], ['b', false], ['a', false]], runs, exits, index)));
      if (conflictAfter(from)) {
        this.quiet.conflicted += 1;
        return violations;
      }
      let still = await this.#stuck(runs, exits);
      let left = this.#unaccountedHandEdits();
      // A hand edit at a path that is a link on a machine: --force there cannot take it either
      // (what is skipped is unknown). The note names the link; the user removes it, as the walk
      // does now, and --force takes the hand edit.
      const behindLink = (m: Machine, path: string): string | undefined => this.#linkOver(this.world.scanHome(m), path);
      if (still.length > 0 && still.every(({ m, waits }) => waits.length > 0 && waits.every((path) => left.has(path) && behindLink(m, path) !== undefined))) {
        for (const { m, waits } of still) for (const path of waits) this.#apply(this.world.userOp({ op: 'unlink', m, path: behindLink(m, path) as string }));
        from = exits.length;
        violations.push(...(await this.#runAll([...still.map(({ m }): [Machine, boolean] => [m, true]), ['a', false], ['b', false], ['a', false]], runs, exits, index)));
        if (conflictAfter(from)) {
          this.quiet.conflicted += 1;
          return violations;
        }
        [still, left] = [await this.#stuck(runs, exits), this.#unaccountedHandEdits()];
      }
      if (still.length > 0) return [this.#stuckViolation(runs, still, left, ' once --force took the hand edit')];
    }
    if (violations.length > 0) return violations;
    this.quiet.compared += 1;
    const scans = { a: this.world.scanHome('a'), b: this.world.scanHome('b'), cloud: this.world.scanCloud() };
    const trees = { a: scans.a.files, b: scans.b.files, cloud: scans.cloud.files };
    const paths = [...new Set([...trees.a.keys(), ...trees.b.keys(), ...trees.cloud.keys(), ...scans.a.links.keys(), ...scans.b.links.keys()])].sort();
    // What a tree holds at or below a link is unknown to codexSync there (what is skipped is
    // unknown, by design): that tree is left out for the path, and the others must agree. Below
    // a link in the cloud nothing flows between the machines at all.
    const linked = (name: 'a' | 'b' | 'cloud', path: string): boolean => this.#linked(scans[name], path);
    const differ = paths.filter((p) => {
      if (linked('cloud', p)) return false;
      const seen = (['a', 'b', 'cloud'] as const).filter((name) => !linked(name, p)).map((name) => trees[name].get(p)?.content);
      return seen.some((content) => content !== seen[0]);
    });
    if (differ.length === 0) return [];
    const show = (node: FileNode | undefined): string => (node === undefined ? 'absent' : `${node.content.length} bytes`);
    const lines = differ.slice(0, 6).map((p) => `${p} (a: ${show(trees.a.get(p))}, b: ${show(trees.b.get(p))}, cloud: ${show(trees.cloud.get(p))})`);
    return [{ invariant: 'converge', detail: `after quiet runs (${this.outcomes.slice(-runs.length).join('; ')}), the trees differ at ${lines.join('; ')}` }];
  }

  /**
   * Runs each machine in turn (`true`: with --force), adding to this phase's runs and exits; as
   * in a quiet phase, a safe stop of a run without --force (one that waited, or a file that
   * changed under it) earns b and a one more run each.
   */
  async #runAll(order: ReadonlyArray<[Machine, boolean]>, runs: Machine[], exits: number[], index: number): Promise<Violation[]> {
    const violations: Violation[] = [];
    const from = exits.length;
    const safeStop = (): boolean => exits.slice(from).some((exit, i) => exit === 5 && order[i]?.[1] === false);
    for (const [m, force] of [...order, ...(['b', 'a'] as const).map((m): [Machine, boolean] => [m, false])]) {
      if (exits.length - from === order.length && !safeStop()) break;
      const run = await this.#run(m, { mergeCopies: false, acceptDeletion: true, ignoreRecords: force }, index);
      violations.push(...run.violations);
      exits.push(run.exit);
      runs.push(m);
    }
    return violations;
  }

  /**
   * The machines whose last run in this quiet phase stopped safely (exit 5), with what they wait
   * for: what a plan of theirs awaits, and the files whose bytes their last run found other than
   * the record says while copying them.
   */
  async #stuck(runs: readonly Machine[], exits: readonly number[]): Promise<Array<{ m: Machine; waits: string[] }>> {
    const stuck: Array<{ m: Machine; waits: string[] }> = [];
    for (const m of ['a', 'b'] as const) {
      if (exits[runs.lastIndexOf(m)] !== 5) continue;
      const last = this.#lastOutcome[m];
      const copied = last?.how === 'arrival-pending' ? ((JSON.parse(last.detail ?? '{}') as { paths?: string[] }).paths ?? []) : [];
      stuck.push({ m, waits: [...new Set([...(await this.world.waitingFor(m)), ...copied])].sort() });
    }
    return stuck;
  }

  #stuckViolation(runs: readonly Machine[], stuck: ReadonlyArray<{ m: Machine; waits: string[] }>, byHand: ReadonlySet<string>, when = ''): Violation {
    const waits = stuck.map(({ m, waits }) => `${m} for ${waits.length === 0 ? 'nothing a plan names' : waits.map((path) => (byHand.has(path) ? `${path} (put there by hand)` : path)).join(', ')}`);
    return { invariant: 'converge', detail: `stuck${when}: after quiet runs (${this.outcomes.slice(-runs.length).join('; ')}) still waiting: ${waits.join('; ')}` };
  }

  /** Whether a tree has a link over `path` (see #linkOver). */
  #linked(tree: TreeScan, path: string): boolean {
    return this.#linkOver(tree, path) !== undefined;
  }

  /** The link of a tree at `path` or above it, or below it where `path` is there a folder holding no file (as codexSync tells unknown paths). */
  #linkOver(tree: TreeScan, path: string): string | undefined {
    const links = [...tree.links.keys()];
    const over = links.find((link) => path === link || path.startsWith(`${link}/`));
    if (over !== undefined || [...tree.files.keys()].some((file) => file.startsWith(`${path}/`))) return over;
    return links.find((link) => link.startsWith(`${path}/`));
  }

  /**
   * Hand-placed versions still in the cloud folder that the newest record listing their path
   * does not list with their hash (the version before may be the newest record's: not its news).
   */
  #unaccountedHandEdits(): Set<string> {
    const cloud = this.world.scanCloud();
    const records: Array<{ sequence: number; createdAt: string; files: Record<string, { sha256: string }> }> = [];
    for (const [path, node] of cloud.control) if (/^\.codexsync\/handoff-.*\.json$/.test(path)) records.push(JSON.parse(node.content) as (typeof records)[number]);
    records.sort((x, y) => y.sequence - x.sequence || y.createdAt.localeCompare(x.createdAt));
    const unaccounted = new Set<string>();
    for (const [path, content] of this.#handEdits) {
      if (cloud.files.get(path)?.content !== content) this.#handEdits.delete(path);
      else if (records.find((record) => record.files[path] !== undefined)?.files[path]?.sha256 !== createHash('sha256').update(content, 'latin1').digest('hex')) unaccounted.add(path);
    }
    return unaccounted;
  }

  #read(): View {
    return {
      homes: { a: this.world.scanHome('a'), b: this.world.scanHome('b') },
      cloud: this.world.scanCloud(),
      held: this.client.held,
      copies: this.model.copies,
    };
  }

  #live(view: View): Live {
    return {
      trees: [
        { name: 'a', files: view.homes.a.files },
        { name: 'b', files: view.homes.b.files },
        { name: 'cloud', files: view.cloud.files },
      ],
      held: this.client.held.flatMap((h) => (h.content === null ? [] : [{ path: h.path, content: h.content }])),
      copies: this.model.copies,
    };
  }

  /** The invariants that hold after every step: nothing torn, nothing written outside, nothing lost. */
  #check(): Violation[] {
    const view = (this.#view = this.#read());
    const partial = this.client.partialPaths();
    const violations = [...this.model.checkTorn('a', view.homes.a.files), ...this.model.checkTorn('b', view.homes.b.files), ...this.model.checkTorn('cloud', view.cloud.files, partial)];
    for (const [path, node] of view.cloud.control) {
      if (!/^\.codexsync\/handoff-.*\.json$/.test(path) || partial.has(path)) continue;
      try {
        JSON.parse(node.content);
      } catch {
        violations.push({ invariant: 'torn', detail: `cloud/${path} is not whole JSON (${node.content.length} bytes)` });
      }
    }
    // A real kill stops every write at once; here the writes under way are waited for, and one that lands later is the walk's fault, not the engine's.
    for (const late of this.world.lateWrites.splice(0)) violations.push({ invariant: 'exit', detail: `the walk's stand-in for a kill let a write land later (${late}): rerun; not an engine defect` });
    if (fingerprint(this.world.outside) !== this.#outside) violations.push({ invariant: 'outside', detail: 'a file or link target outside every root changed' });
    const top = readdirSync(this.world.dir).sort().join();
    if (top !== expectedTopLevel) violations.push({ invariant: 'outside', detail: `the walk's folder holds ${top}` });
    violations.push(...this.model.checkLost(this.#live(view)));
    return violations;
  }
}
