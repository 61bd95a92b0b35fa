import { codexHomeFacts, findCloudFolders, suggestedMachineId, workspaceFolderName, writeFirstConfig, type CloudClient } from '../../core/config/index.ts';
import { existsSync } from 'node:fs';
import type { Environment } from '../../core/platform.ts';
import { describeScope } from '../../core/scope/index.ts';
import type { Handlers } from './dispatch.ts';

// The first run's three requests: what the setup window shows, the folder picker, and the write.

const clientNames: Record<CloudClient, string> = {
  dropbox: 'Dropbox',
  onedrive: 'OneDrive',
  'google-drive': 'Google Drive',
  icloud: 'iCloud Drive',
  syncthing: 'Syncthing',
};

export interface SetupDeps {
  configFile: string;
  env: Environment;
  now: () => Date;
  /** The system's folder picker (Electron's dialog; the e2e host's stand-in); undefined when cancelled. */
  chooseFolder?(): Promise<string | undefined>;
  /** config.toml was written: the tray and the watchers start with it. */
  written(): void;
}

export function setupHandlers(deps: SetupDeps): Pick<Handlers, 'setupFacts' | 'chooseFolder' | 'writeSetup'> {
  return {
    setupFacts: async () => {
      const [codexHome, folders] = await Promise.all([codexHomeFacts(deps.env), findCloudFolders(deps.env)]);
      const { travels, stays } = describeScope();
      return {
        configFile: deps.configFile,
        configExists: existsSync(deps.configFile),
        codexHome,
        cloudFolders: folders.map((f) => ({ client: f.client, label: clientNames[f.client], path: f.path })),
        workspaceFolder: workspaceFolderName,
        machineId: suggestedMachineId(),
        travels,
        stays,
      };
    },
    chooseFolder: async () => {
      const path = await deps.chooseFolder?.();
      return path === undefined ? {} : { path };
    },
    writeSetup: async (request) => {
      const written = await writeFirstConfig(deps.configFile, request, { env: deps.env, now: deps.now() });
      deps.written();
      return written;
    },
  };
}
