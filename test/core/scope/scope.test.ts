import { describe, expect, it } from 'vitest';
import { buildScope } from '../../../src/core/scope/scope.ts';

describe('the Codex default scope (empty include_roots)', () => {
  const scope = buildScope({ include_roots: [], exclude_globs: [] });
  it.each([
    ['sessions/2026/11/25/rollout-x.jsonl', true],
    ['archived_sessions/rollout-y.jsonl', true],
    ['history.jsonl', true],
    ['session_index.jsonl', true],
    ['skills/review/SKILL.md', true],
    ['skills/.system/builtin/SKILL.md', false],
    ['auth.json', false],
    ['config.toml', false],
    ['state_5.sqlite', false],
    ['state_5.sqlite-wal', false],
    ['packages/app-server-daemon/releases/0.169.0/codex', false],
    ['shell_snapshots/1.sh', false],
    ['installation_id', false],
    ['sessions/2026/11/25/.codexsync-x.tmp', false],
    ['sessions/thread.lock', false],
  ])('%s -> %s', (path, included) => {
    expect(scope.includesFile(path)).toBe(included);
  });
  it('never enters packages/ or Codex runtime folders', () => {
    for (const dir of ['packages', 'thread-writer-locks', '.tmp', 'app-server-daemon', 'app-server-control', 'skills/.system']) {
      expect(scope.entersDir(dir)).toBe(false);
    }
  });
  it('explains each top-level entry', () => {
    expect(scope.explainTopLevel('auth.json')).toEqual({ inScope: false, why: 'never synced: credentials' });
    expect(scope.explainTopLevel('sessions')).toEqual({ inScope: true, why: 'Codex default scope: one rollout file per thread' });
    expect(scope.explainTopLevel('config.toml')).toEqual({ inScope: false, why: 'not in the Codex default scope: settings with machine-specific paths inside' });
    expect(scope.explainTopLevel('mystery')).toEqual({ inScope: false, why: 'not in targets.include_roots' });
  });
});

describe('include roots and exclude globs', () => {
  it('an include naming credentials still leaves them out', () => {
    const scope = buildScope({ include_roots: ['auth.json', 'sessions'], exclude_globs: [] });
    expect(scope.includesFile('auth.json')).toBe(false);
    expect(scope.includesFile('sessions/a.jsonl')).toBe(true);
    expect(scope.includesFile('history.jsonl')).toBe(false);
  });
  it('plugins: opt-in, without caches and binaries', () => {
    const scope = buildScope({ include_roots: ['plugins'], exclude_globs: [] });
    expect(scope.includesFile('plugins/p/manifest.json')).toBe(true);
    expect(scope.includesFile('plugins/cache/p/x.js')).toBe(false);
    expect(scope.includesFile('plugins/p/bin/tool.exe')).toBe(false);
    expect(scope.includesFile('plugins/p/native.node')).toBe(false);
  });
  it('** matches any number of folders (0.1.2 matched it like *)', () => {
    const scope = buildScope({ include_roots: ['skills'], exclude_globs: ['**/cache/**', 'skills/**/draft-*.md'] });
    expect(scope.includesFile('skills/a/cache/x.md')).toBe(false);
    expect(scope.includesFile('skills/a/b/c/cache/d/x.md')).toBe(false);
    expect(scope.includesFile('skills/a/b/draft-1.md')).toBe(false);
    expect(scope.includesFile('skills/a/b/final.md')).toBe(true);
    expect(scope.entersDir('skills/a/cache')).toBe(false);
  });
  it('a glob without "/" matches a name at any depth', () => {
    const scope = buildScope({ include_roots: ['skills'], exclude_globs: ['*.log'] });
    expect(scope.includesFile('skills/a/b/run.log')).toBe(false);
    expect(scope.includesFile('skills/a/b/run.md')).toBe(true);
  });
  it('nested include roots walk only that subtree', () => {
    const scope = buildScope({ include_roots: ['skills/review'], exclude_globs: [] });
    expect(scope.entersDir('skills')).toBe(true);
    expect(scope.includesFile('skills/review/SKILL.md')).toBe(true);
    expect(scope.includesFile('skills/other/SKILL.md')).toBe(false);
  });
});
