import type { Page } from '@playwright/test';
import { HarnessFault } from '../fixtures/harness-fault.ts';
import { step } from '../fixtures/step.ts';
import type { HarnessConfig } from '../fixtures/config.ts';
import type { MockedTrackdesk } from '../fixtures/mocked-trackdesk.ts';
import type { AffiliateLink } from '../fixtures/pages/event-site.ts';
import type { TitoCheckout } from '../mocks/tito/index.ts';
import type { TrackdeskStripeApp } from '../mocks/trackdesk/index.ts';
import { CID_COOKIE } from '../mocks/trackdesk/protocol.ts';
import { isListedAccount } from './config.ts';
import { finding, isError, type Finding } from './findings.ts';
import { affiliateVisit, clickCookieKept, clicksForOthers, cookieOnLeaving, looksAround, registration, type Visitor } from './journey.ts';
import { showStorefront } from './press.ts';
import type { GateNetwork } from './network.ts';
import { answersNothingFor, HUNG_AFTER_MS } from './hung.ts';
import { DEFAULT_PAGE_LIMITS, MISSING_FILES_NAMED, notePageError, within } from './limits.ts';
import { afterPresses, gateLoads, guardPage, QUIET_AT_MOST_MS, QUIET_MS, quietness, readAsFarAsItGot, readPage, type PageContents, type Quiet, type RenderedPage } from './render.ts';
import { clickThrough, comeBack, journeyName, type PlannedJourney } from './navigation.ts';
import type { PlannedPage } from './plan.ts';
import { shown } from './untrusted.ts';

/** How long a ticket page may take to show its storefront (once quiet, it is judged sooner) before the buyer looks for a button. */
const STOREFRONT_WAIT = 3_000;

export interface CheckWorld {
  page: Page;
  trackdesk: MockedTrackdesk;
  stripeApp: TrackdeskStripeApp;
  affiliateLink: AffiliateLink & { referrer?: string };
  config: HarnessConfig;
  titoCheckout: TitoCheckout;
  gateNetwork: GateNetwork;
  notFound: string[];
}

/**
 * The browser checks of one page: an affiliate visit, then a registration on each storefront it shows.
 * Returns the findings; a fault of the harness itself (stripe-mock gone, a crash) is a HARNESS_FAULT,
 * never a finding against the site.
 */
export async function checkPage(world: CheckWorld, planned: PlannedPage, origin: string, titoEvents: readonly string[] | null, deadlineMs = DEFAULT_CHECK_DEADLINE_MS): Promise<Finding[]> {
  return bounded(world.page, planned.path, deadlineMs, () => pageCheck(world, planned, origin, titoEvents));
}

async function pageCheck(world: CheckWorld, planned: PlannedPage, origin: string, titoEvents: readonly string[] | null): Promise<Finding[]> {
  const visitor = visitorOf(world, origin);
  const findings: Finding[] = [];
  try {
    // Discovery keeps a page that answers 404 only where the site's 404 page serves it (or a client route's shell).
    const served404 = planned.status === 404;
    const quiet = quietness(world.page);
    findings.push(...(await step(`Land on ${shown(planned.path)} through an affiliate link`, () => affiliateVisit(visitor, planned.path, { served404 }))));
    if (findings.length === 0) {
      await quiet(QUIET_MS, QUIET_AT_MOST_MS);
      findings.push(...(await clickCookieKept(world.page, planned.path, world.trackdesk.collector.cookieDays)));
    }
    // Discovery read the page without an affiliate link: a storefront shown only to affiliates' visitors is bought on too.
    const shownNow = findings.length === 0 ? (await readAsFarAsItGot(world.page, planned.path)).storefronts : [];
    const storefronts = [...new Set([...planned.storefronts, ...shownNow])];
    findings.push(...(await buyOnEach(visitor, planned.path, storefronts, titoEvents, findings, quiet)));
    if (!findings.some(isError)) findings.push(...(await cookieOnLeaving(visitor, planned.path)));
  } catch (error) {
    findings.push(harnessFault(planned.path, error));
  }
  return withoutPosingTheAuditNamed([...findings, ...afterTheCheck(world, visitor, planned.path, findings, planned.status === 404)], world.gateNetwork.posing, planned.findings);
}

export interface VisitOptions {
  origin: string;
  titoEvents: readonly string[] | null;
  deadlineMs: number;
  /** The site's 404 page serves the page (discovery's `ServedPage.notFoundPage`): its 404 is how the host answers it. */
  served404?: boolean;
  /** Told, once, what the page showed once it was quiet (or as far as it got): discovery goes on from there. */
  onRead: (rendered: RenderedPage) => void;
}

/**
 * One visit of a page for the gate's own run, its discovery and its checks at once: land on it through
 * an affiliate link (the click), read it as the visitor's browser shows it once it is quiet (its links,
 * storefronts and the scripts it ran: discovery and the audit go on from there at once), then buy on
 * each storefront it shows. The same findings as {@link checkPage} on a page that discovery rendered.
 */
export async function visitPage(world: CheckWorld, path: string, options: VisitOptions): Promise<Finding[]> {
  const { page } = world;
  const visitor = visitorOf(world, options.origin);
  const quiet = quietness(page);
  const stopQuiet = new AbortController();
  let status = 0;
  page.on('response', (response) => {
    if (status === 0 && response.request().isNavigationRequest() && response.frame() === page.mainFrame()) status = response.status();
  });
  const reached = guardPage(page, DEFAULT_PAGE_LIMITS);
  let told = false;
  const tell = (seen: PageContents, limits: string[]) => {
    if (told) return;
    told = true;
    options.onRead({ status, errors: [...visitor.errors], ...seen, limits });
  };
  const findings = await bounded(
    page,
    path,
    options.deadlineMs,
    async () => {
      const found: Finding[] = [];
      try {
        // The page goes quiet while its click is awaited (the two overlap: most of a visit is these waits).
        // A page that went quiet before the landing's checks ended (its click, its cookie) is waited on once
        // more: what the click's answer set off may change it.
        let landed = false;
        let quietAfterLanding: Promise<boolean> | undefined;
        const arrived = () => {
          quietAfterLanding = quiet(QUIET_MS, QUIET_AT_MOST_MS, stopQuiet.signal).then(() => landed);
        };
        found.push(...(await step(`Land on ${shown(path)} through an affiliate link`, () => affiliateVisit(visitor, path, { served404: options.served404, onArrived: arrived }))));
        landed = true;
        if (!(await quietAfterLanding)) await quiet(QUIET_MS, QUIET_AT_MOST_MS);
        if (found.length === 0) found.push(...(await clickCookieKept(page, path, world.trackdesk.collector.cookieDays)));
        // A page that navigated as it was read (a redirect once hydrated) is read as far as it got: that is the site's doing.
        const read = await readPage(page, path).catch(() => readAsFarAsItGot(page, path));
        // As a buyer looking for the tickets: a button, a tab or a card may show the storefront, or lead to another page.
        const seen = await afterPresses(page, path, read, () => quiet(QUIET_MS, QUIET_AT_MOST_MS));
        tell(seen, [...reached]);
        found.push(...(await buyOnEach(visitor, path, seen.storefronts, options.titoEvents, found, quiet)));
        if (!found.some(isError)) found.push(...(await cookieOnLeaving(visitor, path)));
      } catch (error) {
        found.push(harnessFault(path, error));
      } finally {
        stopQuiet.abort();
      }
      return found;
    },
    reached,
  );
  if (!told) tell(await readAsFarAsItGot(page, path), reached.size > 0 ? [...reached] : [`it did not settle within ${options.deadlineMs / 1000} s (read as far as it got)`]);
  if (findings.some((f) => f.code === 'CHECK_CUT_OFF')) return findings;
  return [...findings, ...afterTheCheck(world, visitor, path, findings, options.served404)];
}

/**
 * A host posing as Trackdesk, Tito or Stripe that the page's static audit already names is named once:
 * the check's findings without the HOST_POSING ones for the `posing` hosts that `audit` names.
 */
export function withoutPosingTheAuditNamed(findings: Finding[], posing: readonly { host: string; message: string }[], audit: readonly Finding[]): Finding[] {
  const named = new Set(posing.filter(({ host }) => audit.some((f) => f.code === 'HOST_POSING' && f.message.includes(` ${host} `))).map((p) => p.message));
  return findings.filter((f) => f.code !== 'HOST_POSING' || !named.has(f.message));
}

function visitorOf(world: CheckWorld, origin: string): Visitor {
  const { page, trackdesk, stripeApp, affiliateLink, config, titoCheckout } = world;
  const visitor: Visitor = { page, trackdesk, stripeApp, link: affiliateLink, account: config.trackdesk, checkout: titoCheckout, origin, errors: [] };
  page.on('pageerror', (error) => notePageError(visitor.errors, error.message));
  return visitor;
}

/** A registration on each storefront the page shows, of an account TITO_EVENT names, while nothing has failed yet. */
async function buyOnEach(visitor: Visitor, path: string, storefronts: readonly string[], titoEvents: readonly string[] | null, before: Finding[], quiet: Quiet): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const event of storefronts) {
    if ([...before, ...findings].some(isError)) break;
    // The audit names a storefront of an account TITO_EVENT does not name; its payments are not yours to check.
    if (!isListedAccount(event, titoEvents)) continue;
    // Each event's storefront as the buyer finds it: behind what discovery pressed, in a tab not chosen, back in its closed modal after the reload.
    await showStorefront(visitor.page, event, STOREFRONT_WAIT, quiet);
    // The page may have routed on (a router's pushState, on a press or by itself): the buyer buys where it went, and the finding says so.
    const at = visitor.page.url();
    // By its path: the landing URL's affiliate parameters are no other page.
    const routed = !URL.canParse(at) || new URL(at).pathname === new URL(path, visitor.origin).pathname ? null : new URL(at).pathname;
    const bought = await step(`Register for ${shown(event)}, then Check Now in the Stripe app`, () => registration(visitor, path, event));
    findings.push(...(routed ? bought.map((f) => ({ ...f, message: `after the page went to ${routed} (client-side navigation): ${f.message}` })) : bought));
    const next = storefronts[storefronts.indexOf(event) + 1];
    if (next === undefined || findings.some(isError)) continue;
    // The next storefront on the page loaded again, where the buyer bought: the page itself when the
    // registration took the address bar elsewhere (a thank-you route, a download), else as it stands.
    const reload = { waitUntil: 'domcontentloaded', timeout: 30_000 } as const;
    const there = URL.canParse(visitor.page.url()) && URL.canParse(at) && new URL(visitor.page.url()).pathname === new URL(at).pathname;
    const load = (how: () => Promise<unknown>) => {
      gateLoads(visitor.page);
      return how().then(() => true, () => false);
    };
    const again = (there && (await load(() => visitor.page.reload(reload)))) || (await load(() => visitor.page.goto(new URL(path, visitor.origin).href, reload)));
    if (!again) {
      const why = `${path} could not be loaded again to buy ${next} after ${event}, so attribution of that sale could not be proven`;
      findings.push(finding('CHECK_CUT_OFF', path, why, { fix: 'find what on this page leaves the browser on an address that loads no page after a registration' }));
      break;
    }
  }
  return findings;
}

/**
 * What the page did besides: hosts posing as Trackdesk, Tito or Stripe, the site's 404s (but the page's own,
 * where the site's 404 page serves it), and its script errors where they explain a failure.
 */
function afterTheCheck(world: CheckWorld, visitor: Visitor, path: string, findings: Finding[], served404 = false): Finding[] {
  const more: Finding[] = [];
  const itself = (url: string) => served404 && url.split('?')[0] === path.split('?')[0];
  for (const posing of world.gateNetwork.posing) more.push(finding('HOST_POSING', path, posing.message));
  more.push(...clicksForOthers(visitor, path));
  const missing = [...new Set(world.notFound.filter((url) => !itself(url)))];
  for (const url of missing.slice(0, MISSING_FILES_NAMED)) more.push(finding('SAME_ORIGIN_NOT_FOUND', path, `the site answered 404 for ${url}`));
  if (missing.length > MISSING_FILES_NAMED) more.push(finding('SAME_ORIGIN_NOT_FOUND', path, `the site answered 404 for ${missing.length - MISSING_FILES_NAMED} more files this page requested`));
  if (findings.some((f) => f.code === 'CLICK_NOT_TRACKED' || f.code === 'EXTERNAL_CID_NOT_SENT')) {
    for (const message of new Set(visitor.errors)) more.push(finding('PAGE_ERROR', path, message));
  }
  return more;
}

function harnessFault(path: string, error: unknown): Finding {
  return finding('HARNESS_FAULT', path, error instanceof HarnessFault ? error.message : `the check crashed: ${(error as Error).message.split('\n')[0]}`);
}

/**
 * The buyer's journey by navigation: land on the journey's first page through an affiliate link, click
 * the site's links to the page that sells tickets, and buy there. Findings name the way in, so a page
 * that works loaded directly but breaks after client-side navigation says so.
 */
export async function checkJourney(world: CheckWorld, journey: PlannedJourney, seller: Pick<PlannedPage, 'path' | 'storefronts'>, origin: string, plan: { titoEvents: readonly string[] | null; ownHosts: Iterable<string>; pageTimeoutMs?: number }): Promise<Finding[]> {
  return bounded(world.page, seller.path, plan.pageTimeoutMs ?? DEFAULT_CHECK_DEADLINE_MS, () => journeyCheck(world, journey, seller, origin, plan));
}

async function journeyCheck(world: CheckWorld, journey: PlannedJourney, seller: Pick<PlannedPage, 'path' | 'storefronts'>, origin: string, plan: { titoEvents: readonly string[] | null; ownHosts: Iterable<string> }): Promise<Finding[]> {
  const { page, gateNetwork } = world;
  const visitor = visitorOf(world, origin);
  const quiet = quietness(page);
  const landing = journey.stops[0]!.page;
  const findings: Finding[] = [];
  // How the visitor came, as the findings name it: the links clicked, or the redirect link of a visitor who stayed where they landed.
  let wayIn = `through a redirect link to ${landing}`;
  try {
    // Through a redirect link, Trackdesk's default kind, where each page's own check lands through a direct link.
    // How the host answers the landing page (its 404 page serving a client route) is that page's own check's to judge.
    const click = await step(`Land on ${shown(landing)} through an affiliate's redirect link`, () => affiliateVisit(visitor, landing, { redirectLink: true, served404: true }));
    // A landing that fails as the page's own check fails is named there (judge.ts); one that fails only this way is named here.
    if (click.some(isError)) return click;
    const way = journey.returning
      ? await step(`Come back to ${shown(seller.path)} in a new session`, () => comeBack(page, journey, origin))
      : await step(`Click through to ${shown(seller.path)}`, () => clickThrough(page, journey, plan.ownHosts));
    if (way.kind === 'stuck') {
      if (journey.returning) return [finding('JOURNEY_NOT_FOLLOWED', seller.path, `${way.description}: ${way.why}, so buying on a return was not checked`, { fix: `make sure ${seller.path} loads when its address is typed in` })];
      return [finding('JOURNEY_NOT_FOLLOWED', seller.path, `${way.description}: ${way.why}, so buying after navigation was not checked`, { fix: `make sure a visitor can reach ${seller.path} from ${landing} by its links` })];
    }
    wayIn = journey.returning ? `for a buyer who landed on ${way.description}` : journey.stops.length > 1 ? `after ${way.description}` : wayIn;
    const event = seller.storefronts.find((e) => isListedAccount(e, plan.titoEvents));
    if (event) {
      // On the ticket page the visitor looks around again, as on the page they landed on, and presses
      // the button that shows the storefront where one does.
      await looksAround(page);
      // The click's cookie as the ticket page finds it: a script there may cut it short, as on a landing page.
      const kept = await clickCookieKept(page, seller.path, world.trackdesk.collector.cookieDays);
      // A link that led to another host loses the cookie there; a buyer who comes back followed no link.
      const crossed = journey.returning ? undefined : otherHostThan(origin, page.url(), seller.path, way.description);
      if (kept.length > 0) return [crossed ?? kept.map((f) => ({ ...f, message: `${wayIn}: ${f.message}` }))].flat();
      await showStorefront(page, event, STOREFRONT_WAIT, quiet);
      const bought = await step(`Register for ${shown(event)}, then Check Now in the Stripe app`, () => registration(visitor, seller.path, event));
      findings.push(...bought.map((f) => ({ ...f, message: `${wayIn}: ${f.message}` })));
    }
  } catch (error) {
    findings.push(harnessFault(seller.path, error));
  }
  for (const posing of gateNetwork.posing) findings.push(finding('HOST_POSING', seller.path, posing.message));
  if (!findings.some(isError)) findings.push(...clicksForOthers(visitor, seller.path).map((f) => ({ ...f, message: `${wayIn}: ${f.message}` })));
  if (findings.some((f) => f.code === 'EXTERNAL_CID_NOT_SENT' || f.code === 'STOREFRONT_NOT_RENDERED')) {
    for (const message of new Set(visitor.errors)) findings.push(finding('PAGE_ERROR', seller.path, message));
  }
  return findings;
}

/**
 * A journey whose link led to another host the site names as its own (`https://events.example.com/tickets`
 * in a page the gate serves on site-under-test.test): the click's cookie, set on the first, is not sent
 * to the second. In production both are one host when that is the site's; the gate must be told it.
 */
function otherHostThan(origin: string, reached: string, path: string, way: string): Finding | undefined {
  if (!URL.canParse(reached)) return finding('CLICK_COOKIE_MISSING', path, `after ${way}: the link led to an address the browser cannot load (${reached}), so the click's ${CID_COOKIE} cookie is not sent there`);
  const at = new URL(reached).origin;
  if (at === origin) return undefined;
  return finding('CLICK_COOKIE_MISSING', path, `after ${way}: the link led to ${at}, where the click's ${CID_COOKIE} cookie, made on ${origin}, is not sent. If ${at} is your production origin, the gate must serve the site there to follow it as your visitors do; if your pages link across hosts, the cookie is lost in production too`, {
    fix: `set SITE_ORIGIN=${at} (the action's origin input), or link to the ticket page without naming another host`,
  });
}

export const DEFAULT_CHECK_DEADLINE_MS = 60_000;

/** A page check's title, as the list and the reports show it: the site's text shown escaped. */
export function pageCheckTitle(page: Pick<PlannedPage, 'path' | 'storefronts'>): string {
  const events = page.storefronts;
  return events.length > 0 ? `affiliate visit and registration on ${shown(page.path)} (${events.map(shown).join(', ')})` : `affiliate visit to ${shown(page.path)}`;
}

export function journeyCheckTitle(journey: PlannedJourney, seller: Pick<PlannedPage, 'storefronts'>): string {
  const events = seller.storefronts.map(shown).join(', ');
  if (journey.returning) return `returning buyer: affiliate visit to ${shown(journey.stops[0]!.page)}, then registration there in a new session (${events})`;
  if (journey.stops.length === 1) return `affiliate visit through a redirect link and registration on ${shown(journey.stops[0]!.page)} (${events})`;
  return `journey ${shown(journeyName(journey))}: affiliate visit, click-through and registration (${events})`;
}

export const SITE_CHECK_TITLE = 'the site: pages found, sitemap, a storefront to check';
export const staticAuditTitle = (page: PlannedPage) => `static audit of ${shown(page.path)}`;

const CUT_OFF = 'the check of ';

/** Whether the page the check was on held it to its deadline or a limit (what {@link bounded} finds), not its own registration. */
export function heldByItsPage(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.code === 'CHECK_CUT_OFF' && f.message.startsWith(CUT_OFF));
}

/**
 * Runs one check within the page's limits (popups, frames, navigations: {@link guardPage}) and a deadline.
 * A check the page cuts off proves nothing about attribution there, so it is an error, never a pass and
 * never a fault of the harness; what the check saw after the page was closed is not reported.
 */
async function bounded(page: Page, path: string, deadlineMs: number, check: () => Promise<Finding[]>, reached = guardPage(page, DEFAULT_PAGE_LIMITS)): Promise<Finding[]> {
  const watching = new AbortController();
  let hung = false;
  const hangs = answersNothingFor(page, HUNG_AFTER_MS, watching.signal).then((silent) => {
    hung = silent;
    return silent ? null : new Promise<never>(() => {});
  });
  const found = await within(deadlineMs, Promise.race([check(), hangs]), () => null).finally(() => watching.abort());
  if (found !== null && reached.size === 0) return found;
  const why =
    reached.size > 0
      ? [...reached].join('; ')
      : hung
        ? `its main thread answered nothing for ${HUNG_AFTER_MS / 1000} s (a loop that never ends): no visitor could use the page`
        : `it did not end within ${deadlineMs / 1000} s: the page kept the browser busy (a main thread that never frees, loading without end)`;
  return [
    finding('CHECK_CUT_OFF', path, `${CUT_OFF}${path} was cut off: ${why}; attribution on it could not be proven`, {
      fix: reached.size > 0 ? 'find what on this page opens windows, frames or navigations without end' : 'find what keeps this page busy; if it is only slow, raise GATE_PAGE_TIMEOUT (seconds)',
    }),
  ];
}
