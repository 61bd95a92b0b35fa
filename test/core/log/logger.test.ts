import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogFormat } from '../../../src/core/config/schema.ts';
import { localDate, logFileSet, maintainLogFiles, zipLogFile } from '../../../src/core/log/files.ts';
import { createLogger } from '../../../src/core/log/logger.ts';
import { localTimestamp, parseLogLine } from '../../../src/core/log/record.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { readZip } from '../../helpers/zip.ts';

const today = localDate(new Date());

function capture(): { stream: Writable; lines: () => string[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { stream, lines: () => text.split('\n').filter((line) => line !== '') };
}

describe('daily log files', () => {
  it('are named <stem>-<machine>-YYYY-MM-DD.log beside logging.file', async () => {
    const dir = tempDir();
    const logger = createLogger({
      machineId: 'laptop-1',
      level: 'INFO',
      format: 'text',
      file: { path: join(dir, 'logs', 'codexsync.log'), maxFileSizeMb: 10, retentionDays: 7, archiveMode: 'zip' },
    });
    logger.info('hello');
    await logger.close();
    expect(readdirSync(join(dir, 'logs'))).toEqual([`codexsync-laptop-1-${today}.log`]);
  });

  it('rotate at max_file_size_mb into .N files, losing no line (archive_mode text keeps them as text)', async () => {
    const dir = tempDir();
    const logger = createLogger({
      machineId: 'm',
      level: 'INFO',
      format: 'text',
      file: { path: join(dir, 'cs.log'), maxFileSizeMb: 2 / 1024, retentionDays: 7, archiveMode: 'text' },
    });
    for (let i = 0; i < 100; i += 1) logger.info(`line ${String(i).padStart(3, '0')} ${'x'.repeat(60)}`);
    await logger.close();
    const names = readdirSync(dir).sort((a, b) => order(a) - order(b));
    expect(names[0]).toBe(`cs-m-${today}.log`);
    expect(names.slice(1)).toEqual(names.slice(1).map((_n, i) => `cs-m-${today}.${i + 1}.log`));
    expect(names.length).toBeGreaterThanOrEqual(4);
    for (const name of names.slice(0, -1)) {
      expect(readFileSync(join(dir, name)).length).toBeGreaterThanOrEqual(2048);
      expect(readFileSync(join(dir, name)).length).toBeLessThan(2048 + 200);
    }
    const all = names.flatMap((name) => readFileSync(join(dir, name), 'utf8').trimEnd().split('\n'));
    expect(all.map((line) => parseLogLine(line)?.message.slice(0, 8))).toEqual(Array.from({ length: 100 }, (_v, i) => `line ${String(i).padStart(3, '0')}`));
  });

  it('archive_mode zip turns each rotated file into a .zip holding its exact bytes', async () => {
    const dir = tempDir();
    const logger = createLogger({
      machineId: 'm',
      level: 'INFO',
      format: 'json',
      file: { path: join(dir, 'cs.log'), maxFileSizeMb: 1 / 1024, retentionDays: 7, archiveMode: 'zip' },
    });
    const messages = Array.from({ length: 40 }, (_v, i) => `message ${i} ünïcödé`);
    for (const message of messages) logger.info(message);
    await logger.close();
    const names = readdirSync(dir).sort((a, b) => order(a) - order(b));
    const active = names.filter((name) => name.endsWith('.log'));
    expect(active).toHaveLength(1);
    expect(names.filter((name) => name.endsWith('.log.zip')).length).toBe(names.length - 1);
    const lines: string[] = [];
    for (const name of names) {
      if (name.endsWith('.zip')) {
        const entries = await readZip(join(dir, name));
        expect([...entries.keys()]).toEqual([name.slice(0, -4)]);
        lines.push(...(entries.get(name.slice(0, -4)) ?? Buffer.alloc(0)).toString('utf8').trimEnd().split('\n'));
      } else {
        lines.push(...readFileSync(join(dir, name), 'utf8').trimEnd().split('\n'));
      }
    }
    expect(lines.map((line) => parseLogLine(line)?.message)).toEqual(messages);
  });
});

function order(name: string): number {
  const match = /\.(\d+)\.log/.exec(name);
  return match === null ? 0 : Number(match[1]);
}

describe('retention', () => {
  it("deletes only this machine's files older than retention_days, archived or not", async () => {
    const dir = tempDir();
    const now = new Date(2026, 10, 25, 12, 0, 0);
    const files = [
      'codexsync-laptop-2026-11-10.log', // old, this machine: deleted
      'codexsync-laptop-2026-11-10.1.log.zip', // old archive, this machine: deleted
      'codexsync-laptop-2026-11-18.log.zip', // exactly 7 days: kept
      'codexsync-laptop-2026-11-25.log', // today: kept
      'codexsync-desktop-2026-11-01.log', // another machine: never touched
      'codexsync-laptop-2-2026-11-01.log', // machine "laptop-2": never touched
      'other-laptop-2026-11-01.log', // another stem: never touched
      'notes.txt',
    ];
    for (const name of files) writeFileSync(join(dir, name), `${name}\n`);
    const result = await maintainLogFiles(logFileSet(join(dir, 'codexsync.log'), 'laptop'), {
      retentionDays: 7,
      archiveMode: 'text',
      now,
    });
    expect(result.deleted.sort()).toEqual(['codexsync-laptop-2026-11-10.1.log.zip', 'codexsync-laptop-2026-11-10.log']);
    expect(readdirSync(dir).sort()).toEqual(files.slice(2).sort());
  });

  it("archives finished files of earlier days but never today's active one", async () => {
    const dir = tempDir();
    const now = new Date(2026, 10, 25, 12, 0, 0);
    for (const name of ['cs-m-2026-11-24.log', 'cs-m-2026-11-25.log', 'cs-m-2026-11-25.1.log', 'cs-x-2026-11-24.log']) {
      writeFileSync(join(dir, name), `${name}\n`);
    }
    await maintainLogFiles(logFileSet(join(dir, 'cs.log'), 'm'), { retentionDays: 7, archiveMode: 'zip', now });
    expect(readdirSync(dir).sort()).toEqual(['cs-m-2026-11-24.log.zip', 'cs-m-2026-11-25.1.log', 'cs-m-2026-11-25.log.zip', 'cs-x-2026-11-24.log']);
    expect((await readZip(join(dir, 'cs-m-2026-11-24.log.zip'))).get('cs-m-2026-11-24.log')?.toString()).toBe('cs-m-2026-11-24.log\n');
  });
});

describe('archives', () => {
  it("never replaces an archive: a day's file written to again after it was zipped goes to the day's next free name", async () => {
    const dir = tempDir();
    const now = new Date(2026, 10, 25, 12, 0, 0);
    writeFileSync(join(dir, 'cs-m-2026-11-24.log'), 'archived first\n');
    await zipLogFile(join(dir, 'cs-m-2026-11-24.log'));
    writeFileSync(join(dir, 'cs-m-2026-11-24.log'), 'written after\n');
    writeFileSync(join(dir, 'cs-m-2026-11-24.1.log.zip'), 'taken');
    await maintainLogFiles(logFileSet(join(dir, 'cs.log'), 'm'), { retentionDays: 7, archiveMode: 'zip', now });
    expect(readdirSync(dir).sort()).toEqual(['cs-m-2026-11-24.1.log.zip', 'cs-m-2026-11-24.2.log.zip', 'cs-m-2026-11-24.log.zip']);
    expect((await readZip(join(dir, 'cs-m-2026-11-24.log.zip'))).get('cs-m-2026-11-24.log')?.toString()).toBe('archived first\n');
    expect((await readZip(join(dir, 'cs-m-2026-11-24.2.log.zip'))).get('cs-m-2026-11-24.log')?.toString()).toBe('written after\n');
  });
});

describe('formats', () => {
  const fields = { path: 'sessions/2026/11/25/rollout a.jsonl', bytes: 1234, ok: true, note: 'say "hi" = \\o/' };

  it.each<LogFormat>(['text', 'json', 'logfmt'])('%s lines parse back to level, message and fields; console and file get the same line', async (format) => {
    const dir = tempDir();
    const consoleOut = capture();
    const logger = createLogger({
      machineId: 'm',
      level: 'DEBUG',
      format,
      file: { path: join(dir, 'cs.log'), maxFileSizeMb: 10, retentionDays: 7, archiveMode: 'zip' },
      console: { level: 'DEBUG', stream: consoleOut.stream },
    });
    logger.debug('débug line');
    logger.info('copied\nfile', fields);
    logger.warning('low disk');
    logger.error('failed', { code: 5 });
    await logger.close();
    const lines = readFileSync(join(dir, `cs-m-${today}.log`), 'utf8')
      .trimEnd()
      .split('\n');
    expect(consoleOut.lines()).toEqual(lines);
    const records = lines.map((line) => parseLogLine(line));
    expect(records.map((r) => [r?.level, r?.message])).toEqual([
      ['DEBUG', 'débug line'],
      ['INFO', 'copied\nfile'],
      ['WARNING', 'low disk'],
      ['ERROR', 'failed'],
    ]);
    const expectedFields = format === 'json' ? fields : { path: fields.path, bytes: '1234', ok: 'true', note: fields.note };
    expect(records[1]?.fields).toEqual(expectedFields);
    for (const record of records) expect(record?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
  });

  it('the file gets only lines at or above logging.level; the console its own level', async () => {
    const dir = tempDir();
    const consoleOut = capture();
    const logger = createLogger({
      machineId: 'm',
      level: 'INFO',
      format: 'text',
      file: { path: join(dir, 'cs.log'), maxFileSizeMb: 10, retentionDays: 7, archiveMode: 'zip' },
      console: { level: 'WARNING', stream: consoleOut.stream },
    });
    logger.debug('d');
    logger.info('i');
    logger.warning('w');
    await logger.close();
    const file = readFileSync(join(dir, `cs-m-${today}.log`), 'utf8')
      .trimEnd()
      .split('\n');
    expect(file.map((line) => parseLogLine(line)?.message)).toEqual(['i', 'w']);
    expect(consoleOut.lines().map((line) => parseLogLine(line)?.message)).toEqual(['w']);
  });

  it('lines logged before winston has loaded keep their order and the time they were logged', async () => {
    const dir = tempDir();
    let clock = new Date(Date.UTC(2026, 10, 25, 9, 0, 0));
    const logger = createLogger({
      machineId: 'm',
      level: 'INFO',
      format: 'text',
      file: { path: join(dir, 'cs.log'), maxFileSizeMb: 10, retentionDays: 7, archiveMode: 'zip' },
      now: () => clock,
    });
    const at = (second: number): Date => new Date(Date.UTC(2026, 10, 25, 9, 0, second));
    ['first', 'second', 'third'].forEach((message, second) => {
      clock = at(second);
      logger.info(message);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    clock = at(3);
    logger.info('fourth');
    clock = at(9);
    await logger.close();
    const records = readdirSync(dir)
      .filter((name) => name.endsWith('.log'))
      .flatMap((name) => readFileSync(join(dir, name), 'utf8').trimEnd().split('\n'))
      .map((line) => parseLogLine(line));
    expect(records.map((r) => r?.message)).toEqual(['first', 'second', 'third', 'fourth']);
    expect(records.map((r) => r?.time)).toEqual([0, 1, 2, 3].map((second) => localTimestamp(at(second))));
  });

  it('a run that logs nothing at its levels writes no log file', async () => {
    const dir = tempDir();
    const logger = createLogger({
      machineId: 'm',
      level: 'WARNING',
      format: 'text',
      file: { path: join(dir, 'logs', 'cs.log'), maxFileSizeMb: 10, retentionDays: 7, archiveMode: 'zip' },
      console: { level: 'WARNING', stream: capture().stream },
    });
    logger.debug('d');
    logger.info('i');
    await logger.close();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('timestamps carry their UTC offset', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
  it.each([
    ['UTC', '2026-01-15T00:00:00.000+00:00'],
    ['Asia/Kolkata', '2026-01-15T05:30:00.000+05:30'],
    ['America/New_York', '2026-01-14T19:00:00.000-05:00'],
  ])('in %s', (zone, expected) => {
    process.env.TZ = zone;
    expect(localTimestamp(new Date('2026-01-15T00:00:00Z'))).toBe(expected);
  });
});
