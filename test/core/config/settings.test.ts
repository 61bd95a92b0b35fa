import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings, saveSettings, schemaFields, templateHelp } from '../../../src/core/config/settings.ts';
import { loadConfig } from '../../../src/core/config/load.ts';
import { currentEnvironment } from '../../../src/core/platform.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { workspace } from '../../helpers/workspace.ts';

const env = currentEnvironment();
const now = new Date('2026-11-25T09:30:00Z');

describe('settings fields from the config schema', () => {
  it('has one field per key of config.toml, of the kind its schema says, with the template comment as help', () => {
    const fields = new Map(schemaFields().map((f) => [f.key.join('.'), f]));
    expect(fields.get('sync.delete_policy')).toEqual({ key: ['sync', 'delete_policy'], kind: 'enum', options: ['never', 'propagate'], optional: false });
    expect(fields.get('logging.level')).toMatchObject({ kind: 'enum', options: ['DEBUG', 'INFO', 'WARNING', 'ERROR'] });
    expect(fields.get('backup.retention_days')).toMatchObject({ kind: 'integer' });
    expect(fields.get('safety.max_delete_percent')).toMatchObject({ kind: 'number' });
    expect(fields.get('paths.local_state_dir')).toMatchObject({ kind: 'string', optional: true });
    expect(fields.get('paths.map')).toMatchObject({ kind: 'map-string' });
    expect(fields.get('process_detection.background_process_names.windows')).toMatchObject({ kind: 'list' });
    expect(fields.get('state.data_version')).toMatchObject({ kind: 'fixed', options: ['1'] });
    expect(fields.get('codex.binary')).toMatchObject({ kind: 'string', optional: true });
    expect(templateHelp().get('codex.binary')).toBe("The Codex program that registers handed-off threads; leave it out to use codex on PATH, else the desktop app's own.");
    expect(templateHelp().get('safety.max_delete_percent')).toBe('A run that would delete or empty more than this percentage of the synced files stops (exit 5) unless --force is given.');
  });

  it('reads a missing config as the template, to be created on save', async () => {
    const dir = tempDir();
    const file = join(dir, 'config.toml');
    const read = await readSettings(file, env);
    expect(read.exists).toBe(false);
    expect(read.fields.find((f) => f.key === 'sync.delete_policy')?.value).toBe('propagate');
    const saved = await saveSettings(file, { 'identity.machine_id': 'studio' }, { dryRun: false, env, now });
    expect(saved).toMatchObject({ saved: true, method: 'created' });
    expect(readFileSync(file, 'utf8')).toContain('# Unique name of this machine.');
    expect(readFileSync(file, 'utf8')).toContain('machine_id = "studio"');
  });
});

describe('saving settings', () => {
  it('validates with the same parser and checks as `codexsync validate`, and writes nothing on a problem', async () => {
    const ws = workspace(tempDir());
    const before = readFileSync(ws.config, 'utf8');
    const result = await saveSettings(ws.config, { 'backup.max_backups': -1, 'sync.compare': 'sometimes', 'paths.local_state_dir': '/no/such/folder' }, { dryRun: false, env, now });
    expect(result.saved).toBe(false);
    expect(result.problems).toEqual([
      { key: 'sync.compare', message: 'sync.compare = "sometimes": must be one of "mtime", "mtime_hash_fallback"' },
      { key: 'backup.max_backups', message: 'backup.max_backups = -1: must be 0 or more' },
    ]);
    expect(readFileSync(ws.config, 'utf8')).toBe(before);
    const missing = await saveSettings(ws.config, { 'paths.local_state_dir': '/no/such/folder' }, { dryRun: true, env, now });
    expect(missing.problems).toEqual([{ key: 'paths.local_state_dir', message: expect.stringMatching(/^paths\.local_state_dir = "\/no\/such\/folder": does not exist/) }]);
    expect(await saveSettings(ws.config, { 'sync.bogus': 1 }, { dryRun: true, env, now })).toMatchObject({
      saved: false,
      problems: [{ key: 'sync.bogus', message: 'there is no setting named sync.bogus' }],
    });
  });

  it('a dry run checks and writes nothing', async () => {
    const ws = workspace(tempDir());
    const before = readFileSync(ws.config, 'utf8');
    expect(await saveSettings(ws.config, { 'sync.delete_policy': 'propagate' }, { dryRun: true, env, now })).toEqual({
      saved: false,
      file: ws.config,
      method: 'none',
      problems: [],
      warnings: expect.any(Array),
    });
    expect(readFileSync(ws.config, 'utf8')).toBe(before);
  });

  it('backs the old file up before writing it anew when it cannot be edited in place', async () => {
    const ws = workspace(tempDir());
    // An inline table: valid TOML that the in-place editor leaves alone.
    writeFileSync(ws.config, `# my note\nscheduler = { enabled = false }\n${readFileSync(ws.config, 'utf8')}`);
    const before = readFileSync(ws.config, 'utf8');
    const result = await saveSettings(ws.config, { 'scheduler.enabled': true }, { dryRun: false, env, now });
    expect(result).toMatchObject({ saved: true, method: 'rewritten', backup: `${ws.config}.bak-20261125T093000Z` });
    expect(readFileSync(`${ws.config}.bak-20261125T093000Z`, 'utf8')).toBe(before);
    expect(loadConfig(ws.config).settings.scheduler.enabled).toBe(true);
    expect(readdirSync(ws.dir).filter((n) => n.includes('.codexsync-'))).toEqual([]);
    expect(existsSync(ws.config)).toBe(true);
  });

  it('a config that is not UTF-8 is shown as a problem and never saved, so its bytes are never replaced by U+FFFD', async () => {
    const ws = workspace(tempDir());
    const text = readFileSync(ws.config, 'utf8');
    const bytes = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(`\n${text}`)]);
    writeFileSync(ws.config, bytes);
    const problem = `${basename(ws.config)}:1: byte 5 (0xe9) is not valid UTF-8: save the file as UTF-8`;
    expect((await readSettings(ws.config, env)).problems).toEqual([problem]);
    expect(await saveSettings(ws.config, { 'scheduler.enabled': true }, { dryRun: false, env, now })).toEqual({
      saved: false,
      file: ws.config,
      method: 'none',
      problems: [{ message: `${problem} in a text editor first; nothing was saved` }],
      warnings: [],
    });
    expect(readFileSync(ws.config)).toEqual(bytes);
  });
});
