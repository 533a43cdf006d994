/**
 * Trackdesk as the page, the stand-in, the gate and the tests all speak it, written once: where
 * tracking.js lives, the tenant hosts and the tracking API's paths, the affiliate link, the click
 * cookie, the guide's placeholders, the commands and statuses, and the bodies tracking.js sends.
 * tracking.js runs in the page and cannot import this module: it is handed {@link TRACKING_JS_PROTOCOL}
 * as it is served (handlers.ts).
 */
import { escapeRegExp } from '../patterns.ts';

/** Every tenant is a subdomain of it: `<tenant>.trackdesk.com`. */
export const TRACKDESK_DOMAIN = 'trackdesk.com';

/** tracking.js's host and path, and the URL the guide's snippets load it from (protocol-relative). */
export const TRACKING_SCRIPT_HOST = `cdn.${TRACKDESK_DOMAIN}`;
export const TRACKING_SCRIPT_PATH = '/tracking.js';
export const TRACKING_SCRIPT_URL = `//${TRACKING_SCRIPT_HOST}${TRACKING_SCRIPT_PATH}`;

/**
 * The request for tracking.js: https, or http when the protocol-relative URL sits on a plain-http page;
 * with any query (`?ver=6.4.2`, as WordPress enqueues scripts), which a CDN's file is served whatever it is.
 */
export const TRACKING_SCRIPT_REQUEST = new RegExp(`^https?:${escapeRegExp(TRACKING_SCRIPT_URL)}(?:\\?[^#]*)?$`);

/** A `<script src>` that loads tracking.js from Trackdesk's CDN, however the URL is written. */
export const TRACKING_SCRIPT_SRC = new RegExp(escapeRegExp(`${TRACKING_SCRIPT_HOST}${TRACKING_SCRIPT_PATH}`));

/** A Tenant ID as Trackdesk issues it: a lowercase slug (`acme-events`). */
export const TENANT_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** `<tenant>.trackdesk.com`: where tracking.js sends a tenant's calls. */
export const tenantHost = (tenantId: string): string => `${tenantId}.${TRACKDESK_DOMAIN}`;

/**
 * Where tracking.js sends a call whose tenant is not a string (undefined from a missing variable), and
 * one whose tenant cannot be a host label (`{{ tenant }}`): the call still reaches the collector, which
 * names the mistake. A label is what {@link HOST_LABEL} accepts once lowercased.
 */
export const NO_TENANT_HOST = tenantHost('no-tenant');
export const INVALID_TENANT_HOST = tenantHost('invalid-tenant');
export const HOST_LABEL = /^[a-z0-9_-]+$/;

/**
 * The tracking API on a tenant's host. `externalCid` and `conversion` are Trackdesk's documented
 * endpoints; `click` and `unknownCommand` are the stand-in's own (Trackdesk's click endpoint is not
 * public, and the real script ignores unknown commands).
 */
export const TRACKING_API = {
  click: '/tracking/click/v1',
  externalCid: '/tracking/external-cid/v1',
  conversion: '/tracking/conversion/v1',
  unknownCommand: '/tracking/unknown-command',
} as const;

const DOMAIN = escapeRegExp(TRACKDESK_DOMAIN);

/** A request to `path` (a regular expression's source) on any tenant's host: a wrong tenant must still reach the collector. */
export const tenantRoute = (path: string): RegExp => new RegExp(`^https://([^./]+)\\.${DOMAIN}${path.replace(/\//g, '\\/')}$`);

/** Any request to a tenant's tracking API, on the wire. */
export const TRACKING_API_REQUEST = new RegExp(`^https?://[^/]+\\.${DOMAIN}/tracking/`);

/** A redirect link's path on `<tenant>.trackdesk.com` (the stand-in's own: Trackdesk's is not public). */
export const redirectLinkPath = (linkId: string): string => `/r/${encodeURIComponent(linkId)}`;
export const REDIRECT_LINK_ROUTE = tenantRoute('/r/([^/?]+)');
export const linkIdOfRedirect = (pathname: string): string => decodeURIComponent(pathname.split('/')[2]!);

/** An affiliate's direct link: the landing URL parameters Trackdesk adds. */
export interface AffiliateLink {
  linkId: string;
  /** The affiliate's slug (`sourceId` in the link). */
  affiliate: string;
  tenantId: string;
}

/** The landing URL's parameters: a direct link's three, or the CID a redirect link hands over. */
export const LINK_PARAMS = { linkId: 'linkId', sourceId: 'sourceId', tenantId: 'tenantId', cid: 'cid' } as const;

/** `?linkId=…&sourceId=…&tenantId=…`: what an affiliate's direct link adds to a landing URL. */
export function affiliateQuery(link: AffiliateLink): string {
  return `?${new URLSearchParams({ [LINK_PARAMS.linkId]: link.linkId, [LINK_PARAMS.sourceId]: link.affiliate, [LINK_PARAMS.tenantId]: link.tenantId })}`;
}

/** `url` as an affiliate's direct link lands on it: its own query kept, the link's parameters set. */
export function withAffiliateLink(url: URL, link: AffiliateLink): URL {
  const landing = new URL(url);
  for (const [name, value] of new URLSearchParams(affiliateQuery(link))) landing.searchParams.set(name, value);
  return landing;
}

/** The click cookie, in Trackdesk's own spelling (no "c"); its value is {@link CidCookie} as JSON. */
export const CID_COOKIE = 'trakdesk_cid';
export interface CidCookie {
  tenantId: string;
  cid: string;
}

/** What the guide's snippets hold until the organiser fills them in, and the placeholder UUID's form. */
export const PLACEHOLDERS = { tenantId: 'YOUR_TENANT_ID', revenueOriginId: 'YOUR_REVENUE_ORIGIN_ID' } as const;
export const PLACEHOLDER_UUID = '00000000-0000-0000-0000-000000000000';

/** trackdesk()'s commands, as Trackdesk's own examples spell them, and the same for a message. */
export const TRACKING_COMMANDS = ['click', 'externalCid', 'conversion'] as const;
export const COMMANDS_IN_WORDS = `${TRACKING_COMMANDS.slice(0, -1).join(', ')} or ${TRACKING_COMMANDS.at(-1)!}`;
export type TrackingCommand = (typeof TRACKING_COMMANDS)[number] | (string & {});

export const CONVERSION_STATUSES = [
  'CONVERSION_STATUS_APPROVED',
  'CONVERSION_STATUS_PENDING',
  'CONVERSION_STATUS_ON_HOLD',
  'CONVERSION_STATUS_REFUNDED',
  'CONVERSION_STATUS_TEST',
  'CONVERSION_STATUS_FRAUD',
  'CONVERSION_STATUS_BLOCKED',
  'CONVERSION_STATUS_NOT_ALLOWED',
  'CONVERSION_STATUS_QUALITY_CONTROL',
  'CONVERSION_STATUS_REJECTED',
] as const;
export type ConversionStatus = (typeof CONVERSION_STATUSES)[number];

/**
 * Each argument of a tracking call as the page passed it, rendered by tracking.js with its type kept:
 * `tenantId: '"acme"'` (a string), `revenueOriginId: 'undefined'`, `amount: '{ value: 49 }'`. The JSON
 * body cannot say this: it drops undefined. A parameter the page left out has no entry.
 */
export type SentArguments = Record<string, string>;

/**
 * Every call tracking.js sends carries `scriptKey`: the key the mocked Trackdesk gave that copy of the
 * script, as the browser loaded it, for that endpoint alone (handlers.ts). A call without a key it gave
 * is the page's own (a fetch() to the endpoint, a `window.trackdesk` of its own), which in production
 * Trackdesk would never see as a click: the click endpoint is the stand-in's invention. A key is one
 * endpoint's: a page that wraps fetch() reads the key of each call tracking.js makes, so the key of a
 * call real tracking.js would never send (an unknown command's) must not make a click. Never kept in a record.
 */
export type ScriptKeys = Record<keyof typeof TRACKING_API, string>;

export const SCRIPT_KEY_PLACEHOLDER = '__TRACKDESK_SCRIPT_KEYS__';

/** The body tracking.js sends for `click`. */
export interface ClickCall {
  tenantId: unknown;
  landingUrl: string;
  linkId?: string | null;
  sourceId?: string | null;
  linkTenantId?: string | null;
  /** A CID handed over by a redirect link. */
  cid?: string | null;
  /** The CID already in this browser's cookie, for Trackdesk's one-hour repeat rule. */
  previousCid?: string | null;
  /** Set by the handler from the request, not by the page. */
  userAgent?: string;
  /** The arguments as the page passed them. */
  sent?: SentArguments;
  scriptKey?: unknown;
}

/** The answer to a click: what tracking.js stores in the cookie and hands to the callback. */
export interface ClickAnswer {
  cid: string;
  expiredAt: Date | string;
}

/** The `conversion` command's parameters as tracking.js sends them, with the cookie's CID. */
export interface ConversionCall {
  tenantId: unknown;
  revenueOriginId: unknown;
  conversionType: unknown;
  amount?: { value?: unknown; currency?: string };
  externalId?: string;
  customerId?: string;
  status?: unknown;
  couponCodes?: unknown[];
  customParams?: Record<string, string>;
  cid?: string | null;
  cookieTenantId?: string | null;
  /** The arguments as the page passed them. */
  sent?: SentArguments;
  scriptKey?: unknown;
}

/** The body of `POST /tracking/external-cid/v1`, plus the cookie's tenant for a clearer message. */
export interface ExternalCidCall {
  tenantId: unknown;
  externalCid: unknown;
  revenueOriginId: unknown;
  cid?: string | null;
  cookieTenantId?: string | null;
  /** The arguments as the page passed them. */
  sent?: SentArguments;
  scriptKey?: unknown;
}

/** A command tracking.js does not know (a typo such as `externalCID`), reported instead of ignored. */
export interface UnknownCommandCall {
  tenantId?: unknown;
  command?: unknown;
  sent?: SentArguments;
  scriptKey?: unknown;
}

/** What tracking.js needs of all this, handed to it as it is served (it runs in the page and cannot import). */
export const TRACKING_JS_PROTOCOL = {
  domain: TRACKDESK_DOMAIN,
  noTenantHost: NO_TENANT_HOST,
  invalidTenantHost: INVALID_TENANT_HOST,
  hostLabel: HOST_LABEL.source,
  paths: TRACKING_API,
  linkParams: LINK_PARAMS,
  cookie: CID_COOKIE,
};
export type TrackingJsProtocol = typeof TRACKING_JS_PROTOCOL;

/** `trackdesk(TENANT_ID, COMMAND, PARAMS?, CALLBACK?)`: the queue stub (with its `.q`) or the real function. */
export type TrackdeskFunction = ((...args: unknown[]) => void) & { q?: ArrayLike<unknown>[] };

/** What tracking.js exposes in the page (`window.__trackdeskStandIn`) for the harness and the gate. */
export interface TrackdeskStandIn {
  /** How many copies of tracking.js ran (the guide's two snippets load it twice on a tickets page). */
  runs: number;
  /** Every command the page called, in order. */
  called: string[];
  adoptQueues(): void;
  /** Resolves once every tracking call the page started has been answered (and so recorded). */
  settled(): Promise<void>;
}
