import type { Browser, BrowserContext, Page } from '@playwright/test';
import { defineNetworkFixture } from '@msw/playwright';
import type { HttpHandler } from 'msw';
import { STOREFRONT_ELEMENTS } from '../mocks/tito/protocol.ts';
import { buyerText, elementCheckoutUrl, TITO_URL_IN_CODE, type CheckoutLink } from './audit/checkout-links.ts';
import { SITE_UNDER_TEST_ORIGIN } from './hosts.ts';
import { GateNetwork } from './network.ts';

/** A page as a visitor's browser showed it, once its scripts had run. */
export interface RenderedPage {
  status: number;
  /** Every link in the rendered DOM, absolute. */
  links: string[];
  /** Links, buttons and forms that send the buyer to Tito's hosted checkout (scripts may draw them). */
  checkoutLinks: CheckoutLink[];
  /** The `account/event` of every Tito storefront the page showed. */
  storefronts: string[];
  /** Inline scripts in the rendered DOM (the served ones and those inserted at run time). */
  inlineScripts: string[];
  /** Every script URL the page loaded, absolute, in load order. */
  scriptUrls: string[];
  /** Uncaught errors, as the browser reported them. */
  errors: string[];
}

/** Sets a browser context up as the gate's world: the site, the stand-ins, neutral third parties. */
export async function gateContext(browser: Browser, handlers: HttpHandler[]): Promise<{ context: BrowserContext; network: GateNetwork; close(): Promise<void> }> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const network = new GateNetwork();
  await network.install(context);
  const msw = defineNetworkFixture({ context, handlers, skipAssetRequests: false, onUnhandledRequest: 'bypass' });
  await msw.enable();
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

/**
 * A wait for the page to go quiet, at most `maxMs`: no request of its own in flight for `idleMs`
 * (scripts that insert other scripts, widgets that fetch their data), and then `idleMs` in which the
 * page's main thread was free and its DOM did not change. A framework that hydrates for seconds on a
 * slow machine, in slices, inserts its scripts and links only afterwards; network quiet alone misses them.
 * Shorter than Playwright's 500 ms `networkidle`, which discovery would pay on every page.
 */
function quietness(page: Page): (idleMs: number, maxMs: number) => Promise<void> {
  let inFlight = 0;
  let started = 0;
  let lastChange = Date.now();
  const change = (delta: number) => {
    inFlight += delta;
    if (delta > 0) started += 1;
    lastChange = Date.now();
  };
  page.on('request', () => change(1));
  page.on('requestfinished', () => change(-1));
  page.on('requestfailed', () => change(-1));
  return async (idleMs, maxMs) => {
    const deadline = Date.now() + maxMs;
    const networkQuiet = () => inFlight <= 0 && Date.now() - lastChange >= idleMs;
    while (Date.now() < deadline) {
      while (Date.now() < deadline && !networkQuiet()) await new Promise((resolve) => setTimeout(resolve, 25));
      const before = started;
      await page.evaluate(mainThreadQuiet, { idleMs, maxMs: deadline - Date.now() }).catch(() => undefined);
      if (started === before && inFlight <= 0) return;
    }
  };
}

/**
 * Runs in the page: resolves once, for `idleMs`, no timer came late (a busy main thread) and no DOM
 * change happened. No named inner functions: tsx would wrap them in a helper the page does not have.
 */
async function mainThreadQuiet({ idleMs, maxMs }: { idleMs: number; maxMs: number }): Promise<void> {
  const start = performance.now();
  let quietSince = start;
  let last = start;
  const changes = new MutationObserver(() => {
    quietSince = performance.now();
  });
  changes.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    const now = performance.now();
    if (now - last > 40) quietSince = now;
    last = now;
    if (now - quietSince >= idleMs || now - start >= maxMs) break;
  }
  changes.disconnect();
}

/** Opens `path` without affiliate parameters and reads what the visitor's browser holds once it is quiet. */
export async function renderPage(context: BrowserContext, path: string): Promise<RenderedPage> {
  const errors: string[] = [];
  const page = await context.newPage();
  try {
    page.on('pageerror', (error) => errors.push(error.message));
    const quiet = quietness(page);
    const response = await page.goto(SITE_UNDER_TEST_ORIGIN + path, { waitUntil: 'load', timeout: 20_000 }).catch(() => null);
    await quiet(250, 5_000);
    const { targets, ...seen } = await page.evaluate(({ widget, button, titoUrl }) => {
      const mentionsTito = new RegExp(titoUrl, 'i');
      const standIn = window.__titoStandIn;
      const elements = [...document.querySelectorAll(`${widget}[event], ${button}[event]`)].map((e) => e.getAttribute('event') ?? '');
      return {
        links: [...document.querySelectorAll<HTMLAnchorElement | HTMLAreaElement>('a[href], area[href]')].map((a) => a.href),
        targets: [...document.querySelectorAll('a[href], area[href], form[action], [formaction], [onclick]')]
          .map((e) => ({
            // targetAttribute() of checkout-links.ts, repeated: this runs in the page.
            href: e.getAttribute(e.localName === 'form' ? 'action' : e.localName === 'a' || e.localName === 'area' ? 'href' : 'formaction'),
            onclick: e.getAttribute('onclick'),
            text: e.localName === 'area' ? e.getAttribute('alt') : e.textContent,
            label: e.getAttribute('aria-label'),
          }))
          .filter((t) => mentionsTito.test(`${t.href ?? ''} ${t.onclick ?? ''}`)),
        storefronts: [...new Set([...(standIn?.storefronts?.map((s) => s.event) ?? []), ...elements])].filter(Boolean),
        inlineScripts: [...document.scripts].filter((s) => !s.src).map((s) => s.textContent ?? ''),
        scriptUrls: [
          ...new Set([
            ...performance.getEntriesByType('resource').filter((e) => (e as PerformanceResourceTiming).initiatorType === 'script').map((e) => e.name),
            ...[...document.scripts].filter((s) => s.src).map((s) => s.src),
          ]),
        ],
      };
    }, { ...STOREFRONT_ELEMENTS, titoUrl: TITO_URL_IN_CODE.source });
    const checkoutLinks = targets.flatMap((t) => {
      const href = elementCheckoutUrl(t, path);
      return href ? [{ href, text: buyerText(t.text, t.label) }] : [];
    });
    return { status: response?.status() ?? 0, errors, checkoutLinks, ...seen };
  } finally {
    await page.close();
  }
}
