import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../src/core/platform.ts';
import { appConfigFile } from '../../src/main/appPaths.ts';
import { autostartEntry, autostartFile, isAutostartEnabled, quoteExecArgument, setAutostart } from '../../src/main/autostart.ts';
import { rendererFile } from '../../src/main/rendererFiles.ts';
import { contentSecurityPolicy } from '../../src/shared/csp.ts';
import { planRows } from '../../src/renderer/views/plan/planRows.ts';
import { tempDir } from '../helpers/tmp.ts';

const linux = (home: string, vars: Record<string, string> = {}): Environment => ({ platform: 'linux', home, vars });

describe('where the app finds config.toml', () => {
  it('--config, then $CODEXSYNC_CONFIG, then the user config folder the CLI uses too', () => {
    expect(appConfigFile(['electron', '.', '--config', '/x/c.toml'], linux('/home/a'))).toBe('/x/c.toml');
    expect(appConfigFile(['app', '--config=/y/c.toml'], linux('/home/a'))).toBe('/y/c.toml');
    expect(appConfigFile(['app'], linux('/home/a', { CODEXSYNC_CONFIG: '/z/c.toml' }))).toBe('/z/c.toml');
    expect(appConfigFile(['app', '--background'], linux('/home/a'))).toBe('/home/a/.config/codexsync/config.toml');
    expect(appConfigFile(['app'], { platform: 'macos', home: '/Users/a', vars: {} })).toBe('/Users/a/Library/Application Support/codexsync/config.toml');
  });
});

describe('launch at login on Linux (XDG autostart)', () => {
  it('writes and removes ~/.config/autostart/codexsync.desktop starting the app in the background', async () => {
    const home = tempDir();
    const env = linux(home);
    expect(autostartFile(env)).toBe(join(home, '.config', 'autostart', 'codexsync.desktop'));
    expect(await isAutostartEnabled(env)).toBe(false);
    await setAutostart(env, true, '/opt/codex Sync/codexsync');
    expect(await isAutostartEnabled(env)).toBe(true);
    expect(readFileSync(autostartFile(env), 'utf8')).toBe(autostartEntry('/opt/codex Sync/codexsync'));
    expect(autostartEntry('/opt/codex Sync/codexsync')).toContain('\nExec="/opt/codex Sync/codexsync" --background\n');
    await setAutostart(env, false, '/opt/codexsync');
    expect(await isAutostartEnabled(env)).toBe(false);
    expect(quoteExecArgument('/tmp/$weird "name"')).toBe('"/tmp/\\$weird \\"name\\""');
  });
});

describe("the windows' files", () => {
  const dir = '/srv/renderer';
  it('serves files of the renderer folder only, with the Content-Security-Policy', () => {
    expect(rendererFile(dir, '/')).toEqual({
      file: '/srv/renderer/index.html',
      headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': contentSecurityPolicy, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' },
    });
    expect(rendererFile(dir, '/assets/index-abc.js?x=1')?.file).toBe('/srv/renderer/assets/index-abc.js');
    for (const path of ['/../main/index.mjs', '/assets/..%2f..%2fsecret.js', '/.env', '/assets/a.exe', '/%E0%A4%A', '/a\\b.js']) expect(rendererFile(dir, path)).toBeUndefined();
  });

  it("index.html carries the same policy as the app's protocol and the e2e host send", () => {
    const html = readFileSync(fileURLToPath(new URL('../../src/renderer/index.html', import.meta.url)), 'utf8');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}" />`);
    expect(contentSecurityPolicy).not.toMatch(/unsafe|\*|http:|https:/);
  });
});

describe('plan rows of the review window', () => {
  const copy = (path: string, to: 'local' | 'cloud', size = 10) => ({
    kind: 'copy' as const,
    path,
    from: to === 'local' ? ('cloud' as const) : ('local' as const),
    to,
    why: 'new',
    source: { size, mtimeMs: 1 },
  });
  const actions = [
    copy('skills/b/SKILL.md', 'cloud'),
    copy('history.jsonl', 'local', 5),
    copy('skills/a/SKILL.md', 'cloud'),
    { kind: 'delete' as const, path: 'skills/c/x.md', side: 'local' as const, why: 'deleted', target: { size: 3, mtimeMs: 1 } },
  ];

  it('groups by direction, then folder, each group with its count and size', () => {
    expect(planRows(actions, 'all', '').map((r) => (r.kind === 'group' ? `${r.direction} ${r.folder} ${r.files} ${r.bytes}` : `  ${r.action.path}`))).toEqual([
      'to-local  1 5',
      '  history.jsonl',
      'to-cloud skills/a 1 10',
      '  skills/a/SKILL.md',
      'to-cloud skills/b 1 10',
      '  skills/b/SKILL.md',
      'delete-local skills/c 1 3',
      '  skills/c/x.md',
    ]);
  });

  it('filters by direction and by search text, ignoring case', () => {
    expect(
      planRows(actions, 'to-cloud', 'SKILLS/A')
        .filter((r) => r.kind === 'action')
        .map((r) => (r.kind === 'action' ? r.action.path : '')),
    ).toEqual(['skills/a/SKILL.md']);
    expect(planRows(actions, 'merge', '')).toEqual([]);
  });
});
