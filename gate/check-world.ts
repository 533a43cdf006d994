/**
 * One browser check's world outside a Playwright test: its own browser context, set up as the test
 * fixtures of gate/fixtures.ts set one up (the site, a mocked Trackdesk and its Stripe app, a Tito
 * checkout, a Stripe account on the shared stripe-mock, neutral third parties), so the gate's own run
 * checks many pages at once in one browser. A trace is recorded from the start and kept, with a
 * screenshot, only when the check failed: Playwright's `retain-on-failure` and `only-on-failure`.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { devices, type Browser, type BrowserContext } from '@playwright/test';
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
  /** Ends the check: its trace, screenshot and journey kept in `folder` when it failed, discarded otherwise. */
  close(failed: { folder: string } | null): Promise<CheckArtifacts>;
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

export async function openCheckWorld(browser: Browser, site: SiteUnderTest, config: HarnessConfig, stripe: Stripe | Promise<Stripe>): Promise<OpenWorld> {
  const context = await browser.newContext({ ...DESKTOP_CHROME, ...RUNNER_DEFAULTS, serviceWorkers: 'block' });
  try {
    return await setUp(context, site, config, stripe);
  } catch (error) {
    await context.close().catch(() => undefined);
    throw error;
  }
}

async function setUp(context: BrowserContext, site: SiteUnderTest, config: HarnessConfig, stripe: Stripe | Promise<Stripe>): Promise<OpenWorld> {
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(0);
  // Actions, network and console only: DOM snapshots and the screencast would cost each page's check more
  // than its page load does; a failed check keeps a screenshot of its own besides.
  // Inside a Playwright test run whose `trace` option is on, the runner traces every context itself: then that trace is the check's.
  const tracing = context.tracing.start({ screenshots: false, snapshots: false, title: 'attribution gate check' }).then(
    () => true,
    (error: Error) => {
      if (/already started/.test(error.message)) return false;
      throw error;
    },
  );
  // The organiser's accounts as the guide leaves them, as in every check of the Playwright run.
  const stripeAccount = new StripeLedger(stripe, DEFAULT_SETUP.stripeMode);
  const titoCheckout = new TitoCheckout(stripeAccount);
  const clock = new VirtualClock();
  const collector = new TrackdeskCollector(config.trackdesk, clock, titoCheckout, DEFAULT_SETUP.cookieDays);
  const stripeApp = new TrackdeskStripeApp(collector, stripeAccount, clock, DEFAULT_SETUP.stripeAppMode);
  stripeApp.saveSettings({ tenantId: config.trackdesk.tenantId, personalToken: config.trackdesk.personalToken });
  const trackdesk = new MockedTrackdesk(collector, stripeApp, context);
  const notFound: string[] = [];
  const gateNetwork = new GateNetwork();
  const msw = defineNetworkFixture({
    context,
    handlers: [
      ...siteHandlers(site.siteUrl, { clientRoutes: site.clientRoutes, ownHosts: site.ownHosts, onNotFound: (url) => notFound.push(url) }),
      ...dashboardHandlers(collector, stripeApp),
      ...trackdeskHandlers(collector),
      ...titoHandlers({ checkout: titoCheckout }),
    ],
    skipAssetRequests: false,
    onUnhandledRequest: 'bypass',
  });
  // The order of gate/fixtures.ts, each route set up as it is called (the last one runs first): the guard's
  // route first, so it receives what MSW does not answer; then MSW; then the mark on tracking.js. The
  // context's round trips overlap: a check's set-up is on the critical path of every page.
  const routed = Promise.all([gateNetwork.install(context), msw.enable(), markTrackingScriptRequests(context)]);
  // The WebSocket guard after MSW's own WebSocket route, so it runs first and closes every socket.
  const guarded = routed.then(() => gateNetwork.installWebSocketGuard(context));
  const [page, traced] = await Promise.all([context.newPage(), tracing, routed, guarded]);
  const affiliateLink = { linkId: 'lp_144414', affiliate: 'jane-doe', tenantId: config.trackdesk.tenantId };
  const world: CheckWorld = { page, trackdesk, stripeApp, affiliateLink, config, titoCheckout, gateNetwork, notFound };

  return {
    world,
    close: async (failed) => {
      const artifacts: CheckArtifacts = {};
      // A page that never frees its main thread must not hold the run: each step has a deadline.
      if (failed) {
        mkdirSync(failed.folder, { recursive: true });
        const screenshot = path.join(failed.folder, 'screenshot.png');
        if (await within(5_000, page.screenshot({ path: screenshot, timeout: 5_000 }).then(() => true, () => false), () => false)) artifacts.screenshot = screenshot;
        const journey = path.join(failed.folder, 'journey.txt');
        const payments = stripeAccount.charges.map((c) => `  - ${c.id} ${c.amount} ${c.currency} (${c.status}) for customer ${c.customerId}`);
        const registrations = titoCheckout.registrations.map((r) => `  - ${r.reference} ${r.total} ${r.currency} by ${r.email}`);
        writeFileSync(journey, [`Tito registrations (${registrations.length}):`, ...registrations, `Stripe payments (${payments.length}):`, ...payments, story(trackdesk), ''].join('\n'));
        artifacts.journey = journey;
      }
      const trace = failed ? path.join(failed.folder, 'trace.zip') : undefined;
      if (traced && (await within(10_000, context.tracing.stop(trace ? { path: trace } : {}).then(() => true, () => false), () => false))) {
        if (trace) artifacts.trace = trace;
      }
      await within(5_000, msw.disable().catch(() => undefined), () => undefined);
      await within(5_000, context.close().catch(() => undefined), () => undefined);
      return artifacts;
    },
  };
}

/** A folder name for a check's artifacts: readable, and never a path out of the output folder. */
export function artifactFolder(outputDir: string, title: string): string {
  const slug = title.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 60).toLowerCase() || 'check';
  return path.join(outputDir, `${slug}-${randomUUID().slice(0, 8)}`);
}
