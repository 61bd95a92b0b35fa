import { extname, join, normalize, sep } from 'node:path';
import { contentSecurityPolicy } from '../shared/csp.ts';

/** The windows are served from this origin; nothing else is ever loaded. */
export const appScheme = 'app';
export const appHost = 'codexsync';
export const appOrigin = `${appScheme}://${appHost}`;

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface RendererFile {
  file: string;
  headers: Record<string, string>;
}

/**
 * The file of the built renderer a URL path names, with the headers to send; undefined for
 * anything outside the renderer folder, a dot file, or a type the windows never use.
 */
export function rendererFile(rendererDir: string, urlPath: string): RendererFile | undefined {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split(/[?#]/)[0] ?? '/');
  } catch {
    return undefined;
  }
  if (path === '/' || path === '') path = '/index.html';
  if (path.includes('\0') || path.includes('\\') || path.split('/').some((part) => part === '..' || part.startsWith('.'))) return undefined;
  const file = normalize(join(rendererDir, ...path.split('/')));
  if (!file.startsWith(`${normalize(rendererDir)}${sep}`)) return undefined;
  const type = types[extname(file)];
  if (type === undefined) return undefined;
  return {
    file,
    headers: {
      'content-type': type,
      'content-security-policy': contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    },
  };
}
