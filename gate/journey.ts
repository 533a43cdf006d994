/**
 * The gate's browser checks, as an affiliate's visitor lives them: land on a page through an affiliate
 * link (the click), then, where the page sells tickets, register on its storefront (the external CID),
 * let the Stripe app sync (the conversion). Each step waits on what it waits for (a record in the
 * mocked Trackdesk, the storefront's own state), ends within seconds when it cannot happen, and turns
 * what went wrong into a finding that says what the page showed.
 */
import { randomInt } from 'node:crypto';
import type { Locator, Page } from '@playwright/test';
import { inPage } from '../fixtures/in-page.ts';
import { HarnessFault } from '../fixtures/harness-fault.ts';
import type { HarnessConfig } from '../fixtures/config.ts';
import type { MockedTrackdesk } from '../fixtures/mocked-trackdesk.ts';
import { story } from '../fixtures/matchers.ts';
import type { AffiliateLink } from '../fixtures/pages/event-site.ts';
import { TitoWidget } from '../fixtures/pages/tito-widget.ts';
import type { TrackdeskStripeApp } from '../mocks/trackdesk/index.ts';
import { BUTTON_CLASS, STOREFRONT_ELEMENTS, TITO_V2_URL } from '../mocks/tito/protocol.ts';
import { CID_COOKIE, LINK_PARAMS, tenantHost, TRACKING_SCRIPT_HOST, TRACKING_SCRIPT_URL, withAffiliateLink } from '../mocks/trackdesk/protocol.ts';
import type { RejectedCall } from '../mocks/trackdesk/records.ts';
import type { TitoCheckout } from '../mocks/tito/index.ts';
import { acceptCookies } from './consent.ts';
import { finding, type Finding } from './findings.ts';
import { within } from './limits.ts';
import { mainThreadQuiet, QUIET_MS, quietness } from './render.ts';
import { storefrontSelector } from './press.ts';
import { until } from './wait.ts';

export interface Visitor {
  page: Page;
  trackdesk: MockedTrackdesk;
  stripeApp: TrackdeskStripeApp;
  /** The affiliate's link the visitor arrives through, and the affiliate's page they come from. */
  link: AffiliateLink & { referrer?: string };
  account: HarnessConfig['trackdesk'];
  /** The test's Tito checkout: the order the visitor placed, as Tito recorded it. */
  checkout: TitoCheckout;
  /** Where the site is served to the browser. */
  origin: string;
  /** Uncaught errors of the page's scripts, as they happen. */
  errors: string[];
}

const CLICK_WAIT = 20_000;
/** How long a page that has gone quiet may still take to load tracking.js (consent banners, timers). */
const LATE_SCRIPT_GRACE = 5_000;
const STEP_WAIT = 10_000;
/** How long a page may take to finish loading and go quiet before it is judged by what it did so far. */
const QUIET_BUDGET = 10_000;
/** A read of the page's state; a main thread that never frees gives no answer. */
const READ_WAIT = 3_000;
const EXTERNAL_CID_WAIT = 5_000;
/** How long a page where no Tito script ran must stay quiet before its storefront is judged never to render. */
const NO_TITO_QUIET_MS = 3_000;
/** Leaving the page, its unload handlers included. */
const LEAVE_WAIT = 5_000;

/** How the affiliate's visitor arrives: the other options of {@link affiliateVisit}. */
export interface Arrival {
  /** The site's 404 page serves the page (a router on GitHub Pages), so its 404 is how the host answers it. */
  served404?: boolean;
  /** Told once the page loaded and the visitor looked around, while the click is still awaited. */
  onArrived?: () => void;
  /**
   * Through the affiliate's redirect link (Trackdesk's default kind, {@link throughRedirectLink}): Trackdesk
   * makes the click itself and lands the visitor with `?cid=` alone, which tracking.js must take up into the
   * cookie. Else through a direct link (`linkId`, `sourceId`).
   */
  redirectLink?: boolean;
}

/**
 * Lands on `path` through the affiliate link; the mocked Trackdesk must record exactly one click, and the browser hold its cookie.
 */
export async function affiliateVisit(visitor: Visitor, path: string, { served404 = false, onArrived, redirectLink = false }: Arrival = {}): Promise<Finding[]> {
  const { page, trackdesk, link } = visitor;
  const landing = redirectLink ? throughRedirectLink(visitor, new URL(path, visitor.origin)) : withAffiliateLink(new URL(path, visitor.origin), link);
  // The page's load event, as an event: a wait on it would cost the many protocol messages of a waiter, on every page.
  const loaded = new Promise<void>((resolve) => page.once('load', () => resolve()));
  // A redirect link's double meta refresh leaves the landing page no referrer.
  const response = await page.goto(landing.href, { waitUntil: 'domcontentloaded', timeout: 30_000, referer: redirectLink ? undefined : link.referrer }).catch((error: Error) => error);
  const status = response instanceof Error ? 0 : (response?.status() ?? 0);
  const through = redirectLink ? `${link.affiliate}'s redirect link` : `${link.affiliate}'s affiliate link`;
  const failed = response instanceof Error ? `did not load (${response.message.split('\n')[0]})` : status >= 400 && !(served404 && status === 404) ? `answered ${status}` : '';
  if (failed) return [finding('CLICK_NOT_TRACKED', path, `${path} ${failed} when an affiliate's visitor arrived on ${landing.pathname}${landing.search} through ${through}, so no click could be made`)];
  await looksAround(page);
  onArrived?.();

  const clicks = () => (redirectLink ? trackdesk.collector.redirectClicksTakenUp : trackdesk.collector.clicks.length);
  const rejected = () => trackdesk.collector.rejected.filter((r) => r.command === 'click');
  const answered = () => clicks() > 0 || rejected().length > 0;
  // Whichever side decides, the other stops: nothing of this check may still wait on the page, or keep
  // the process alive, once it is judged.
  const decided = new AbortController();
  const outcome = await Promise.race([
    until(answered, CLICK_WAIT, 10, decided.signal).then((done) => (done ? 'answered' : 'timeout')),
    noClickComing(page, answered, loaded, decided.signal).then((why) => why ?? new Promise<never>(() => {})),
  ]).finally(() => decided.abort());
  await trackdesk.settled();
  const forged = rejected().filter((r) => !r.sentByTrackingJs);
  if (forged.length > 0) return [notFromTrackingJs(visitor, path, forged, 'A click', 'no click would be made')];
  const mine = trackdesk.collector.clicks.filter((c) => c.affiliate === link.affiliate && c.tenantId === visitor.account.tenantId);
  if (mine.length !== 1 || (redirectLink && trackdesk.collector.redirectClicksTakenUp === 0)) {
    const seen = outcome === 'timeout' ? await trackerState(page) : '';
    const why = rejected().length > 0 ? 'Trackdesk refused the click' : outcome === 'timeout' ? `no click reached Trackdesk within ${CLICK_WAIT / 1000} s` : outcome;
    const made = redirectLink
      ? `landing on ${path} through ${through} (Trackdesk made the click and sent the visitor on with ?cid=), tracking.js never took the click up into its cookie, so no registration can be paired with it`
      : `landing on ${path} through ${through} made ${mine.length === 0 ? 'no click' : `${mine.length} clicks`}`;
    return [
      finding('CLICK_NOT_TRACKED', path, `${made}: ${why}. ${seen}${errorsOf(visitor)}\n${story(trackdesk)}`, {
        fix: redirectLink ? "paste the guide's click tracker into this page's <head> for every visitor: an affiliate's redirect link lands with ?cid= alone" : "paste the guide's click tracker, with your Tenant ID, into this page's <head>",
      }),
    ];
  }
  const refused = rejected();
  if (refused.length > 0) {
    return [finding('CLICK_NOT_TRACKED', path, `besides your click, the page sent ${refused.length} click(s) Trackdesk refused: ${reasonsOf(refused)}`, { fix: 'remove the extra trackdesk(…, "click") call, or give it your Tenant ID' })];
  }
  const cookie = await until(async () => (await page.context().cookies()).some((c) => c.name === CID_COOKIE), 3_000);
  if (!cookie) return [finding('CLICK_COOKIE_MISSING', path, `Trackdesk made click ${mine[0]!.cid}, but the browser holds no ${CID_COOKIE} cookie afterwards`)];
  return [];
}

/**
 * Where an affiliate's redirect link lands the visitor: Trackdesk's `<tenant>.trackdesk.com/r/<linkId>` makes
 * the click on its side, then sends the visitor on by a double meta refresh to `landing` with the click's
 * `?cid=` alone and no referrer. What the site sees of it is that landing, so the gate's visitor goes there
 * at once (each hop through the redirect domain would cost a document on every journey).
 */
function throughRedirectLink(visitor: Visitor, landing: URL): URL {
  const { collector } = visitor.trackdesk;
  collector.addRedirectLink({ linkId: visitor.link.linkId, affiliate: visitor.link.affiliate, landingUrl: landing.href, mode: 'double-meta-refresh' });
  const { click } = collector.followRedirectLink(tenantHost(visitor.account.tenantId), visitor.link.linkId)!;
  const url = new URL(landing);
  url.searchParams.set(LINK_PARAMS.cid, click.cid);
  return url;
}

/**
 * The click's cookie once the landing page went quiet, as a buyer who comes back later finds it:
 * tracking.js sets it for Trackdesk's cookie window (`cookieDays`), and a script that rewrites it (a
 * `max-age` in seconds where days were meant, no expiry at all) or removes it loses every buyer who
 * does not buy at once. It must last a day, or the whole window when that is shorter. Only the cookies
 * the page is sent count: a long-lived copy on another path (`/account`) is never read on this one, and a
 * long-lived decoy beside a short-lived copy does not hide it.
 */
export async function clickCookieKept(page: Page, path: string, cookieDays: number, when = `once ${path} has loaded`, url = page.url()): Promise<Finding[]> {
  // An address the browser went to but cannot name cookies for (`https://xn--a.com/`) holds none of the site's.
  const cookies = await page.context().cookies(url).catch(() => null);
  if (cookies === null) return [finding('CLICK_COOKIE_MISSING', path, `${when[0]!.toUpperCase()}${when.slice(1)}, the page was at ${url}, an address no cookie of the site is sent to, so the ${CID_COOKIE} cookie was not there`)];
  const held = cookies.filter((c) => c.name === CID_COOKIE);
  if (held.length === 0) return [finding('CLICK_COOKIE_MISSING', path, `the browser held the ${CID_COOKIE} cookie after the click, but not ${when}: the page removed it`)];
  const fix = `leave the ${CID_COOKIE} cookie as tracking.js sets it: a script that rewrites it (max-age in seconds where days were meant, or no expiry) cuts it short`;
  if (held.some((c) => c.expires === -1)) {
    return [finding('CLICK_COOKIE_SHORT', path, `the ${CID_COOKIE} cookie is a session cookie ${when}: it is gone when the visitor closes the browser, and a visitor who buys later is not credited`, { fix })];
  }
  // Every copy the page is sent must last: which one a script reads first is the browser's order, not the gate's to guess.
  const lastsMs = Math.min(...held.map((c) => c.expires * 1000 - Date.now()));
  if (lastsMs >= Math.min(DAY_MS, cookieDays * DAY_MS) - SLACK_MS) return [];
  return [finding('CLICK_COOKIE_SHORT', path, `the ${CID_COOKIE} cookie expires ${lastsMs <= 0 ? 'at once' : `in ${Math.round(lastsMs / 1000)} s`} ${when}: a visitor who buys later than that is not credited`, { fix })];
}

/**
 * Clicks the page made for other affiliates of the account during the visitor's visit (a partner's link
 * parameters put in the address bar and tracking.js called again: cookie stuffing). The cookie then holds
 * their click, and the visitor's purchases, now or later, are credited to them: attribution is broken.
 */
export function clicksForOthers(visitor: Visitor, path: string): Finding[] {
  const others = visitor.trackdesk.collector.clicks.filter((c) => c.tenantId === visitor.account.tenantId && c.affiliate !== visitor.link.affiliate);
  if (others.length === 0) return [];
  const named = [...new Set(others.map((c) => `${JSON.stringify(c.affiliate.slice(0, 60))} (link ${JSON.stringify(c.linkId.slice(0, 60))})`))];
  const listed = named.length > 3 ? `${named.slice(0, 3).join(', ')} and ${named.length - 3} more` : named.join(', ');
  return [
    finding('ATTRIBUTION_BROKEN', path, `besides ${visitor.link.affiliate}'s click, the page made ${others.length === 1 ? 'a click' : `${others.length} clicks`} for another affiliate, ${listed}: the ${CID_COOKIE} cookie then credits them with the visitor's purchases`, {
      fix: "make no trackdesk(…, 'click') call with another affiliate's link parameters: only the visitor's own affiliate link makes a click",
    }),
  ];
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** The check's own minutes, from the click to this look at its cookie. */
const SLACK_MS = 10 * 60 * 1000;

/** Affiliates' slugs as Trackdesk's affiliates pick them: a name, a blog, a newsletter. */
const AFFILIATES = ['maria-garcia', 'devtalks', 'sam-okafor', 'conf-circuit', 'priya-nair', 'frontend-weekly', 'lucas-martin', 'eventpros'] as const;
/**
 * Where affiliates' visitors come from: the sites affiliates post their links on. As a browser sends a
 * referrer to another site by default (`strict-origin-when-cross-origin`): the origin alone, which names
 * no affiliate.
 */
const REFERRERS = ['https://medium.com/', 'https://substack.com/', 'https://t.co/', 'https://www.linkedin.com/', 'https://www.youtube.com/', 'https://www.google.com/'] as const;

/**
 * An affiliate's direct link (FACTS.md: `linkId`, `sourceId`, `tenantId`), different at every check, with
 * the referrer the visitor's browser sends: a snippet cannot tell the gate's visit from an affiliate's
 * visitor by fixed link IDs, an empty referrer, or one that names the affiliate.
 */
export function anAffiliate(tenantId: string): AffiliateLink & { referrer: string } {
  const affiliate = randomInt(2) === 0 ? any(AFFILIATES) : `${any(AFFILIATES)}-${randomInt(2, 100)}`;
  return { linkId: `lp_${randomInt(100_000, 1_000_000)}`, affiliate, tenantId, referrer: any(REFERRERS) };
}

const FIRST_NAMES = ['Ada', 'Grace', 'Katherine', 'Alan', 'Margaret', 'Edsger', 'Amara', 'Luis', 'Mei', 'Tomasz', 'Aisha', 'Jonas', 'Priya', 'Mateo', 'Chloe', 'Kenji', 'Fatima', 'Oliver', 'Ingrid', 'Rafael', 'Zanele', 'Hugo', 'Nadia', 'Sven', 'Leila', 'Diego', 'Hana', 'Callum', 'Ines', 'Yusuf'] as const;
const LAST_NAMES = ['Lovelace', 'Hopper', 'Johnson', 'Turing', 'Hamilton', 'Dijkstra', 'Okafor', 'Fernandez', 'Chen', 'Nowak', 'Rahman', 'Becker', 'Nair', 'Rossi', 'Martin', 'Sato', 'Haddad', 'Walsh', 'Larsen', 'Costa', 'Dlamini', 'Moreau', 'Petrova', 'Lindqvist', 'Karimi', 'Alvarez', 'Kim', 'Fraser', 'Silva', 'Demir'] as const;
const MAILBOXES = ['gmail.com', 'outlook.com', 'hotmail.com', 'yahoo.com', 'icloud.com', 'proton.me', 'fastmail.com', 'gmx.de', 'web.de', 'orange.fr', 'hey.com', 'zoho.com'] as const;
const COMPANIES = ['studio', 'labs', 'consulting', 'design', 'digital', 'events', 'tech', 'media'] as const;
const TLDS = ['com', 'io', 'co.uk', 'de', 'fr', 'nl', 'dev', 'net'] as const;
const TAGS = ['tickets', 'events', 'conf', 'summit', 'work', 'news', 'shop'] as const;
const any = <T>(list: readonly T[]): T => list[randomInt(list.length)]!;

/**
 * A buyer as one types themselves in, drawn anew for each registration from many names, address
 * shapes and mailboxes (a company's own domain among them): a snippet cannot tell the gate's buyer
 * from a visitor by name or address pattern. The email always has a capital and a `+` tag, which a
 * snippet that folds case or URL-encodes it loses. Nothing is sent to these mailboxes: nothing leaves
 * the machine.
 */
export function aBuyer(): { name: string; email: string } {
  const [first, last] = [any(FIRST_NAMES), any(LAST_NAMES)];
  const year = String(randomInt(60, 100));
  const local = any([`${first}.${last}`, `${first}${last}`, `${first[0]}.${last}`, `${first}_${last}`, `${first}.${last}${year}`, `${last}.${first}`, `${first}${last[0]}`]);
  const tag = randomInt(3) === 0 ? String(randomInt(1, 10_000)) : any(TAGS);
  const domain = randomInt(4) === 0 ? `${last.toLowerCase()}-${any(COMPANIES)}.${any(TLDS)}` : any(MAILBOXES);
  return { name: `${first} ${last}`, email: `${local}+${tag}@${domain}` };
}

/** On a page that sells tickets: buys one paid ticket of `event`, and expects the sale credited to the affiliate. */
export async function registration(visitor: Visitor, path: string, event: string): Promise<Finding[]> {
  const { page, trackdesk, stripeApp, link, account } = visitor;
  const buyer = aBuyer();
  const sent = () => trackdesk.collector.externalCids.length;
  const refused = () => trackdesk.collector.rejected.filter((r) => r.command === 'externalCid');
  const before = { sent: sent(), refused: refused().length, heard: await finishedHeard(page).then((h) => (Array.isArray(h) ? h.length : 0)) };
  const quiet = quietness(page);
  const selector = storefrontSelector(event);
  // Read through locators and the gate's own world only: the page's scripts may replace what its elements answer.
  const storefronts = page.locator(selector);
  const first = storefronts.first();
  const state = () => first.getAttribute('data-tito-stand-in', { timeout: 1_000 }).catch(() => null);
  // A storefront renders once Tito's script runs: on a page where it never ran, and that has been quiet a
  // while (a script a router never runs), nothing will render it.
  const rendering = new AbortController();
  const settled = await Promise.race([
    until(async () => ['rendered', 'error'].includes((await state()) ?? ''), STEP_WAIT, 50, rendering.signal),
    quiet(NO_TITO_QUIET_MS, STEP_WAIT, rendering.signal).then(async () => (!rendering.signal.aborted && !(await titoScriptRan(page)) ? false : new Promise<never>(() => {}))),
  ]).finally(() => rendering.abort());
  if (!settled || (await state()) === 'error') {
    const stayed = await inPage(page, (css: string) => document.querySelector(css)?.outerHTML.slice(0, 200) ?? null, selector, { world: 'isolated' }).catch(() => null);
    const why = settled ? await storefrontMessage(page, event) : stayed !== null ? `it stayed ${stayed}` : 'it is not on the page';
    return [finding('STOREFRONT_NOT_RENDERED', path, `the storefront for ${event} did not render: ${why}.${errorsOf(visitor)}`, { fix: `load Tito's script (${TITO_V2_URL}) on this page, with the storefront's event as in your Tito dashboard` })];
  }
  // Of two copies (a phone layout's, hidden, and the desktop one), the buyer uses the one shown, that one throughout.
  const storefront = storefronts.nth(await shownCopy(storefronts));
  if (!(await until(async () => ['rendered', 'error'].includes((await storefront.getAttribute('data-tito-stand-in', { timeout: 1_000 }).catch(() => null)) ?? ''), STEP_WAIT))) {
    return [finding('STOREFRONT_NOT_RENDERED', path, `the storefront for ${event} that the page shows did not render (a hidden copy did).${errorsOf(visitor)}`)];
  }
  const isButton = (await storefront.and(page.locator(STOREFRONT_ELEMENTS.button)).count()) > 0 || (await storefront.locator(`button.${BUTTON_CLASS}`).count()) > 0;
  let tito = new TitoWidget(page, storefront);
  let release = '';
  try {
    if (isButton) {
      await storefront.locator(`button.${BUTTON_CLASS}`).first().click({ timeout: STEP_WAIT });
      tito = tito.overlay();
    }
    // The first paid release the storefront offers (the organiser's money path), else its first.
    const checkout = await tito.checkout();
    const quantities = checkout.locator('input[aria-label^="Quantity of "]');
    await quantities.first().waitFor({ state: 'attached', timeout: STEP_WAIT });
    const quantity = quantities.nth(await firstPaid(checkout.locator('.tito-release-title')));
    release = (await quantity.getAttribute('aria-label', { timeout: STEP_WAIT }))!.replace('Quantity of ', '');
    await tito.register({ tickets: { [release]: 1 }, ...buyer });
  } catch (error) {
    if (error instanceof HarnessFault) throw error;
    const alert = await tito.checkout().then((c) => c.getByRole('alert').filter({ hasText: /\S/ }).first().innerText({ timeout: 500 })).catch(() => '');
    return [finding('CHECKOUT_FAILED', path, `buying 1 × ${release || 'a ticket'} of ${event} did not finish${alert ? `: the checkout shows "${alert.trim()}"` : ` (${firstLine(error)})`}.${errorsOf(visitor)}`)];
  }
  // The buyer's own order, whatever else the page registered.
  const order = visitor.checkout.registrations.findLast((r) => r.email === buyer.email) ?? visitor.checkout.registrations.at(-1)!;

  const cids = () => sent() - before.sent + refused().length - before.refused;
  // The conversion tracker runs on registration:finished; a handler may send a little later (a debounce, a late
  // tracking.js). A page none of whose handlers heard the event (or every one threw) sends nothing later: it
  // is judged once it went quiet, whatever else it may still do.
  const decided = new AbortController();
  await Promise.race([
    until(() => cids() > 0, EXTERNAL_CID_WAIT, 10, decided.signal),
    until(async () => noHandlerWillSend(await finishedHeard(page), before.heard), EXTERNAL_CID_WAIT, 50, decided.signal).then((none) => (none ? quiet(QUIET_MS, EXTERNAL_CID_WAIT, decided.signal) : new Promise<never>(() => {}))),
  ]).finally(() => decided.abort());
  await trackdesk.settled();
  const rejected = refused().slice(before.refused);
  const forged = rejected.filter((r) => !r.sentByTrackingJs);
  if (forged.length > 0) return [notFromTrackingJs(visitor, path, forged, `${buyer.email}'s external CID`, `${buyer.email} would not be paired with the click`)];
  if (sent() === before.sent) {
    if (rejected.length > 0) return [finding('EXTERNAL_CID_REJECTED', path, `after ${buyer.email} registered for ${event}, Trackdesk refused the external CID: ${reasonsOf(rejected)}`)];
    return [finding('EXTERNAL_CID_NOT_SENT', path, `${buyer.email} registered for ${event} (Tito fired registration:finished), but no trackdesk(…, "externalCid", …) call reached Trackdesk.${errorsOf(visitor)}\n${story(trackdesk)}`, {
      fix: "paste the guide's conversion tracker at the end of this page's <body>",
    })];
  }

  // A free order makes no payment, so there is no sale to credit: the paired email is all there is to check.
  if (order.receipt.payment_provider === null) {
    const paired = trackdesk.collector.externalCids.slice(before.sent).map((p) => p.externalCid);
    // Paired, and with the click of the affiliate who sent the buyer: the Stripe app would credit a paid order to that click.
    const pairing = trackdesk.collector.externalCidFor(buyer.email);
    const credited = pairing ? trackdesk.collector.clickFor(pairing.cid)?.affiliate : undefined;
    if (paired.includes(buyer.email) && credited !== link.affiliate) {
      return [finding('ATTRIBUTION_BROKEN', path, `${buyer.email} registered for ${event} (a free order) after ${link.affiliate}'s click, but Trackdesk paired the email with ${credited ? `a click of ${credited}` : 'no click of theirs'}: a paid order would be credited to ${credited ?? 'no one'}.\n${story(trackdesk)}`)];
    }
    if (paired.includes(buyer.email)) return cookieAfterCheckout(visitor, path);
    return [finding('ATTRIBUTION_BROKEN', path, `${buyer.email} registered for ${event} (a free order), but the external CID Trackdesk received is ${paired.map((p) => `"${p}"`).join(', ')}, not the buyer's email`)];
  }
  await stripeApp.checkNow();
  const conversion = trackdesk.collector.conversions.filter((c) => c.affiliate === link.affiliate && c.email === buyer.email);
  const expected = { revenueOriginId: account.revenueOriginId, amount: order.total, currency: order.currency };
  const right = conversion.filter((c) => c.revenueOriginId === expected.revenueOriginId && c.amount === expected.amount && c.currency === expected.currency);
  if (right.length !== 1) {
    // The Stripe app pairs the customer's email with an external CID exactly: one the snippet changed pairs nothing.
    const sentAs = trackdesk.collector.externalCids.slice(before.sent).map((p) => p.externalCid).filter((cid) => cid !== buyer.email);
    const why = right.length === 0 && sentAs.length > 0 ? ` The external CID the page sent is ${sentAs.map((cid) => `"${cid}"`).join(', ')}, not the email "${buyer.email}" exactly as the buyer typed it (Stripe's customer email), so nothing pairs with the payment.` : '';
    return [finding('ATTRIBUTION_BROKEN', path, `${buyer.email} bought 1 × ${release} (${order.total} ${order.currency}) of ${event} after ${link.affiliate}'s click, but Trackdesk credits ${right.length === 0 ? 'no sale' : `${right.length} sales`} to ${link.affiliate}.${why}\n${story(trackdesk)}`, {
      fix: why ? 'send data.email as Tito gives it, unchanged: externalCid: data.email' : undefined,
    })];
  }
  return cookieAfterCheckout(visitor, path);
}

/** Whether a Tito script (v1 or v2) ran on the page; true when unread, so that only a page that answers is judged sooner. */
async function titoScriptRan(page: Page): Promise<boolean> {
  const read = inPage(page, () => (window.__titoStandIn?.loaded.length ?? 0) > 0).catch(() => true);
  return within(READ_WAIT, read, () => true);
}

/** What Tito's stand-in says of each registration:finished on the page so far (its handlers called, and returned); null when unread. */
function finishedHeard(page: Page): Promise<unknown[] | null> {
  const read = inPage(page, () => window.__titoStandIn?.finished ?? null).catch(() => null);
  return within(READ_WAIT, read, () => null);
}

/** Whether registration:finished was reported since `before` and no handler of the page took it: none was called, or every one threw. */
function noHandlerWillSend(heard: unknown[] | null, before: number): boolean {
  // The page's own world holds the record: whatever it made of it only decides sooner that nothing was sent.
  const since: unknown[] = Array.isArray(heard) ? heard.slice(before) : [];
  return since.length > 0 && since.every((h) => typeof h === 'object' && h !== null && (h as { returned?: unknown }).returned === 0);
}

/** The index of the first release whose title shows a price above zero ("General Admission £49.00"); 0 when none does. */
async function firstPaid(titles: Locator): Promise<number> {
  const shown = await titles.allInnerTexts().catch(() => [] as string[]);
  const paid = shown.slice(0, 50).findIndex((title) => Number(/(\d+(?:\.\d+)?)\s*$/.exec(title.trim())?.[1] ?? 0) > 0);
  return Math.max(0, paid);
}

/** The index of the first copy of a storefront that shows (0 when none does): copies are few, each asked in Playwright's own world. */
async function shownCopy(copies: Locator): Promise<number> {
  const count = Math.min(await copies.count().catch(() => 0), 10);
  for (let i = 0; i < count; i++) if (await copies.nth(i).isVisible().catch(() => false)) return i;
  return 0;
}

/**
 * The click's cookie as the checkout leaves it: a buyer takes minutes over a checkout the gate's takes
 * seconds for, so a script that cuts the cookie short once the checkout starts loses the sale of every
 * buyer slower than its cut.
 */
async function cookieAfterCheckout(visitor: Visitor, path: string): Promise<Finding[]> {
  // Judged where the checkout was, wherever the site sent the buyer after it (a thank-you page on another host).
  return clickCookieKept(visitor.page, path, visitor.trackdesk.collector.cookieDays, `once the checkout on ${path} ended`, new URL(path, visitor.origin).href);
}

/**
 * The click's cookie once the visitor left the page, as a visitor leaves it to buy later (another site,
 * a closed tab): the browser unloads the page (`visibilitychange` to hidden, `pagehide`, `unload`), and a
 * script that cuts the cookie short then loses every buyer who comes back. The tab is left on an empty
 * page, as the next check's tab starts; a page that keeps the visitor (a `beforeunload` prompt) is not judged.
 */
export async function cookieOnLeaving(visitor: Visitor, path: string): Promise<Finding[]> {
  const { page } = visitor;
  if (page.isClosed()) return [];
  const left = await page.goto('about:blank', { timeout: LEAVE_WAIT }).then(
    () => page.url() === 'about:blank',
    () => false,
  );
  if (!left) return [];
  return clickCookieKept(page, path, visitor.trackdesk.collector.cookieDays, `once the visitor left ${path}`, new URL(path, visitor.origin).href);
}

/**
 * What a visitor does on the page they landed on, before anything else: moves the pointer and scrolls
 * down. Sites wait for exactly that: scripts delayed until the first interaction (WP Rocket's "delay
 * JavaScript execution", Flying Scripts, Perfmatters) and storefronts embedded once they scroll into view.
 * A page whose main thread never answers input is not waited on past READ_WAIT.
 */
export async function looksAround(page: Page): Promise<void> {
  const moved = (async () => {
    await page.mouse.move(1, 1);
    await page.mouse.wheel(0, 100_000);
  })();
  await within(READ_WAIT, moved.catch(() => undefined), () => undefined);
}

/**
 * A call that reached the mocked Trackdesk without any tracking.js it served sending it: the page posted
 * to the endpoint itself. The stand-in's click endpoint is its own invention, so in production nothing
 * would be recorded; the verdict must not rest on it.
 */
function notFromTrackingJs(visitor: Visitor, path: string, calls: readonly RejectedCall[], what: string, inProduction: string): Finding {
  const ran = visitor.trackdesk.collector.trackingScriptLoads > 0;
  const script = ran ? 'tracking.js was loaded on this page, but did not send this call' : `no tracking.js from ${TRACKING_SCRIPT_HOST} ran on this page`;
  const endpoints = [...new Set(calls.map((c) => `${c.command} to ${c.host}`))].join(', ');
  return finding(
    'NOT_FROM_TRACKING_JS',
    path,
    `${what} reached Trackdesk, but not from tracking.js (${TRACKING_SCRIPT_URL}): the page called Trackdesk's endpoint itself (${endpoints}); in production ${inProduction}, and ${visitor.link.affiliate} would not be paid. ${script[0]!.toUpperCase()}${script.slice(1)}.`,
    { fix: `paste the guide's snippets as they are: load ${TRACKING_SCRIPT_URL} with its queue stub, and send every call through trackdesk(…)` },
  );
}

/**
 * Why no click will come, once the page has loaded and gone quiet: no Trackdesk function at all, or a
 * stub whose queue no tracking.js ever drained (after a grace for scripts that load late). Undefined
 * while a click may still come.
 */
async function noClickComing(page: Page, answered: () => boolean, loaded: Promise<void>, stop: AbortSignal): Promise<string | undefined> {
  // A page that never finishes loading or never goes quiet (frames, streams, polling) is judged once this budget is spent.
  const quietBy = Date.now() + QUIET_BUDGET;
  const stopped = new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), { once: true }));
  /** Waits for `work` until the budget is spent or the click is decided, with no timer of Playwright's left behind. */
  const step = (work: Promise<unknown>) => within(Math.max(1, quietBy - Date.now()), Promise.race([work.catch(() => undefined), stopped]), () => undefined);
  const over = () => stop.aborted || answered();
  await step(loaded);
  // The click usually arrives as the page loads: only a page that loaded without one is waited on further.
  if (over()) return undefined;
  await step(page.waitForLoadState('networkidle', { timeout: 0 }));
  if (over()) return undefined;
  const state = () =>
    within(
      READ_WAIT,
      inPage(page, () => {
        const standIn = window.__trackdeskStandIn;
        return { stub: 'trackdesk' in window || 'TrackdeskObject' in window, script: Boolean(standIn), clicked: standIn?.called.includes('click') ?? false };
      }).catch(() => null),
      () => null,
    );
  // A framework inserts the scripts it runs once it has hydrated (Next.js's afterInteractive) when its
  // main thread is done, which on a busy machine is long after the network went quiet; a main thread
  // that is never done is judged when the budget is spent.
  await step(inPage(page, mainThreadQuiet, { idleMs: QUIET_MS, maxMs: Math.max(1, quietBy - Date.now()) }, { world: 'isolated' }));
  if (over()) return undefined;
  let first = await state();
  if (!first || over()) return undefined;
  // A page that holds its click tracker back until the visitor accepts cookies: the visitor accepts.
  const accepted = first.clicked ? null : await acceptCookies(page);
  const consent = accepted === null ? '' : ` (the visitor accepted the cookie banner: "${accepted}")`;
  if (accepted !== null) {
    await until(async () => answered() || Boolean((await state())?.stub), LATE_SCRIPT_GRACE, 50, stop);
    if (over()) return undefined;
    first = (await state()) ?? first;
  }
  if (!first.stub) return `no click tracker ran on this page${consent}`;
  // A stub whose tracking.js is late gets a grace before the page is judged: consent banners, timers.
  await until(async () => answered() || Boolean((await state())?.clicked), LATE_SCRIPT_GRACE, 50, stop);
  if (over()) return undefined;
  const last = await state();
  if (over() || !last || last.clicked) return undefined;
  return `${last.script ? 'the page never called trackdesk(…, "click")' : `tracking.js from //${TRACKING_SCRIPT_HOST} never ran, so the queued click was never sent`}${consent}`;
}

async function trackerState(page: Page): Promise<string> {
  const read = inPage(page, () => {
    const queue = window.trackdesk?.q;
    return { stub: typeof window.trackdesk === 'function', queued: Array.isArray(queue) ? queue.length : 0, script: Boolean(window.__trackdeskStandIn) };
  }).catch(() => null);
  const state = await within(READ_WAIT, read, () => null);
  if (!state) return '';
  if (!state.stub) return 'The page defines no trackdesk() function. ';
  if (!state.script) return `trackdesk() queued ${state.queued} call(s), but tracking.js from //${TRACKING_SCRIPT_HOST} never ran. `;
  return '';
}

async function storefrontMessage(page: Page, event: string): Promise<string> {
  const read = inPage(page, (e: string) => window.__titoStandIn?.storefronts.find((s) => s.event === e)?.message, event).catch(() => undefined);
  const message = await within(READ_WAIT, read, () => undefined);
  return message ? `it shows "${message}"` : 'it shows an error';
}

function errorsOf(visitor: Visitor): string {
  return visitor.errors.length > 0 ? ` The page's scripts threw: ${visitor.errors.slice(0, 3).map((e) => `"${e}"`).join('; ')}.` : '';
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/** Why Trackdesk refused calls, each reason once, the first five and the rest counted: a page may send thousands alike. */
function reasonsOf(refused: readonly { reasons: readonly string[] }[]): string {
  const reasons = [...new Set(refused.flatMap((r) => r.reasons))];
  return [...reasons.slice(0, 5), ...(reasons.length > 5 ? [`and ${reasons.length - 5} more reasons`] : [])].join('; ');
}
