import { describe, expect, it } from 'vitest';
import { currentEnvironment } from '../../src/core/platform.ts';
import { AppService } from '../../src/main/service/appService.ts';
import type { AppChoices } from '../../src/shared/contract.ts';
import { tempDir } from '../helpers/tmp.ts';
import { workspace } from '../helpers/workspace.ts';

function service(ws: { config: string }, store?: { choices: AppChoices; writes: Array<Partial<AppChoices>> }): AppService {
  return new AppService({
    configFile: ws.config,
    env: currentEnvironment(),
    confirmer: { confirmTermination: async () => false },
    emit: () => undefined,
    notify: () => undefined,
    openReview: () => undefined,
    ...(store === undefined
      ? {}
      : {
          appChoices: {
            read: async () => store.choices,
            write: async (change) => {
              store.writes.push(change);
              store.choices = { ...store.choices, ...change };
              return store.choices;
            },
          },
        }),
  });
}

describe("the app's own choices over the contract", () => {
  it('reads them as off and refuses to set them where no app keeps them (exit 4)', async () => {
    const app = service(workspace(tempDir()));
    expect(await app.dispatch('appChoices', {})).toEqual({ ok: true, value: { handOffWhenCodexCloses: false } });
    expect(await app.dispatch('setAppChoices', { handOffWhenCodexCloses: true })).toEqual({
      ok: false,
      error: { message: 'these choices can be changed only in the app', exitCode: 4, details: [] },
    });
  });

  it('passes only the choices named to the store, and answers with them as they now stand', async () => {
    const store = { choices: { launchAtLogin: false, handOffWhenCodexCloses: false }, writes: [] as Array<Partial<AppChoices>> };
    const app = service(workspace(tempDir()), store);
    expect(await app.dispatch('setAppChoices', { handOffWhenCodexCloses: true })).toEqual({ ok: true, value: { launchAtLogin: false, handOffWhenCodexCloses: true } });
    expect(store.writes).toEqual([{ handOffWhenCodexCloses: true }]);
    expect(await app.dispatch('setAppChoices', { launchAtLogin: 'yes' })).toEqual({
      ok: false,
      error: { message: 'invalid setAppChoices request at launchAtLogin: Invalid input: expected boolean, received string', exitCode: 4, details: [] },
    });
    expect(await app.dispatch('setAppChoices', { other: true })).toMatchObject({ ok: false, error: { exitCode: 4 } });
    expect(store.writes).toHaveLength(1);
  });
});
