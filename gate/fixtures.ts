/**
 * The `test` the gate's browser checks run on: the harness's own fixtures (a mocked Trackdesk, a Tito
 * checkout and a Stripe account per test, stripe-mock once per run), with the site under test in place
 * of the fixture site and neutral answers for third parties in place of the harness's strict guard.
 */
import { markTrackingScriptRequests } from '../fixtures/mocked-trackdesk.ts';
import { test as harness } from '../fixtures/test.ts';
import { consentManagerHandlers } from '../mocks/consent/index.ts';
import { dashboardHandlers, trackdeskHandlers } from '../mocks/trackdesk/index.ts';
import { titoHandlers } from '../mocks/tito/index.ts';
import { emulateVisitorConnection } from './connection.ts';
import { anAffiliate } from './journey.ts';
import { GateNetwork } from './network.ts';
import { readPlan, type GatePlan } from './plan.ts';
import { siteHandlers } from './site-proxy.ts';
import { defineNetworkFixture } from '@msw/playwright';
import { enableNetworkFixture } from '../fixtures/msw-enable.ts';

export { expect } from '../fixtures/test.ts';

export interface GateFixtures {
  /** What discovery found; `npm run gate` hands it over through GATE_PLAN, a test may `test.use({ plan })`. */
  plan: GatePlan;
  gateNetwork: GateNetwork;
  /** Same-origin URLs the site answered with 404 during this test. */
  notFound: string[];
}

export const test = harness.extend<GateFixtures>({
  plan: [async ({}, use) => use(readPlan()), { option: true }],
  notFound: async ({}, use) => use([]),
  // An affiliate of its own for every check, as in the gate's own run: no fixed IDs to tell the gate by.
  affiliateLink: async ({ config }, use) => use(anAffiliate(config.trackdesk.tenantId)),
  gateNetwork: async ({}, use) => use(new GateNetwork()),
  handlers: async ({ plan, trackdesk, titoCheckout, notFound }, use) =>
    use([
      ...siteHandlers(plan.siteUrl, { origin: plan.origin, clientRoutes: new Set(plan.clientRoutes), ownHosts: new Set(plan.ownHosts), onNotFound: (url) => notFound.push(url) }),
      ...dashboardHandlers(trackdesk.collector, trackdesk.stripeApp),
      ...trackdeskHandlers(trackdesk.collector),
      ...titoHandlers({ checkout: titoCheckout }),
      ...consentManagerHandlers(),
    ]),
  // A visitor's connection on the check's page, and on every window the site opens (connection.ts).
  page: async ({ page }, use) => {
    page.context().on('page', (opened) => void emulateVisitorConnection(opened).catch(() => undefined));
    await emulateVisitorConnection(page);
    await use(page);
  },
  // Still automatic, as in the harness: every check's context is set up before its page opens.
  network: async ({ context, handlers, gateNetwork }, use) => {
    await gateNetwork.install(context);
    const network = defineNetworkFixture({ context, handlers, skipAssetRequests: false, onUnhandledRequest: 'bypass' });
    await enableNetworkFixture(network, context);
    await markTrackingScriptRequests(context);
    await gateNetwork.installWebSocketGuard(context);
    await use(network);
    await network.disable();
  },
});
