import { describe, expect, it } from 'vitest';
import { buildPlan, type ContentProbe } from '../../../src/core/plan/build.ts';
import { decide, type ContentFacts, type Decision, type PathFacts, type Rules } from '../../../src/core/plan/decide.ts';
import { settleTypeChanges } from '../../../src/core/plan/shapes.ts';
import type { FileStat, Side } from '../../../src/core/facts.ts';
import type { SideScan, SkippedEntry } from '../../../src/core/scan/index.ts';
import type { BaseEntry } from '../../../src/core/state/base.ts';

const rules = (over: Partial<Rules> = {}): Rules => ({
  compare: 'mtime',
  toleranceMs: 0,
  equalMtimeAction: 'skip',
  deletePolicy: 'never',
  conflictPolicy: 'manual_abort',
  isMergeable: (path) => path === 'history.jsonl',
  isAppendOnly: (path) => path.startsWith('sessions/'),
  isThread: () => false,
  ...over,
});

const stat = (size: number, mtimeMs: number): FileStat => ({ size, mtimeMs });
const base = (size: number, local: number, cloud: number, sha256 = 'b'.repeat(64)): BaseEntry => ({ size, sha256, localMtimeMs: local, cloudMtimeMs: cloud });
const facts = (local: FileStat | undefined, cloud: FileStat | undefined, b?: BaseEntry, path = 'skills/x/SKILL.md'): PathFacts => ({ path, local, cloud, base: b });

function run(f: PathFacts, r: Rules, content: ContentFacts = {}): Decision {
  return decide(f, content, r);
}

describe('three-way decisions with a base', () => {
  const b = base(10, 1000, 2000);
  const cases: Array<[string, PathFacts, Partial<Rules>, Decision]> = [
    ['unchanged on both sides', facts(stat(10, 1000), stat(10, 2000), b), {}, { kind: 'none' }],
    ['changed here only -> push', facts(stat(11, 1500), stat(10, 2000), b), {}, { kind: 'copy', from: 'local', reason: 'changed' }],
    ['changed in the cloud only -> pull', facts(stat(10, 1000), stat(10, 2500), b), {}, { kind: 'copy', from: 'cloud', reason: 'changed' }],
    ['deleted here, never -> brought back', facts(undefined, stat(10, 2000), b), {}, { kind: 'copy', from: 'cloud', reason: 'restored' }],
    ['deleted in cloud, never -> brought back', facts(stat(10, 1000), undefined, b), {}, { kind: 'copy', from: 'local', reason: 'restored' }],
    ['deleted here, propagate -> delete in cloud', facts(undefined, stat(10, 2000), b), { deletePolicy: 'propagate' }, { kind: 'delete', side: 'cloud' }],
    ['deleted in cloud, propagate -> delete here', facts(stat(10, 1000), undefined, b), { deletePolicy: 'propagate' }, { kind: 'delete', side: 'local' }],
    ['deleted on both -> the base entry goes', facts(undefined, undefined, b), {}, { kind: 'forget-base' }],
    ['deleted here, edited in cloud -> edit wins', facts(undefined, stat(12, 2600), b), { deletePolicy: 'propagate' }, { kind: 'copy', from: 'cloud', reason: 'edit-beats-delete' }],
    ['edited here, deleted in cloud -> edit wins', facts(stat(12, 1600), undefined, b), { deletePolicy: 'propagate' }, { kind: 'copy', from: 'local', reason: 'edit-beats-delete' }],
    ['within the time tolerance counts as unchanged', facts(stat(10, 1900), stat(10, 2000), b), { toleranceMs: 1000 }, { kind: 'refresh-base', sha256: b.sha256 }],
  ];
  it.each(cases)('%s', (_name, f, r, expected) => {
    expect(run(f, rules(r))).toEqual(expected);
  });
});

describe('no base yet: never delete', () => {
  it('only here -> push as new', () => expect(run(facts(stat(1, 1), undefined), rules({ deletePolicy: 'propagate' }))).toEqual({ kind: 'copy', from: 'local', reason: 'new' }));
  it('only in cloud -> pull as new', () => expect(run(facts(undefined, stat(1, 1)), rules({ deletePolicy: 'propagate' }))).toEqual({ kind: 'copy', from: 'cloud', reason: 'new' }));
  it('on both, same size -> asks for both hashes, then refreshes the base when identical', () => {
    const f = facts(stat(5, 1), stat(5, 9));
    expect(run(f, rules())).toEqual({ kind: 'need', hashes: ['local', 'cloud'], prefix: false });
    expect(run(f, rules(), { localHash: 'h', cloudHash: 'h' })).toEqual({ kind: 'refresh-base', sha256: 'h' });
  });
  it('on both, different content and times -> a no-base conflict decided by conflict.policy', () => {
    const f = facts(stat(5, 1), stat(6, 9));
    expect(run(f, rules())).toEqual({ kind: 'conflict', conflict: 'no-base', resolution: undefined });
    expect(run(f, rules({ conflictPolicy: 'prefer_newer_mtime' }))).toEqual({ kind: 'conflict', conflict: 'no-base', resolution: { winner: 'cloud', by: 'conflict.policy = "prefer_newer_mtime"' } });
  });
});

describe('changed on both sides', () => {
  const b = base(10, 1000, 2000);
  const both = facts(stat(12, 1500), stat(14, 2500), b);
  it('identical now -> not a conflict', () => {
    const same = facts(stat(12, 1500), stat(12, 2500), b);
    expect(run(same, rules(), { localHash: 'x', cloudHash: 'x' })).toEqual({ kind: 'refresh-base', sha256: 'x' });
  });
  it.each([
    ['manual_abort', undefined],
    ['prefer_local', { winner: 'local', by: 'conflict.policy = "prefer_local"' }],
    ['prefer_cloud', { winner: 'cloud', by: 'conflict.policy = "prefer_cloud"' }],
    ['prefer_newer_mtime', { winner: 'cloud', by: 'conflict.policy = "prefer_newer_mtime"' }],
  ] as const)('conflict.policy = %s', (policy, resolution) => {
    expect(run(both, rules({ conflictPolicy: policy }))).toEqual({ kind: 'conflict', conflict: 'both-changed', resolution });
  });
  it('mergeable JSONL -> merge', () => {
    expect(run(facts(stat(12, 1500), stat(14, 2500), b, 'history.jsonl'), rules())).toEqual({ kind: 'merge' });
  });
  it('append-only rollout where one side extends the other -> the longer wins', () => {
    const f = facts(stat(12, 1500), stat(14, 2500), b, 'sessions/2026/11/25/r.jsonl');
    expect(run(f, rules())).toEqual({ kind: 'need', hashes: [], prefix: true });
    expect(run(f, rules(), { prefix: true })).toEqual({ kind: 'copy', from: 'cloud', reason: 'appended' });
    expect(run(f, rules(), { prefix: false })).toEqual({ kind: 'conflict', conflict: 'both-changed', resolution: undefined });
  });
});

describe('a thread changed in the cloud only', () => {
  const b = base(10, 1000, 2000);
  const thread = rules({ isThread: () => true });
  const path = 'archived_sessions/r.jsonl';
  it('continued there (this version a prefix of it) -> pulled', () => {
    const f = facts(stat(10, 1000), stat(14, 2500), b, path);
    expect(run(f, thread)).toEqual({ kind: 'need', hashes: [], prefix: true });
    expect(run(f, thread, { prefix: true })).toEqual({ kind: 'copy', from: 'cloud', reason: 'changed' });
  });
  it('another version there (a fork settled on the other machine) -> Codex drops this one first', () => {
    expect(run(facts(stat(10, 1000), stat(12, 2500), b, path), thread, { prefix: false })).toEqual({ kind: 'copy', from: 'cloud', reason: 'changed', replaceThread: true });
  });
  it('the same bytes with a new time (named there through an unarchive) -> only the base is refreshed', () => {
    expect(run(facts(stat(10, 1000), stat(10, 2500), b, path), thread, { prefix: true })).toEqual({ kind: 'refresh-base', sha256: b.sha256 });
  });
});

describe('equal modification times, different content', () => {
  const f = facts(stat(5, 7000), stat(6, 7000));
  it.each([
    ['skip', { kind: 'skip', why: 'same modification time, different content: left as is (sync.equal_mtime_action = "skip")' }],
    ['prefer_local', { kind: 'copy', from: 'local', reason: 'equal-mtime-resolved' }],
    ['prefer_cloud', { kind: 'copy', from: 'cloud', reason: 'equal-mtime-resolved' }],
    ['manual_abort', { kind: 'conflict', conflict: 'equal-mtime', resolution: undefined }],
  ] as const)('equal_mtime_action = %s', (action, expected) => {
    expect(run(f, rules({ equalMtimeAction: action, conflictPolicy: 'prefer_local' }))).toEqual(expected);
  });
  it('same size and time: the content decides (hashes are read), never silently equal', () => {
    expect(run(facts(stat(5, 7000), stat(5, 7000)), rules())).toEqual({ kind: 'need', hashes: ['local', 'cloud'], prefix: false });
    expect(run(facts(stat(5, 7000), stat(5, 7000)), rules(), { localHash: 'a', cloudHash: 'b' }).kind).toBe('skip');
  });
});

describe('compare modes', () => {
  const b = base(10, 1000, 2000, 'f'.repeat(64));
  const touched = facts(stat(10, 1700), stat(10, 2000), b);
  it('mtime: a moved time with the same size is a change', () => {
    expect(run(touched, rules())).toEqual({ kind: 'copy', from: 'local', reason: 'changed' });
  });
  it('mtime_hash_fallback: reads the file; same content -> only the base is refreshed', () => {
    const r = rules({ compare: 'mtime_hash_fallback' });
    expect(run(touched, r)).toEqual({ kind: 'need', hashes: ['local'], prefix: false });
    expect(run(touched, r, { localHash: 'f'.repeat(64) })).toEqual({ kind: 'refresh-base', sha256: 'f'.repeat(64) });
    expect(run(touched, r, { localHash: 'e'.repeat(64) })).toEqual({ kind: 'copy', from: 'local', reason: 'changed' });
  });
  it('an unchanged tree needs no content in either mode', () => {
    for (const compare of ['mtime', 'mtime_hash_fallback'] as const) {
      expect(run(facts(stat(10, 1000), stat(10, 2000), b), rules({ compare }))).toEqual({ kind: 'none' });
    }
  });
});

describe('mtime_hash_fallback: equal size and time on both sides are compared by content', () => {
  const r = (over: Partial<Rules> = {}): Rules => rules({ compare: 'mtime_hash_fallback', ...over });
  const withIno = (size: number, mtimeMs: number, ino: number): FileStat => ({ size, mtimeMs, ino });
  const cached = { ...base(10, 5000, 5000, 'c'.repeat(64)), localIno: 11, cloudIno: 22 };

  it('both sides as the base recorded them, inodes included: the cached hash is used, nothing is read', () => {
    expect(run(facts(withIno(10, 5000, 11), withIno(10, 5000, 22), cached), r())).toEqual({ kind: 'none' });
  });
  it('a side whose inode changed (a file replaced, same size and time) is read', () => {
    expect(run(facts(withIno(10, 5000, 11), withIno(10, 5000, 99), cached), r())).toEqual({ kind: 'need', hashes: ['cloud'], prefix: false });
  });
  it('a base without inodes (written before they were kept) reads both sides once, then records them', () => {
    const old = base(10, 5000, 5000, 'c'.repeat(64));
    const f = facts(withIno(10, 5000, 11), withIno(10, 5000, 22), old);
    expect(run(f, r())).toEqual({ kind: 'need', hashes: ['local', 'cloud'], prefix: false });
    expect(run(f, r(), { localHash: 'c'.repeat(64), cloudHash: 'c'.repeat(64) })).toEqual({ kind: 'refresh-base', sha256: 'c'.repeat(64) });
  });
  it.each([
    ['skip', { kind: 'skip', why: 'same modification time, different content: left as is (sync.equal_mtime_action = "skip")' }],
    ['prefer_local', { kind: 'copy', from: 'local', reason: 'equal-mtime-resolved' }],
    ['prefer_cloud', { kind: 'copy', from: 'cloud', reason: 'equal-mtime-resolved' }],
    ['manual_abort', { kind: 'conflict', conflict: 'equal-mtime', resolution: undefined }],
  ] as const)('same stats, different content -> equal_mtime_action = %s decides, even where the base saw no change', (action, expected) => {
    const f = facts(withIno(10, 5000, 11), withIno(10, 5000, 99), cached);
    expect(run(f, r({ equalMtimeAction: action }), { cloudHash: 'd'.repeat(64) })).toEqual(expected);
  });
  it('mtime (the default) keeps trusting equal stats', () => {
    expect(run(facts(withIno(10, 5000, 11), withIno(10, 5000, 99), cached), rules())).toEqual({ kind: 'none' });
  });
});

/** Decides each path on its own, then as a file/folder group (what buildPlan does after reading content). */
function decideAll(all: PathFacts[], r: Rules): Array<[string, Decision]> {
  const decisions = all.map((f) => decide(f, {}, r));
  settleTypeChanges(all, decisions);
  return all.map((f, i) => [f.path, decisions[i] as Decision]);
}

describe('a file on one side, a folder of the same name on the other', () => {
  const b = base(4, 1000, 1000);
  const file = stat(4, 1000);
  const inFolder = stat(9, 3000);
  it.each(['never', 'propagate'] as const)('a folder made where an unchanged file was: the file goes (whatever delete_policy = %s says), the folder comes', (policy) => {
    const all = [facts(undefined, file, b, 'skills/x'), facts(inFolder, undefined, undefined, 'skills/x/SKILL.md')];
    expect(decideAll(all, rules({ deletePolicy: policy }))).toEqual([
      ['skills/x', { kind: 'delete', side: 'cloud', reason: 'became-folder' }],
      ['skills/x/SKILL.md', { kind: 'copy', from: 'local', reason: 'new' }],
    ]);
  });
  it.each(['never', 'propagate'] as const)('a file made where an unchanged folder was: its files go (delete_policy = %s), the file comes', (policy) => {
    const all = [
      facts(undefined, stat(5, 3000), undefined, 'skills/x'),
      facts(inFolder, undefined, base(9, 3000, 3000), 'skills/x/SKILL.md'),
      facts(stat(2, 3000), undefined, base(2, 3000, 3000), 'skills/x/a/b.md'),
    ];
    expect(decideAll(all, rules({ deletePolicy: policy }))).toEqual([
      ['skills/x', { kind: 'copy', from: 'cloud', reason: 'new' }],
      ['skills/x/SKILL.md', { kind: 'delete', side: 'local', reason: 'became-file' }],
      ['skills/x/a/b.md', { kind: 'delete', side: 'local', reason: 'became-file' }],
    ]);
  });
  it('a folder made where the other side edited the file: a type conflict, the folder held with it', () => {
    const all = [facts(undefined, stat(6, 4000), b, 'skills/x'), facts(inFolder, undefined, undefined, 'skills/x/SKILL.md')];
    expect(decideAll(all, rules({ conflictPolicy: 'prefer_local' }))).toEqual([
      ['skills/x', { kind: 'conflict', conflict: 'type', resolution: undefined, below: ['skills/x/SKILL.md'] }],
      ['skills/x/SKILL.md', { kind: 'held' }],
    ]);
  });
  it('a file made where the other side added to the folder, or both new (no base): a type conflict', () => {
    const added = [
      facts(undefined, stat(5, 3000), undefined, 'skills/x'),
      facts(inFolder, undefined, base(9, 3000, 3000), 'skills/x/SKILL.md'),
      facts(stat(3, 3000), undefined, undefined, 'skills/x/new.md'),
    ];
    expect(decideAll(added, rules())[0]).toEqual(['skills/x', { kind: 'conflict', conflict: 'type', resolution: undefined, below: ['skills/x/SKILL.md', 'skills/x/new.md'] }]);
    const fresh = [facts(stat(5, 3000), undefined, undefined, 'skills/x'), facts(undefined, inFolder, undefined, 'skills/x/SKILL.md')];
    expect(decideAll(fresh, rules())[0]).toEqual(['skills/x', { kind: 'conflict', conflict: 'type', resolution: undefined, below: ['skills/x/SKILL.md'] }]);
  });
  it('names that only start alike are not below one another', () => {
    const all = [facts(file, file, b, 'skills/x'), facts(inFolder, undefined, undefined, 'skills/x-2/SKILL.md')];
    expect(decideAll(all, rules())).toEqual([
      ['skills/x', { kind: 'none' }],
      ['skills/x-2/SKILL.md', { kind: 'copy', from: 'local', reason: 'new' }],
    ]);
  });
});

describe('what the scan skipped on a side is unknown there', () => {
  const scan = (side: Side, files: Record<string, FileStat>, skipped: SkippedEntry[] = []): SideScan => ({
    side,
    root: `/${side}`,
    rootExists: true,
    files: new Map(Object.entries(files)),
    skipped,
    leftoverTemps: [],
    conflictCopies: [],
  });
  const noContent: ContentProbe = {
    hash: () => Promise.reject(new Error('no content is read')),
    isPrefix: () => Promise.reject(new Error('no content is read')),
    rolloutBytes: () => Promise.reject(new Error('no content is read')),
  };
  const synced = stat(3, 1000);
  const entries = new Map([
    ['skills/x/SKILL.md', base(3, 1000, 1000)],
    ['skills/x/deep/notes.md', base(3, 1000, 1000)],
    ['skills/y/SKILL.md', base(3, 1000, 1000)],
  ]);
  it('an unreadable cloud folder under delete_policy = "propagate": nothing below it is deleted here, nothing new is copied into it, base entries stay', async () => {
    const local = scan('local', { 'skills/x/SKILL.md': synced, 'skills/x/deep/notes.md': synced, 'skills/x/new.md': stat(1, 2000), 'skills/y/SKILL.md': synced });
    const cloud = scan('cloud', { 'skills/y/SKILL.md': synced }, [{ path: 'skills/x', why: 'unreadable' }]);
    const plan = await buildPlan(
      {
        machineId: 'a',
        local,
        cloud,
        base: { machineId: 'a', localRoot: '/local', cloudRoot: '/cloud', syncedAt: undefined, handoffSeen: undefined, entries, marks: new Map() },
        rules: rules({ deletePolicy: 'propagate' }),
        inScope: () => true,
        sessionFilter: undefined,
        codexAvailable: false,
      },
      noContent,
    );
    expect(plan.actions).toEqual([]);
    expect(plan.baseForgets).toEqual([]);
    expect(plan.unknown).toEqual(['skills/x/SKILL.md', 'skills/x/deep/notes.md', 'skills/x/new.md']);
    expect(plan.notices).toEqual([{ code: 'skipped', side: 'cloud', path: 'skills/x', why: 'unreadable', leftAlone: 3 }]);
    expect(plan.unchanged).toBe(1);
  });
  it('an unreadable root on one side: every path is unknown, nothing is deleted or copied', async () => {
    const local = scan('local', { 'skills/y/SKILL.md': synced }, [{ path: '', why: 'unreadable' }]);
    const cloud = scan('cloud', { 'skills/z/SKILL.md': synced });
    const plan = await buildPlan(
      {
        machineId: 'a',
        local,
        cloud,
        base: { machineId: 'a', localRoot: '/local', cloudRoot: '/cloud', syncedAt: undefined, handoffSeen: undefined, entries, marks: new Map() },
        rules: rules({ deletePolicy: 'propagate' }),
        inScope: () => true,
        sessionFilter: undefined,
        codexAvailable: false,
      },
      noContent,
    );
    expect(plan.actions).toEqual([]);
    expect(plan.baseForgets).toEqual([]);
    expect(plan.unknown).toEqual(['skills/x/SKILL.md', 'skills/x/deep/notes.md', 'skills/y/SKILL.md', 'skills/z/SKILL.md']);
  });
});

describe('paths equal but for case or Unicode normalisation', () => {
  const scan = (side: Side, paths: string[]): SideScan => ({
    side,
    root: `/${side}`,
    rootExists: true,
    files: new Map(paths.map((path) => [path, stat(3, 1000)])),
    skipped: [],
    leftoverTemps: [],
    conflictCopies: [],
  });
  it('are case conflicts, every one of them, and are never copied; other paths are planned as ever', async () => {
    const local = scan('local', ['skills/Review/SKILL.md', 'skills/caf\u00e9/SKILL.md', 'skills/plain/SKILL.md', 'sessions/2026/rollout-2026-01-01T00-00-00-x.jsonl']);
    const cloud = scan('cloud', ['skills/review/SKILL.md', 'skills/REVIEW/SKILL.md', 'skills/cafe\u0301/SKILL.md', 'skills/other/SKILL.md']);
    const plan = await buildPlan(
      {
        machineId: 'a',
        local,
        cloud,
        base: { machineId: 'a', localRoot: '/local', cloudRoot: '/cloud', syncedAt: undefined, handoffSeen: undefined, entries: new Map(), marks: new Map() },
        rules: rules(),
        inScope: () => true,
        sessionFilter: undefined,
        codexAvailable: false,
      },
      { hash: () => Promise.reject(new Error('no content is read')), isPrefix: () => Promise.reject(new Error('no')), rolloutBytes: () => Promise.reject(new Error('no')) },
    );
    expect(plan.conflicts.map((c) => [c.path, c.kind])).toEqual([
      ['skills/REVIEW/SKILL.md', 'case'],
      ['skills/Review/SKILL.md', 'case'],
      ['skills/cafe\u0301/SKILL.md', 'case'],
      ['skills/caf\u00e9/SKILL.md', 'case'],
      ['skills/review/SKILL.md', 'case'],
    ]);
    expect(plan.actions.map((a) => [a.kind, a.path])).toEqual([
      ['copy', 'sessions/2026/rollout-2026-01-01T00-00-00-x.jsonl'],
      ['copy', 'skills/other/SKILL.md'],
      ['copy', 'skills/plain/SKILL.md'],
    ]);
  });
});
