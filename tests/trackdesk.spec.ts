import type { Page } from '@playwright/test';
import { getResponse } from 'msw';
import { affiliateQuery, CID_COOKIE, tenantHost, trackdeskHandlers, type CidCookie } from '../mocks/trackdesk/index.ts';
import type { HarnessConfig } from '../fixtures/config.ts';
import { fixtureSite, pastedSnippet, FIXTURE_SITE_ORIGIN } from '../fixtures/site.ts';
import { DEFAULT_SETUP, expect, test } from '../fixtures/test.ts';

const HOUR = 60 * 60 * 1000;

interface TrakdeskCookie {
  value: CidCookie;
  expires: number;
}

async function readCidCookie(page: Page): Promise<TrakdeskCookie | undefined> {
  const cookie = (await page.context().cookies()).find((c) => c.name === CID_COOKIE);
  return cookie && { value: JSON.parse(decodeURIComponent(cookie.value)) as CidCookie, expires: cookie.expires };
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
    await page.goto(`/q${affiliateQuery(affiliateLink)}`);
    await page.waitForFunction(() => (window.calls ?? []).length > 0);

    const state = await page.evaluate(() => ({
      real: window.TrackdeskObject?.f === window.trackdesk,
      names: [...(window.TrackdeskObject ?? [])],
      calls: window.calls,
    }));
    expect(state.real).toBe(true);
    // The guide's click tracker and this page's script each queued their calls; the click ran twice, once each.
    expect(state.calls).toEqual([['callback', (await cidCookie(page)).value.cid]]);
    expect(trackdesk.collector.clicks).toHaveLength(1);
  });

  test('a direct link makes one click, a JSON trakdesk_cid cookie for 30 days, and the callback gets {cid, expiredAt}', async ({ network, siteOptions, page, trackdesk, affiliateLink, config, clock }) => {
    network.use(
      ...fixtureSite({
        ...siteOptions,
        pages: { '/cb': pageWith(`trackdesk(${JSON.stringify(config.trackdesk.tenantId)}, 'click', function (r) { window.clickAnswer = r; });`) },
      }),
    );
    await page.goto(`/cb${affiliateQuery(affiliateLink)}&utm_source=blog`);
    const callback = await (await page.waitForFunction(() => window.clickAnswer)).jsonValue();

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
    const path = trackdesk.collector.addRedirectLink({ linkId: 'lp_307', affiliate: 'redirect-rita', landingUrl: `${FIXTURE_SITE_ORIGIN}/`, mode: '307' });
    const response = await getResponse(trackdeskHandlers(trackdesk.collector), new Request(`https://${tenantHost(config.trackdesk.tenantId)}${path}`));

    expect(response?.status).toBe(307);
    expect(response?.headers.get('location')).toBe(`${FIXTURE_SITE_ORIGIN}/?cid=${trackdesk.collector.clicks[0]!.cid}`);
    expect(trackdesk.collector.clicks).toEqual([expect.objectContaining({ affiliate: 'redirect-rita', linkId: 'lp_307' })]);
  });

  for (const mode of ['meta-refresh', 'double-meta-refresh'] as const) {
    test(`a redirect link (${mode}) lands with the CID, and the click belongs to its affiliate`, async ({ page, trackdesk, config }) => {
      const path = trackdesk.collector.addRedirectLink({ linkId: 'lp_900', affiliate: 'redirect-rita', landingUrl: `${FIXTURE_SITE_ORIGIN}/?utm_source=rita`, mode });
      await page.goto(`https://${tenantHost(config.trackdesk.tenantId)}${path}`);
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
    expect(await page.evaluate(() => window.__trackdeskStandIn?.runs)).toBe(2);
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
    await page.goto(`/${affiliateQuery(affiliateLink)}`);
    await trackdesk.settled();
    await page.goto('/thanks?utm_campaign=spring');

    await expect(trackdesk).toHaveConversion({ affiliate: affiliateLink.affiliate, amount: '49.00', externalId: 'order-1001', status: 'CONVERSION_STATUS_APPROVED' });
    expect(trackdesk.collector.conversions[0]).toMatchObject({ conversionType: 'sale', couponCodes: ['EARLYBIRD'], customParams: { advS1: 'spring', advS2: 'fixed' } });
    await expect(trackdesk).toHaveNoRejectedCalls();
  });

  test('the pasted click tracker is the guide\'s, with only the Tenant ID filled in', () => {
    const snippet = pastedSnippet('click-tracker', { tenantId: 'acme-events' });
    expect(snippet).toContain('<script async src="//cdn.trackdesk.com/tracking.js"></script>');
    expect(snippet).toContain("trackdesk('acme-events', 'click');");
    expect(snippet).not.toContain('YOUR_');
  });
});
