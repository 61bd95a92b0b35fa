import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ipcRequestName, requestChannels } from '../src/shared/channels.ts';
import { writeFile } from '../test/helpers/workspace.ts';
import { outDir } from './host.ts';
import { machines } from './support/machines.ts';

describe('the built app (out/)', () => {
  it('the preload exposes exactly the contract as window.codexSync, and nothing else', async () => {
    const exposed: Record<string, Record<string, unknown>> = {};
    const invoked: Array<[string, unknown]> = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => (exposed[key] = api) },
      ipcRenderer: {
        invoke: async (channel: string, request: unknown) => {
          invoked.push([channel, request]);
          return channel === ipcRequestName('status') ? { ok: true, value: 'ready' } : { ok: false, error: { message: 'no config', exitCode: 4, details: [] } };
        },
        on: () => undefined,
        removeListener: () => undefined,
      },
    };
    const required: string[] = [];
    const source = readFileSync(join(outDir, 'preload', 'index.cjs'), 'utf8');
    runInNewContext(source, {
      require: (name: string) => {
        required.push(name);
        if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
        return electron;
      },
      module: { exports: {} },
      exports: {},
    });
    expect(required).toEqual(['electron']);
    expect(Object.keys(exposed)).toEqual(['codexSync']);
    expect(Object.keys(exposed.codexSync ?? {}).sort()).toEqual([...requestChannels, 'on'].sort());
    const api = exposed.codexSync as Record<string, (request?: unknown) => Promise<unknown>>;
    expect(await api.status?.()).toBe('ready');
    await expect(api.plan?.({})).rejects.toThrow('no config');
    expect(invoked).toEqual([
      ['codexsync:status', {}],
      ['codexsync:plan', {}],
    ]);
    expect(() => (exposed.codexSync?.on as (event: string, listener: () => void) => void)('anything', () => undefined)).toThrow('codexSync has no event named anything');
  });

  it('the command line shipped inside the app runs on its own, with the same version and results', () => {
    const { laptop } = machines();
    writeFile(laptop.home, 'skills/review/SKILL.md', 'Review.\n');
    const cli = join(outDir, 'cli', 'codexsync.mjs');
    const version = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
    expect(version.stdout).toBe(`codexsync ${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
    const plan = spawnSync(process.execPath, [cli, '-c', laptop.config, 'plan'], { encoding: 'utf8', cwd: laptop.dir });
    expect(plan.status, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('copy    -> cloud  skills/review/SKILL.md');
    // It needs nothing from node_modules: every dependency is inside the bundle.
    const imports = [...readFileSync(cli, 'utf8').matchAll(/^import .* from ["']([^"']+)["'];?$/gm)].map((m) => m[1] ?? '');
    expect(imports.filter((name) => !isBuiltin(name))).toEqual([]);
    expect(readFileSync(join(outDir, 'cli', 'codexsync'), 'utf8')).toContain('ELECTRON_RUN_AS_NODE=1 exec "$app" "$here/codexsync.mjs" "$@"');
  });

  it("the main process bundle imports nothing but Node's and Electron's own modules", () => {
    const main = readFileSync(join(outDir, 'main', 'index.mjs'), 'utf8');
    const imported = [...main.matchAll(/^import .* from ["']([^"']+)["'];?$/gm)].map((m) => m[1]);
    expect(imported.filter((name) => name !== 'electron' && !isBuiltin(name ?? ''))).toEqual([]);
    expect(imported).toContain('electron');
    expect(spawnSync(process.execPath, ['--check', join(outDir, 'main', 'index.mjs')]).status).toBe(0);
  });
});
