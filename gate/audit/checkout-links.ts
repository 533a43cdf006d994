/**
 * Links and buttons that send a buyer off the site to Tito's own pages: an event page on ti.to (its
 * checkout runs there) or Tito's hosted checkout. The guide's conversion snippet sits on the site's
 * pages, so it never runs for a buyer who registers there.
 */
import { CHECKOUT_ORIGIN, EVENT_PAGE_HOST, EVENT_PATH, TITO_DOMAIN } from '../../mocks/tito/protocol.ts';
import { SITE_UNDER_TEST_ORIGIN } from '../hosts.ts';

/** A link (or button, or form) to Tito's hosted checkout, as a page has it. */
export interface CheckoutLink {
  /** Absolute. */
  href: string;
  /** What the buyer reads on it. */
  text: string;
  /** Line in the served HTML; absent for a link drawn at run time. */
  line?: number;
}

const CHECKOUT_HOST = new URL(CHECKOUT_ORIGIN).host;
const MENTIONS_TITO_HOST = /ti\.to|tito\.io/i;
/** A Tito URL inside code, such as an onclick's `location.href='https://ti.to/…'`. */
export const TITO_URL_IN_CODE = /(?:https?:)?\/\/(?:[a-z0-9-]+\.)*(?:ti\.to|tito\.io)\/[^\s'"`<>)]*/i;

/** The absolute URL of `href` when it leads to Tito's hosted checkout, else null. */
export function titoCheckoutUrl(href: string, page = '/'): string | null {
  // Most links are the site's own: no URL is parsed for them (a page may have 200,000).
  if (!MENTIONS_TITO_HOST.test(href)) return null;
  let url: URL;
  try {
    url = new URL(href.trim(), SITE_UNDER_TEST_ORIGIN + page);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.replace(/^www\./, '');
  // Tito's home and docs (ti.to, ti.to/home) sell nothing: an event page is /account/event.
  if (host === CHECKOUT_HOST || ((host === EVENT_PAGE_HOST || host === TITO_DOMAIN) && eventIn(url.pathname))) return url.href;
  return null;
}

/** The `account/event` a checkout URL names (`https://ti.to/acme/summit/with/…` → `acme/summit`), or null. */
export function checkoutEvent(href: string): string | null {
  return eventIn(new URL(href).pathname);
}

function eventIn(pathname: string): string | null {
  const path = pathname.split('/').filter(Boolean).slice(0, 2).join('/');
  return EVENT_PATH.test(path) ? path : null;
}

/** The attribute of an element that names where it sends the buyer (render.ts's page script repeats this: it cannot import). */
export const targetAttribute = (tag: string): string => (tag === 'form' ? 'action' : tag === 'a' || tag === 'area' ? 'href' : 'formaction');

/** The checkout URL an element sends the buyer to: its href, form action, or a URL in its onclick. */
export function elementCheckoutUrl(target: { href?: string | null; onclick?: string | null }, page: string): string | null {
  if (target.href) return titoCheckoutUrl(target.href, page);
  const inCode = target.onclick ? TITO_URL_IN_CODE.exec(target.onclick)?.[0] : undefined;
  return inCode ? titoCheckoutUrl(inCode, page) : null;
}

/** What a buyer reads on a link: its text (an image map area's alt), else its aria-label; whitespace collapsed, at most 80 characters. */
export function buyerText(text: string | null, label: string | null): string {
  const collapsed = (text?.trim() ? text : (label ?? '')).replace(/\s+/g, ' ').trim();
  return collapsed.length > 80 ? `${collapsed.slice(0, 79)}…` : collapsed;
}
