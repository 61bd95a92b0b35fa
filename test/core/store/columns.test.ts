import { describe, expect, it } from 'vitest';
import { BaseColumns, DigestColumns, DigestListing, internPath, PathFlags, PathSet, StatColumns } from '../../../src/core/store/index.ts';

const sha = (c: string): string => c.repeat(64);

describe('columns behind the Map interface', () => {
  it("a scan's files behave as a Map: set, get, has, delete, size, insertion order, a deleted path added again comes last", () => {
    const files = new StatColumns();
    const plain = new Map<string, { size: number; mtimeMs: number; ino?: number }>();
    for (let i = 0; i < 300; i += 1) {
      const stat = i % 3 === 0 ? { size: i, mtimeMs: 1_795_000_000_000 + i } : { size: i, mtimeMs: 1_795_000_000_000 + i, ino: 2 ** 33 + i };
      files.set(`sessions/${i}.jsonl`, stat);
      plain.set(`sessions/${i}.jsonl`, stat);
    }
    for (let i = 0; i < 300; i += 7) {
      expect(files.delete(`sessions/${i}.jsonl`)).toBe(plain.delete(`sessions/${i}.jsonl`));
    }
    expect(files.delete('sessions/0.jsonl')).toBe(false);
    files.add('sessions/7.jsonl', 1, 2, undefined);
    plain.set('sessions/7.jsonl', { size: 1, mtimeMs: 2 });
    files.set('sessions/8.jsonl', { size: 9, mtimeMs: 9, ino: 9 });
    plain.set('sessions/8.jsonl', { size: 9, mtimeMs: 9, ino: 9 });
    expect(files.size).toBe(plain.size);
    expect([...files]).toEqual([...plain]);
    expect([...files.keys()]).toEqual([...plain.keys()]);
    expect([...files.values()]).toEqual([...plain.values()]);
    expect(files.get('sessions/14.jsonl')).toBeUndefined();
    expect(files.has('sessions/8.jsonl')).toBe(true);
    const seen: string[] = [];
    files.forEach((_stat, path) => seen.push(path));
    expect(seen).toEqual([...plain.keys()]);
    expect(new Map(files)).toEqual(plain);
    files.clear();
    expect([files.size, [...files]]).toEqual([0, []]);
  });

  it('base entries and record files give back the hex digest they were given; paths are one string per process', () => {
    const base = new BaseColumns();
    base.set('a', { size: 1, sha256: sha('a'), localMtimeMs: 2, cloudMtimeMs: 3, cloudIno: 4 });
    expect(base.get('a')).toEqual({ size: 1, sha256: sha('a'), localMtimeMs: 2, cloudMtimeMs: 3, cloudIno: 4 });
    const listed = new DigestColumns();
    listed.set('a', { size: 5, sha256: sha('f') });
    expect(listed.get('a')).toEqual({ size: 5, sha256: sha('f') });
    expect(() => listed.set('b', { size: 1, sha256: 'not a digest' })).toThrow('internal: not a SHA-256');
    const path = ['sessions', 'x.jsonl'].join('/');
    expect(internPath(path)).toBe(internPath('sessions/x.jsonl'));
  });
});

describe("rows found by the path's number for the process", () => {
  it('each table holds only its own paths; one cleared holds none and takes paths again', () => {
    const a = new DigestListing();
    const b = new DigestListing();
    a.set('skills/a.md', sha('a'));
    b.set('skills/b.md', sha('b'));
    expect([a.has('skills/b.md'), b.has('skills/a.md'), a.get('skills/a.md'), b.get('skills/b.md')]).toEqual([false, false, sha('a'), sha('b')]);
    expect([a.has('never/seen.md'), a.get('never/seen.md'), a.delete('never/seen.md')]).toEqual([false, undefined, false]);
    a.clear();
    expect([a.size, a.has('skills/a.md'), [...a.keys()]]).toEqual([0, false, []]);
    a.set('skills/b.md', sha('c'));
    expect([...a]).toEqual([['skills/b.md', sha('c')]]);
    expect([...b]).toEqual([['skills/b.md', sha('b')]]);
  });

  it('iterated as a Map is: a path deleted on the way is not seen, one added on the way is, last', () => {
    const files = new StatColumns();
    const plain = new Map<string, { size: number; mtimeMs: number }>();
    for (const map of [files, plain] as Array<Map<string, { size: number; mtimeMs: number }>>) {
      for (const name of ['a', 'b', 'c']) map.set(name, { size: 1, mtimeMs: 1 });
    }
    const walk = (map: Map<string, { size: number; mtimeMs: number }>): string[] => {
      const seen: string[] = [];
      for (const [path] of map) {
        seen.push(path);
        if (seen.length === 1) {
          map.delete('b');
          map.delete('a');
          map.set('a', { size: 2, mtimeMs: 2 });
          map.set('d', { size: 3, mtimeMs: 3 });
        }
      }
      return seen;
    };
    expect(walk(files)).toEqual(walk(plain));
    expect([...files]).toEqual([...plain]);
  });

  it('a yes or no kept for the paths that have a number; a path that has none is not kept', () => {
    const flags = new PathFlags();
    const known = internPath('sessions/2026/11/30/known.jsonl');
    flags.set(known, true);
    flags.set('sessions/2026/11/30/never-interned.jsonl', true);
    expect([flags.get(known), flags.get('sessions/2026/11/30/never-interned.jsonl')]).toEqual([true, undefined]);
    flags.set(known, false);
    expect(flags.get(known)).toBe(false);
  });
});

describe('a set of paths by their numbers', () => {
  it('as a Set is: add, has, delete, size; iterated in the order the paths got their numbers', () => {
    const numbered = ['skills/set/1.md', 'skills/set/2.md', 'skills/set/3.md'].map(internPath);
    const set = new PathSet();
    set
      .add(numbered[2] as string)
      .add(numbered[0] as string)
      .add(numbered[0] as string);
    expect([set.size, set.has(numbered[0] as string), set.has(numbered[1] as string), set.has('skills/set/never.md')]).toEqual([2, true, false, false]);
    expect([...set]).toEqual([numbered[0], numbered[2]]);
    expect([set.delete(numbered[0] as string), set.delete(numbered[0] as string), set.delete('skills/set/never.md')]).toEqual([true, false, false]);
    set.add('skills/set/4.md');
    expect([set.size, [...set]]).toEqual([2, [numbered[2], 'skills/set/4.md']]);
  });
});

describe('columns compared', () => {
  it('as Maps are: the same entries in another order are equal, another value is not', () => {
    const a = new StatColumns();
    const b = new StatColumns();
    a.set('x', { size: 1, mtimeMs: 2 });
    a.set('y', { size: 3, mtimeMs: 4, ino: 5 });
    b.set('y', { size: 3, mtimeMs: 4, ino: 5 });
    b.set('x', { size: 1, mtimeMs: 2 });
    expect(a).toEqual(b);
    b.set('x', { size: 1, mtimeMs: 3 });
    expect(a).not.toEqual(b);
  });
});
