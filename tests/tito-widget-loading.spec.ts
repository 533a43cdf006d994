/** The mocked Tito loads as sites load it: v2 with any plugin path, a URL built at run time, the queue, either order. */
import { fixtureSite } from '../fixtures/site.ts';
import { expect, test } from '../fixtures/test.ts';
import { TITO_SCRIPT_HOST, TITO_V2_URL, type WidgetLoaded } from '../mocks/tito/index.ts';
import { buyer, eventsOn, firedEvent, html, titoScript } from './tito-widget.pages.ts';

test.describe('Tito widget stand-in', () => {
  test.describe('loading', () => {
    for (const [path, inline] of [
      ['/v2', false],
      ['/v2/with/inline', true],
      ['/v2/with/test_mode', false],
      ['/v2/with/inline/without/widget-css', true],
      // Plugin lists as real sites write them: comma-separated in one segment, unknown names included.
      ['/v2/with/inline,ga4', true],
      ['/v2/with/inline,hits', true],
      ['/v2/with/inline,test_mode', true],
      ['/v2/with/test_mode,inline/without/widget-css', true],
      ['/v2/with/development_mode/without/widget-css', false],
      ['/v2/with/ga4,not_inline,inline_v0?cache=2026', false],
    ] as const) {
      test(`${TITO_SCRIPT_HOST}${path} renders the widget ${inline ? 'into the page' : 'in an iframe'}`, async ({ network, siteOptions, page, config }) => {
        network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(`<tito-widget event="{{TITO_EVENT}}"></tito-widget>`, titoScript(path)) } }));
        await page.goto('/t');
        await firedEvent(page, 'widget:loaded');
        await expect(page.locator('tito-widget')).toHaveAttribute('data-tito-stand-in', 'rendered');
        await expect(page.locator('tito-widget iframe.tito-widget-iframe')).toHaveCount(inline ? 0 : 1);
        await expect(page.locator('tito-widget').getByRole('button', { name: 'Register' })).toHaveCount(inline ? 1 : 0);
        const loaded = (await eventsOn(page)).find((e) => e.name === 'widget:loaded')!.data as WidgetLoaded | undefined;
        expect(loaded).toMatchObject({ currency: 'GBP', currency_symbol: '£', path: config.tito.slug, default_locale: 'en' });
        expect(loaded?.releases).toContainEqual({ slug: 'general-admission', title: 'General Admission', price: '49.00' });
      });
    }

    test('a script URL built at run time from a plugin list loads, and its inline plugin renders into the page', async ({ network, siteOptions, page }) => {
      const loader = `<script>
        var plugins = ['inline', 'ga4'];
        var script = document.createElement('script');
        script.src = '${TITO_V2_URL}/with/' + plugins.join(',') + '?v=' + 3;
        document.head.appendChild(script);
      </script>`;
      network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(`<tito-widget event="{{TITO_EVENT}}"></tito-widget>`, loader) } }));
      await page.goto('/t');
      await expect(page.locator('tito-widget').getByRole('button', { name: 'Register' })).toBeVisible();
      await expect(page.locator('tito-widget iframe')).toHaveCount(0);
    });

    test('calls queued before the script loads run in order, once, even when the script loads twice', async ({ network, siteOptions, page }) => {
      const queue = `<script>window.order = [];
        tito('on:widget:loaded', function () { order.push('first'); });
        tito('on:widget:loaded', function () { order.push('second'); });</script>`;
      network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(`<tito-widget event="{{TITO_EVENT}}"></tito-widget>`, queue + titoScript() + titoScript('/v2/with/inline')) } }));
      await page.goto('/t');
      await firedEvent(page, 'widget:loaded');
      await expect(page.locator('tito-widget h2, tito-widget iframe').first()).toBeVisible();
      expect(await page.evaluate(() => window.order)).toEqual(['first', 'second']);
      expect((await eventsOn(page)).filter((e) => e.name === 'widget:loaded')).toHaveLength(1);
    });

    const conversion = '{{CONVERSION_TRACKER}}';
    const script = `<script src="${TITO_V2_URL}"></script>`; // blocking, so the order is certain
    for (const [order, snippets] of [
      ['before', conversion + script],
      ['after', script + conversion],
    ] as const) {
      test(`the conversion snippet placed ${order} the Tito script still pairs the buyer's email`, async ({ network, siteOptions, site, tito, trackdesk, affiliateLink, config }) => {
        const body = `<tito-widget event="{{TITO_EVENT}}"></tito-widget>${snippets}`;
        network.use(...fixtureSite({ ...siteOptions, pages: { '/t': `<!doctype html><html><head>{{CLICK_TRACKER}}</head><body>${body}</body></html>` } }));

        await site.visitThroughAffiliateLink(affiliateLink, '/t');
        await tito.register({ tickets: { 'General Admission': 1 }, ...buyer });

        await expect(trackdesk).toHaveExternalCid({ email: buyer.email });
        expect(trackdesk.collector.externalCids[0]?.revenueOriginId).toBe(config.trackdesk.revenueOriginId);
      });
    }
  });
});
