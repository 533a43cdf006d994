import type { Page } from '@playwright/test';
import { DECLINED_CARD, TitoWidget } from '../fixtures/pages/tito-widget.ts';
import { fixtureSite, pastedSnippet, SITE_ORIGIN } from '../fixtures/site.ts';
import { expect, test } from '../fixtures/test.ts';
import { eventFor, releaseOf, titoEvent as describeEvent, titoHandlers, type RegistrationFinished, type TitoEvent } from '../mocks/tito/index.ts';

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
const firedEvent = (page: Page, name: string, times = 1) =>
  page.waitForFunction(([n, t]) => (window as unknown as { titoEvents: RecordedEvent[] }).titoEvents.filter((e) => e.name === n).length >= t, [name, times] as const);

interface Storefront {
  kind: 'widget' | 'button' | 'mount';
  event: string;
  version: 'v1' | 'v2';
  state: 'loading' | 'rendered' | 'error';
  message?: string;
}
const standIn = (page: Page) => page.evaluate(() => (window as unknown as { __titoStandIn: { loaded: string[]; storefronts: Storefront[] } }).__titoStandIn);

/** A page as a site serves it: the click tracker, `body`, then `tail` (the conversion snippet). */
const sitePage = (body: string, tail = '{{CONVERSION_TRACKER}}', head = '') =>
  `<!doctype html><html><head><meta charset="utf-8">{{CLICK_TRACKER}}${head}</head><body>${body}${tail}</body></html>`;

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
      test(`js.tito.io${path} renders the widget ${inline ? 'into the page' : 'in an iframe'}`, async ({ network, siteOptions, page, config }) => {
        network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(`<tito-widget event="{{TITO_EVENT}}"></tito-widget>`, titoScript(path)) } }));
        await page.goto('/t');
        await firedEvent(page, 'widget:loaded');
        await expect(page.locator('tito-widget')).toHaveAttribute('data-tito-stand-in', 'rendered');
        await expect(page.locator('tito-widget iframe.tito-widget-iframe')).toHaveCount(inline ? 0 : 1);
        await expect(page.locator('tito-widget').getByRole('button', { name: 'Register' })).toHaveCount(inline ? 1 : 0);
        const loaded = (await eventsOn(page)).find((e) => e.name === 'widget:loaded')!.data;
        expect(loaded).toMatchObject({ currency: 'GBP', currency_symbol: '£', path: config.tito.slug, default_locale: 'en' });
        expect(loaded?.releases).toContainEqual({ slug: 'general-admission', title: 'General Admission', price: '49.00' });
      });
    }

    test('a script URL built at run time from a plugin list loads, and its inline plugin renders into the page', async ({ network, siteOptions, page }) => {
      const loader = `<script>
        var plugins = ['inline', 'ga4'];
        var script = document.createElement('script');
        script.src = 'https://js.tito.io/v2/with/' + plugins.join(',') + '?v=' + 3;
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

  test.describe('events a site sells', () => {
    test('two events of one account on one page are both purchasable, each charged as itself', async ({ network, siteOptions, page, stripeAccount, config }) => {
      const workshop = `${config.tito.account}/hands-on_workshop-2`;
      const widgets = `<tito-widget id="summit" event="{{TITO_EVENT}}"></tito-widget><tito-widget id="workshop" event="${workshop}"></tito-widget>`;
      network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(widgets, titoScript()) } }));
      await page.goto('/t');

      await new TitoWidget(page, page.locator('#summit')).register({ tickets: { 'Workshop Day': 1 }, ...buyer });
      await new TitoWidget(page, page.locator('#workshop')).register({ tickets: { [eventFor(workshop)!.releases[0]!.title]: 2 }, ...buyer });
      await firedEvent(page, 'registration:finished', 2);

      const finished = (await eventsOn(page)).filter((e) => e.name === 'registration:finished').map((e) => e.data);
      expect(finished).toEqual([
        expect.objectContaining({ event: { slug: config.tito.event, title: siteOptions.event.title }, total: '120.00' }),
        expect.objectContaining({ event: { slug: 'hands-on_workshop-2', title: 'Hands On Workshop 2' }, total: '98.00' }),
      ]);
      expect(stripeAccount.charges.map((c) => [c.amount, c.metadata.tito_event_title])).toEqual([
        [12000, siteOptions.event.title],
        [9800, 'Hands On Workshop 2'],
      ]);
    });

    test('an event no test described, of another account, sells and is attributed; eventFor says what it sells', async ({ network, siteOptions, site, tito, trackdesk, stripeApp, affiliateLink }) => {
      const slug = 'northern-meetups/leeds_2027';
      const release = eventFor(slug)!.releases[0]!;
      expect(release).toEqual({ slug: 'general-admission', title: 'General Admission', price: '49.00' });
      network.use(...fixtureSite({ ...siteOptions, pages: { '/t': sitePage(`<tito-widget event="${slug}"></tito-widget>${titoScript()}`) } }));

      await site.visitThroughAffiliateLink(affiliateLink, '/t');
      await tito.register({ tickets: { [release.title]: 1 }, ...buyer });
      await trackdesk.settled();
      await stripeApp.checkNow();

      await expect(trackdesk).toHaveConversion({ affiliate: affiliateLink.affiliate, amount: release.price });
    });

    test('eventFor: the described event, else one made up from the slug; nothing for a slug that is not account/event', () => {
      const described = describeEvent('acme-events/summit-2026', { title: 'Acme Summit', currency: 'EUR' });
      expect(eventFor('acme-events/summit-2026', [described])).toBe(described);
      expect(eventFor('acme-events/Workshop_2', [described])).toEqual({ ...describeEvent('acme-events/Workshop_2'), madeUp: true });
      expect(releaseOf(eventFor('acme-events/Workshop_2')!, 'early-bird')).toEqual({ slug: 'early-bird', title: 'Early Bird', price: '49.00' });
      expect(releaseOf(described, 'early-bird'), 'a described event sells only its own releases').toBeUndefined();
      for (const slug of ['acme-events', 'acme-events/', '/summit', 'a/b/c', 'acme events/x', '{{TITO_EVENT}}']) expect(eventFor(slug), slug).toBeUndefined();
    });
  });

  test.describe('tickets belong to attendees', () => {
    test("registration:finished carries the buyer on the registration; its tickets are not yet assigned", async ({ network, siteOptions, page, stripeAccount }) => {
      network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(`<tito-widget event="{{TITO_EVENT}}"></tito-widget>`, titoScript('/v2/with/inline')) } }));
      await page.goto('/t');
      await new TitoWidget(page).register({ tickets: { 'General Admission': 2 }, ...buyer });

      const finished = (await eventsOn(page)).find((e) => e.name === 'registration:finished')!.data as unknown as RegistrationFinished;
      expect(finished).toMatchObject({ name: buyer.name, email: buyer.email });
      expect(finished.tickets.map(({ reference, name, email }) => ({ reference, name, email }))).toEqual([
        { reference: `${finished.reference}-1`, name: '', email: '' },
        { reference: `${finished.reference}-2`, name: '', email: '' },
      ]);
      expect(stripeAccount.customers).toEqual([expect.objectContaining({ email: buyer.email, name: buyer.name })]);
    });

    test('a conversion snippet that sends tickets[0].email pairs nothing, so the sale is not attributed', async ({ network, siteOptions, site, tito, trackdesk, stripeApp, stripeAccount, config, affiliateLink }) => {
      const snippet = pastedSnippet('conversion-tracker', config.trackdesk).replace('externalCid: data.email', 'externalCid: data.tickets[0].email');
      network.use(...fixtureSite({ ...siteOptions, pages: { '/t': sitePage(`<tito-widget event="{{TITO_EVENT}}"></tito-widget>${titoScript()}`, snippet) } }));

      await site.visitThroughAffiliateLink(affiliateLink, '/t');
      await tito.register({ tickets: { 'General Admission': 1 }, ...buyer });
      await expect.poll(() => trackdesk.collector.rejected.map((r) => r.command)).toContain('externalCid');
      await stripeApp.checkNow();

      expect(stripeAccount.charges).toHaveLength(1);
      expect(trackdesk.collector.externalCids).toHaveLength(0);
      expect(trackdesk.collector.conversions).toHaveLength(0);
    });
  });

  test.describe('storefront records for a gate', () => {
    for (const plugin of ['/v2', '/v2/with/inline']) {
      test(`window.__titoStandIn lists every storefront with its state, and each host carries it (${plugin})`, async ({ network, siteOptions, page, config }) => {
        const { slug: event, account } = config.tito;
        const body = `
          <tito-widget id="ok" event="${event}"></tito-widget>
          <tito-widget id="locale" event="${event}" locale="xx-pirate"></tito-widget>
          <tito-widget id="no-such" event="${account}"></tito-widget>
          <tito-widget id="no-releases" event="${event}" releases="vip"></tito-widget>
          <tito-widget id="no-event"></tito-widget>
          <tito-button id="button" event="${event}">Tickets</tito-button>
          <div id="mounted"></div><div id="refused"></div>
          <script>
            tito('config.set', { allowedEvents: ['${event}', '${account}'] });
            tito('widget.mount', { el: '#mounted', event: '${event}' });
            tito('widget.mount', { el: '#refused', event: 'someone-else/their-event' });
          </script>${titoScript(plugin)}`;
        network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(body) } }));
        await page.goto('/t');
        await expect(page.locator('[data-tito-stand-in]')).toHaveCount(8);
        await expect(page.locator('[data-tito-stand-in=loading]')).toHaveCount(0);

        const { loaded, storefronts } = await standIn(page);
        expect(loaded).toEqual(['v2']);
        const v2 = (kind: Storefront['kind'], state: Storefront['state'], on: string, message?: string): Storefront => ({
          kind, event: on, version: 'v2', state, ...(message ? { message } : {}),
        });
        expect(storefronts).toHaveLength(8);
        expect(storefronts).toEqual(
          expect.arrayContaining([
            v2('widget', 'rendered', event),
            v2('widget', 'error', event, 'The Tito widget could not load: locale "xx-pirate" is not supported'),
            v2('widget', 'error', account, `Tito has no event ${account}`),
            v2('widget', 'error', event, `There are no tickets on sale for ${siteOptions.event.title}: releases="vip" names none of them`),
            v2('widget', 'error', '', 'The widget names no event: give it event="account/event"'),
            v2('button', 'rendered', event),
            v2('mount', 'rendered', event),
            v2('mount', 'error', 'someone-else/their-event', 'This widget is not allowed to show someone-else/their-event'),
          ]),
        );
        await expect(page.locator('#ok')).toHaveAttribute('data-tito-stand-in', 'rendered');
        await expect(page.locator('#locale')).toHaveAttribute('data-tito-stand-in', 'error');
        await expect(page.locator('#no-such')).toHaveAttribute('data-tito-stand-in', 'error');
      });
    }

    test('a button whose overlay cannot show tickets turns its record to error', async ({ network, siteOptions, page }) => {
      network.use(...fixtureSite({ ...siteOptions, pages: { '/t': html(`<tito-button event="{{TITO_EVENT}}" locale="xx-pirate">Tickets</tito-button>`, titoScript()) } }));
      await page.goto('/t');
      await expect(page.locator('tito-button')).toHaveAttribute('data-tito-stand-in', 'rendered');
      await new TitoWidget(page).openWithButton('Tickets');
      await expect(page.locator('tito-button')).toHaveAttribute('data-tito-stand-in', 'error');
      expect((await standIn(page)).storefronts).toEqual([
        expect.objectContaining({ kind: 'button', state: 'error', message: 'The Tito widget could not load: locale "xx-pirate" is not supported' }),
      ]);
    });
  });

  test.describe('the deprecated v1 script', () => {
    const V1_NAMES = ['event:landing', 'registration:started', 'registration:finished', 'registration:complete'];
    // v1 as older sites embed it: its script and stylesheet, and handlers registered with Tito.on.
    const V1_HEAD = `<script src="https://js.tito.io/v1"></script><link rel="stylesheet" type="text/css" href="https://css.tito.io/v1.1">
      <script>window.v1Events = [];
      ${JSON.stringify(V1_NAMES)}.forEach(function (name) { Tito.on(name, function (data) { v1Events.push({ name: name, data: data }); }); });</script>`;
    const v1EventsOn = (page: Page) => page.evaluate(() => (window as unknown as { v1Events: RecordedEvent[] }).v1Events);

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
      expect(await page.evaluate(() => (window as unknown as { tito: { q: unknown[] } }).tito.q.length)).toBe(EVENTS.length);
      expect((await standIn(page)).loaded).toEqual(['v1']);
    });

    for (const [snippet, attributed] of [
      ["the guide's tito('on:registration:finished') snippet", false],
      ["a Tito.on('registration:finished') snippet", true],
    ] as const) {
      test(`under v1, ${snippet} ${attributed ? 'pairs the email and the sale is attributed' : 'never pairs the email'}`, async ({ network, siteOptions, site, tito, trackdesk, stripeApp, stripeAccount, config, affiliateLink }) => {
        const guide = pastedSnippet('conversion-tracker', config.trackdesk);
        const conversion = attributed ? guide.replace("tito('on:registration:finished',", "Tito.on('registration:finished',") : guide;
        const v1 = '<script src="https://js.tito.io/v1"></script>';
        network.use(...fixtureSite({ ...siteOptions, pages: { '/t': sitePage('<tito-widget event="{{TITO_EVENT}}"></tito-widget>', conversion, v1) } }));

        await site.visitThroughAffiliateLink(affiliateLink, '/t');
        await tito.register({ tickets: { 'General Admission': 1 }, ...buyer });
        await trackdesk.settled();
        await stripeApp.checkNow();

        expect(stripeAccount.charges).toHaveLength(1);
        if (attributed) {
          await expect(trackdesk).toHaveExternalCid({ email: buyer.email });
          await expect(trackdesk).toHaveConversion({ affiliate: affiliateLink.affiliate, amount: '49.00' });
        } else {
          expect(trackdesk.collector.externalCids).toHaveLength(0);
          expect(trackdesk.collector.conversions).toHaveLength(0);
        }
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

      await page.evaluate(() => (window as unknown as { TitoWidget: { buildWidgets(): void } }).TitoWidget.buildWidgets());
      await expect(page.locator('#later').getByRole('button', { name: 'Register' })).toBeVisible();
      await expect(page.locator('#first').getByLabel('Quantity of General Admission')).toHaveValue('2');
      expect((await standIn(page)).storefronts).toEqual([
        { kind: 'widget', event: config.tito.slug, version: 'v1', state: 'rendered' },
        { kind: 'widget', event: config.tito.slug, version: 'v1', state: 'rendered' },
      ]);
    });
  });
});
