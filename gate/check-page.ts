import { test, type Page } from '@playwright/test';
import { HarnessFault } from '../fixtures/harness-fault.ts';
import type { HarnessConfig } from '../fixtures/config.ts';
import type { MockedTrackdesk } from '../fixtures/mocked-trackdesk.ts';
import type { AffiliateLink } from '../fixtures/pages/event-site.ts';
import type { TitoCheckout } from '../mocks/tito/index.ts';
import type { TrackdeskStripeApp } from '../mocks/trackdesk/index.ts';
import { isListedAccount } from './config.ts';
import { finding, isError, type Finding } from './findings.ts';
import { affiliateVisit, registration, type Visitor } from './journey.ts';
import type { GateNetwork } from './network.ts';
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
export async function checkPage(world: CheckWorld, planned: PlannedPage, origin: string, titoEvents: readonly string[] | null): Promise<Finding[]> {
  const { page, trackdesk, stripeApp, affiliateLink, config, titoCheckout, gateNetwork, notFound } = world;
  const visitor: Visitor = { page, trackdesk, stripeApp, link: affiliateLink, account: config.trackdesk, checkout: titoCheckout, origin, errors: [] };
  page.on('pageerror', (error) => visitor.errors.push(error.message));
  const findings: Finding[] = [];
  try {
    findings.push(...(await test.step(`Land on ${shown(planned.path)} through an affiliate link`, () => affiliateVisit(visitor, planned.path))));
    for (const event of planned.storefronts) {
      if (findings.some(isError)) break;
      // The audit names a storefront of an account TITO_EVENT does not name; its payments are not yours to check.
      if (!isListedAccount(event, titoEvents)) continue;
      findings.push(...(await test.step(`Register for ${shown(event)}, then Check Now in the Stripe app`, () => registration(visitor, planned.path, event))));
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
