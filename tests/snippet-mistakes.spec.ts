import { buyTickets } from '../fixtures/journeys.ts';
import type { HarnessConfig } from '../fixtures/config.ts';
import { fixtureSite, type FixtureSiteOptions } from '../fixtures/site.ts';
import { expect, test } from '../fixtures/test.ts';

interface Mistake {
  mistake: string;
  /** How the pasted snippets differ from the right ones. */
  site: (account: HarnessConfig['trackdesk']) => Partial<FixtureSiteOptions>;
  /** What the failure message must say. */
  message: (account: HarnessConfig['trackdesk']) => string;
}

/** The same UUID with its last hex digit changed: a one-character copy mistake. */
const otherUuid = (uuid: string) => uuid.slice(0, -1) + (uuid.endsWith('0') ? '1' : '0');

const buyer = { name: 'Grace Hopper', email: 'grace@example.com', tickets: { 'General Admission': 1 } };

/**
 * Each mistake a user can make while pasting the guide's snippets must make the attribution check
 * fail, and its message must name the mistake.
 */
test.describe('snippet mistakes fail the attribution check, naming the mistake', () => {
  const mistakes: Mistake[] = [
    {
      mistake: 'a wrong Tenant ID in the click tracker',
      site: ({ tenantId }) => ({ clickTracker: { tenantId: `${tenantId}x` } }),
      message: ({ tenantId }) => `click to ${tenantId}x.trackdesk.com: tenant "${tenantId}x" is not your Trackdesk tenant "${tenantId}"`,
    },
    {
      mistake: 'a wrong Tenant ID in the conversion tracker',
      site: (account) => ({ conversionTracker: { ...account, tenantId: `${account.tenantId}x` } }),
      message: ({ tenantId }) => `externalCid to ${tenantId}x.trackdesk.com: tenant "${tenantId}x" is not your Trackdesk tenant "${tenantId}"`,
    },
    {
      mistake: 'a wrong Revenue Origin ID in the conversion tracker',
      site: (account) => ({ conversionTracker: { ...account, revenueOriginId: otherUuid(account.revenueOriginId) } }),
      message: ({ revenueOriginId }) =>
        `revenue origin "${otherUuid(revenueOriginId)}" is not your revenue origin "${revenueOriginId}": fix the Revenue Origin ID in the snippet`,
    },
    {
      mistake: 'YOUR_TENANT_ID left in the click tracker',
      site: () => ({ clickTracker: { tenantId: 'YOUR_TENANT_ID' } }),
      message: ({ tenantId }) => `click to your_tenant_id.trackdesk.com: the snippet still has the placeholder YOUR_TENANT_ID: replace it with your Tenant ID "${tenantId}"`,
    },
    {
      mistake: 'YOUR_REVENUE_ORIGIN_ID left in the conversion tracker',
      site: (account) => ({ conversionTracker: { ...account, revenueOriginId: 'YOUR_REVENUE_ORIGIN_ID' } }),
      message: ({ revenueOriginId }) =>
        `the snippet still has the placeholder YOUR_REVENUE_ORIGIN_ID: replace it with your Revenue Origin ID "${revenueOriginId}"`,
    },
    {
      mistake: 'the click tracker missing',
      site: () => ({ clickTracker: 'missing' }),
      message: () => 'this browser has no trakdesk_cid cookie: the visitor did not arrive through an affiliate link, or the click snippet did not run',
    },
    {
      mistake: 'the conversion tracker missing from the tickets page',
      site: () => ({ conversionTracker: 'missing' }),
      message: () => `(${buyer.email}): no accepted external CID for ${buyer.email}, so no click can be matched`,
    },
  ];

  for (const { mistake, site: change, message } of mistakes) {
    test(mistake, async ({ network, siteOptions, site, tito, trackdesk, stripeApp, affiliateLink, config }) => {
      network.use(...fixtureSite({ ...siteOptions, ...change(config.trackdesk) }));

      await buyTickets({ site, tito, trackdesk, stripeApp }, affiliateLink, buyer);

      await expect(expect(trackdesk).toHaveConversion({ affiliate: affiliateLink.affiliate, email: buyer.email })).rejects.toThrow(message(config.trackdesk));
    });
  }
});
