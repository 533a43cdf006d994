/**
 * One browser check's world outside a Playwright test: a browser context set up as the test fixtures of
 * gate/fixtures.ts set one up (the site, a mocked Trackdesk and its Stripe app, a Tito checkout, a Stripe
 * account on the shared stripe-mock, neutral third parties), so the gate's own run checks many pages at
 * once in one browser. A failed check keeps a screenshot and the journey the stand-ins recorded; a
 * context opened to record a trace (the failed check run once more) keeps its trace.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { devices, type Browser, type CDPSession } from '@playwright/test';
import { defineNetworkFixture } from '@msw/playwright';
import { enableNetworkFixture } from '../fixtures/msw-enable.ts';
import type Stripe from 'stripe';
import type { HarnessConfig } from '../fixtures/config.ts';
import { listed, story } from '../fixtures/matchers.ts';
import { inPage, sessionOf } from '../fixtures/in-page.ts';
import { markTrackingScriptRequests, MockedTrackdesk } from '../fixtures/mocked-trackdesk.ts';
import { DEFAULT_SETUP } from '../fixtures/account-setup.ts';
import { consentManagerHandlers } from '../mocks/consent/index.ts';
import { StripeLedger } from '../mocks/stripe/ledger.ts';
import { TitoCheckout, titoHandlers } from '../mocks/tito/index.ts';
import { dashboardHandlers, TrackdeskCollector, trackdeskHandlers, TrackdeskStripeApp, VirtualClock } from '../mocks/trackdesk/index.ts';
import type { CheckWorld } from './check-page.ts';
import { emulateVisitorConnection } from './connection.ts';
import { answersWithin } from './hung.ts';
import { anAffiliate } from './journey.ts';
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
  /**
   * Ends the check: what it leaves kept in `keep.folder` when given (a screenshot and the journey; the
   * trace, for a context that records one), discarded otherwise. `reusable`: the check ended normally,
   * so its context may serve another (when it came from a {@link ContextPool}). `pageAnswered`: whether
   * the page's main thread still answered as the check ended (a page that never frees it does not), asked
   * where it matters: the check `failed`, or its context is kept or not reused.
   */
  close(keep: { folder: string } | null, reusable?: boolean, failed?: boolean): Promise<{ artifacts: CheckArtifacts; pageAnswered: boolean }>;
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
  /** The origin the browser asks for the site on (SITE_ORIGIN, else the one the site names, else site-under-test.test: served-origin.ts). */
  origin: string;
  clientRoutes: ReadonlySet<string>;
  ownHosts: ReadonlySet<string>;
}

/**
 * A fresh browser context for one check, closed when the check ends; with `trace`, recording a trace (with
 * DOM snapshots and a screencast) that a failed check keeps, and nothing else.
 */
export async function openCheckWorld(browser: Browser, site: SiteUnderTest, config: HarnessConfig, stripe: Stripe | Promise<Stripe>, { trace = false } = {}): Promise<OpenWorld> {
  const context = await openContext(browser, site, trace);
  return context.begin(config, stripe, (_, answering) => context.dispose(answering));
}

/**
 * Browser contexts that the gate's page visits take turns in: each check still has stand-ins of its own,
 * a tab left as a new one is (session history, session storage, window name), a fresh cookie jar and
 * storage, but the context, its tab and its routes are set up once: opening a tab costs Playwright more
 * than loading a page in it, and a site has many pages. A context is reused only when it was left clean:
 * its page still answered, on the site, on no limit, and no window of the last check is left.
 */
export class ContextPool {
  readonly #idle: CheckContext[] = [];

  constructor(
    private readonly browser: Browser | Promise<Browser>,
    private readonly site: SiteUnderTest,
  ) {}

  async open(config: HarnessConfig, stripe: Stripe | Promise<Stripe>): Promise<OpenWorld> {
    const context = this.#idle.pop() ?? (await openContext(await this.browser, this.site, false));
    return context.begin(config, stripe, async (reusable, answering) => {
      if (reusable && (await context.clear())) this.#idle.push(context);
      else await context.dispose(answering);
    });
  }

  /** Closes the contexts no check is using. */
  async close(): Promise<void> {
    await Promise.all(this.#idle.splice(0).map((context) => context.dispose()));
  }
}

interface CheckContext {
  /** Sets the context up for one check; `done` is told whether it may be reused when the check ends, and whether its page still answers. */
  begin(config: HarnessConfig, stripe: Stripe | Promise<Stripe>, done: (reusable: boolean, answering: boolean) => Promise<void>): OpenWorld;
  /** Leaves the context as a fresh one: no document, cookie or storage of the last check. False when it could not. */
  clear(): Promise<boolean>;
  /** Closes the context; one whose page no longer answers (`answering` false) at once. */
  dispose(answering?: boolean): Promise<void>;
}

/** A page's listeners as the EventEmitter it is: Playwright's own (on close, crash) stay, a check's go. */
interface PageEvents {
  eventNames(): (string | symbol)[];
  listeners(event: string | symbol): ((...args: unknown[]) => void)[];
  off(event: string | symbol, listener: (...args: unknown[]) => void): void;
}

/** What a context's set-up or clearing may take: past it, a browser that stopped answering is the harness's fault. */
const SET_UP_WAIT = 30_000;

/** A context with its tab and routes, set up as gate/fixtures.ts sets up a check's. */
async function openContext(browser: Browser, site: SiteUnderTest, trace: boolean): Promise<CheckContext> {
  const opening = browser.newContext({ ...DESKTOP_CHROME, ...RUNNER_DEFAULTS, serviceWorkers: 'block', acceptDownloads: false });
  const context = await within(SET_UP_WAIT, opening, () => null);
  if (!context) {
    void opening.then((late) => late.close()).catch(() => undefined);
    throw new Error(`the browser did not open a context within ${SET_UP_WAIT / 1000} s`);
  }
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
    // The check's own stand-ins answer behind these routes: each check puts its own in `current`.
    const current = { network: new GateNetwork() };
    const msw = defineNetworkFixture({ context, handlers: [], skipAssetRequests: false, onUnhandledRequest: 'bypass' });
    // The order of gate/fixtures.ts, each route set up as it is called (the last one runs first; MSW's
    // enable() sets its route up before it awaits anything): the guard's route first, so it receives
    // what MSW does not answer; then MSW; then the mark on tracking.js. The context's round trips overlap:
    // a check's set-up is on every page's critical path.
    const routed = Promise.all([context.route('**/*', (route, request) => current.network.answer(route, request)), enableNetworkFixture(msw, context), markTrackingScriptRequests(context)]);
    // The WebSocket guard after MSW's own WebSocket route, so it runs first and closes every socket.
    const guarded = routed.then(() => context.routeWebSocket(/.*/, (socket) => current.network.closeSocket(socket)));
    // Every window of the context reports a visitor's connection, popups too (connection.ts).
    context.on('page', (opened) => void emulateVisitorConnection(opened).catch(() => undefined));
    const tab = context.newPage().then(async (opened) => {
      await emulateVisitorConnection(opened);
      return opened;
    });
    const ready = await within(SET_UP_WAIT, Promise.all([tab, tracing, routed, guarded]), () => null);
    if (!ready) throw new Error(`the browser did not set a context up within ${SET_UP_WAIT / 1000} s`);
    const [page, traced] = ready;
    // Playwright's client tells its server to send a page's (or context's) network events when their first
    // listener comes, and to stop at their last; each check's listeners (its page's, its mocked
    // Trackdesk's) come and go. A listener of the tab's own keeps each on: two calls per event a check less.
    const keepOn = () => undefined;
    page.on('request', keepOn).on('response', keepOn).on('requestfinished', keepOn).on('requestfailed', keepOn);
    context.on('request', keepOn).on('requestfinished', keepOn).on('requestfailed', keepOn);
    /** The origins the tab's documents had in the check under way (see `clear`). */
    const origins = new Set<string>();
    page.on('framenavigated', (frame) => {
      // A check ends by leaving the page for an empty one (journey.ts cookieOnLeaving): that is no site's.
      // An address the browser showed but no URL parser takes (an error page at `https://xn--a.com/`) is no site's either.
      if (frame === page.mainFrame() && frame.url() !== 'about:blank') origins.add(URL.canParse(frame.url()) ? new URL(frame.url()).origin : 'unparsable');
    });
    const events = page as unknown as PageEvents;
    // The stand-ins store nothing of their own in the browser: the site's origins are the ones to clear.
    const siteOrigins = () => [site.origin, ...[...site.ownHosts].flatMap((host) => [`https://${host}`, `http://${host}`])];

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
        origins.clear();
        current.network = new GateNetwork();
        msw.resetHandlers(
          ...siteHandlers(site.siteUrl, { origin: site.origin, clientRoutes: site.clientRoutes, ownHosts: site.ownHosts, onNotFound: (url) => notFound.push(url) }),
          ...dashboardHandlers(collector, stripeApp),
          ...trackdeskHandlers(collector),
          ...titoHandlers({ checkout: titoCheckout }),
          ...consentManagerHandlers(),
        );
        // An affiliate of its own for every check: no fixed IDs to tell the gate's visitor by.
        const affiliateLink = anAffiliate(config.trackdesk.tenantId);
        // Whatever the check listens to on the page goes with it: a reused context's next check starts with none.
        const listening = new Map(events.eventNames().map((event) => [event, new Set(events.listeners(event))]));
        const world: CheckWorld = { page, trackdesk, stripeApp, affiliateLink, config, titoCheckout, gateNetwork: current.network, notFound };
        return {
          world,
          close: async (keep, reusable, failed) => {
            const artifacts: CheckArtifacts = {};
            // A page whose main thread never frees answers neither a screenshot nor the unrouting of its context: each would wait out its deadline.
            const answering = keep || !reusable || failed ? await answersWithin(page, 1_000) : true;
            try {
              // A page that never frees its main thread must not hold the run: each step has a deadline.
              if (keep) mkdirSync(keep.folder, { recursive: true });
              // A context that records a trace keeps only that: it serves to run a failed check once more.
              if (keep && !trace) {
                // A check that failed once the visitor left its page has an empty page to show: its trace shows the rest.
                const screenshot = path.join(keep.folder, 'screenshot.png');
                if (answering && page.url() !== 'about:blank' && (await within(5_000, page.screenshot({ path: screenshot, timeout: 5_000 }).then(() => true, () => false), () => false))) artifacts.screenshot = screenshot;
                const journey = path.join(keep.folder, 'journey.txt');
                const payments = listed(stripeAccount.charges, (c) => `${c.id} ${c.amount} ${c.currency} (${c.status}) for customer ${c.customerId}`);
                const registrations = listed(titoCheckout.registrations, (r) => `${r.reference} ${r.total} ${r.currency} by ${r.email}`);
                const unanswered = answering ? [] : ['screenshot.png: none, the page no longer answered (a main thread that never frees)', ''];
                writeFileSync(journey, [...unanswered, `Tito registrations (${registrations.length}):`, ...registrations, `Stripe payments (${payments.length}):`, ...payments, story(trackdesk), ''].join('\n'));
                artifacts.journey = journey;
              }
              if (traced) {
                // Written apart first: a trace whose writing did not end in time (a site's huge responses)
                // is never left half written among the artifacts, where nothing could read it.
                const apart = keep ? mkdtempSync(path.join(os.tmpdir(), 'gate-trace-')) : undefined;
                const stopping = context.tracing.stop(apart ? { path: path.join(apart, 'trace.zip') } : {}).then(() => true, () => false);
                const written = await within(10_000, stopping, () => false);
                if (written && keep && apart) {
                  const file = path.join(keep.folder, 'trace.zip');
                  moveFile(path.join(apart, 'trace.zip'), file);
                  artifacts.trace = file;
                }
                // Once the writing ends, whenever that is; a folder that cannot be removed is the temporary folder's to clear.
                if (apart) void stopping.then(() => rmSync(apart, { recursive: true, force: true })).catch(() => undefined);
              }
            } finally {
              trackdesk.dispose();
              for (const event of events.eventNames()) for (const listener of events.listeners(event)) if (!listening.get(event)?.has(listener)) events.off(event, listener);
              await done(Boolean(reusable) && answering && !page.isClosed(), answering);
            }
            return { artifacts, pageAnswered: answering };
          },
        };
      },

      async clear() {
        // The tab is left as a new one is: no document, session history, session storage or window name
        // of the last check's, and no window it opened. Nothing is run in the last check's document (the
        // site may have replaced what would be called there): the browser is told through its protocol.
        // A tab whose documents were off the site (their storage is not among the origins cleared) or
        // on more than one of its origins, or a browser that no longer answers, gives the context up.
        const [only, ...more] = origins;
        const left = page.url() === 'about:blank';
        if (page.isClosed() || more.length > 0 || (only && !siteOrigins().includes(only)) || (!left && !(URL.canParse(page.url()) && siteOrigins().includes(new URL(page.url()).origin)))) return false;
        const cleared = (async () => {
          for (const other of context.pages()) if (other !== page) await other.close({ runBeforeUnload: false });
          const session = await sessionOf(page);
          // Session storage goes with the origins' data below (Storage.clearDataForOrigin clears it too, once the page is left).
          if (!left) await page.goto('about:blank');
          // A new tab of Playwright's has its first about:blank as the one entry before the page: so has this one.
          // Counted by the browser: Playwright lists a popup only once it attached to it, after the browser
          // made it, so a popup the last document opened as it went is counted here and not yet in pages().
          const [windows] = await Promise.all([
            windowsOf(session),
            session.send('Page.resetNavigationHistory'),
            inPage(page, () => void (window.name = '')),
            context.clearCookies(),
            ...siteOrigins().map((origin) => session.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' })),
          ]);
          return windows === 1;
        })();
        return within(5_000, cleared.catch(() => false), () => false);
      },

      async dispose(answering = true) {
        // A route still answering a request of the page as the context closes must not fail the run:
        // Playwright rejects its fulfil with nobody to catch it otherwise. Unrouting tells the page's renderer,
        // so for a page that no longer answers it is only begun (its handlers are told to ignore errors at once).
        if (answering) {
          await within(5_000, msw.disable().catch(() => undefined), () => undefined);
          await within(5_000, context.unrouteAll({ behavior: 'ignoreErrors' }).catch(() => undefined), () => undefined);
        } else {
          void context.unrouteAll({ behavior: 'ignoreErrors' }).catch(() => undefined);
          void msw.disable().catch(() => undefined);
        }
        await within(5_000, context.close().catch(() => undefined), () => undefined);
      },
    };
  } catch (error) {
    await context.close().catch(() => undefined);
    throw error;
  }
}

/** The windows open in the context of the tab `cdp` is attached to, as the browser counts them. */
async function windowsOf(cdp: CDPSession): Promise<number> {
  const [contextId, { targetInfos }] = await Promise.all([browserContextOf(cdp), cdp.send('Target.getTargets', { filter: [{ type: 'page' }] })]);
  return targetInfos.filter((t) => t.browserContextId === contextId).length;
}

/** The browser's id of the context of the tab `cdp` is attached to: asked once, as a tab never changes context. */
function browserContextOf(cdp: CDPSession): Promise<string | undefined> {
  let id = contextIds.get(cdp);
  if (!id) {
    id = cdp.send('Target.getTargetInfo').then(({ targetInfo }) => targetInfo.browserContextId);
    contextIds.set(cdp, id);
    id.catch(() => contextIds.delete(cdp));
  }
  return id;
}

const contextIds = new WeakMap<CDPSession, Promise<string | undefined>>();

/** A folder name for a check's artifacts: readable, and never a path out of the output folder. */
export function artifactFolder(outputDir: string, title: string): string {
  const slug = title.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 60).toLowerCase() || 'check';
  return path.join(outputDir, `${slug}-${randomUUID().slice(0, 8)}`);
}

/** Moves a file, across file systems too (the temporary folder may be on another). */
function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    cpSync(from, to);
    rmSync(from, { force: true });
  }
}
