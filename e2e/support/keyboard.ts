import type { Page } from 'playwright-core';

// Checks run inside the page as plain script text: the e2e files are type-checked for Node,
// and these read only standard DOM.

/** What has focus now: a short name for it, and whether its focus ring can be seen (an outline or a ring-like shadow). */
export interface FocusStop {
  name: string;
  ringVisible: boolean;
}

const focusNow = `(() => {
  const el = document.activeElement;
  if (el === null || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
  const label = (el.getAttribute('aria-label') || (el.labels && el.labels[0] ? el.labels[0].textContent : '') || el.textContent || el.getAttribute('name') || '').trim().slice(0, 60);
  return { name: el.tagName.toLowerCase() + (el.type ? '[' + el.type + ']' : '') + ' ' + label, ringVisible: outline || shadow };
})()`;

/** Presses Tab until focus comes back round (or `max` times): every stop on the way. */
export async function tabWalk(page: Page, max = 120): Promise<FocusStop[]> {
  const stops: FocusStop[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const stop = (await page.evaluate(focusNow)) as FocusStop | null;
    if (stop === null) continue;
    if (seen.has(stop.name) && stops.length > 0 && stops[0]?.name === stop.name) break;
    seen.add(stop.name);
    stops.push(stop);
  }
  return stops;
}

/**
 * The controls a person cannot name: buttons, links and summaries with no text, aria-label,
 * aria-labelledby or title, and form fields with no label of any kind. Hidden ones count too.
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const named = (el) => (el.textContent || '').trim() !== '' || (el.getAttribute('aria-label') || '').trim() !== '' || el.hasAttribute('aria-labelledby') || (el.getAttribute('title') || '').trim() !== '';
    const out = [];
    for (const el of document.querySelectorAll('button, a[href], summary, [role=button], [role=tab], [role=menuitem]')) if (!named(el)) out.push(el.outerHTML.slice(0, 120));
    for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
      const labelled = (el.labels && el.labels.length > 0) || (el.getAttribute('aria-label') || '').trim() !== '' || el.hasAttribute('aria-labelledby') || (el.getAttribute('title') || '').trim() !== '';
      if (!labelled) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  })()`)) as string[];
}

/** The enabled, shown controls a Tab walk should reach (one per radio group). */
export async function reachableControls(page: Page): Promise<number> {
  return (await page.evaluate(`(() => {
    const groups = new Set();
    let n = 0;
    for (const el of document.querySelectorAll('button, a[href], summary, input:not([type=hidden]), select, textarea, [tabindex="0"]')) {
      if (el.disabled || el.getClientRects().length === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') continue;
      if (el.type === 'radio') { if (groups.has(el.name)) continue; groups.add(el.name); }
      n += 1;
    }
    return n;
  })()`)) as number;
}
