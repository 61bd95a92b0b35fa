import type { Page } from 'playwright-core';

// Functions that run inside the page. The e2e files are type-checked for Node, so the few
// browser globals used here are described by hand rather than by pulling DOM types into Node code.
interface Scrollable {
  scrollTop: number;
  scrollHeight: number;
}
interface BrowserGlobals {
  document: { documentElement: { scrollWidth: number }; querySelector(selector: string): Scrollable | null };
  innerWidth: number;
  requestAnimationFrame(callback: () => void): number;
  performance: { now(): number };
}

/** Whether everything fits the window's width (no sideways scrolling). */
export function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const g = globalThis as unknown as BrowserGlobals;
    return g.document.documentElement.scrollWidth <= g.innerWidth;
  });
}

/** Scrolls a list through its whole length in `steps` jumps; the time from each jump to the next frame. */
export function scrollFrameTimes(page: Page, selector: string, steps: number): Promise<number[]> {
  return page.evaluate(
    async ([sel, n]) => {
      const g = globalThis as unknown as BrowserGlobals;
      const element = g.document.querySelector(sel);
      if (element === null) throw new Error(`no ${sel} in the page`);
      const times: number[] = [];
      for (let step = 1; step <= n; step += 1) {
        const before = g.performance.now();
        element.scrollTop = (element.scrollHeight * step) / n;
        await new Promise<void>((resolve) => g.requestAnimationFrame(() => resolve()));
        times.push(g.performance.now() - before);
      }
      return times;
    },
    [selector, steps] as const,
  );
}
