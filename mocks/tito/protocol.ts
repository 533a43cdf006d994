/**
 * Tito as the page, the stand-in, the gate and the tests all speak it, written once: its hosts, its
 * script URLs (v2 with any plugin list, the deprecated v1), the storefront elements, and what an
 * `account/event` path may hold. The stand-in's scripts run in the page and cannot import this module:
 * they are handed {@link TitoJsProtocol} as they are served (handlers.ts).
 */
import { escapeRegExp } from '../patterns.ts';

/** Tito's domain (`js.`, `css.` and `checkout.tito.io`), and the host of its event pages. */
export const TITO_DOMAIN = 'tito.io';
export const EVENT_PAGE_HOST = 'ti.to';
export const EVENT_PAGE_ORIGIN = `https://${EVENT_PAGE_HOST}`;
export const CHECKOUT_ORIGIN = `https://checkout.${TITO_DOMAIN}`;

/** The script's host, and its two versions as the guide (v2) and older sites (v1) load them. */
export const TITO_SCRIPT_HOST = `js.${TITO_DOMAIN}`;
export const TITO_SCRIPT_ORIGIN = `https://${TITO_SCRIPT_HOST}`;
export const TITO_V2_URL = `${TITO_SCRIPT_ORIGIN}/v2`;
export const TITO_V1_URL = `${TITO_SCRIPT_ORIGIN}/v1`;
/** v1 sites link Tito's stylesheet (`css.tito.io/v1.1`) beside the script. */
export const TITO_V1_STYLESHEET_ORIGIN = `https://css.${TITO_DOMAIN}`;

/**
 * The requests for Tito's scripts. v2's plugins go in the path, a comma-separated list per segment:
 * `/with/inline,ga4`, `/with/development_mode/without/widget-css`, or a list a site joins at run time
 * (`%2C`). Any plugin name loads. msw matches a URL without its query, so `?v=…` loads too.
 */
export const TITO_V2_REQUEST = new RegExp(`^${escapeRegExp(TITO_V2_URL)}(\\/(with|without)\\/([\\w-]|,|%2[Cc])+)*\\/?$`);
export const TITO_V1_REQUEST = new RegExp(`^${escapeRegExp(TITO_V1_URL)}\\/?$`);
export const TITO_V1_STYLESHEET_REQUEST = new RegExp(`^${escapeRegExp(TITO_V1_STYLESHEET_ORIGIN)}\\/v1(\\.\\d+)?\\/?$`);

/** A page's `<script src>` that loads v2 or v1, with or without a scheme; a plugin path or query may follow. */
const SCRIPT = `^(https?:)?//${escapeRegExp(TITO_SCRIPT_HOST)}`;
export const TITO_V2_SRC = new RegExp(`${SCRIPT}/v2(/|$|\\?|,)`);
export const TITO_V1_SRC = new RegExp(`${SCRIPT}/v1(/|$|\\?)`);

/** The plugin list in a v2 script's path (`/v2/with/inline,ga4/without/widget-css` → `inline,ga4`); `inline` renders into the page. */
export const PLUGIN_LIST = /\/with\/([^/]+)/;
export const INLINE_PLUGIN = 'inline';

/** The storefront elements (`<tito-widget event="account/event">`, `<tito-button>`), and the button a `<tito-button>` renders. */
export const STOREFRONT_ELEMENTS = { widget: 'tito-widget', button: 'tito-button' } as const;
export const STOREFRONT_SELECTOR = `${STOREFRONT_ELEMENTS.widget}, ${STOREFRONT_ELEMENTS.button}`;
export const BUTTON_CLASS = 'tito-widget-button';

/** One slug of an `account/event` path (letters, digits, dashes and underscores), and the path itself. */
const SLUG_CHARS = '[A-Za-z0-9_-]+';
export const SLUG = new RegExp(`^${SLUG_CHARS}$`);
export const EVENT_PATH = new RegExp(`^${SLUG_CHARS}/${SLUG_CHARS}$`);

/** What the stand-in's scripts need of all this (and the stand-in's price for a release it makes up). */
export interface TitoJsProtocol {
  checkoutOrigin: string;
  eventPageOrigin: string;
  elements: typeof STOREFRONT_ELEMENTS;
  buttonClass: string;
  pluginList: string;
  inlinePlugin: string;
  madeUpPrice: string;
}

export function titoJsProtocol(madeUpPrice: string): TitoJsProtocol {
  return {
    checkoutOrigin: CHECKOUT_ORIGIN,
    eventPageOrigin: EVENT_PAGE_ORIGIN,
    elements: STOREFRONT_ELEMENTS,
    buttonClass: BUTTON_CLASS,
    pluginList: PLUGIN_LIST.source,
    inlinePlugin: INLINE_PLUGIN,
    madeUpPrice,
  };
}

/**
 * The stand-in's record of the storefronts it mounted (`window.__titoStandIn`), which a gate reads
 * instead of guessing: `loaded` names the script versions that ran.
 */
export interface TitoStandIn {
  loaded: ('v1' | 'v2')[];
  storefronts: TitoStorefront[];
  /** Each registration:finished Tito reported: how many of the page's handlers it called, and how many of those returned (did not throw). */
  finished: { handlers: number; returned: number }[];
}

/** One storefront: 'loading', then 'rendered' (tickets on show; a button once it shows) or 'error'. */
export interface TitoStorefront {
  kind: 'widget' | 'button' | 'mount';
  event: string;
  version: 'v1' | 'v2';
  state: 'loading' | 'rendered' | 'error';
  message?: string;
}
