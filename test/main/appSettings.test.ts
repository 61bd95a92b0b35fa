import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appSettingsFile, readAppSettings, writeAppSettings } from '../../src/main/appSettings.ts';
import { tempDir } from '../helpers/tmp.ts';
import { writeFile } from '../helpers/workspace.ts';

describe("the app's own settings", () => {
  it('live in app.json of the user config folder, beside config.toml', () => {
    expect(appSettingsFile({ platform: 'linux', home: '/home/ann', vars: { XDG_CONFIG_HOME: '/home/ann/.cfg' } })).toBe('/home/ann/.cfg/codexsync/app.json');
  });

  it('are off until chosen: a missing, damaged or foreign file means every option off', async () => {
    const dir = tempDir();
    expect(await readAppSettings(join(dir, 'none', 'app.json'))).toEqual({ handOffWhenCodexCloses: false });
    for (const text of ['{"handOffWhenCodexCloses": tr', '[]', '{"handOffWhenCodexCloses": "yes"}', '']) {
      const file = writeFile(dir, 'app.json', text);
      expect(await readAppSettings(file)).toEqual({ handOffWhenCodexCloses: false });
    }
  });

  it('are written whole and read back', async () => {
    const file = join(tempDir(), 'codexsync', 'app.json');
    await writeAppSettings(file, { handOffWhenCodexCloses: true });
    expect(readFileSync(file, 'utf8')).toBe('{\n  "handOffWhenCodexCloses": true\n}\n');
    expect(await readAppSettings(file)).toEqual({ handOffWhenCodexCloses: true });
    await writeAppSettings(file, { handOffWhenCodexCloses: false });
    expect(await readAppSettings(file)).toEqual({ handOffWhenCodexCloses: false });
  });
});
