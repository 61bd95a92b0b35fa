import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateCodex } from '../../../src/core/codex/index.ts';
import { CodexSyncError, ExitCode } from '../../../src/core/errors.ts';
import { problemText } from '../../../src/cli/print/words.ts';
import { problemText as appProblemText } from '../../../src/main/service/words.ts';
import type { Environment } from '../../../src/core/platform.ts';
import { tempDir } from '../../helpers/tmp.ts';

function program(path: string, mode = 0o755): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, mode);
  return path;
}

const env = (home: string, vars: Record<string, string>, platform: Environment['platform'] = 'linux'): Environment => ({ platform, home, vars });

function thrown(run: () => unknown): CodexSyncError {
  try {
    run();
  } catch (error) {
    if (error instanceof CodexSyncError) return error;
    throw error;
  }
  throw new Error('expected a CodexSyncError');
}

describe('locating the Codex program', () => {
  it('takes codex.binary when the config names an executable file, whatever PATH holds', () => {
    const dir = tempDir();
    const configured = program(join(dir, 'opt', 'my-codex'));
    program(join(dir, 'bin', 'codex'));
    expect(locateCodex({ configured, env: env(dir, { PATH: join(dir, 'bin') }) })).toEqual({ kind: 'found', path: configured, how: 'config' });
  });

  it('stops with exit 4 when codex.binary is missing, a folder, or not executable', () => {
    const dir = tempDir();
    const plain = program(join(dir, 'plain'), 0o644);
    const cases: Array<[string, string]> = [
      [join(dir, 'nothing-here'), 'missing'],
      [dir, 'not-a-file'],
      [plain, 'not-executable'],
    ];
    for (const [configured, why] of cases) {
      const error = thrown(() => locateCodex({ configured, env: env(dir, { PATH: '' }) }));
      expect(error.exitCode).toBe(ExitCode.invalidInput);
      expect(error.problem).toEqual({ code: 'codex-binary-unusable', path: configured, why });
    }
  });

  it('puts an unusable codex.binary in words: the command line names the key, the app its Settings', () => {
    const problem = { code: 'codex-binary-unusable', path: '/opt/codex', why: 'not-executable' } as const;
    expect(problemText(problem)).toBe('codex.binary = "/opt/codex" is not executable: set the path of the codex program in the config, or remove the key to use codex on PATH');
    expect(appProblemText(problem)).toBe(
      "The Codex program chosen in Settings (/opt/codex) cannot be run. Choose the codex program in Settings, or clear the field to use the one on this computer's PATH or the Codex app's own.",
    );
  });

  it('finds the first executable codex on PATH, passing over empty entries, folders and files that cannot run', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a', 'codex'), { recursive: true });
    program(join(dir, 'b', 'codex'), 0o644);
    const found = program(join(dir, 'c', 'codex'));
    program(join(dir, 'd', 'codex'));
    const PATH = ['', join(dir, 'a'), join(dir, 'b'), join(dir, 'c'), join(dir, 'd')].join(':');
    expect(locateCodex({ configured: undefined, env: env(dir, { PATH }) })).toEqual({ kind: 'found', path: found, how: 'path' });
  });

  it("follows a symbolic link on PATH (npm's codex is a link to its script)", () => {
    const dir = tempDir();
    const target = program(join(dir, 'lib', 'node_modules', '@openai', 'codex', 'bin', 'codex.js'));
    mkdirSync(join(dir, 'bin'));
    symlinkSync(target, join(dir, 'bin', 'codex'));
    expect(locateCodex({ configured: undefined, env: env(dir, { PATH: join(dir, 'bin') }) })).toEqual({ kind: 'found', path: join(dir, 'bin', 'codex'), how: 'path' });
  });

  it("falls back to the macOS desktop app's own codex under ~/Applications (ChatGPT.app before Codex.app)", () => {
    const dir = tempDir();
    const older = program(join(dir, 'Applications', 'Codex.app', 'Contents', 'Resources', 'codex'));
    expect(locateCodex({ configured: undefined, env: env(dir, { PATH: join(dir, 'bin') }, 'macos') })).toEqual({ kind: 'found', path: older, how: 'desktop-app' });
    const newer = program(join(dir, 'Applications', 'ChatGPT.app', 'Contents', 'Resources', 'codex'));
    expect(locateCodex({ configured: undefined, env: env(dir, { PATH: join(dir, 'bin') }, 'macos') })).toMatchObject({ path: newer, how: 'desktop-app' });
  });

  it('says every place it tried when there is no Codex program', () => {
    const dir = tempDir();
    const PATH = [join(dir, 'x'), join(dir, 'y')].join(':');
    expect(locateCodex({ configured: undefined, env: env(dir, { PATH }) })).toEqual({ kind: 'missing', tried: [join(dir, 'x', 'codex'), join(dir, 'y', 'codex')] });
    expect(locateCodex({ configured: undefined, env: env(dir, { PATH: join(dir, 'x') }, 'macos') })).toEqual({
      kind: 'missing',
      tried: [
        join(dir, 'x', 'codex'),
        '/Applications/ChatGPT.app/Contents/Resources/codex',
        '/Applications/Codex.app/Contents/Resources/codex',
        join(dir, 'Applications', 'ChatGPT.app', 'Contents', 'Resources', 'codex'),
        join(dir, 'Applications', 'Codex.app', 'Contents', 'Resources', 'codex'),
      ],
    });
  });

  it("on Windows looks for codex.exe, then npm's codex.cmd, in each PATH folder, then the desktop app's copy under LOCALAPPDATA", () => {
    const dir = tempDir();
    const vars = { Path: 'C:\\Users\\a\\AppData\\Roaming\\npm;C:\\tools', LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' };
    expect(locateCodex({ configured: undefined, env: env(dir, vars, 'windows') })).toEqual({
      kind: 'missing',
      tried: [
        'C:\\Users\\a\\AppData\\Roaming\\npm\\codex.exe',
        'C:\\Users\\a\\AppData\\Roaming\\npm\\codex.cmd',
        'C:\\tools\\codex.exe',
        'C:\\tools\\codex.cmd',
        'C:\\Users\\a\\AppData\\Local\\OpenAI\\Codex\\bin\\codex.exe',
      ],
    });
  });
});
