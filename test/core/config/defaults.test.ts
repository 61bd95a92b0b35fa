import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../src/core/config/parse.ts';
import { defaultMachineId, type Settings } from '../../../src/core/config/schema.ts';
import { renderTemplate } from '../../../src/core/config/template.ts';

const minimal = `[paths]\ncloud_root_dir = "sync"\nbackup_dir = "backups"\ntemp_dir = ".tmp"\n`;

function settingsOf(text: string): Settings {
  const result = parseSettings(text, '/x/config.toml');
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.value.settings;
}

function get(settings: Settings, key: string): unknown {
  return key.split('.').reduce<unknown>((value, part) => (value as Record<string, unknown>)[part], settings);
}

// The loader defaults of codexsync 0.1.2 (what it used for an absent key), plus ours.
const loaderDefaults: Array<[string, unknown]> = [
  ['identity.machine_id', defaultMachineId()],
  ['sync.mode', 'cold'],
  ['sync.direction', 'bidirectional'],
  ['sync.compare', 'mtime'],
  ['sync.time_tolerance_seconds', 0],
  ['sync.equal_mtime_action', 'skip'],
  ['sync.delete_policy', 'propagate'],
  ['sync.dry_run_default', true],
  ['sync.session_mode', 'all'],
  ['paths.workspace_root_dir', undefined],
  ['paths.local_state_dir', undefined],
  ['paths.map', {}],
  ['targets.include_roots', []],
  ['filters.exclude_globs', []],
  ['conflict.policy', 'manual_abort'],
  ['conflict.report_conflicts', true],
  ['backup.backup_before_overwrite', true],
  ['backup.retention_days', 30],
  ['backup.max_backups', 0],
  ['backup.compression', 'none'],
  ['safety.require_codex_stopped', true],
  ['safety.fail_on_unknown', true],
  ['safety.max_delete_percent', 50],
  ['process_detection.process_names', ['codex.exe', 'codex']],
  ['process_detection.grace_period_seconds', 2],
  ['process_detection.allow_terminate_if_running', true],
  ['process_detection.manual_terminate_confirmation', true],
  ['process_detection.terminate_confirmation_mode', 'gui'],
  ['process_detection.terminate_timeout_seconds', 20],
  ['process_detection.background_process_names', { windows: ['codex-windows-sandbox'], macos: [], linux: [] }],
  ['state.manifest_file', '${workspace_root}/state/manifest.json'],
  ['state.data_version', 1],
  ['state.local_dir', undefined],
  ['scheduler.enabled', false],
  ['scheduler.interval_minutes', 10],
  ['scheduler.jitter_seconds', 30],
  ['logging.level', 'INFO'],
  ['logging.file', '${workspace_root}/logs/codexsync.log'],
  ['logging.format', 'text'],
  ['logging.retention_days', 7],
  ['logging.archive_mode', 'zip'],
  ['logging.max_file_size_mb', 10],
  ['codex.binary', undefined],
];

describe('config defaults', () => {
  const settings = settingsOf(minimal);
  it.each(loaderDefaults)('%s defaults to %j', (key, expected) => {
    expect(get(settings, key)).toEqual(expected);
  });

  it('a config with only the three required paths has no warnings', () => {
    const result = parseSettings(minimal, '/x/config.toml');
    expect(result.ok && result.value.warnings).toEqual([]);
  });
});

describe('the template written by init-config', () => {
  it('parses without warnings and holds every default that 0.1.2 users know', () => {
    const result = parseSettings(renderTemplate('laptop'), '/x/config.toml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.warnings).toEqual([]);
    const s = result.value.settings;
    expect(s.identity.machine_id).toBe('laptop');
    expect(s.sync.session_mode).toBe('all');
    expect(s.targets.include_roots).toEqual([]);
    expect(s.filters.exclude_globs).toContain('**/cache/**');
    expect(s.paths.cloud_root_dir).toBe('${workspace_root}/sync');
  });

  it('mentions every key of the schema', () => {
    const template = renderTemplate('laptop');
    for (const [key] of loaderDefaults) {
      const leaf = key.split('.').pop() ?? key;
      if (key === 'paths.map') expect(template).toContain('[paths.map]');
      else if (key === 'process_detection.background_process_names') expect(template).toContain('[process_detection.background_process_names]');
      else expect(template).toMatch(new RegExp(`^#? ?${leaf} = `, 'm'));
    }
  });
});

describe('a config.toml written for codexsync 0.1.2', () => {
  const text = readFileSync(new URL('../../fixtures/config-0.1.2-template.toml', import.meta.url), 'utf8');

  it('loads unchanged, with no unknown-key warnings', () => {
    const result = parseSettings(text, '/x/config.toml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.warnings).toEqual([]);
    const s = result.value.settings;
    expect(s.identity.machine_id).toBe('machine-a');
    expect(s.sync.session_mode).toBe('last_date_only');
    expect(s.paths.workspace_root_dir).toBe('D:/GDrive/codexSync');
    expect(s.paths.local_state_dir).toBe('C:/Users/USERNAME/.codex');
    expect(s.targets.include_roots).toEqual(['sessions', 'session_index.jsonl', 'skills', 'plugins']);
    expect(s.scheduler.kind).toBe('windows_task_scheduler');
    expect(s.assumptions).toEqual({
      strict_handoff_required: true,
      cloud_readiness_is_user_responsibility: true,
      cloud_capacity_is_user_responsibility: true,
    });
  });
});
