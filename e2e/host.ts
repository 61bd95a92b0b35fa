import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Confirmer } from '../src/core/guard/guard.ts';
import type { ProcessSource } from '../src/core/guard/processes.ts';
import { currentEnvironment, type Environment } from '../src/core/platform.ts';
import type { Notice } from '../src/main/model/backgroundNotice.ts';
import { readAppSettings, writeAppSettings } from '../src/main/appSettings.ts';
import { rendererFile } from '../src/main/rendererFiles.ts';
import { AppService } from '../src/main/service/appService.ts';
import type { AppChoices } from '../src/shared/contract.ts';
import { contentSecurityPolicy } from '../src/shared/csp.ts';

// The loopback web host: serves the built renderer and answers the contract over HTTP with the
// real engine, as the Electron main does over IPC. It listens on 127.0.0.1 only and answers only
// requests addressed to that host and port.

export const outDir = fileURLToPath(new URL('../out/', import.meta.url));

export interface Host {
  url: string;
  service: AppService;
  /** Desktop notifications the app would have shown. */
  notices: Notice[];
  /** The folder picker's stand-in: the path it answers with (undefined: the user cancelled). */
  folderPicker: { path: string | undefined; asked: number };
  /** The app's own choices: hand off when Codex closes is kept in a real app.json beside config.toml; the login item only here. */
  appChoices: { file: string; launchAtLogin: boolean };
  close(): Promise<void>;
}

export interface HostOptions {
  configFile: string;
  env?: Environment;
  /** No dialog can be shown in a web host: by default every question is answered no. */
  confirmer?: Confirmer;
  rendererDir?: string;
  bridgeFile?: string;
  /** The process list the guard reads; the machine's own by default. */
  processes?: ProcessSource;
}

const MAX_BODY = 16 * 1024 * 1024;

export async function startHost(options: HostOptions): Promise<Host> {
  const rendererDir = options.rendererDir ?? join(outDir, 'renderer');
  const bridgeFile = options.bridgeFile ?? join(outDir, 'e2e', 'bridge.js');
  const streams = new Set<ServerResponse>();
  const notices: Notice[] = [];
  const folderPicker: Host['folderPicker'] = { path: undefined, asked: 0 };
  const appChoices: Host['appChoices'] = { file: join(dirname(options.configFile), 'app.json'), launchAtLogin: false };
  const readChoices = async (): Promise<AppChoices> => ({ launchAtLogin: appChoices.launchAtLogin, handOffWhenCodexCloses: (await readAppSettings(appChoices.file)).handOffWhenCodexCloses });
  const service = new AppService({
    configFile: options.configFile,
    env: options.env ?? currentEnvironment(),
    confirmer: options.confirmer ?? { confirmTermination: async () => false },
    emit: (event, payload) => {
      for (const stream of streams) stream.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    },
    notify: (notice) => notices.push(notice),
    openReview: () => undefined,
    chooseFolder: async () => {
      folderPicker.asked += 1;
      return folderPicker.path;
    },
    appChoices: {
      read: readChoices,
      write: async (change) => {
        if (change.launchAtLogin !== undefined) appChoices.launchAtLogin = change.launchAtLogin;
        if (change.handOffWhenCodexCloses !== undefined) await writeAppSettings(appChoices.file, { handOffWhenCodexCloses: change.handOffWhenCodexCloses });
        return readChoices();
      },
    },
    ...(options.processes === undefined ? {} : { processes: options.processes }),
  });

  let origin = '';
  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(error instanceof Error ? error.message : String(error));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.headers.host !== origin.replace(/^http:\/\//, '')) {
      response.writeHead(421, { 'content-type': 'text/plain' }).end('wrong host');
      return;
    }
    const path = new URL(request.url ?? '/', origin).pathname;
    if (request.method === 'POST' && path.startsWith('/api/')) {
      const body = await readBody(request);
      let parsed: unknown;
      try {
        parsed = body === '' ? {} : JSON.parse(body);
      } catch {
        parsed = Symbol('unparseable');
      }
      const envelope =
        typeof parsed === 'symbol' ? { ok: false, error: { message: 'the request body is not JSON', exitCode: 4, details: [] } } : await service.dispatch(path.slice('/api/'.length), parsed);
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(envelope));
      return;
    }
    if (request.method !== 'GET') {
      response.writeHead(405, { 'content-type': 'text/plain' }).end('method not allowed');
      return;
    }
    if (path === '/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write(': connected\n\n');
      streams.add(response);
      request.on('close', () => streams.delete(response));
      return;
    }
    if (path === '/bridge.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'content-security-policy': contentSecurityPolicy }).end(await readFile(bridgeFile));
      return;
    }
    const found = rendererFile(rendererDir, path);
    if (found === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    let bytes: Buffer | string;
    try {
      bytes = await readFile(found.file);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    // The bridge stands in for the preload: it must define window.codexSync before the app's module runs.
    if (found.file.endsWith('index.html')) bytes = bytes.toString('utf8').replace('<title>', '<script src="/bridge.js"></script>\n    <title>');
    response.writeHead(200, found.headers).end(bytes);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    service,
    notices,
    folderPicker,
    appChoices,
    async close() {
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
