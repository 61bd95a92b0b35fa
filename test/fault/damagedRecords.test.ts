// A handoff record the cloud client has not finished writing, or one that is damaged or hostile,
// is a handoff that has not arrived: no apply takes a file from the cloud until it can be read.
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePlan, sync } from '../../src/core/engine/index.ts';
import { CodexSyncError, type RecordDamage } from '../../src/core/errors.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { withEngine, workspace, writeFile, type Workspace } from '../helpers/workspace.ts';
import { listTree } from '../scenarios/runner.ts';

const cli = (ws: Workspace, ...args: string[]) => runCli(['-c', ws.config, ...args], { cwd: ws.dir });

const engine = withEngine;

/** a handed off twice; b took the first handoff and now finds a's second one in the cloud folder. */
async function secondHandoffOfA(): Promise<{ a: Workspace; b: Workspace; record: string }> {
  const dir = tempDir();
  const a = workspace(dir, { machine: 'a' });
  const b = workspace(dir, { machine: 'b' });
  writeFile(a.home, 'skills/one/SKILL.md', 'one\n');
  writeFile(a.home, 'skills/two/SKILL.md', 'two\n');
  expect((await engine(a, (ctx) => sync(ctx, { apply: true }))).exitCode).toBe(0);
  expect((await engine(b, (ctx) => sync(ctx, { apply: true }))).exitCode).toBe(0);
  writeFile(a.home, 'skills/two/SKILL.md', 'two, edited on a\n', new Date('2026-03-01T00:00:00Z'));
  writeFile(a.home, 'skills/three/SKILL.md', `three ${'x'.repeat(200)}\n`);
  expect((await engine(a, (ctx) => sync(ctx, { apply: true }))).exitCode).toBe(0);
  return { a, b, record: join(a.cloud, '.codexsync', 'handoff-a.json') };
}

type Json = Record<string, unknown> & { files: Record<string, unknown> };
const sha = 'c'.repeat(64);

const damaged: Array<[string, (record: Json) => unknown, RecordDamage]> = [
  ['a sequence that is a fraction', (r) => ({ ...r, sequence: 1.5 }), { kind: 'field', field: 'sequence' }],
  ['a negative sequence', (r) => ({ ...r, sequence: -3 }), { kind: 'field', field: 'sequence' }],
  ['a sequence past Number.MAX_SAFE_INTEGER', (r) => ({ ...r, sequence: 2 ** 53 + 2 }), { kind: 'field', field: 'sequence' }],
  ['a sequence whose successor is not safe', (r) => ({ ...r, sequence: Number.MAX_SAFE_INTEGER }), { kind: 'field', field: 'sequence' }],
  ['a huge sequence', (r) => ({ ...r, sequence: 1e300 }), { kind: 'field', field: 'sequence' }],
  ['a sequence that is a string', (r) => ({ ...r, sequence: '2' }), { kind: 'field', field: 'sequence' }],
  ['a machine id that is a number', (r) => ({ ...r, machineId: 7 }), { kind: 'field', field: 'machineId' }],
  ["another machine's id in a's file", (r) => ({ ...r, machineId: 'b' }), { kind: 'field', field: 'machineId' }],
  ['files that are a list', (r) => ({ ...r, files: [] }), { kind: 'field', field: 'files' }],
  ['no files at all', ({ files: _files, ...r }) => r, { kind: 'field', field: 'files' }],
  ['an installation that is not an id', (r) => ({ ...r, installation: 'laptop' }), { kind: 'field', field: 'installation' }],
  ['a JSON list', () => [1, 2], { kind: 'incomplete' }],
  ['an entry with ".."', (r) => ({ ...r, files: { ...r.files, '../escape.md': { size: 2, sha256: sha } } }), { kind: 'entry', path: '../escape.md', why: 'unsafe-path' }],
  ['an absolute entry', (r) => ({ ...r, files: { ...r.files, '/etc/passwd': { size: 2, sha256: sha } } }), { kind: 'entry', path: '/etc/passwd', why: 'unsafe-path' }],
  ['an entry with a backslash', (r) => ({ ...r, files: { ...r.files, 'skills\\x\\SKILL.md': { size: 2, sha256: sha } } }), { kind: 'entry', path: 'skills\\x\\SKILL.md', why: 'unsafe-path' }],
  ['an entry with a NUL', (r) => ({ ...r, files: { ...r.files, 'skills/x\0.md': { size: 2, sha256: sha } } }), { kind: 'entry', path: 'skills/x\0.md', why: 'unsafe-path' }],
  ['an entry with an empty part', (r) => ({ ...r, files: { ...r.files, 'skills//SKILL.md': { size: 2, sha256: sha } } }), { kind: 'entry', path: 'skills//SKILL.md', why: 'unsafe-path' }],
  ['an empty entry name', (r) => ({ ...r, files: { ...r.files, '': { size: 2, sha256: sha } } }), { kind: 'entry', path: '', why: 'unsafe-path' }],
  ['a negative size', (r) => ({ ...r, files: { ...r.files, 'skills/one/SKILL.md': { size: -1, sha256: sha } } }), { kind: 'entry', path: 'skills/one/SKILL.md', why: 'size' }],
  ['a fractional size', (r) => ({ ...r, files: { ...r.files, 'skills/one/SKILL.md': { size: 4.5, sha256: sha } } }), { kind: 'entry', path: 'skills/one/SKILL.md', why: 'size' }],
  ['a size over 1 TiB', (r) => ({ ...r, files: { ...r.files, 'skills/one/SKILL.md': { size: 2 ** 40 + 1, sha256: sha } } }), { kind: 'entry', path: 'skills/one/SKILL.md', why: 'size' }],
  [
    'a size past Number.MAX_SAFE_INTEGER',
    (r) => ({ ...r, files: { ...r.files, 'skills/one/SKILL.md': { size: 2 ** 53 + 2, sha256: sha } } }),
    { kind: 'entry', path: 'skills/one/SKILL.md', why: 'size' },
  ],
  ['a size that is a string', (r) => ({ ...r, files: { ...r.files, 'skills/one/SKILL.md': { size: '4', sha256: sha } } }), { kind: 'entry', path: 'skills/one/SKILL.md', why: 'size' }],
  ['an entry that is not an object', (r) => ({ ...r, files: { ...r.files, 'skills/one/SKILL.md': 4 } }), { kind: 'entry', path: 'skills/one/SKILL.md', why: 'size' }],
  ['a SHA-256 that is not one', (r) => ({ ...r, files: { ...r.files, 'skills/one/SKILL.md': { size: 4, sha256: 'abc' } } }), { kind: 'entry', path: 'skills/one/SKILL.md', why: 'sha256' }],
];

describe('a handoff record that cannot be read is a handoff that has not arrived', () => {
  it('truncated while the cloud client writes it: plan and dry run wait, the apply stops with exit 5 naming the machine, nothing changes; once whole, it is taken', async () => {
    const { b, record } = await secondHandoffOfA();
    const whole = readFileSync(record);
    writeFileSync(record, whole.subarray(0, Math.floor(whole.length / 2)));
    // a's files are half there too: before, the apply took them.
    truncateSync(join(b.cloud, 'skills/three/SKILL.md'), 20);
    const home = listTree(b.home);
    const cloud = listTree(b.cloud);
    const waiting = 'Waiting: the handoff record of a (handoff-a.json) cannot be read yet (still arriving, or damaged).';

    const plan = await cli(b, 'plan');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(waiting);
    const dry = await cli(b, 'sync', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(waiting);
    const apply = await cli(b, 'sync', '--apply');
    expect(apply.code).toBe(5);
    expect(apply.stderr).toContain(
      'codexsync: the handoff record of a (handoff-a.json) cannot be read yet (still arriving, or damaged): nothing was changed; wait for the cloud client and run again (--force ignores the handoff records)',
    );
    expect(listTree(b.home)).toEqual(home);
    expect(listTree(b.cloud)).toEqual(cloud);
    const doctor = await cli(b, 'doctor');
    expect(doctor.stdout).toContain('[WARN] handoff: handoff record(s) not readable yet (still arriving, or damaged): handoff-a.json');

    // The cloud client finishes: record and files whole.
    writeFileSync(record, whole);
    writeFile(b.cloud, 'skills/three/SKILL.md', `three ${'x'.repeat(200)}\n`);
    expect((await cli(b, 'sync', '--apply')).code).toBe(0);
    expect(readFileSync(join(b.home, 'skills/two/SKILL.md'), 'utf8')).toBe('two, edited on a\n');
    expect(readFileSync(join(b.home, 'skills/three/SKILL.md'), 'utf8')).toBe(`three ${'x'.repeat(200)}\n`);
  });

  it.each(damaged)('%s: the whole record is damaged, the problem names the machine and what is wrong; nothing changes', async (_label, damage, expected) => {
    const { b, record } = await secondHandoffOfA();
    writeFileSync(record, JSON.stringify(damage(JSON.parse(readFileSync(record, 'utf8')) as Json)));
    const home = listTree(b.home);
    const unreadable = { machineId: 'a', name: 'handoff-a.json', damage: expected };

    const planned = await engine(b, (ctx) => makePlan(ctx));
    // a's new files: no record b can read accounts for them either.
    expect(planned.plan.waiting).toEqual({ from: 'a', paths: ['skills/three/SKILL.md', 'skills/two/SKILL.md'], records: [unreadable] });
    const stopped = await engine(b, (ctx) => sync(ctx, { apply: true })).catch((error: unknown) => error);
    expect(stopped).toBeInstanceOf(CodexSyncError);
    expect(stopped).toMatchObject({ exitCode: 5, problem: { code: 'record-unreadable', records: [unreadable] } });
    expect(listTree(b.home)).toEqual(home);
  });

  it('an entry with an unsafe path is named in the words of the command line', async () => {
    const { b, record } = await secondHandoffOfA();
    const json = JSON.parse(readFileSync(record, 'utf8')) as Json;
    writeFileSync(record, JSON.stringify({ ...json, files: { ...json.files, '../../.ssh/authorized_keys': { size: 2, sha256: sha } } }));
    const apply = await cli(b, 'sync', '--apply');
    expect(apply.code).toBe(5);
    expect(apply.stderr).toContain('codexsync: the handoff record of a (handoff-a.json) cannot be read yet (its entry "../../.ssh/authorized_keys" is not a safe relative path): nothing was changed');
  });

  it('ignoring the handoff records (--force) takes the files as they are, and says which record it ignored', async () => {
    const { b, record } = await secondHandoffOfA();
    const json = JSON.parse(readFileSync(record, 'utf8')) as Json;
    writeFileSync(record, JSON.stringify({ ...json, sequence: -1 }));
    const forced = await engine(b, (ctx) => sync(ctx, { apply: true, ignoreHandoffRecord: true }));
    expect(forced.exitCode).toBe(0);
    expect(forced.plan.waiting).toBeUndefined();
    expect(forced.plan.notices).toContainEqual({ code: 'record-ignored', record: { machineId: 'a', name: 'handoff-a.json', damage: { kind: 'field', field: 'sequence' } } });
    expect(readFileSync(join(b.home, 'skills/two/SKILL.md'), 'utf8')).toBe('two, edited on a\n');
    // Only that run ignored it: until a writes its next record, the next run waits again.
    expect((await cli(b, 'plan')).stdout).toContain('Waiting: the handoff record of a (handoff-a.json) cannot be read yet (its "sequence" is missing or not valid).');
  });
});
