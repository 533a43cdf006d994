import type { Page } from '@playwright/test';
import { DECLINED_CARD, TitoWidget } from '../fixtures/pages/tito-widget.ts';
import { fixtureSite, SITE_ORIGIN } from '../fixtures/site.ts';
import { expect, test } from '../fixtures/test.ts';
import { titoHandlers, type TitoEvent } from '../mocks/tito/index.ts';

const buyer = { name: 'Katherine Johnson', email: 'katherine@example.com' };
const EVENTS = ['widget:loaded', 'registration:started', 'registration:finished', 'registration:terms_accepted'];

// A page's own handlers for every Tito event, registered through the stub before tito.js loads.
const EVENT_RECORDER = `<script>
window.titoEvents = [];
window.tito = window.tito || function () { (tito.q = tito.q || []).push(arguments); };
${JSON.stringify(EVENTS)}.forEach(function (name) {
  tito('on:' + name, function (data) { titoEvents.push({ name: name, data: data }); });
});
</script>`;

const html = (body: string, head = '') =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Tickets</title>{{CLICK_TRACKER}}${EVENT_RECORDER}${head}</head><body>${body}</body></html>`;
const titoScript = (path = '/v2') => `<script src="https://js.tito.io${path}" async></script>`;

interface RecordedEvent {
  name: string;
  data: Record<string, unknown> | undefined;
}
const eventsOn = (page: Page) => page.evaluate(() => (window as unknown as { titoEvents: RecordedEvent[] }).titoEvents);
const firedEvent = (page: Page, name: string) =>
  page.waitForFunction((n) => (window as unknown as { titoEvents: RecordedEvent[] }).titoEvents.some((e) => e.name === n), name);

test.describe('Tito widget stand-in', () => {
  test.describe('loading', () => {
    for (const [path, inline] of [
      ['/v2', false],
      ['/v2/with/inline', true],
      ['/v2/with/test_mode', false],
      ['/v2/with/inline/without/widget-css', true],
    ] as const) {
      test(`js.tito.io${path} renders the widget ${inline ? 'into the page' : 'in an iframe'}`, async ({ network, siteOptions, page, config }) => {
        network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(`<tito-widget event="{{TITO_EVENT}}"></tito-widget>`, titoScript(path)) } }));
        await page.goto('/t');
        await firedEvent(page, 'widget:loaded');
        await expect(page.locator('tito-widget iframe.tito-widget-iframe')).toHaveCount(inline ? 0 : 1);
        const loaded = (await eventsOn(page)).find((e) => e.name === 'widget:loaded')!.data;
        expect(loaded).toMatchObject({ currency: 'GBP', currency_symbol: '£', path: config.tito.slug, default_locale: 'en' });
        expect(loaded?.releases).toContainEqual({ slug: 'general-admission', title: 'General Admission', price: '49.00' });
      });
    }

    test('calls queued before the script loads run in order, once, even when the script loads twice', async ({ network, siteOptions, page }) => {
      const queue = `<script>window.order = [];
        tito('on:widget:loaded', function () { order.push('first'); });
        tito('on:widget:loaded', function () { order.push('second'); });</script>`;
      network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(`<tito-widget event="{{TITO_EVENT}}"></tito-widget>`, queue + titoScript() + titoScript('/v2/with/inline')) } }));
      await page.goto('/t');
      await firedEvent(page, 'widget:loaded');
      await expect(page.locator('tito-widget h2, tito-widget iframe').first()).toBeVisible();
      expect(await page.evaluate(() => (window as unknown as { order: string[] }).order)).toEqual(['first', 'second']);
      expect((await eventsOn(page)).filter((e) => e.name === 'widget:loaded')).toHaveLength(1);
    });

    for (const order of ['before', 'after'] as const) {
      test(`the conversion snippet placed ${order} the Tito script still pairs the buyer's email`, async ({ network, siteOptions, site, tito, trackdesk, affiliateLink, config }) => {
        const conversion = '{{CONVERSION_TRACKER}}';
        const script = '<script src="https://js.tito.io/v2"></script>'; // blocking, so the order is certain
        const body = `<tito-widget event="{{TITO_EVENT}}"></tito-widget>${order === 'before' ? conversion + script : script + conversion}`;
        network.use(...fixtureSite({ ...siteOptions, pages: { '/t': `<!doctype html><html><head>{{CLICK_TRACKER}}</head><body>${body}</body></html>` } }));

        await site.visitThroughAffiliateLink(affiliateLink, '/t');
        await tito.register({ tickets: { 'General Admission': 1 }, ...buyer });

        await expect(trackdesk).toHaveExternalCid({ email: buyer.email });
        expect(trackdesk.collector.externalCids[0]?.revenueOriginId).toBe(config.trackdesk.revenueOriginId);
      });
    }
  });

  test.describe('elements and commands', () => {
    test('<tito-button> opens the checkout in an overlay that a buyer can complete', async ({ network, siteOptions, page, stripeAccount }) => {
      network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(`<tito-button event="{{TITO_EVENT}}">Get your ticket</tito-button>`, titoScript()) } }));
      await page.goto('/t');
      await expect(page.locator('button.tito-widget-button')).toHaveText('Get your ticket');

      const overlay = await new TitoWidget(page).openWithButton('Get your ticket');
      await overlay.register({ tickets: { 'Workshop Day': 1 }, ...buyer });
      await firedEvent(page, 'registration:finished');
      await overlay.close();

      await expect(page.getByRole('dialog')).toHaveCount(0);
      expect(stripeAccount.charges.map((c) => c.amount)).toEqual([12000]);
    });

    test('an abandoned checkout fires registration:started but never registration:finished', async ({ network, siteOptions, page, stripeAccount }) => {
      network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(`<tito-button event="{{TITO_EVENT}}">Tickets</tito-button>`, titoScript()) } }));
      await page.goto('/t');
      const overlay = await new TitoWidget(page).openWithButton('Tickets');
      await overlay.chooseTickets({ 'General Admission': 1 });
      await firedEvent(page, 'registration:started');
      await overlay.close();

      await expect(page.getByRole('dialog')).toHaveCount(0);
      expect((await eventsOn(page)).map((e) => e.name)).toEqual(['widget:loaded', 'registration:started']);
      expect(stripeAccount.charges).toHaveLength(0);
    });

    test('widget.mount and button.mount work for an event in allowedEvents, and are refused for any other', async ({ network, siteOptions, page, config }) => {
      const mount = `<div id="allowed"></div><div id="other"></div><div id="button"></div><script>
        tito('config.set', { allowedEvents: ['${config.tito.slug}'] });
        tito('widget.mount', { el: '#allowed', event: '${config.tito.slug}' });
        tito('widget.mount', { el: '#other', event: 'someone-else/their-event' });
        tito('button.mount', { el: '#button', event: '${config.tito.slug}', buttonLabel: 'Buy now' });
      </script>`;
      network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(mount + titoScript('/v2/with/inline')) } }));
      await page.goto('/t');

      await expect(page.locator('#allowed').getByRole('button', { name: 'Register' })).toBeVisible();
      await expect(page.locator('#other').getByRole('alert')).toHaveText('This widget is not allowed to show someone-else/their-event');
      await expect(page.locator('#button button.tito-widget-button')).toHaveText('Buy now');
    });

    test('widget.mount without config.set is refused, as Tito requires allowedEvents from JS', async ({ network, siteOptions, page, config }) => {
      const mount = `<div id="w"></div><script>tito('widget.mount', { el: '#w', event: '${config.tito.slug}' });</script>`;
      network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(mount + titoScript()) } }));
      await page.goto('/t');
      await expect(page.locator('#w').getByRole('alert')).toHaveText(`This widget is not allowed to show ${config.tito.slug}`);
    });

    test('releases, prefill and discount-code shape the checkout; save-metadata-parameters reaches Stripe', async ({ network, siteOptions, page, stripeAccount }) => {
      const widget = `<tito-widget event="{{TITO_EVENT}}" releases="general-admission,community" discount-code="EARLYBIRD"
        save-metadata-parameters="utm_source,utm_campaign" prefill='{"name":"Katherine Johnson","email":"katherine@example.com"}'></tito-widget>`;
      network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(widget, titoScript('/v2/with/inline')) } }));
      await page.goto('/t?utm_source=newsletter&utm_medium=email');
      const tito = new TitoWidget(page);

      await expect(page.getByLabel(/Quantity of/)).toHaveCount(2);
      await expect(page.getByLabel('Quantity of Workshop Day')).toHaveCount(0);
      await tito.chooseTickets({ 'General Admission': 2 });
      await expect(page.getByLabel('Name')).toHaveValue(buyer.name);
      await expect(page.getByLabel('Email')).toHaveValue(buyer.email);
      await tito.completeDetails({ ...buyer });
      await firedEvent(page, 'registration:finished');

      const finished = (await eventsOn(page)).find((e) => e.name === 'registration:finished')!.data;
      expect(finished).toMatchObject({ total: '78.40', discount_code: 'EARLYBIRD', email: buyer.email });
      expect(stripeAccount.charges[0]).toMatchObject({ amount: 7840, currency: 'gbp' });
      expect(stripeAccount.charges[0]?.metadata).toMatchObject({ utm_source: 'newsletter', tito_discount_code: 'EARLYBIRD' });
      expect(stripeAccount.charges[0]?.metadata).not.toHaveProperty('utm_medium');
    });

    for (const plugin of ['/v2', '/v2/with/inline']) {
      test(`an unsupported locale breaks the widget visibly; a supported one works (${plugin})`, async ({ network, siteOptions, page }) => {
        const widgets = `<tito-widget id="bad" event="{{TITO_EVENT}}" locale="xx-pirate"></tito-widget><tito-widget id="good" event="{{TITO_EVENT}}" locale="de"></tito-widget>`;
        network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(widgets, titoScript(plugin)) } }));
        await page.goto('/t');
        const [bad, good] = [new TitoWidget(page, page.locator('#bad')), new TitoWidget(page, page.locator('#good'))];
        await expect((await bad.checkout()).getByRole('alert')).toHaveText('The Tito widget could not load: locale "xx-pirate" is not supported');
        await expect((await bad.checkout()).getByRole('button', { name: 'Register' })).toHaveCount(0);
        await expect((await good.checkout()).getByRole('button', { name: 'Register' })).toBeVisible();
        expect((await eventsOn(page)).filter((e) => e.name === 'widget:loaded')).toHaveLength(1);
      });
    }

    test('on plain http the widget falls back to a link to the event', async ({ network, siteOptions, page, config }) => {
      network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(`<tito-widget event="{{TITO_EVENT}}"></tito-widget>`, titoScript()) } }));
      await page.goto(`${SITE_ORIGIN.replace('https:', 'http:')}/t`);
      await expect(page.getByRole('link', { name: 'Get tickets on Tito' })).toHaveAttribute('href', `https://ti.to/${config.tito.slug}`);
      await expect(page.locator('tito-widget iframe')).toHaveCount(0);
    });
  });

  test.describe('events and orders', () => {
    test('several releases and quantities: payloads in Tito\'s shapes, Stripe amounts in pence', async ({ network, siteOptions, page, stripeAccount, config }) => {
      network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(`<tito-widget event="{{TITO_EVENT}}"></tito-widget>`, titoScript()) } }));
      await page.goto('/t');
      await new TitoWidget(page).register({ tickets: { 'General Admission': 2, 'Workshop Day': 1 }, ...buyer });
      await firedEvent(page, 'registration:finished');

      const [, started, finished] = (await eventsOn(page)).map((e) => e.data);
      expect(started).toMatchObject({
        slug: expect.stringMatching(/^reg_/),
        line_items: [
          { release_slug: 'general-admission', price: '49.00', quantity: 2, total: '98.00', currency: 'GBP', title: 'General Admission' },
          { release_slug: 'workshop', price: '120.00', quantity: 1, total: '120.00', currency: 'GBP', title: 'Workshop Day' },
        ],
      });
      expect(finished).toMatchObject({
        name: buyer.name,
        email: buyer.email,
        total: '218.00',
        currency: 'GBP',
        slug: (started as { slug: string }).slug,
        reference: expect.stringMatching(/^[A-Z]{4}$/),
        receipt: { total: '218.00', tax: '0.00', payment_provider: 'Stripe' },
        account: { slug: config.tito.account },
        event: { slug: config.tito.event },
      });
      expect((finished as { tickets: unknown[] }).tickets).toHaveLength(3);
      expect((finished as { tickets: { reference: string }[] }).tickets[0]!.reference).toMatch(/^[A-Z]{4}-1$/);

      expect(stripeAccount.customers).toEqual([expect.objectContaining({ email: buyer.email, name: buyer.name })]);
      expect(stripeAccount.charges).toEqual([expect.objectContaining({ amount: 21800, currency: 'gbp', status: 'succeeded' })]);
      expect(stripeAccount.charges[0]?.metadata).toMatchObject({
        tito_registration_email: buyer.email,
        tito_registration_name: buyer.name,
        tito_registration_reference: (finished as { reference: string }).reference,
        tito_registration_slug: (started as { slug: string }).slug,
        tito_release_slugs: 'general-admission,workshop',
        tito_release_quantities: '2,1',
      });
    });

    test('terms: registration:terms_accepted fires when the buyer accepts them', async ({ network, siteOptions, page, titoEvent, titoCheckout }) => {
      const withTerms: TitoEvent = { ...titoEvent, termsUrl: 'https://example.com/terms' };
      network.use(
        ...titoHandlers({ events: [withTerms], checkout: titoCheckout }),
        ...fixtureSite({ ...siteOptions, pages: { '/t': html(`<tito-widget event="{{TITO_EVENT}}"></tito-widget>`, titoScript('/v2/with/inline')) } }),
      );
      await page.goto('/t');
      await new TitoWidget(page).register({ tickets: { 'General Admission': 1 }, ...buyer });
      expect((await eventsOn(page)).map((e) => e.name)).toEqual(['widget:loaded', 'registration:started', 'registration:terms_accepted', 'registration:finished']);
      expect((await eventsOn(page))[2]!.data).toBeUndefined();
    });

    test('a declined card fails the checkout: no registration:finished, no conversion', async ({ page, site, tito, trackdesk, stripeApp, stripeAccount, affiliateLink }) => {
      await site.visitThroughAffiliateLink(affiliateLink);
      await site.openTickets();
      await tito.chooseTickets({ 'General Admission': 1 });
      await tito.completeDetails({ ...buyer, card: DECLINED_CARD });

      await expect(await tito.error()).toHaveText('Your card was declined.');
      expect(stripeAccount.charges).toEqual([expect.objectContaining({ status: 'failed' })]);
      await stripeApp.checkNow();
      expect(trackdesk.collector.externalCids).toHaveLength(0);
      expect(trackdesk.collector.conversions).toHaveLength(0);
      await expect(page.getByRole('status')).toHaveCount(0);
    });

    test('a free order makes no Stripe call; the email is paired but nothing is sold', async ({ site, tito, trackdesk, stripeApp, stripeAccount, titoCheckout, affiliateLink }) => {
      await site.visitThroughAffiliateLink(affiliateLink);
      await site.openTickets();
      await tito.register({ tickets: { 'Community (free)': 1 }, ...buyer });

      expect(titoCheckout.registrations[0]).toMatchObject({ total: '0.0', receipt: { payment_provider: null } });
      expect(stripeAccount.customers).toHaveLength(0);
      expect(stripeAccount.charges).toHaveLength(0);
      await expect(trackdesk).toHaveExternalCid({ email: buyer.email });
      await stripeApp.checkNow();
      expect(trackdesk.collector.conversions).toHaveLength(0);
    });

    test('two registrations in one visit become two conversions for the same affiliate', async ({ site, tito, trackdesk, stripeApp, stripeAccount, affiliateLink }) => {
      await site.visitThroughAffiliateLink(affiliateLink);
      await site.openTickets();
      await tito.register({ tickets: { 'General Admission': 1 }, ...buyer });
      await tito.registerAgain();
      await tito.register({ tickets: { 'Workshop Day': 1 }, ...buyer });
      await trackdesk.settled();
      await stripeApp.checkNow();

      const [workshop, admission] = stripeAccount.charges.toReversed();
      await expect(trackdesk).toHaveConversion({ affiliate: affiliateLink.affiliate, amount: '49.00', externalId: admission!.id });
      await expect(trackdesk).toHaveConversion({ affiliate: affiliateLink.affiliate, amount: '120.00', externalId: workshop!.id });
      expect(trackdesk.collector.externalCids).toHaveLength(2);
    });
  });
});
