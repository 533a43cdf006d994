/** Tito's deprecated v1 script: Tito.on hears its events, the guide's tito('on:…') snippet never runs. */
import type { Page } from '@playwright/test';
import { TitoWidget } from '../fixtures/pages/tito-widget.ts';
import { fixtureSite, pastedSnippet } from '../fixtures/site.ts';
import { expect, test } from '../fixtures/test.ts';
import { TITO_V1_STYLESHEET_ORIGIN, TITO_V1_URL } from '../mocks/tito/index.ts';
import { buyer, EVENTS, eventsOn, html, sitePage, standIn, type RecordedEvent } from './tito-widget.pages.ts';

test.describe('Tito widget stand-in', () => {
  test.describe('the deprecated v1 script', () => {
    const V1_NAMES = ['event:landing', 'registration:started', 'registration:finished', 'registration:complete'];
    // v1 as older sites embed it: its script and stylesheet, and handlers registered with Tito.on.
    const V1_HEAD = `<script src="${TITO_V1_URL}"></script><link rel="stylesheet" type="text/css" href="${TITO_V1_STYLESHEET_ORIGIN}/v1.1">
      <script>window.v1Events = [];
      ${JSON.stringify(V1_NAMES)}.forEach(function (name) { Tito.on(name, function (data) { v1Events.push({ name: name, data: data }); }); });</script>`;
    const v1EventsOn = (page: Page): Promise<RecordedEvent[]> => page.evaluate(() => window.v1Events ?? []);

    test("Tito.on hears v1's events, registration:finished and registration:complete alike; tito('on:…') handlers never run", async ({ network, siteOptions, page }) => {
      network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(`<tito-widget event="{{TITO_EVENT}}"></tito-widget>`, V1_HEAD) } }));
      await page.goto('/t');
      await new TitoWidget(page).register({ tickets: { 'General Admission': 1 }, ...buyer });

      const v1 = await v1EventsOn(page);
      expect(v1.map((e) => e.name)).toEqual(V1_NAMES);
      expect(v1[2]!.data).toMatchObject({ name: buyer.name, email: buyer.email, total: '49.00', receipt: { payment_provider: 'Stripe' } });
      expect(v1[3]!.data).toEqual(v1[2]!.data);
      expect(await eventsOn(page)).toEqual([]);
      // The page's tito() stub still holds every call it was given: v1 has no queue to run them.
      expect(await page.evaluate(() => window.tito?.q?.length)).toBe(EVENTS.length);
      expect((await standIn(page)).loaded).toEqual(['v1']);
    });

    for (const { snippet, outcome, edit, attributed } of [
      { snippet: "the guide's tito('on:registration:finished') snippet", outcome: 'never pairs the email', edit: (guide: string) => guide, attributed: 0 },
      {
        snippet: "a Tito.on('registration:finished') snippet",
        outcome: 'pairs the email and the sale is attributed',
        edit: (guide: string) => guide.replace("tito('on:registration:finished',", "Tito.on('registration:finished',"),
        attributed: 1,
      },
    ]) {
      test(`under v1, ${snippet} ${outcome}`, async ({ network, siteOptions, site, tito, trackdesk, stripeApp, stripeAccount, config, affiliateLink }) => {
        const conversion = edit(pastedSnippet('conversion-tracker', config.trackdesk));
        const v1 = `<script src="${TITO_V1_URL}"></script>`;
        network.use(...fixtureSite({ ...siteOptions, pages: { '/t': sitePage('<tito-widget event="{{TITO_EVENT}}"></tito-widget>', conversion, v1) } }));

        await site.visitThroughAffiliateLink(affiliateLink, '/t');
        await tito.register({ tickets: { 'General Admission': 1 }, ...buyer });
        await trackdesk.settled();
        await stripeApp.checkNow();

        expect(stripeAccount.charges).toHaveLength(1);
        // Exactly one pairing and one sale for the affiliate when attributed; none otherwise.
        expect(trackdesk.collector.externalCids.map((p) => p.externalCid)).toEqual(Array.from({ length: attributed }, () => buyer.email));
        expect(trackdesk.collector.conversions.map(({ affiliate, amount }) => ({ affiliate, amount }))).toEqual(
          Array.from({ length: attributed }, () => ({ affiliate: affiliateLink.affiliate, amount: '49.00' })),
        );
      });
    }

    test('a widget added after load renders only when the page calls TitoWidget.buildWidgets(), which leaves built ones alone', async ({ network, siteOptions, page, config }) => {
      network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(`<tito-widget id="first" event="{{TITO_EVENT}}"></tito-widget>`, V1_HEAD) } }));
      await page.goto('/t');
      await expect(page.locator('#first')).toHaveAttribute('data-tito-stand-in', 'rendered');
      await page.locator('#first').getByLabel('Quantity of General Admission').fill('2'); // a checkout in progress

      await page.evaluate((event) => {
        const widget = document.createElement('tito-widget');
        widget.id = 'later';
        widget.setAttribute('event', event);
        document.body.append(widget);
      }, config.tito.slug);
      expect(await page.locator('#later').getAttribute('data-tito-stand-in')).toBeNull();
      expect((await standIn(page)).storefronts).toHaveLength(1);

      await page.evaluate(() => window.TitoWidget?.buildWidgets());
      await expect(page.locator('#later').getByRole('button', { name: 'Register' })).toBeVisible();
      await expect(page.locator('#first').getByLabel('Quantity of General Admission')).toHaveValue('2');
      expect((await standIn(page)).storefronts).toEqual([
        { kind: 'widget', event: config.tito.slug, version: 'v1', state: 'rendered' },
        { kind: 'widget', event: config.tito.slug, version: 'v1', state: 'rendered' },
      ]);
    });
  });
});
