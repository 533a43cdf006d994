/**
 * The cookie banner, answered as most visitors answer it: "Accept all". A site that
 * runs the click tracker only with consent (the snippet as `type="text/plain"` until the banner lets it
 * run: vanilla-cookieconsent, Klaro, Cookiebot, Complianz) tracks every visitor who accepts, and may
 * lawfully track no other; a site that loses the click even then (tracking only from the next page on)
 * still fails. A banner the site serves itself is answered, and Cookiebot's and OneTrust's from their
 * vendors' hosts, which have stand-ins (mocks/consent/); any other hosted consent manager gets the gate's
 * neutral answer, and shows nothing.
 */
import type { Page } from '@playwright/test';
import { inPage } from '../fixtures/in-page.ts';
import { within } from './limits.ts';

/** "Accept all" of the consent managers sites host themselves, and of the hosted ones (the gate's stand-ins of Cookiebot and OneTrust, or a copy the site serves). */
const ACCEPT_CONTROLS = [
  '#cc-main [data-role="all"]', // vanilla-cookieconsent 3
  '#c-p-bn',
  '[data-cc="accept-all"]', // vanilla-cookieconsent 2
  '.klaro .cm-btn-accept-all',
  '#onetrust-accept-btn-handler',
  '#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll',
  '#CybotCookiebotDialogBodyButtonAccept',
  '.cmplz-btn.cmplz-accept', // Complianz
  '.cky-btn-accept', // CookieYes
  '[data-borlabs-cookie-actions="accept-all"]',
  '.osano-cm-accept-all',
  '#didomi-notice-agree-button',
  '.iubenda-cs-accept-btn',
  '#cn-accept-cookie', // Cookie Notice
  '.moove-gdpr-infobar-allow-all',
  '#cookie_action_close_header', // CookieLawInfo
  '#axeptio_btn_acceptAll',
  '#truste-consent-button',
  '[data-cookiefirst-action="accept"]',
  '#ccc-notify-accept', // Civic Cookie Control
  '#tarteaucitronPersonalize2',
].join(', ');

/** What an "accept" control says, in the languages event sites are written in. */
const ACCEPT_WORDS = /^(accept|allow|agree|i agree|ok|okay|got it|alle akzeptieren|akzeptieren|zustimmen|einverstanden|alle zulassen|tout accepter|accepter|j'accepte|aceptar|accetta|accepteer|alles accepteren|aceitar)\b/i;
/** What a choice short of everything says ("Accept necessary", "Allow selection"): not what most visitors press. */
const PARTIAL_WORDS = /necessary|essential|required|only|selection|selected|settings|preferences|customi|notwendig|nécessaires|necesarias|reject|decline/i;
/** What a banner's element is named for. */
const BANNER_WORDS = /cookie|consent|gdpr|privacy|datenschutz|cmplz/i;
/** A read of the page; a main thread that never frees gives no answer. */
const READ_WAIT = 3_000;
const PRESS_WAIT = 3_000;

/**
 * Presses the "accept all" control of a cookie banner the page shows, if it shows one: a known consent
 * manager's, else a short button that says accept inside an element named for cookies or consent.
 * Returns what the control says, or null when the page shows no banner (or the press did not take).
 */
export async function acceptCookies(page: Page): Promise<string | null> {
  const token = `k${Math.random().toString(36).slice(2)}`;
  // Runs in the page: no named inner functions (a bundler's name helper is not there).
  const found = inPage(
    page,
    (o: { known: string; words: string; partial: string; banner: string; token: string }) => {
      const words = new RegExp(o.words, 'i');
      const partial = new RegExp(o.partial, 'i');
      const banner = new RegExp(o.banner, 'i');
      const candidates = [...document.querySelectorAll(o.known), ...[...document.querySelectorAll('button, [role=button], a, input[type=button], input[type=submit]')].slice(0, 2_000)];
      for (const e of candidates) {
        if (!e.checkVisibility({ checkVisibilityCSS: true, checkOpacity: true })) continue;
        const says = ((e.textContent ?? '').trim() || (e.getAttribute('aria-label') ?? '') || ((e as HTMLInputElement).value ?? '')).replace(/\s+/g, ' ').slice(0, 60);
        let inBanner = e.matches(o.known);
        if (!inBanner && says.length <= 40 && words.test(says) && !partial.test(says)) {
          for (let at: Element | null = e, level = 0; at && level < 8 && !inBanner; at = at.parentElement, level++) {
            inBanner = banner.test(`${at.id} ${typeof at.className === 'string' ? at.className : ''} ${at.getAttribute('aria-label') ?? ''}`);
          }
        }
        if (!inBanner) continue;
        e.setAttribute('data-gate-consent', o.token);
        return says;
      }
      return null;
    },
    { known: ACCEPT_CONTROLS, words: ACCEPT_WORDS.source, partial: PARTIAL_WORDS.source, banner: BANNER_WORDS.source, token },
    { world: 'isolated' },
  ).catch(() => null);
  const says = await within(READ_WAIT, found, () => null);
  if (says === null) return null;
  // Our own token names the element: no selector is built from the site's text.
  const pressed = await page.locator(`[data-gate-consent="${token}"]`).click({ timeout: PRESS_WAIT }).then(() => true, () => false);
  return pressed ? says : null;
}
