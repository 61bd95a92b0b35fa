import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../src/core/config/template.ts';
import { editToml } from '../../../src/core/config/tomlEdit.ts';

const text = `# My settings
[sync]
# how deletions travel
delete_policy = "never"   # for now
compare = 'mtime'

[filters]
exclude_globs = [
  "**/*.lock",  # editor locks
  # caches of every kind
  "**/cache/**",
]

[paths]
cloud_root_dir = "~/Dropbox/codexSync/sync"
backup_dir = "b"
temp_dir = "t"

[paths.map]
"C:/Users/a/src" = "/Users/a/src"
`;

function edited(source: string, edits: Parameters<typeof editToml>[1]): string {
  const result = editToml(source, edits);
  if (!result.ok) throw new Error(result.why);
  return result.text;
}

describe('editing config.toml in place', () => {
  it('rewrites a changed value where it stands, keeping its comments', () => {
    expect(edited(text, [{ path: ['sync', 'delete_policy'], value: 'propagate' }])).toBe(text.replace('delete_policy = "never"   # for now', 'delete_policy = "propagate"   # for now'));
  });

  it("keeps a multi-line list's shape and the comments of the items that stay", () => {
    const out = edited(text, [{ path: ['filters', 'exclude_globs'], value: ['**/*.lock', '**/*.tmp'] }]);
    expect(out).toContain('exclude_globs = [\n  # caches of every kind\n  "**/*.lock",  # editor locks\n  "**/*.tmp",\n]\n');
    expect((parse(out) as { filters: { exclude_globs: string[] } }).filters.exclude_globs).toEqual(['**/*.lock', '**/*.tmp']);
  });

  it('adds a new key at the end of its table, and a new table at the end of the file', () => {
    const out = edited(text, [
      { path: ['sync', 'session_mode'], value: 'last_date_only' },
      { path: ['backup', 'retention_days'], value: 14 },
      { path: ['backup', 'compression'], value: 'zip' },
    ]);
    expect(out).toContain('compare = \'mtime\'\nsession_mode = "last_date_only"\n\n[filters]');
    expect(out.endsWith('"C:/Users/a/src" = "/Users/a/src"\n\n[backup]\nretention_days = 14\ncompression = "zip"\n')).toBe(true);
  });

  it('removes a key, and edits a table of quoted keys entry by entry', () => {
    const out = edited(text, [
      { path: ['sync', 'compare'], value: undefined },
      { path: ['paths', 'map'], value: { 'C:/Users/a/src': '/home/a/src', 'D:/work': '/work' } },
    ]);
    expect(out).not.toContain('compare');
    expect(out).toContain('[paths.map]\n"C:/Users/a/src" = "/home/a/src"\n"D:/work" = "/work"\n');
  });

  it('edits the whole commented template without losing one comment line', () => {
    const template = renderTemplate('laptop');
    const out = edited(template, [
      { path: ['conflict', 'policy'], value: 'prefer_newer_mtime' },
      { path: ['process_detection', 'background_process_names', 'linux'], value: ['codex-helper'] },
      { path: ['paths', 'local_state_dir'], value: '~/.codex' },
    ]);
    const comments = (s: string): string[] => s.split('\n').filter((line) => line.trimStart().startsWith('#'));
    expect(comments(out)).toEqual(comments(template));
    const parsed = parse(out) as Record<string, Record<string, unknown>>;
    expect(parsed.conflict?.policy).toBe('prefer_newer_mtime');
    expect((parsed.process_detection?.background_process_names as Record<string, unknown>).linux).toEqual(['codex-helper']);
    expect(parsed.paths?.local_state_dir).toBe('~/.codex');
  });

  it('refuses what it cannot edit safely, so that the caller keeps a backup instead', () => {
    expect(editToml('[sync]\ncompare = \n', [])).toMatchObject({ ok: false, why: expect.stringMatching(/^the file is not valid TOML/) });
    expect(editToml('[[servers]]\nname = "a"\n', [{ path: ['servers', 'name'], value: 'b' }])).toEqual({ ok: false, why: 'line 1 is an array of tables, which is not edited in place' });
    expect(editToml('sync = { compare = "mtime" }\n', [{ path: ['sync', 'compare'], value: 'mtime_hash_fallback' }])).toEqual({
      ok: false,
      why: 'sync.compare is written in a form (line 1) that is not edited in place',
    });
  });
});
