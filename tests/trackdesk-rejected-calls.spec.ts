/**
 * A tracking call the mocked Trackdesk refuses is kept with every reason a user needs to fix it, quoting
 * what the page sent (types kept), and tracking.js sends it where the collector can name it.
 */
import type { HarnessConfig } from '../fixtures/config.ts';
import { fixtureSite } from '../fixtures/site.ts';
import { expect, test } from '../fixtures/test.ts';
import { affiliateQuery, INVALID_TENANT_HOST, NO_TENANT_HOST, tenantHost } from '../mocks/trackdesk/index.ts';

const HOUR = 60 * 60 * 1000;

/** A page that runs `script` after the guide's click tracker, with the stub already in place. */
function pageWith(script: string): string {
  return `<!doctype html><html><head>{{CLICK_TRACKER}}<script>${script}</script></head><body><h1>Thanks</h1></body></html>`;
}

const conversionCall = (config: HarnessConfig, params: Record<string, unknown>) =>
  `trackdesk(${JSON.stringify(config.trackdesk.tenantId)}, 'conversion', ${JSON.stringify({ revenueOriginId: config.trackdesk.revenueOriginId, ...params })});`;

test.describe('tracking.js stand-in and the collector', () => {
  test.describe('rejected calls, each with a reason a user understands', () => {
    const rejections = [
      {
        call: (c: HarnessConfig) => conversionCall(c, { conversionType: 'sale', amount: { value: 49 } }),
        reason: 'amount.value is the number 49: Trackdesk takes amounts as strings, e.g. { value: "49.00" }',
      },
      {
        call: (c: HarnessConfig) => conversionCall(c, { conversionType: 'sale', amount: { value: '49.00' }, status: 'APPROVED' }),
        reason: 'status "APPROVED" is not a Trackdesk conversion status (CONVERSION_STATUS_APPROVED, ',
      },
      {
        call: (c: HarnessConfig) => conversionCall(c, { amount: { value: '49.00' } }),
        reason: 'conversionType is missing (the call has no conversionType): name the conversion type, e.g. "sale" or "lead"',
      },
      {
        call: (c: HarnessConfig) => `trackdesk(${JSON.stringify(c.trackdesk.tenantId)}, 'externalCid', { externalCid: 'Ada Lovelace', revenueOriginId: ${JSON.stringify(c.trackdesk.revenueOriginId)} });`,
        reason: 'externalCid "Ada Lovelace" is not an email address: the Stripe app matches on the customer\'s email, so send data.email',
      },
      {
        call: (c: HarnessConfig) =>
          `document.cookie = 'trakdesk_cid=' + JSON.stringify({ tenantId: ${JSON.stringify(c.trackdesk.tenantId)}, cid: '00000000-0000-4000-8000-000000000000' }) + '; path=/';
           trackdesk(${JSON.stringify(c.trackdesk.tenantId)}, 'externalCid', { externalCid: 'ada@example.com', revenueOriginId: ${JSON.stringify(c.trackdesk.revenueOriginId)} });`,
        reason: 'the trakdesk_cid cookie holds cid 00000000-0000-4000-8000-000000000000, which this tenant never issued',
      },
      {
        call: (c: HarnessConfig) => `trackdesk(${JSON.stringify(c.trackdesk.tenantId)}, 'externalCID', { externalCid: 'ada@example.com' });`,
        reason: 'trackdesk(…, "externalCID") is not a Trackdesk command: use click, externalCid or conversion (mind the case)',
      },
    ];
    for (const { call, reason } of rejections) {
      test(reason.split(':')[0]!, async ({ network, siteOptions, page, trackdesk, affiliateLink, config }) => {
        network.use(...fixtureSite({ ...siteOptions, pages: { '/x': pageWith(call(config)) } }));
        await page.goto(`/x${affiliateQuery(affiliateLink)}`);
        await trackdesk.settled();
        await page.reload(); // the call runs again, now with the click's cookie in place
        await trackdesk.settled();

        expect(trackdesk.collector.rejected.map((r) => r.reasons).flat()).toContainEqual(expect.stringContaining(reason));
        await expect(expect(trackdesk).toHaveNoRejectedCalls()).rejects.toThrow(reason);
      });
    }

    test('a click whose cookie has expired cannot be paired', async ({ site, tito, trackdesk, affiliateLink, clock }) => {
      await site.visitThroughAffiliateLink(affiliateLink);
      await trackdesk.settled();
      await clock.advance(31 * 24 * HOUR);
      await site.openTickets();
      await tito.register({ tickets: { 'General Admission': 1 }, name: 'Ada', email: 'ada@example.com' });
      await trackdesk.settled();
      expect(trackdesk.collector.rejected[0]?.reasons).toEqual([expect.stringMatching(/^the click .* expired on .* \(cookie lifetime 30 days\)$/)]);
    });
  });
});

interface Mistake {
  call: (account: HarnessConfig['trackdesk']) => string;
  reason: (account: HarnessConfig['trackdesk']) => string;
  /** Where tracking.js sent the call: the tenant's own host unless the tenant cannot be one. */
  host?: (account: HarnessConfig['trackdesk']) => string;
}

const externalCid = (tenant: string, params: string) => `trackdesk(${tenant}, 'externalCid', ${params});`;
const json = JSON.stringify;

test.describe('a rejected call quotes what the page sent', () => {
  const mistakes: Mistake[] = [
    {
      call: (a) => externalCid(json(a.tenantId), `{ externalCid: 'ada@example.com', revenueOriginId: undefined }`),
      reason: (a) => `revenueOriginId is missing (the page passed undefined): the conversion snippet must pass your Revenue Origin ID "${a.revenueOriginId}"`,
    },
    {
      call: (a) => externalCid(json(a.tenantId), `{ externalCid: 'ada@example.com' }`),
      reason: () => 'revenueOriginId is missing (the call has no revenueOriginId)',
    },
    {
      call: (a) => externalCid(json(a.tenantId), `{ externalCid: 'ada@example.com', revenueOriginId: null }`),
      reason: () => 'revenueOriginId is missing (the page passed null)',
    },
    {
      call: (a) => externalCid(json(a.tenantId), `{ externalCid: 'ada@example.com', revenueOriginId: '' + window.REVENUE_ORIGIN_ID }`),
      reason: () => 'revenueOriginId "undefined" is not a UUID: copy the Revenue Origin ID from Trackdesk (text made from a value that was not set',
    },
    {
      call: (a) => externalCid(json(a.tenantId), '{ externalCid: `${window.email}`, revenueOriginId: 42 }'),
      reason: () => 'revenueOriginId 42 is not a UUID',
    },
    {
      call: (a) => externalCid(json(a.tenantId), '{ externalCid: `${window.email}` }'),
      reason: () =>
        'externalCid "undefined" is not an email address: the Stripe app matches on the customer\'s email, so send data.email (text made from a value that was not set',
    },
    {
      call: (a) => externalCid(json(a.tenantId), `{ externalCid: ({}).email, revenueOriginId: ${json(a.revenueOriginId)} }`),
      reason: () => "externalCid is missing (the page passed undefined): the conversion snippet must send the buyer's email (data.email)",
    },
    {
      call: (a) => externalCid(`'{{ tenant }}'`, `{ externalCid: 'ada@example.com', revenueOriginId: ${json(a.revenueOriginId)} }`),
      reason: (a) => `tenant "{{ tenant }}" is not your Trackdesk tenant "${a.tenantId}": fix the Tenant ID in the snippet (a template placeholder that was never filled in)`,
      host: () => INVALID_TENANT_HOST,
    },
    {
      call: (a) => externalCid(`'{tenant}'`, `{ externalCid: 'ada@example.com', revenueOriginId: ${json(a.revenueOriginId)} }`),
      reason: (a) => `tenant "{tenant}" is not your Trackdesk tenant "${a.tenantId}"`,
      host: () => INVALID_TENANT_HOST,
    },
    {
      call: (a) => externalCid('window.TRACKDESK_TENANT_ID', `{ externalCid: 'ada@example.com', revenueOriginId: ${json(a.revenueOriginId)} }`),
      reason: (a) => `the call names no tenant (the page passed undefined): trackdesk() takes your Tenant ID "${a.tenantId}" as its first argument`,
      host: () => NO_TENANT_HOST,
    },
    {
      call: (a) => externalCid('42', `{ externalCid: 'ada@example.com', revenueOriginId: ${json(a.revenueOriginId)} }`),
      reason: (a) => `tenant 42 is not a Tenant ID: trackdesk() takes your Tenant ID "${a.tenantId}", a string, as its first argument`,
      host: () => NO_TENANT_HOST,
    },
  ];

  for (const { call, reason, host = (a: HarnessConfig['trackdesk']) => tenantHost(a.tenantId) } of mistakes) {
    test(call({ tenantId: 'acme', revenueOriginId: 'R', personalToken: '' }), async ({ network, siteOptions, page: tab, trackdesk, config }) => {
      network.use(...fixtureSite({ ...siteOptions, pages: { '/x': pageWith(call(config.trackdesk)) } }));
      await tab.goto('/x');
      await trackdesk.settled();

      const rejected = trackdesk.collector.rejected.find((r) => r.command === 'externalCid');
      expect(rejected?.reasons).toContainEqual(expect.stringContaining(reason(config.trackdesk)));
      expect(rejected?.host).toBe(host(config.trackdesk));
    });
  }

  test('the rejected call keeps how the page passed each argument, types kept', async ({ network, siteOptions, page: tab, trackdesk, config }) => {
    const call = externalCid(json(config.trackdesk.tenantId), `{ externalCid: 'ada@example.com', revenueOriginId: undefined, amount: { value: 49 }, tags: [null, '1'] }`);
    network.use(...fixtureSite({ ...siteOptions, pages: { '/x': pageWith(call) } }));
    await tab.goto('/x');
    await trackdesk.settled();

    expect(trackdesk.collector.rejected[0]).toMatchObject({
      sent: {
        tenantId: json(config.trackdesk.tenantId),
        externalCid: '"ada@example.com"',
        revenueOriginId: 'undefined',
        amount: '{ value: 49 }',
        tags: '[null, "1"]',
      },
    });
    expect(trackdesk.collector.rejected[0]!.body).not.toHaveProperty('sent');
  });
});
