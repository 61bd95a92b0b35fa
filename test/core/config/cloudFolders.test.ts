import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCloudFolders } from '../../../src/core/config/index.ts';
import type { Environment } from '../../../src/core/platform.ts';
import { tempDir } from '../../helpers/tmp.ts';

function homeWith(folders: string[], vars: Record<string, string> = {}): { home: string; env: Environment } {
  const home = join(tempDir(), 'home');
  for (const folder of folders) mkdirSync(join(home, ...folder.split('/')), { recursive: true });
  mkdirSync(home, { recursive: true });
  return { home, env: { platform: 'linux', home, vars } };
}

describe('cloud folders found on this machine', () => {
  it('finds none in a home folder without any cloud client', async () => {
    const { env } = homeWith(['Documents', '.codex']);
    expect(await findCloudFolders(env)).toEqual([]);
  });

  it("finds each client's folder where it keeps it, in the order Dropbox, OneDrive, Google Drive, iCloud Drive, Syncthing", async () => {
    const { home, env } = homeWith([
      'Sync',
      'Library/Mobile Documents/com~apple~CloudDocs',
      'Library/CloudStorage/GoogleDrive-alice@example.com',
      'Library/CloudStorage/OneDrive-Contoso',
      'Google Drive',
      'OneDrive - Contoso Ltd',
      'OneDrive',
      'Dropbox',
    ]);
    expect(await findCloudFolders(env)).toEqual([
      { client: 'dropbox', path: join(home, 'Dropbox') },
      { client: 'onedrive', path: join(home, 'OneDrive') },
      { client: 'onedrive', path: join(home, 'OneDrive - Contoso Ltd') },
      { client: 'onedrive', path: join(home, 'Library', 'CloudStorage', 'OneDrive-Contoso') },
      { client: 'google-drive', path: join(home, 'Google Drive') },
      { client: 'google-drive', path: join(home, 'Library', 'CloudStorage', 'GoogleDrive-alice@example.com') },
      { client: 'icloud', path: join(home, 'Library', 'Mobile Documents', 'com~apple~CloudDocs') },
      { client: 'syncthing', path: join(home, 'Sync') },
    ]);
  });

  it('offers only folders: a file named like a cloud folder is not one', async () => {
    const { home, env } = homeWith(['Sync']);
    writeFileSync(join(home, 'Dropbox'), 'not a folder');
    writeFileSync(join(home, 'OneDrive - Files'), 'not a folder');
    expect(await findCloudFolders(env)).toEqual([{ client: 'syncthing', path: join(home, 'Sync') }]);
  });

  it("reads the folders Dropbox's info.json names, each once, and ignores one it cannot read", async () => {
    const dir = tempDir();
    const personal = join(dir, 'elsewhere', 'Dropbox (Personal)');
    const business = join(dir, 'elsewhere', 'Dropbox (Acme)');
    mkdirSync(personal, { recursive: true });
    mkdirSync(business, { recursive: true });
    const { home, env } = homeWith(['Dropbox', '.dropbox']);
    writeFileSync(
      join(home, '.dropbox', 'info.json'),
      JSON.stringify({ personal: { path: personal, host: 1 }, business: { path: business }, team: { path: join(dir, 'gone') }, odd: { path: 7 }, home: { path: join(home, 'Dropbox') } }),
    );
    expect(await findCloudFolders(env)).toEqual([
      { client: 'dropbox', path: join(home, 'Dropbox') },
      { client: 'dropbox', path: personal },
      { client: 'dropbox', path: business },
    ]);

    writeFileSync(join(home, '.dropbox', 'info.json'), '{"personal": {"path": ');
    expect(await findCloudFolders(env)).toEqual([{ client: 'dropbox', path: join(home, 'Dropbox') }]);
  });

  it("takes Windows' OneDrive variables and Dropbox's info.json under APPDATA", async () => {
    const dir = tempDir();
    const business = join(dir, 'OneDrive - Acme');
    const dropbox = join(dir, 'D', 'Dropbox');
    mkdirSync(business, { recursive: true });
    mkdirSync(dropbox, { recursive: true });
    mkdirSync(join(dir, 'AppData', 'Dropbox'), { recursive: true });
    writeFileSync(join(dir, 'AppData', 'Dropbox', 'info.json'), JSON.stringify({ personal: { path: dropbox } }));
    const { env } = homeWith([], { OneDriveCommercial: business, APPDATA: join(dir, 'AppData') });
    expect(await findCloudFolders(env)).toEqual([
      { client: 'dropbox', path: dropbox },
      { client: 'onedrive', path: business },
    ]);
  });
});
