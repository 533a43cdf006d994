import type { Browser, BrowserContext } from '@playwright/test';
import { defineNetworkFixture } from '@msw/playwright';
import type { HttpHandler } from 'msw';
import { SITE_UNDER_TEST_ORIGIN } from './hosts.ts';
import { GateNetwork } from './network.ts';

/** A page as a visitor's browser showed it, once its scripts had run. */
export interface RenderedPage {
  status: number;
  /** Every link in the rendered DOM, absolute. */
  links: string[];
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
  const context = await browser.newContext({ serviceWorkers: 'block', ignoreHTTPSErrors: false });
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

/** Opens `path` without affiliate parameters and reads what the visitor's browser holds once it is quiet. */
export async function renderPage(context: BrowserContext, path: string): Promise<RenderedPage> {
  const errors: string[] = [];
  const page = await context.newPage();
  try {
    page.on('pageerror', (error) => errors.push(error.message));
    const response = await page.goto(SITE_UNDER_TEST_ORIGIN + path, { waitUntil: 'load', timeout: 20_000 }).catch(() => null);
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
    const seen = await page.evaluate(() => {
      const standIn = (window as { __titoStandIn?: { storefronts?: { event: string }[] } }).__titoStandIn;
      const elements = [...document.querySelectorAll('tito-widget[event], tito-button[event]')].map((e) => e.getAttribute('event') ?? '');
      return {
        links: [...document.querySelectorAll<HTMLAnchorElement | HTMLAreaElement>('a[href], area[href]')].map((a) => a.href),
        storefronts: [...new Set([...(standIn?.storefronts?.map((s) => s.event) ?? []), ...elements])].filter(Boolean),
        inlineScripts: [...document.scripts].filter((s) => !s.src).map((s) => s.textContent ?? ''),
        scriptUrls: [
          ...new Set([
            ...performance.getEntriesByType('resource').filter((e) => (e as PerformanceResourceTiming).initiatorType === 'script').map((e) => e.name),
            ...[...document.scripts].filter((s) => s.src).map((s) => s.src),
          ]),
        ],
      };
    });
    return { status: response?.status() ?? 0, errors, ...seen };
  } finally {
    await page.close();
  }
}
