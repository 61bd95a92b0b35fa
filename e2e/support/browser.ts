import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumEndpoint: string;
  }
}

/** Debian's Chromium (apt-get install chromium): Playwright cannot download a browser here. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Screenshots of every window, kept by CI as an artifact. */
export const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

let connected: Promise<Browser> | undefined;

export function browser(): Promise<Browser> {
  connected ??= chromium.connect(inject('chromiumEndpoint'));
  return connected;
}

export interface OpenOptions {
  dark?: boolean;
  /** 2 = the window at 200% zoom: half the CSS pixels, each drawn twice as large. */
  zoom?: 1 | 2;
}

/** A window of the app as its BrowserWindow opens it (1100 × 760), on one view. */
export async function openWindow(url: string, options: OpenOptions = {}): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const zoom = options.zoom ?? 1;
  const context = await (
    await browser()
  ).newContext({
    viewport: { width: Math.round(1100 / zoom), height: Math.round(760 / zoom) },
    deviceScaleFactor: zoom,
    colorScheme: options.dark === true ? 'dark' : 'light',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  return { page, context, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = `${artifacts}${name}.png`;
  await page.screenshot({ path });
  return path;
}
