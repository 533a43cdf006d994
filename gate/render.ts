import { inPage } from '../fixtures/in-page.ts';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { defineNetworkFixture } from '@msw/playwright';
import { enableNetworkFixture } from '../fixtures/msw-enable.ts';
import type { HttpHandler } from 'msw';
import { markTrackingScriptRequests } from '../fixtures/mocked-trackdesk.ts';
import { STOREFRONT_ELEMENTS } from '../mocks/tito/protocol.ts';
import { OPTIONS_PER_SELECT, selectWays, wayOf, type OtherWay } from './audit/ways-in.ts';
import { buyerText, elementCheckoutUrl, TITO_URL_IN_CODE, titoCheckoutUrl, type CheckoutLink } from './audit/checkout-links.ts';
import { LINK_HANDLING, LINK_HANDLING_KEPT, MARK_VALUE } from './audit/html.ts';
import { leftTheDocument, pressTicketButtons, withoutHash } from './press.ts';
import { DRAWER_WORDS, markMenus, menuToken, openMenu } from './menus.ts';
import { emulateVisitorConnection } from './connection.ts';
import { SITE_UNDER_TEST_ORIGIN } from './hosts.ts';
import { DEFAULT_PAGE_LIMITS, notePageError, within, type PageLimits } from './limits.ts';
import { GateNetwork } from './network.ts';

/** A page as a visitor's browser showed it, once its scripts had run. */
export interface RenderedPage {
  status: number;
  /** Every link in the rendered DOM, absolute. */
  links: string[];
  /** Of those, the ones in the page's navigation (a nav, its header or footer), and the ones in its content. */
  navigationLinks?: string[];
  contentLinks?: string[];
  /** Forms, buttons, frames and selects that lead to another page (audit/ways-in.ts), absolute. */
  ways: OtherWay[];
  /** Links, buttons and forms that send the buyer to Tito's hosted checkout (scripts may draw them). */
  checkoutLinks: CheckoutLink[];
  /** The `account/event` of every Tito storefront the page showed. */
  storefronts: string[];
  /**
   * Its storefronts are all hidden (in a closed modal, a tab not chosen): a buyer presses what shows one.
   * Tito's widget renders hidden, so they are still the page's.
   */
  storefrontsHidden?: boolean;
  /** Inline scripts in the rendered DOM (the served ones and those inserted at run time). */
  inlineScripts: string[];
  /** Every script URL the page loaded, absolute, in load order. */
  scriptUrls: string[];
  /** Link-handling markup in the rendered DOM (what a shared script added: `hx-boost` on a `.js-boost` list), as audit/html.ts marks it. */
  linkHandling?: string[];
  /** Uncaught errors, as the browser reported them. */
  errors: string[];
  /** The limits the page reached (`PageLimits`), each said as a person reads it. */
  limits: string[];
}

/** Sets a browser context up as the gate's world: the site, the stand-ins, neutral third parties. */
export async function gateContext(browser: Browser, handlers: HttpHandler[]): Promise<{ context: BrowserContext; network: GateNetwork; close(): Promise<void> }> {
  const context = await browser.newContext({ serviceWorkers: 'block', acceptDownloads: false });
  const network = new GateNetwork();
  await network.install(context);
  const msw = defineNetworkFixture({ context, handlers, skipAssetRequests: false, onUnhandledRequest: 'bypass' });
  await enableNetworkFixture(msw, context);
  await markTrackingScriptRequests(context);
  await network.installWebSocketGuard(context);
  return {
    context,
    network,
    close: async () => {
      await msw.disable();
      await context.close();
    },
  };
}

/** Waits until the page has been quiet for `idleMs` (no request, no DOM change, a free main thread), `maxMs` at most, or `stop`. */
export type Quiet = (idleMs: number, maxMs: number, stop?: AbortSignal) => Promise<void>;

/**
 * A wait for the page to go quiet, at most `maxMs`: `idleMs` in which no request of the page was in flight
 * or started, its main thread was free and its DOM did not change. A framework that hydrates for seconds
 * on a slow machine, in slices, inserts its scripts and links only afterwards; network quiet alone misses
 * them. Shorter than Playwright's 500 ms `networkidle`, which every page would pay. Every request counts,
 * Trackdesk's too: a page could chain requests to any host it is not counted on to draw its storefront
 * after the gate read it. Once `stop` is aborted no further watch starts (the one under way ends by `maxMs`).
 */
export function quietness(page: Page): Quiet {
  let inFlight = 0;
  /** When a request of the page last started or ended. */
  let lastRequest = 0;
  const started = () => {
    inFlight += 1;
    lastRequest = Date.now();
  };
  const ended = () => {
    inFlight -= 1;
    lastRequest = Date.now();
  };
  page.on('request', started);
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
  return async (idleMs, maxMs, stop) => {
    const deadline = Date.now() + maxMs;
    const pause = () => new Promise((resolve) => setTimeout(resolve, 10));
    /** How long the DOM and the main thread have been quiet, as far as the watches so far saw. */
    let domQuiet = 0;
    let idle = idleMs;
    /** When the last watch ended, by the page's clock: a change after it counts, though no watch saw it happen. */
    let since: number | undefined;
    while (Date.now() < deadline && !stop?.aborted) {
      // The DOM and main thread watched in the page for `idle`, the requests here, side by side.
      const began = Date.now();
      const seen = await inPage(page, mainThreadQuiet, { idleMs: idle, maxMs: deadline - Date.now(), since }, { world: 'isolated' }).catch(() => null);
      since = seen?.endedAt;
      // A watch that saw a change counts from it; one that saw none adds to the quiet before it; a page
      // that could not be watched (it navigated) is watched again from the start.
      domQuiet = !seen ? 0 : seen.changed ? seen.quietMs : domQuiet + (Date.now() - began);
      if (!seen) await pause();
      if (inFlight > 0) {
        while (Date.now() < deadline && inFlight > 0 && !stop?.aborted) await pause();
        domQuiet = 0;
      }
      const quiet = Math.min(domQuiet, Date.now() - lastRequest);
      if (quiet >= idleMs) return;
      // Watched on for what is missing, not a whole wait again: a request in the window is waited on
      // until `idleMs` after it ended, a change until `idleMs` after it.
      idle = idleMs - quiet;
    }
  };
}

/**
 * Runs in the page, in the gate's isolated world (where the page cannot reach its observer): resolves
 * once, for `idleMs`, no timer came late (a busy main thread) and no DOM change happened; with how long
 * that has been, whether anything changed while it watched or since `since` (the end of the caller's
 * last watch: the observer stays on for the document, so a change in the gap between two watches
 * counts, whoever else watches meanwhile), and when it ended (the time since the epoch, so a watch in the
 * next document compares on the same clock). No named inner functions: tsx would wrap them in a helper
 * the page does not have.
 */
export async function mainThreadQuiet({ idleMs, maxMs, since }: { idleMs: number; maxMs: number; since?: number }): Promise<{ quietMs: number; changed: boolean; endedAt: number }> {
  const holder = globalThis as unknown as { __gateDomChanges?: { last: number } };
  let changes = holder.__gateDomChanges;
  if (!changes) {
    const state = { last: -Infinity };
    new MutationObserver(() => {
      state.last = performance.timeOrigin + performance.now();
    }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    changes = holder.__gateDomChanges = state;
  }
  const start = performance.timeOrigin + performance.now();
  // A change in the gap: quiet counts from this watch's start, the first moment the main thread is watched too.
  const changedBefore = since !== undefined && changes.last > since;
  let quietSince = start;
  let last = start;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    const now = performance.timeOrigin + performance.now();
    quietSince = Math.max(quietSince, changes.last);
    if (now - last > 40) quietSince = now;
    last = now;
    if (now - quietSince >= idleMs || now - start >= maxMs) break;
  }
  const endedAt = performance.timeOrigin + performance.now();
  return { quietMs: endedAt - quietSince, changed: changedBefore || quietSince !== start, endedAt };
}

/**
 * Opens `path` without affiliate parameters and reads what the visitor's browser holds once it is quiet,
 * within `limits` (see {@link guardPage}); past the deadline it is read as far as it got (or not at all, when
 * its main thread never frees, or it was closed at a limit).
 */
export async function renderPage(context: BrowserContext, path: string, limits: PageLimits = DEFAULT_PAGE_LIMITS, origin = SITE_UNDER_TEST_ORIGIN): Promise<RenderedPage> {
  const errors: string[] = [];
  const page = await context.newPage();
  const reached = guardPage(page, limits);
  let status = 0;
  page.on('pageerror', (error) => notePageError(errors, error.message));
  const look = async () => {
    await emulateVisitorConnection(page);
    const quiet = quietness(page);
    const response = await page.goto(origin + path, { waitUntil: 'load', timeout: limits.deadlineMs }).catch(() => null);
    status = response?.status() ?? 0;
    await quiet(QUIET_MS, Math.min(QUIET_AT_MOST_MS, limits.deadlineMs));
    return afterPresses(page, path, await readPage(page, path), () => quiet(QUIET_MS, Math.min(QUIET_AT_MOST_MS, limits.deadlineMs)));
  };
  try {
    const settled = await within(limits.deadlineMs, look().catch(() => null), () => null);
    if (!settled && reached.size === 0) reached.add(`it did not settle within ${limits.deadlineMs / 1000} s (read as far as it got)`);
    const seen = settled ?? (await readAsFarAsItGot(page, path));
    return { status, errors, ...seen, limits: [...reached] };
  } finally {
    await within(5_000, page.close({ runBeforeUnload: false }).catch(() => undefined), () => undefined);
  }
}

/**
 * A page that shows no storefront, as a buyer looking for the tickets finds it (press.ts): the storefront
 * the presses bring up, and the pages and Tito checkouts a press would have led to, added to what it
 * showed. `quiet` waits for the page to go quiet after a press. A page that shows a storefront is not
 * pressed; one whose storefronts are all hidden (a closed modal) is, until one shows.
 */
export async function afterPresses(page: Page, path: string, seen: PageContents, quiet: () => Promise<void>): Promise<PageContents> {
  if (seen.storefronts.length > 0 && !seen.storefrontsHidden) return seen;
  const at = withoutHash(page.url());
  let { storefronts, storefrontsHidden, links } = seen;
  const leadsTo = await pressTicketButtons(page, async () => {
    await quiet();
    // A press that led to another page sold nothing here: that page is checked on its own.
    if (await leftTheDocument(page, at)) return true;
    const read = await readPage(page, path).catch(() => seen);
    storefronts = [...new Set([...seen.storefronts, ...read.storefronts])];
    // A menu a press opened (an "Attend ▾" drawn only once open) leads on as the page's own links do; what
    // else a press drew (a dialog's checkout link) is the press's own way, told as where it led.
    const inMenus = new Set(await menuLinks(page));
    links = [...new Set([...links, ...read.links.filter((link) => inMenus.has(link))])];
    storefrontsHidden = read.storefrontsHidden;
    return read.storefronts.length > 0 && !read.storefrontsHidden;
  });
  // A link a framework draws only while its menu is open ("☰ Menu") is one of the page's links: a visitor opens the menu.
  if (!(storefronts.length > 0 && !storefrontsHidden) && !(await leftTheDocument(page, at))) links = [...new Set([...links, ...(await linksInMenus(page, path, quiet))])];
  // A press to Tito's hosted checkout is a checkout link as a served one is; to a page of the site, a way in.
  const checkouts = leadsTo.flatMap(({ href, says }) => {
    const checkout = titoCheckoutUrl(href);
    return checkout && !seen.checkoutLinks.some((link) => link.href === checkout) ? [{ href: checkout, text: buyerText(says, null) }] : [];
  });
  const ways = leadsTo.filter(({ href }) => !titoCheckoutUrl(href) && !seen.ways.some((way) => way.href === href)).map(({ href }) => ({ href, how: 'button' as const }));
  return { ...seen, storefronts, storefrontsHidden, links, ways: [...seen.ways, ...ways], checkoutLinks: [...seen.checkoutLinks, ...checkouts] };
}

/** The links the page's closed menus show once opened ({@link markMenus}), until one leaves the page. */
async function linksInMenus(page: Page, path: string, quiet: () => Promise<void>): Promise<string[]> {
  const at = withoutHash(page.url());
  const token = menuToken();
  const marked = await markMenus(page, token, DRAWER_WORDS);
  const links: string[] = [];
  for (let i = 0; i < marked; i++) {
    if (!(await openMenu(page, token, i))) continue;
    await quiet();
    if (await leftTheDocument(page, at)) break;
    links.push(...(await readPage(page, path).catch(() => ({ links: [] }))).links);
  }
  return links;
}

/** Where a page's navigation is: its links there are its navigation's, the others its content's. */
export const NAVIGATION = 'nav, header, footer, aside, [role=navigation], [role=banner], [role=contentinfo]';

/** The links of the page's navigation and menus (`nav`, a header, `role=menu`), as absolute URLs. */
function menuLinks(page: Page): Promise<string[]> {
  const links = [...NAVIGATION.split(', '), '[role=menu]', '[role=menubar]'].map((place) => `${place} a[href]`).join(', ');
  const read = inPage(page, (css: string) => [...document.querySelectorAll(css)].slice(0, 5_000).map((a) => (a as HTMLAnchorElement).href), links, { world: 'isolated' }).catch(() => []);
  return within(3_000, read, () => []);
}

/** How long a page must have been quiet before it is read, and how long it may take to get there. */
export const QUIET_MS = 250;
export const QUIET_AT_MOST_MS = 5_000;

/** What a page shows: its links, checkout links, storefronts and scripts, as {@link RenderedPage} has them. */
export type PageContents = Omit<RenderedPage, 'status' | 'errors' | 'limits'>;

const NOTHING = (): PageContents => ({ links: [], ways: [], storefronts: [], inlineScripts: [], scriptUrls: [], checkoutLinks: [] });

/** A page that never settled, read if its main thread still answers within 2 s; else nothing. */
export function readAsFarAsItGot(page: Page, path: string): Promise<PageContents> {
  return within(2_000, readPage(page, path).catch(NOTHING), NOTHING);
}

/** Reads what `page` (at `path`) shows now. */
export async function readPage(page: Page, path: string): Promise<PageContents> {
  const { targets, wayElements, selects, base, ...seen } = await inPage(page, (o: { widget: string; button: string; titoUrl: string; options: number; handling: string; markValue: string; kept: number; navigation: string }) => {
    const { widget, button, titoUrl, options } = o;
    const mentionsTito = new RegExp(titoUrl, 'i');
    const elements = [...document.querySelectorAll(`${widget}[event], ${button}[event]`)].map((e) => e.getAttribute('event') ?? '');
    const mounted = [...document.querySelectorAll('[data-tito-event]')].map((e) => e.getAttribute('data-tito-event') ?? '');
    const storefrontElements = [...document.querySelectorAll(`[data-tito-event], ${widget}[event], ${button}[event]`)];
    let budget = 10_000_000;
    // Components' open shadow roots (a Lit nav bar) hold links a visitor sees and clicks as any other.
    const roots: (Document | ShadowRoot)[] = [document];
    let hosts = 0;
    for (let i = 0; i < roots.length && roots.length < 1_000 && hosts < 50_000; i++) {
      for (const e of roots[i]!.querySelectorAll('*')) {
        if (++hosts > 50_000) break;
        if (e.shadowRoot) roots.push(e.shadowRoot);
      }
    }
    // Link-handling markup as the page's scripts left it, marked as audit/html.ts marks the served HTML's.
    const handling = new RegExp(o.handling);
    const markValue = new RegExp(o.markValue);
    const marks: string[] = [];
    const byLibrary = new Map<string, number>();
    let looked = 0;
    for (const e of document.querySelectorAll('*')) {
      if (++looked > 50_000) break;
      for (const { name, value } of e.attributes) {
        if (!handling.test(name)) continue;
        const library = name.replace(/^data-/, '').split(/[-:]/)[0]!;
        const mark = markValue.test(value) ? `${name}=${value}` : name;
        if (marks.includes(mark) || (byLibrary.get(library) ?? 0) >= o.kept) continue;
        byLibrary.set(library, (byLibrary.get(library) ?? 0) + 1);
        marks.push(mark);
      }
    }
    // As many as discovery follows (LINKS_PER_PAGE): a page of 200,000 hidden links sends no more.
    const anchors = roots.flatMap((root) => [...root.querySelectorAll<HTMLAnchorElement | HTMLAreaElement>('a[href], area[href]')].slice(0, 5_000)).slice(0, 5_000);
    // Which are in its navigation (a nav, its header or footer): a journey takes those apart from its content's.
    const inNavigation = anchors.map((a) => a.closest(o.navigation) !== null);
    return {
      linkHandling: marks,
      links: anchors.map((a) => a.href),
      navigationLinks: [...new Set(anchors.filter((_, i) => inNavigation[i]).map((a) => a.href))],
      contentLinks: [...new Set(anchors.filter((_, i) => !inNavigation[i]).map((a) => a.href))],
      base: location.href,
      // wayOf() of ways-in.ts decides, in this process: this runs in the page.
      wayElements: [...document.querySelectorAll('iframe[src], frame[src], form[action], button[formaction], input[formaction], [onclick]')].slice(0, 5_000).map((e) => ({
        tag: e.localName,
        attributes: Object.fromEntries(['src', 'action', 'formaction', 'onclick'].map((name) => [name, e.getAttribute(name)])),
      })),
      // selectWays() of ways-in.ts decides which options are pages.
      selects: [...document.querySelectorAll('select')].slice(0, 500).map((s) => ({ onchange: s.getAttribute('onchange'), values: [...s.options].slice(0, options).map((o) => o.value) })),
      targets: [...document.querySelectorAll('a[href], area[href], form[action], [formaction], [onclick]')]
        .map((e) => ({
          // targetAttribute() of checkout-links.ts, repeated: this runs in the page.
          href: e.getAttribute(e.localName === 'form' ? 'action' : e.localName === 'a' || e.localName === 'area' ? 'href' : 'formaction'),
          onclick: e.getAttribute('onclick'),
          text: e.localName === 'area' ? e.getAttribute('alt') : e.textContent,
          label: e.getAttribute('aria-label'),
        }))
        .filter((t) => mentionsTito.test(`${t.href ?? ''} ${t.onclick ?? ''}`)),
      storefronts: [...new Set([...mounted, ...elements])].filter(Boolean),
      storefrontsHidden: storefrontElements.length > 0 && !storefrontElements.some((e) => e.checkVisibility({ checkVisibilityCSS: true, checkOpacity: true })),
      // What the audit reads of the scripts the page inserted, within a budget (a page may insert hundreds of
      // megabytes): the rest are not read, as served files over 10 MB are not. No script is cut short.
      inlineScripts: [...document.scripts]
        .filter((s) => !s.src)
        .map((s) => s.textContent ?? '')
        .filter((code) => code.length <= 1_000_000 && (budget -= code.length) >= 0),
      scriptUrls: [
        ...new Set([
          ...performance.getEntriesByType('resource').filter((e) => (e as PerformanceResourceTiming).initiatorType === 'script').map((e) => e.name),
          ...[...document.scripts].filter((s) => s.src).map((s) => s.src),
        ]),
      ],
    };
  }, { ...STOREFRONT_ELEMENTS, titoUrl: TITO_URL_IN_CODE.source, options: OPTIONS_PER_SELECT, handling: LINK_HANDLING.source, markValue: MARK_VALUE.source, kept: LINK_HANDLING_KEPT, navigation: NAVIGATION }, { world: 'isolated' });
  // Tito's stand-in keeps its record with the page's scripts; a page that breaks this read still shows its storefronts' elements above.
  const recorded = await inPage(page, () => window.__titoStandIn?.storefronts?.map((s) => s.event) ?? []).catch(() => []);
  seen.storefronts = [...new Set([...recorded.filter((e) => typeof e === 'string' && e), ...seen.storefronts])];
  const checkoutLinks = targets.flatMap((t) => {
    const href = elementCheckoutUrl(t, path);
    return href ? [{ href, text: buyerText(t.text, t.label) }] : [];
  });
  const written = [...wayElements.flatMap(({ tag, attributes }) => wayOf(tag, (name) => attributes[name] ?? null) ?? []), ...selects.flatMap((s) => selectWays(s.onchange, s.values))];
  const ways = written.flatMap((way) => (URL.canParse(way.href, base) ? [{ href: new URL(way.href, base).href, how: way.how }] : []));
  return { ...seen, ways, checkoutLinks };
}

const ownLoads = new WeakMap<Page, { loads: number }>();

/** Tells {@link guardPage} that the gate itself loads `page` next (a reload): not the page navigating by itself. */
export function gateLoads(page: Page): void {
  const own = ownLoads.get(page);
  if (own) own.loads += 1;
}

/**
 * Holds a page to `limits` for as long as it is open: popups are closed at once and counted; past the
 * popup, frame or navigation limit the page itself is closed, since what it spawns keeps spawning
 * (popups that open popups, frames that load the page again). Frames are counted a document, from each
 * load the gate makes itself ({@link gateLoads}). Returns the limits it reached, as a person reads them.
 */
export function guardPage(page: Page, limits: Omit<PageLimits, 'deadlineMs'>): Set<string> {
  const reached = new Set<string>();
  const cutOff = (limit: string) => {
    if (reached.has(limit)) return;
    reached.add(limit);
    void page.close({ runBeforeUnload: false }).catch(() => undefined);
  };
  let popups = 0;
  let frames = 0;
  let navigations = -1;
  const own = { loads: 0 };
  ownLoads.set(page, own);
  page.on('popup', (popup) => {
    popups += 1;
    void popup.close({ runBeforeUnload: false }).catch(() => undefined);
    if (popups > limits.popups) cutOff(`it opened more than ${limits.popups} popups (each was closed, then the page)`);
  });
  page.on('frameattached', () => {
    frames += 1;
    if (frames > limits.frames) cutOff(`it attached more than ${limits.frames} frames (the page was closed)`);
  });
  // Loads of a new document only: a router's pushState or a hash change is not the page navigating away.
  page.on('request', (request) => {
    if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return;
    // The gate's own load (the page again, to buy its next storefront): a new document, its frames counted afresh.
    if (own.loads > 0) {
      own.loads -= 1;
      frames = 0;
      return;
    }
    navigations += 1;
    if (navigations > limits.navigations) cutOff(`it navigated more than ${limits.navigations} times by itself (the page was closed)`);
  });
  return reached;
}
