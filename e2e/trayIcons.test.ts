import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { browser, screenshot } from './support/browser.ts';

const trayDir = fileURLToPath(new URL('../assets/tray/', import.meta.url));
const states = ['idle', 'syncing', 'waiting', 'conflict', 'error'];
/** Bars as Windows, GNOME, KDE and macOS draw them, light and dark. */
const bars = [
  { name: 'light bar', background: '#f3f3f3', ink: '#1b1b1b' },
  { name: 'dark bar', background: '#202020', ink: '#f3f3f3' },
];

function dataUrl(file: string): string {
  return `data:image/png;base64,${readFileSync(`${trayDir}${file}`).toString('base64')}`;
}

describe('tray icons', () => {
  it('draws every state at 16 px on a light and a dark bar, at 1x and 2x', async () => {
    const context = await (await browser()).newContext({ viewport: { width: 560, height: 122 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const rows = bars
      .map(
        (bar) =>
          `<div style="background:${bar.background};color:${bar.ink};display:flex;gap:18px;align-items:center;padding:10px 14px;font:12px sans-serif"><span style="width:70px">${bar.name}</span>${states
            .map((state) => `<figure style="margin:0;text-align:center"><img alt="${state}" width="16" height="16" src="${dataUrl(`tray-${state}.png`)}"><figcaption>${state}</figcaption></figure>`)
            .join(
              '',
            )}<span style="width:12px"></span>${states.map((state) => `<img alt="${state} template" width="16" height="16" src="${dataUrl(`tray-${state}Template.png`)}" style="${bar.background === '#202020' ? 'filter:invert(1)' : ''}">`).join('')}</div>`,
      )
      .join('');
    await page.setContent(
      `<body style="margin:0">${rows}<p style="font:11px sans-serif;margin:6px 14px">left: tray-STATE.png (Windows .ico, Linux); right: the macOS template, tinted by the bar</p></body>`,
    );
    const drawn = await page.evaluate('[...document.images].every((img) => img.complete && img.naturalWidth >= 16)');
    expect(drawn).toBe(true);
    expect(await page.locator('img').count()).toBe(states.length * 2 * bars.length);
    await screenshot(page, 'tray-icons');
    await context.close();
  });
});
