import type { Page } from '@playwright/test';
import { getResponse } from 'msw';
import { trackdeskHandlers } from '../mocks/trackdesk/index.ts';
import type { HarnessConfig } from '../fixtures/config.ts';
import { fixtureSite, pastedSnippet, SITE_ORIGIN } from '../fixtures/site.ts';
import { DEFAULT_SETUP, expect, test } from '../fixtures/test.ts';

const HOUR = 60 * 60 * 1000;

interface TrakdeskCookie {
  value: { tenantId: string; cid: string };
  expires: number;
}

async function readCidCookie(page: Page): Promise<TrakdeskCookie | undefined> {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'trakdesk_cid');
  return cookie && { value: JSON.parse(decodeURIComponent(cookie.value)), expires: cookie.expires };
}

/** The `trakdesk_cid` cookie once tracking.js has set it: the collector records the click before the response reaches the page. */
async function cidCookie(page: Page): Promise<TrakdeskCookie> {
  await expect.poll(() => readCidCookie(page), { message: 'tracking.js set no trakdesk_cid cookie' }).toBeDefined();
  return (await readCidCookie(page))!;
}

/** A page that runs `script` after the guide's click tracker, with the stub already in place. */
function pageWith(script: string): string {
  return `<!doctype html><html><head>{{CLICK_TRACKER}}<script>${script}</script></head><body><h1>Thanks</h1></body></html>`;
}

const conversionCall = (config: HarnessConfig, params: Record<string, unknown>) =>
  `trackdesk(${JSON.stringify(config.trackdesk.tenantId)}, 'conversion', ${JSON.stringify({ revenueOriginId: config.trackdesk.revenueOriginId, ...params })});`;

test.describe('tracking.js stand-in and the collector', () => {
  test('the queue stub: calls queued before tracking.js loads run in order, then TrackdeskObject.f is the real function', async ({ network, siteOptions, page, trackdesk, affiliateLink, config }) => {
    const script = `window.calls = []; trackdesk(${JSON.stringify(config.trackdesk.tenantId)}, 'click', function (r) { calls.push(['callback', r.cid]); });`;
    network.use(...fixtureSite({ ...siteOptions, pages: { '/q': pageWith(script) } }));
    await page.goto(`/q?linkId=${affiliateLink.linkId}&sourceId=${affiliateLink.affiliate}&tenantId=${affiliateLink.tenantId}`);
    await page.waitForFunction(() => (window as unknown as { calls: unknown[] }).calls.length > 0);

    const state = await page.evaluate(() => {
      const w = window as unknown as { TrackdeskObject: string[] & { f?: unknown }; trackdesk: unknown; calls: [string, string][] };
      return { real: w.TrackdeskObject.f === w.trackdesk, names: [...w.TrackdeskObject], calls: w.calls };
    });
    expect(state.real).toBe(true);
    // The guide's click tracker and this page's script each queued their calls; the click ran twice, once each.
    expect(state.calls).toEqual([['callback', (await cidCookie(page)).value.cid]]);
    expect(trackdesk.collector.clicks).toHaveLength(1);
  });

  test('a direct link makes one click, a JSON trakdesk_cid cookie for 30 days, and the callback gets {cid, expiredAt}', async ({ network, siteOptions, page, trackdesk, affiliateLink, config, clock }) => {
    network.use(
      ...fixtureSite({
        ...siteOptions,
        pages: { '/cb': pageWith(`trackdesk(${JSON.stringify(config.trackdesk.tenantId)}, 'click', function (r) { window.clicked = r; });`) },
      }),
    );
    await page.goto(`/cb?linkId=${affiliateLink.linkId}&sourceId=${affiliateLink.affiliate}&tenantId=${affiliateLink.tenantId}&utm_source=blog`);
    const callback = await (await page.waitForFunction(() => (window as unknown as { clicked?: unknown }).clicked)).jsonValue();

    await expect(trackdesk).toHaveClick({ affiliate: affiliateLink.affiliate, linkId: affiliateLink.linkId });
    const click = trackdesk.collector.clicks[0]!;
    expect(callback).toEqual({ cid: click.cid, expiredAt: click.expiredAt.toISOString() });
    const cookie = await cidCookie(page);
    expect(cookie.value).toEqual({ tenantId: config.trackdesk.tenantId, cid: click.cid });
    expect(click.expiredAt.getTime() - clock.now().getTime()).toBe(30 * 24 * HOUR);
    expect(cookie.expires * 1000).toBeCloseTo(click.expiredAt.getTime(), -4);
  });

  test.describe('with a 90-day cookie', () => {
    test.use({ setup: { ...DEFAULT_SETUP, cookieDays: 90 } });
    test('the cookie lifetime follows the Trackdesk setting', async ({ site, page, trackdesk, affiliateLink, clock }) => {
      await site.visitThroughAffiliateLink(affiliateLink);
      await expect(trackdesk).toHaveClick({ affiliate: affiliateLink.affiliate });
      expect(trackdesk.collector.clicks[0]!.expiredAt.getTime() - clock.now().getTime()).toBe(90 * 24 * HOUR);
      expect((await cidCookie(page)).expires * 1000).toBeCloseTo(trackdesk.collector.clicks[0]!.expiredAt.getTime(), -4);
    });
  });

  test('a repeat click from the same browser within the hour is the same click; after an hour it is a new one', async ({ site, trackdesk, affiliateLink, clock }) => {
    await site.visitThroughAffiliateLink(affiliateLink);
    await site.visitThroughAffiliateLink(affiliateLink);
    await expect(trackdesk).toHaveClick({ affiliate: affiliateLink.affiliate });

    await clock.advance(HOUR + 60_000);
    await site.visitThroughAffiliateLink(affiliateLink);
    await trackdesk.settled();
    expect(trackdesk.collector.clicks).toHaveLength(2);
    expect(new Set(trackdesk.collector.clicks.map((c) => c.cid)).size).toBe(2);
  });

  test('a redirect link (307) answers with the landing URL and the CID', async ({ trackdesk, config }) => {
    // Chromium cannot follow a redirect fulfilled through Playwright routing on a navigation, so this
    // mode is checked at the handler; the meta-refresh modes below go through the browser.
    const path = trackdesk.collector.addRedirectLink({ linkId: 'lp_307', affiliate: 'redirect-rita', landingUrl: `${SITE_ORIGIN}/`, mode: '307' });
    const response = await getResponse(trackdeskHandlers(trackdesk.collector), new Request(`https://${config.trackdesk.tenantId}.trackdesk.com${path}`));

    expect(response?.status).toBe(307);
    expect(response?.headers.get('location')).toBe(`${SITE_ORIGIN}/?cid=${trackdesk.collector.clicks[0]!.cid}`);
    expect(trackdesk.collector.clicks).toEqual([expect.objectContaining({ affiliate: 'redirect-rita', linkId: 'lp_307' })]);
  });

  for (const mode of ['meta-refresh', 'double-meta-refresh'] as const) {
    test(`a redirect link (${mode}) lands with the CID, and the click belongs to its affiliate`, async ({ page, trackdesk, config }) => {
      const path = trackdesk.collector.addRedirectLink({ linkId: 'lp_900', affiliate: 'redirect-rita', landingUrl: `${SITE_ORIGIN}/?utm_source=rita`, mode });
      await page.goto(`https://${config.trackdesk.tenantId}.trackdesk.com${path}`);
      await page.waitForURL(/fixture-event\.test\/\?utm_source=rita&cid=/);

      await expect(trackdesk).toHaveClick({ affiliate: 'redirect-rita', linkId: 'lp_900' });
      expect((await cidCookie(page)).value.cid).toBe(trackdesk.collector.clicks[0]!.cid);
      await expect(trackdesk).toHaveNoRejectedCalls();
    });
  }

  test('the tickets page loads tracking.js twice (both snippets), and nothing is counted twice', async ({ page, site, tito, trackdesk, affiliateLink }) => {
    await site.visitThroughAffiliateLink(affiliateLink, '/tickets');
    await tito.register({ tickets: { 'General Admission': 1 }, name: 'Ada', email: 'ada@example.com' });

    await expect(trackdesk).toHaveClick({ affiliate: affiliateLink.affiliate });
    await expect(trackdesk).toHaveExternalCid({ email: 'ada@example.com' });
    expect(await page.evaluate(() => (window as unknown as { __trackdeskStandIn: { runs: number } }).__trackdeskStandIn.runs)).toBe(2);
    expect(trackdesk.collector.externalCids).toHaveLength(1);
  });

  test('conversion: type, string amount, external id, status, coupons and custom params from the URL', async ({ network, siteOptions, page, trackdesk, affiliateLink, config }) => {
    const call = conversionCall(config, {
      conversionType: 'sale',
      amount: { value: '49.00' },
      externalId: 'order-1001',
      customerId: 'ada@example.com',
      status: 'CONVERSION_STATUS_APPROVED',
      couponCodes: ['EARLYBIRD'],
      customParams: { advS1: { queryParam: 'utm_campaign' }, advS2: 'fixed' },
    });
    network.use(...fixtureSite({ ...siteOptions, pages: { '/thanks': pageWith(call + call) } }));
    await page.goto(`/?linkId=${affiliateLink.linkId}&sourceId=${affiliateLink.affiliate}&tenantId=${affiliateLink.tenantId}`);
    await trackdesk.settled();
    await page.goto('/thanks?utm_campaign=spring');

    await expect(trackdesk).toHaveConversion({ affiliate: affiliateLink.affiliate, amount: '49.00', externalId: 'order-1001', status: 'CONVERSION_STATUS_APPROVED' });
    expect(trackdesk.collector.conversions[0]).toMatchObject({ conversionType: 'sale', couponCodes: ['EARLYBIRD'], customParams: { advS1: 'spring', advS2: 'fixed' } });
    await expect(trackdesk).toHaveNoRejectedCalls();
  });

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
        await page.goto(`/x?linkId=${affiliateLink.linkId}&sourceId=${affiliateLink.affiliate}&tenantId=${affiliateLink.tenantId}`);
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

  test('the pasted click tracker is the guide\'s, with only the Tenant ID filled in', () => {
    const snippet = pastedSnippet('click-tracker', { tenantId: 'acme-events' });
    expect(snippet).toContain('<script async src="//cdn.trackdesk.com/tracking.js"></script>');
    expect(snippet).toContain("trackdesk('acme-events', 'click');");
    expect(snippet).not.toContain('YOUR_');
  });
});
