/**
 * One browser check's world outside a Playwright test: a browser context set up as the test fixtures of
 * gate/fixtures.ts set one up (the site, a mocked Trackdesk and its Stripe app, a Tito checkout, a Stripe
 * account on the shared stripe-mock, neutral third parties), so the gate's own run checks many pages at
 * once in one browser. A trace is recorded from the start and kept, with a screenshot, only when the
 * check failed: Playwright's `retain-on-failure` and `only-on-failure`.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { devices, type Browser, type CDPSession } from '@playwright/test';
import { defineNetworkFixture } from '@msw/playwright';
import type Stripe from 'stripe';
import type { HarnessConfig } from '../fixtures/config.ts';
import { story } from '../fixtures/matchers.ts';
import { markTrackingScriptRequests, MockedTrackdesk } from '../fixtures/mocked-trackdesk.ts';
import { DEFAULT_SETUP } from '../fixtures/test.ts';
import { StripeLedger } from '../mocks/stripe/index.ts';
import { TitoCheckout, titoHandlers } from '../mocks/tito/index.ts';
import { dashboardHandlers, TrackdeskCollector, trackdeskHandlers, TrackdeskStripeApp, VirtualClock } from '../mocks/trackdesk/index.ts';
import type { CheckWorld } from './check-page.ts';
import { within } from './limits.ts';
import { SITE_UNDER_TEST_ORIGIN } from './hosts.ts';
import { GateNetwork } from './network.ts';
import { siteHandlers } from './site-proxy.ts';

/** What a check leaves behind when it failed: files a person opens to see why. */
export interface CheckArtifacts {
  trace?: string;
  screenshot?: string;
  journey?: string;
}

export interface OpenWorld {
  world: CheckWorld;
  /**
   * Ends the check: what it leaves kept in `folder` when given (a screenshot and the journey; the trace,
   * for a context that records one), discarded otherwise. `reusable`: the check ended normally, so its
   * context may serve another (when it came from {@link CheckTabs}).
   */
  close(failed: { folder: string } | null, reusable?: boolean): Promise<CheckArtifacts>;
}

/**
 * The context a check gets in the checks' Playwright run (gate/playwright.config.ts): a desktop Chrome,
 * with the defaults Playwright's test runner sets (a site that follows the visitor's language or colour
 * scheme sees the same visitor either way).
 */
const { defaultBrowserType: _, ...DESKTOP_CHROME } = devices['Desktop Chrome'];
const RUNNER_DEFAULTS = { locale: 'en-US', colorScheme: 'light', reducedMotion: 'no-preference', forcedColors: 'none', contrast: 'no-preference' } as const;
/** Playwright's `actionTimeout` of the checks' config. */
const ACTION_TIMEOUT_MS = 10_000;

/** The site as the checks' handlers serve it; its sets may still grow while discovery runs. */
export interface SiteUnderTest {
  siteUrl: string;
  clientRoutes: ReadonlySet<string>;
  ownHosts: ReadonlySet<string>;
}

/**
 * A fresh browser context for one check, closed when the check ends; with `trace`, recording a trace (with
 * DOM snapshots and a screencast) that a failed check keeps.
 */
export async function openCheckWorld(browser: Browser, site: SiteUnderTest, config: HarnessConfig, stripe: Stripe | Promise<Stripe>, { trace = false } = {}): Promise<OpenWorld> {
  const tab = await openTab(browser, site, trace);
  return tab.begin(config, stripe, async () => tab.dispose());
}

/**
 * Browser contexts that the gate's page visits take turns in: each check still has stand-ins of its own,
 * a fresh cookie jar and storage, and its own stretch of the trace, but the context, its tab and its
 * routes are set up once. Opening a tab costs Chromium more than loading a page in it, and a site has
 * many pages. A context is reused only when it was left clean: its page still answered, on no limit.
 */
export class CheckTabs {
  readonly #idle: Tab[] = [];
  readonly #open = new Set<Tab>();

  constructor(
    private readonly browser: Browser | Promise<Browser>,
    private readonly site: SiteUnderTest,
  ) {}

  async open(config: HarnessConfig, stripe: Stripe | Promise<Stripe>): Promise<OpenWorld> {
    const tab = this.#idle.pop() ?? (await openTab(await this.browser, this.site, false));
    this.#open.add(tab);
    return tab.begin(config, stripe, async (reusable) => {
      this.#open.delete(tab);
      if (reusable && (await tab.clear())) this.#idle.push(tab);
      else await tab.dispose();
    });
  }

  /** Closes the contexts no check is using. */
  async close(): Promise<void> {
    await Promise.all(this.#idle.splice(0).map((tab) => tab.dispose()));
  }
}

/** The page events a check listens to, removed when it ends so that a reused tab's next check starts with none. */
const CHECK_EVENTS = ['pageerror', 'request', 'requestfinished', 'requestfailed', 'response', 'popup', 'frameattached', 'framenavigated', 'console', 'dialog', 'load', 'domcontentloaded'] as const;

interface Tab {
  /** Sets the tab up for one check; `done` is told whether the tab may be reused when the check ends. */
  begin(config: HarnessConfig, stripe: Stripe | Promise<Stripe>, done: (reusable: boolean) => Promise<void>): OpenWorld;
  /** Leaves the tab as a fresh one: no document, cookie or storage of the last check. False when it could not. */
  clear(): Promise<boolean>;
  dispose(): Promise<void>;
}

/** A context with its tab and routes, set up as gate/fixtures.ts sets up a check's. */
async function openTab(browser: Browser, site: SiteUnderTest, trace: boolean): Promise<Tab> {
  const context = await browser.newContext({ ...DESKTOP_CHROME, ...RUNNER_DEFAULTS, serviceWorkers: 'block' });
  try {
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(0);
    // Inside a Playwright test run whose `trace` option is on, the runner traces every context itself.
    const tracing = trace
      ? context.tracing.start({ screenshots: true, snapshots: true, title: 'attribution gate check' }).then(
          () => true,
          (error: Error) => {
            if (/already started/.test(error.message)) return false;
            throw error;
          },
        )
      : Promise.resolve(false);
    // The check's own stand-ins answer behind these routes, swapped at each check.
    const edge = { network: new GateNetwork() };
    const msw = defineNetworkFixture({ context, handlers: [], skipAssetRequests: false, onUnhandledRequest: 'bypass' });
    // The order of gate/fixtures.ts, each route set up as it is called (the last one runs first): the
    // guard's route first, so it receives what MSW does not answer; then MSW; then the mark on
    // tracking.js. The context's round trips overlap: a check's set-up is on every page's critical path.
    const routed = Promise.all([context.route('**/*', (route, request) => edge.network.answer(route, request)), msw.enable(), markTrackingScriptRequests(context)]);
    // The WebSocket guard after MSW's own WebSocket route, so it runs first and closes every socket.
    const guarded = routed.then(() => context.routeWebSocket(/.*/, (socket) => edge.network.closeSocket(socket)));
    const [page, traced] = await Promise.all([context.newPage(), tracing, routed, guarded]);
    const siteOrigins = () => [new URL(SITE_UNDER_TEST_ORIGIN).origin, ...[...site.ownHosts].flatMap((host) => [`https://${host}`, `http://${host}`])];
    let cdp: CDPSession | undefined;

    return {
      begin(config, stripe, done) {
        // The organiser's accounts as the guide leaves them, as in every check of the Playwright run.
        const stripeAccount = new StripeLedger(stripe, DEFAULT_SETUP.stripeMode);
        const titoCheckout = new TitoCheckout(stripeAccount);
        const clock = new VirtualClock();
        const collector = new TrackdeskCollector(config.trackdesk, clock, titoCheckout, DEFAULT_SETUP.cookieDays);
        const stripeApp = new TrackdeskStripeApp(collector, stripeAccount, clock, DEFAULT_SETUP.stripeAppMode);
        stripeApp.saveSettings({ tenantId: config.trackdesk.tenantId, personalToken: config.trackdesk.personalToken });
        const trackdesk = new MockedTrackdesk(collector, stripeApp, context);
        const notFound: string[] = [];
        edge.network = new GateNetwork();
        msw.resetHandlers(
          ...siteHandlers(site.siteUrl, { clientRoutes: site.clientRoutes, ownHosts: site.ownHosts, onNotFound: (url) => notFound.push(url) }),
          ...dashboardHandlers(collector, stripeApp),
          ...trackdeskHandlers(collector),
          ...titoHandlers({ checkout: titoCheckout }),
        );
        const affiliateLink = { linkId: 'lp_144414', affiliate: 'jane-doe', tenantId: config.trackdesk.tenantId };
        const world: CheckWorld = { page, trackdesk, stripeApp, affiliateLink, config, titoCheckout, gateNetwork: edge.network, notFound };
        return {
          world,
          close: async (failed, reusable) => {
            const artifacts: CheckArtifacts = {};
            // A page that never frees its main thread must not hold the run: each step has a deadline.
            if (failed) mkdirSync(failed.folder, { recursive: true });
            if (failed && !traced) {
              const screenshot = path.join(failed.folder, 'screenshot.png');
              if (await within(5_000, page.screenshot({ path: screenshot, timeout: 5_000 }).then(() => true, () => false), () => false)) artifacts.screenshot = screenshot;
              const journey = path.join(failed.folder, 'journey.txt');
              const payments = stripeAccount.charges.map((c) => `  - ${c.id} ${c.amount} ${c.currency} (${c.status}) for customer ${c.customerId}`);
              const registrations = titoCheckout.registrations.map((r) => `  - ${r.reference} ${r.total} ${r.currency} by ${r.email}`);
              writeFileSync(journey, [`Tito registrations (${registrations.length}):`, ...registrations, `Stripe payments (${payments.length}):`, ...payments, story(trackdesk), ''].join('\n'));
              artifacts.journey = journey;
            }
            if (traced) {
              const trace = failed ? path.join(failed.folder, 'trace.zip') : undefined;
              if (await within(10_000, context.tracing.stop(trace ? { path: trace } : {}).then(() => true, () => false), () => false)) artifacts.trace = trace;
            }
            trackdesk.dispose();
            for (const event of CHECK_EVENTS) page.removeAllListeners(event);
            await done(Boolean(reusable) && !page.isClosed());
            return artifacts;
          },
        };
      },

      async clear() {
        // The last check's popups and document go first, so nothing of them reaches the next check's
        // stand-ins; then what the site stored. A page off the site (where its session storage cannot be
        // reached), or one that no longer answers, gives its context up instead.
        for (const other of context.pages()) if (other !== page) await within(2_000, other.close({ runBeforeUnload: false }).catch(() => undefined), () => undefined);
        if (page.isClosed() || !siteOrigins().includes(new URL(page.url()).origin)) return false;
        const left = await within(
          3_000,
          page
            .evaluate(() => {
              sessionStorage.clear();
              window.name = '';
            })
            .then(() => page.goto('about:blank'))
            .then(() => true, () => false),
          () => false,
        );
        if (!left || context.pages().length !== 1) return false;
        cdp ??= await context.newCDPSession(page);
        const session = cdp;
        const cleared = Promise.all([context.clearCookies(), ...siteOrigins().map((origin) => session.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' }))]);
        return within(3_000, cleared.then(() => true, () => false), () => false);
      },

      async dispose() {
        await within(5_000, msw.disable().catch(() => undefined), () => undefined);
        await within(5_000, context.close().catch(() => undefined), () => undefined);
      },
    };
  } catch (error) {
    await context.close().catch(() => undefined);
    throw error;
  }
}

/** A folder name for a check's artifacts: readable, and never a path out of the output folder. */
export function artifactFolder(outputDir: string, title: string): string {
  const slug = title.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 60).toLowerCase() || 'check';
  return path.join(outputDir, `${slug}-${randomUUID().slice(0, 8)}`);
}
