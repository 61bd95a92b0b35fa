import { ipcMain } from 'electron';
import { ipcRequestName, requestChannels, type Envelope } from '../shared/channels.ts';
import { isAppUrl } from './security.ts';
import type { AppService } from './service/appService.ts';

/** Each request of the contract, answered only for the app's own pages, validated by the service. */
export function bindIpc(service: AppService): void {
  for (const channel of requestChannels) {
    ipcMain.handle(ipcRequestName(channel), async (event, request: unknown): Promise<Envelope<unknown>> => {
      if (!isAppUrl(event.senderFrame?.url)) {
        return { ok: false, error: { message: 'request from a page that is not codexSync refused', exitCode: 4, details: [] } };
      }
      return service.dispatch(channel, request);
    });
  }
}
