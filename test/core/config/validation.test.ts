import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, validateConfig } from '../../../src/core/config/load.ts';
import { parseSettings } from '../../../src/core/config/parse.ts';
import { firstInvalidUtf8 } from '../../../src/core/config/utf8.ts';
import { CodexSyncError } from '../../../src/core/errors.ts';
import type { Environment } from '../../../src/core/platform.ts';
import { tempDir } from '../../helpers/tmp.ts';

const required = `[paths]\ncloud_root_dir = "sync"\nbackup_dir = "backups"\ntemp_dir = ".tmp"\n`;

function problemsOf(text: string): string[] {
  const result = parseSettings(text, '/home/u/config.toml');
  return result.ok ? [] : result.problems;
}

/** [section, key = value as written, the one problem it must produce] */
const invalid: Array<[string, string, string]> = [
  ['identity', 'machine_id = "my laptop"', 'config.toml: identity.machine_id = "my laptop": must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit'],
  ['identity', 'machine_id = 7', 'config.toml: identity.machine_id = 7: must be a string'],
  ['sync', 'mode = "hot"', 'config.toml: sync.mode = "hot": must be "cold"'],
  ['sync', 'direction = "push"', 'config.toml: sync.direction = "push": must be "bidirectional"'],
  ['sync', 'compare = "hash"', 'config.toml: sync.compare = "hash": must be one of "mtime", "mtime_hash_fallback"'],
  ['sync', 'time_tolerance_seconds = -1', 'config.toml: sync.time_tolerance_seconds = -1: must be 0 or more'],
  ['sync', 'time_tolerance_seconds = "2"', 'config.toml: sync.time_tolerance_seconds = "2": must be a number'],
  ['sync', 'equal_mtime_action = "newest"', 'config.toml: sync.equal_mtime_action = "newest": must be one of "skip", "prefer_local", "prefer_cloud", "manual_abort"'],
  ['sync', 'delete_policy = "always"', 'config.toml: sync.delete_policy = "always": must be one of "never", "propagate"'],
  ['sync', 'dry_run_default = "false"', 'config.toml: sync.dry_run_default = "false": must be a boolean (true or false, without quotes)'],
  ['sync', 'session_mode = "latest"', 'config.toml: sync.session_mode = "latest": must be one of "all", "last_date_only"'],
  ['targets', 'include_roots = "sessions"', 'config.toml: targets.include_roots = "sessions": must be a list'],
  ['filters', 'exclude_globs = [1]', 'config.toml: filters.exclude_globs.0 = 1: must be a string'],
  ['conflict', 'policy = "newest"', 'config.toml: conflict.policy = "newest": must be one of "manual_abort", "prefer_cloud", "prefer_local", "prefer_newer_mtime"'],
  ['conflict', 'report_conflicts = "no"', 'config.toml: conflict.report_conflicts = "no": must be a boolean (true or false, without quotes)'],
  ['backup', 'backup_before_overwrite = "false"', 'config.toml: backup.backup_before_overwrite = "false": must be a boolean (true or false, without quotes)'],
  ['backup', 'retention_days = 1.5', 'config.toml: backup.retention_days = 1.5: must be a whole number'],
  ['backup', 'max_backups = -3', 'config.toml: backup.max_backups = -3: must be 0 or more'],
  ['backup', 'compression = "gzip"', 'config.toml: backup.compression = "gzip": must be one of "none", "zip"'],
  ['safety', 'require_codex_stopped = "true"', 'config.toml: safety.require_codex_stopped = "true": must be a boolean (true or false, without quotes)'],
  ['safety', 'fail_on_unknown = 0', 'config.toml: safety.fail_on_unknown = 0: must be a boolean (true or false, without quotes)'],
  ['safety', 'max_delete_percent = 150', 'config.toml: safety.max_delete_percent = 150: must be from 0 to 100'],
  ['process_detection', 'process_names = "codex"', 'config.toml: process_detection.process_names = "codex": must be a list'],
  ['process_detection', 'grace_period_seconds = -2', 'config.toml: process_detection.grace_period_seconds = -2: must be 0 or more'],
  ['process_detection', 'allow_terminate_if_running = "false"', 'config.toml: process_detection.allow_terminate_if_running = "false": must be a boolean (true or false, without quotes)'],
  ['process_detection', 'manual_terminate_confirmation = "false"', 'config.toml: process_detection.manual_terminate_confirmation = "false": must be a boolean (true or false, without quotes)'],
  ['process_detection', 'terminate_confirmation_mode = "tty"', 'config.toml: process_detection.terminate_confirmation_mode = "tty": must be one of "gui", "console"'],
  ['process_detection', 'terminate_timeout_seconds = 0', 'config.toml: process_detection.terminate_timeout_seconds = 0: must be more than 0'],
  ['process_detection.background_process_names', 'windows = "codex-windows-sandbox"', 'config.toml: process_detection.background_process_names.windows = "codex-windows-sandbox": must be a list'],
  ['state', 'data_version = 2', 'config.toml: state.data_version = 2: must be 1 (the only metadata version)'],
  ['state', 'manifest_file = ""', 'config.toml: state.manifest_file = "": must not be empty'],
  ['scheduler', 'enabled = "false"', 'config.toml: scheduler.enabled = "false": must be a boolean (true or false, without quotes)'],
  ['scheduler', 'interval_minutes = 0', 'config.toml: scheduler.interval_minutes = 0: must be more than 0'],
  ['scheduler', 'jitter_seconds = -1', 'config.toml: scheduler.jitter_seconds = -1: must be 0 or more'],
  ['logging', 'level = "TRACE"', 'config.toml: logging.level = "TRACE": must be one of "DEBUG", "INFO", "WARNING", "ERROR"'],
  ['logging', 'format = "xml"', 'config.toml: logging.format = "xml": must be one of "text", "json", "logfmt"'],
  ['logging', 'retention_days = -7', 'config.toml: logging.retention_days = -7: must be 0 or more'],
  ['logging', 'archive_mode = "gz"', 'config.toml: logging.archive_mode = "gz": must be one of "zip", "text"'],
  ['logging', 'max_file_size_mb = 0', 'config.toml: logging.max_file_size_mb = 0: must be more than 0'],
  ['codex', 'binary = 7', 'config.toml: codex.binary = 7: must be a string'],
  ['codex', 'binary = ""', 'config.toml: codex.binary = "": must not be empty'],
  ['assumptions', 'strict_handoff_required = "yes"', 'config.toml: assumptions.strict_handoff_required = "yes": must be a boolean (true or false, without quotes)'],
];

describe('each invalid value is one problem naming file, key and value', () => {
  it.each(invalid)('[%s] %s', (section, line, problem) => {
    expect(problemsOf(`${required}[${section}]\n${line}\n`)).toEqual([problem]);
  });
});

describe('paths', () => {
  it('each of cloud_root_dir, backup_dir and temp_dir is required', () => {
    expect(problemsOf('[paths]\nbackup_dir = "b"\n')).toEqual(['config.toml: paths.cloud_root_dir: is required but missing', 'config.toml: paths.temp_dir: is required but missing']);
  });
  it('a file with no [paths] at all says which keys it needs', () => {
    expect(problemsOf('')).toEqual(['config.toml: paths: is required but missing']);
  });
  it('path map values must be strings', () => {
    expect(problemsOf(`${required}[paths.map]\n"C:/src" = 3\n`)).toEqual(['config.toml: paths.map.C:/src = 3: must be a string']);
  });
});

describe('every problem is reported, not just the first', () => {
  it('collects problems across sections', () => {
    const problems = problemsOf(`${required}[sync]\ncompare = "x"\ndry_run_default = "false"\n[logging]\nformat = "xml"\n`);
    expect(problems).toHaveLength(3);
  });
});

describe('TOML syntax errors', () => {
  it('are one line with file, line and column', () => {
    expect(problemsOf('[sync]\ncompare = "mtime"\ndry_run_default = tru\n')).toEqual([expect.stringMatching(/^config\.toml:3:\d+: TOML syntax error: \S.*$/)]);
  });
  it('an unterminated table header names line 1', () => {
    expect(problemsOf('[sync\n')).toEqual([expect.stringMatching(/^config\.toml:1:\d+: TOML syntax error: /)]);
  });
});

describe('unknown keys', () => {
  it('are warnings that name each key, and the config still loads', () => {
    const result = parseSettings(`${required}colour = "blue"\n[sync]\nfast = true\n[extras]\nx = 1\n`, '/u/config.toml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.warnings).toEqual(["config.toml: unknown key 'paths.colour' is ignored", "config.toml: unknown key 'sync.fast' is ignored", "config.toml: unknown key 'extras' is ignored"]);
  });
});

describe('leniency kept from 0.1.2', () => {
  it('logging.level is read case-insensitively', () => {
    const result = parseSettings(`${required}[logging]\nlevel = "debug"\n`, '/u/config.toml');
    expect(result.ok && result.value.settings.logging.level).toBe('DEBUG');
  });
});

describe('bytes that are not UTF-8', () => {
  /** A config file of these bytes, next to a real Codex home, and the environment to read it in. */
  function configOf(bytes: Buffer): { file: string; env: Environment } {
    const dir = tempDir();
    mkdirSync(join(dir, 'codex'));
    const file = join(dir, 'config.toml');
    writeFileSync(file, bytes);
    return { file, env: { platform: 'linux', home: dir, vars: { CODEX_HOME: join(dir, 'codex') } } };
  }
  const head = '[paths]\ncloud_root_dir = "caf';
  const tail = '"\nbackup_dir = "b"\ntemp_dir = "t"\n';

  it('are exit 4 naming the line and the byte offset of the first one, never read as U+FFFD', () => {
    // "café" saved as Latin-1 by an old editor: 0xe9 alone.
    const { file, env } = configOf(Buffer.concat([Buffer.from(head), Buffer.from([0xe9]), Buffer.from(tail)]));
    const problem = `config.toml:2: byte ${head.length} (0xe9) is not valid UTF-8: save the file as UTF-8`;
    expect(validateConfig(file, env)).toEqual({ config: undefined, problems: [problem], warnings: [] });
    let thrown: unknown;
    try {
      loadConfig(file, env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CodexSyncError);
    expect((thrown as CodexSyncError).exitCode).toBe(4);
    expect((thrown as CodexSyncError).problem).toEqual({ code: 'config-invalid', summary: problem });
  });

  it('a file saved as UTF-16 says so', () => {
    const { file, env } = configOf(Buffer.from(`\ufeff${head}é${tail}`, 'utf16le'));
    expect(validateConfig(file, env).problems).toEqual(['config.toml:1: byte 0 (0xff) is not valid UTF-8: the file is UTF-16: save it as UTF-8']);
  });

  it('UTF-8 with a byte-order mark and characters of every length reads as written', () => {
    const { file, env } = configOf(Buffer.from(`\ufeff${head}é-€-😀${tail}`, 'utf8'));
    const result = validateConfig(file, env);
    expect(result.problems).toEqual([]);
    expect(result.config?.paths.cloudRoot).toBe(join(file, '..', 'café-€-😀'));
  });

  it('the offset is where the first sequence TextDecoder refuses begins', () => {
    const cases: Array<[number[], number]> = [
      [[0x61, 0x62], 2],
      [[0x61, 0x80], 1], // a continuation byte alone
      [[0x61, 0xc0, 0xaf], 1], // an overlong "/"
      [[0xe0, 0x80, 0xaf], 0], // an overlong form of three bytes
      [[0x61, 0xed, 0xa0, 0x80], 1], // a UTF-16 surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // past U+10FFFF
      [[0x61, 0x62, 0xe2, 0x82], 2], // cut short at the end
      [[0xf0, 0x9f, 0x98, 0x80, 0xff], 4], // after a valid emoji, a byte UTF-8 never uses
    ];
    for (const [bytes, offset] of cases) {
      expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(offset);
      let decodes = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
      } catch {
        decodes = false;
      }
      expect(decodes).toBe(offset === bytes.length);
    }
  });
});

describe('a huge value in a message', () => {
  it('is cut to 80 characters in the middle, so that both quotes and both ends stay', () => {
    const huge = `${'a'.repeat(300)}${'z'.repeat(300)}`;
    const shownValue = `"${'a'.repeat(39)}…${'z'.repeat(38)}"`;
    expect(Array.from(shownValue)).toHaveLength(80);
    expect(problemsOf(`${required}[sync]\nmode = "${huge}"\n`)).toEqual([`config.toml: sync.mode = ${shownValue}: must be "cold"`]);
  });

  it('an unknown key of any length is cut the same way', () => {
    const result = parseSettings(`${required}[sync]\n${'k'.repeat(200)} = 1\n`, '/u/config.toml');
    expect(result.ok && result.value.warnings).toEqual([`config.toml: unknown key 'sync.${'k'.repeat(35)}…${'k'.repeat(39)}' is ignored`]);
  });
});

describe('codex.binary', () => {
  function configWith(binaryLine: string): { file: string; env: Environment; dir: string } {
    const dir = tempDir();
    mkdirSync(join(dir, 'codex'));
    const file = join(dir, 'config.toml');
    writeFileSync(file, `${required}[codex]\n${binaryLine}\n`);
    return { file, env: { platform: 'linux', home: dir, vars: { CODEX_HOME: join(dir, 'codex') } }, dir };
  }

  it('names a program this machine can run, ~ standing for the home folder', () => {
    const { file, env, dir } = configWith('binary = "~/bin/codex"');
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'codex'), '#!/bin/sh\n', { mode: 0o755 });
    const result = validateConfig(file, env);
    expect(result.problems).toEqual([]);
    expect(result.config?.paths.codexBinary).toBe(join(dir, 'bin', 'codex'));
    expect(loadConfig(file, env).settings.codex.binary).toBe('~/bin/codex');
  });

  it('is one problem, exit 4, when it is missing, a folder or not executable', () => {
    const cases: Array<[string, (dir: string) => void, string]> = [
      ['~/nowhere/codex', () => {}, 'does not exist'],
      ['~/bin', (dir) => mkdirSync(join(dir, 'bin')), 'is not a file'],
      ['~/codex.txt', (dir) => writeFileSync(join(dir, 'codex.txt'), 'x', { mode: 0o644 }), 'is not executable'],
    ];
    for (const [value, make, why] of cases) {
      const { file, env, dir } = configWith(`binary = "${value}"`);
      make(dir);
      const path = join(dir, value.slice(2));
      const problem = `config.toml: codex.binary = "${path}": ${why}: set the path of the codex program, or remove the key to use codex on PATH`;
      expect(validateConfig(file, env).problems).toEqual([problem]);
      let thrown: unknown;
      try {
        loadConfig(file, env);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CodexSyncError);
      expect((thrown as CodexSyncError).exitCode).toBe(4);
      expect((thrown as CodexSyncError).problem).toEqual({ code: 'config-invalid', summary: problem });
    }
  });
});
