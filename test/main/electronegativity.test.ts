import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../scripts/electronegativity.ts';
import { tempDir } from '../helpers/tmp.ts';

const script = fileURLToPath(new URL('../../scripts/electronegativity.ts', import.meta.url));

function run(folder?: string): ScanResult {
  const result = spawnSync(process.execPath, [script, ...(folder === undefined ? [] : [folder])], { encoding: 'utf8', timeout: 60_000 });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as ScanResult;
}

describe('electronegativity (Electron security checks)', () => {
  it('finds nothing of high or medium severity in the main process, the preload and the window HTML, and reads every file', () => {
    const { issues, errors } = run();
    expect(errors).toEqual([]);
    expect(issues.filter((issue) => issue.severity === 'HIGH' || issue.severity === 'MEDIUM')).toEqual([]);
  });

  it('does see an insecure window (so a clean result means something)', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'main.ts'),
      "import { BrowserWindow } from 'electron';\nconst w: BrowserWindow = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });\nvoid w.loadURL('http://example.com/');\n",
    );
    const ids = run(dir).issues.map((issue) => `${issue.id} ${issue.severity}`);
    expect(ids).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK HIGH', 'NODE_INTEGRATION_JS_CHECK INFORMATIONAL', 'LIMIT_NAVIGATION_GLOBAL_CHECK HIGH', 'CSP_GLOBAL_CHECK MEDIUM']));
  });
});
