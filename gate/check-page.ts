import type { Page } from '@playwright/test';
import { HarnessFault } from '../fixtures/harness-fault.ts';
import { step } from '../fixtures/step.ts';
import type { HarnessConfig } from '../fixtures/config.ts';
import type { MockedTrackdesk } from '../fixtures/mocked-trackdesk.ts';
import type { AffiliateLink } from '../fixtures/pages/event-site.ts';
import type { TitoCheckout } from '../mocks/tito/index.ts';
import type { TrackdeskStripeApp } from '../mocks/trackdesk/index.ts';
import { isListedAccount } from './config.ts';
import { finding, isError, type Finding } from './findings.ts';
import { affiliateVisit, registration, type Visitor } from './journey.ts';
import type { GateNetwork } from './network.ts';
import { DEFAULT_PAGE_LIMITS, within } from './limits.ts';
import { guardPage } from './render.ts';
import { clickThrough, journeyName, type PlannedJourney } from './navigation.ts';
import type { PlannedPage } from './plan.ts';
import { shown } from './untrusted.ts';

export interface CheckWorld {
  page: Page;
  trackdesk: MockedTrackdesk;
  stripeApp: TrackdeskStripeApp;
  affiliateLink: AffiliateLink;
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
  const { page, trackdesk, stripeApp, affiliateLink, config, titoCheckout, gateNetwork, notFound } = world;
  const visitor: Visitor = { page, trackdesk, stripeApp, link: affiliateLink, account: config.trackdesk, checkout: titoCheckout, origin, errors: [] };
  page.on('pageerror', (error) => visitor.errors.push(error.message));
  const findings: Finding[] = [];
  try {
    findings.push(...(await step(`Land on ${shown(planned.path)} through an affiliate link`, () => affiliateVisit(visitor, planned.path))));
    for (const event of planned.storefronts) {
      if (findings.some(isError)) break;
      // The audit names a storefront of an account TITO_EVENT does not name; its payments are not yours to check.
      if (!isListedAccount(event, titoEvents)) continue;
      findings.push(...(await step(`Register for ${shown(event)}, then Check Now in the Stripe app`, () => registration(visitor, planned.path, event))));
      if (event !== planned.storefronts.at(-1)) await page.reload();
    }
  } catch (error) {
    const why = error instanceof HarnessFault ? error.message : `the check crashed: ${(error as Error).message.split('\n')[0]}`;
    findings.push(finding('HARNESS_FAULT', planned.path, why));
  }
  const namedByAudit = (host: string) => planned.findings.some((f) => f.code === 'HOST_POSING' && f.message.includes(` ${host} `));
  for (const posing of gateNetwork.posing.filter((p) => !namedByAudit(p.host))) findings.push(finding('HOST_POSING', planned.path, posing.message));
  for (const url of notFound) findings.push(finding('SAME_ORIGIN_NOT_FOUND', planned.path, `the site answered 404 for ${url}`));
  if (findings.some((f) => f.code === 'CLICK_NOT_TRACKED' || f.code === 'EXTERNAL_CID_NOT_SENT')) {
    for (const message of new Set(visitor.errors)) findings.push(finding('PAGE_ERROR', planned.path, message));
  }
  return findings;
}

/**
 * The buyer's journey by navigation: land on the journey's first page through an affiliate link, click
 * the site's links to the page that sells tickets, and buy there. Findings name the way in, so a page
 * that works loaded directly but breaks after client-side navigation says so.
 */
export async function checkJourney(world: CheckWorld, journey: PlannedJourney, seller: PlannedPage, origin: string, plan: { titoEvents: readonly string[] | null; ownHosts: readonly string[]; pageTimeoutMs?: number }): Promise<Finding[]> {
  return bounded(world.page, seller.path, plan.pageTimeoutMs ?? DEFAULT_CHECK_DEADLINE_MS, () => journeyCheck(world, journey, seller, origin, plan));
}

async function journeyCheck(world: CheckWorld, journey: PlannedJourney, seller: PlannedPage, origin: string, plan: { titoEvents: readonly string[] | null; ownHosts: readonly string[] }): Promise<Finding[]> {
  const { page, trackdesk, stripeApp, affiliateLink, config, titoCheckout, gateNetwork } = world;
  const visitor: Visitor = { page, trackdesk, stripeApp, link: affiliateLink, account: config.trackdesk, checkout: titoCheckout, origin, errors: [] };
  page.on('pageerror', (error) => visitor.errors.push(error.message));
  const landing = journey.stops[0]!.page;
  const findings: Finding[] = [];
  try {
    const click = await step(`Land on ${shown(landing)} through an affiliate link`, () => affiliateVisit(visitor, landing));
    if (click.some(isError)) {
      return [finding('JOURNEY_NOT_FOLLOWED', seller.path, `the journey ${journeyName(journey)} did not start: landing on ${landing} made no click (the check of ${landing} says why)`)];
    }
    const way = await step(`Click through to ${shown(seller.path)}`, () => clickThrough(page, journey, plan.ownHosts));
    if (way.kind === 'stuck') {
      return [finding('JOURNEY_NOT_FOLLOWED', seller.path, `${way.description}: ${way.why}, so buying after navigation was not checked`, { fix: `make sure a visitor can reach ${seller.path} from ${landing} by its links` })];
    }
    const event = seller.storefronts.find((e) => isListedAccount(e, plan.titoEvents));
    if (event) {
      const bought = await step(`Register for ${shown(event)}, then Check Now in the Stripe app`, () => registration(visitor, seller.path, event));
      findings.push(...bought.map((f) => ({ ...f, message: `after ${way.description}: ${f.message}` })));
    }
  } catch (error) {
    const why = error instanceof HarnessFault ? error.message : `the check crashed: ${(error as Error).message.split('\n')[0]}`;
    findings.push(finding('HARNESS_FAULT', seller.path, why));
  }
  for (const posing of gateNetwork.posing) findings.push(finding('HOST_POSING', seller.path, posing.message));
  if (findings.some((f) => f.code === 'EXTERNAL_CID_NOT_SENT' || f.code === 'STOREFRONT_NOT_RENDERED')) {
    for (const message of new Set(visitor.errors)) findings.push(finding('PAGE_ERROR', seller.path, message));
  }
  return findings;
}

export const DEFAULT_CHECK_DEADLINE_MS = 60_000;

/** A page check's title, as the list and the reports show it: the site's text shown escaped. */
export function pageCheckTitle(page: PlannedPage): string {
  const events = page.storefronts;
  return events.length > 0 ? `affiliate visit and registration on ${shown(page.path)} (${events.map(shown).join(', ')})` : `affiliate visit to ${shown(page.path)}`;
}

export function journeyCheckTitle(journey: PlannedJourney, seller: PlannedPage): string {
  return `journey ${shown(journeyName(journey))}: affiliate visit, click-through and registration (${seller.storefronts.map(shown).join(', ')})`;
}

export const SITE_CHECK_TITLE = 'the site: pages found, sitemap, a storefront to check';
export const staticAuditTitle = (page: PlannedPage) => `static audit of ${shown(page.path)}`;

/**
 * Runs one check within the page's limits (popups, frames, navigations: {@link guardPage}) and a deadline.
 * A check the page cuts off proves nothing about attribution there, so it is an error, never a pass and
 * never a fault of the harness; what the check saw after the page was closed is not reported.
 */
async function bounded(page: Page, path: string, deadlineMs: number, check: () => Promise<Finding[]>): Promise<Finding[]> {
  const reached = guardPage(page, DEFAULT_PAGE_LIMITS);
  const found = await within(deadlineMs, check(), () => null);
  if (found !== null && reached.size === 0) return found;
  const why = reached.size > 0 ? [...reached].join('; ') : `it did not end within ${deadlineMs / 1000} s: the page kept the browser busy (a main thread that never frees, loading without end)`;
  return [
    finding('CHECK_CUT_OFF', path, `the check of ${path} was cut off: ${why}; attribution on it could not be proven`, {
      fix: reached.size > 0 ? 'find what on this page opens windows, frames or navigations without end' : 'find what keeps this page busy; if it is only slow, raise GATE_PAGE_TIMEOUT (seconds)',
    }),
  ];
}
