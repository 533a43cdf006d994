/**
 * A page's closed menus, opened as a visitor opens them: a nav drawer behind "☰ Menu", an "Attend ▾"
 * dropdown whose links a framework draws only while it is open.
 */
import type { Page } from '@playwright/test';
import { inPage } from '../fixtures/in-page.ts';
import { within } from './limits.ts';

/** What a control that opens a menu says, where it says nothing of being one (no `aria-expanded`). */
export const MENU_WORDS = /\b(menu|navigation|nav|more|attend|tickets?|register|programme|program|events?)\b|☰|≡/i;
/**
 * Of those, what only a menu's control says: discovery presses what speaks of tickets ("Buy tickets", "Attend")
 * with the navigations it sets off held back (press.ts), and must not press it again unheld.
 */
export const DRAWER_WORDS = /\b(menu|navigation|nav)\b|☰|≡/i;
/** Menus opened on one page, at most. */
const MENUS = 3;

/**
 * Marks the page's closed menus (a control with `aria-expanded="false"` or a popup, a closed `<details>`'
 * summary, or a button that says "Menu", "☰", "Attend"), shown and outside any form, up to {@link MENUS}:
 * `[data-gate-menu="<token>-<n>"]`, our own mark, so no selector is built from the site's text. Returns how many.
 */
export function markMenus(page: Page, token: string, words: RegExp = MENU_WORDS): Promise<number> {
  const marked = inPage(page, (o: { words: string; token: string; menus: number }) => {
    const words = new RegExp(o.words, 'i');
    let marked = 0;
    for (const e of [...document.querySelectorAll('[aria-expanded="false"], [aria-haspopup], details:not([open]) > summary, button, [role=button]')].slice(0, 2_000)) {
      if (marked >= o.menus) break;
      // A link with aria-expanded leads elsewhere as well: only what opens in place is pressed.
      if (e.closest('form') || e.matches('a[href]') || !e.checkVisibility()) continue;
      const opens = e.getAttribute('aria-expanded') === 'false' || (e.hasAttribute('aria-haspopup') && e.getAttribute('aria-haspopup') !== 'false') || e.localName === 'summary';
      const says = `${e.textContent ?? ''} ${e.getAttribute('aria-label') ?? ''} ${e.getAttribute('title') ?? ''}`;
      if (!opens && !words.test(says)) continue;
      e.setAttribute('data-gate-menu', `${o.token}-${marked++}`);
    }
    return marked;
  }, { words: words.source, token, menus: MENUS }, { world: 'isolated' }).catch(() => 0);
  return within(3_000, marked, () => 0);
}

/** Opens the `n`th menu {@link markMenus} marked; whether the press was made. */
export function openMenu(page: Page, token: string, n: number): Promise<boolean> {
  return page.locator(`[data-gate-menu="${token}-${n}"]`).click({ timeout: 3_000 }).then(() => true, () => false);
}

/** A fresh token for {@link markMenus}. */
export const menuToken = () => `m${Math.random().toString(36).slice(2)}`;
