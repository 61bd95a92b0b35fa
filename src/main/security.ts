import { readFile } from 'node:fs/promises';
import { app, protocol, session, type WebContents } from 'electron';
import { appHost, appOrigin, appScheme, rendererFile } from './rendererFiles.ts';

/** Must run before the app is ready: the app's own scheme behaves like a secure web origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true } }]);
}

/** The app's pages come from its own files only; every other request of a window is refused. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    const found = url.host === appHost ? rendererFile(rendererDir, url.pathname) : undefined;
    if (found === undefined) return new Response('not found', { status: 404 });
    try {
      return new Response(await readFile(found.file), { headers: found.headers });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
  const ses = session.defaultSession;
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = details.url.startsWith(`${appOrigin}/`) || details.url.startsWith('devtools://');
    callback({ cancel: !allowed });
  });
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

/** No window may navigate away, open another window, or host a webview. */
export function lockDownContents(): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

export function isAppUrl(url: string | undefined): boolean {
  return url !== undefined && url.startsWith(`${appOrigin}/`);
}
