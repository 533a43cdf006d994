/** The storefronts a page shows (widget, button, mounted from JS), what shapes them, and the record a gate reads of them. */
import { TitoWidget } from '../fixtures/pages/tito-widget.ts';
import { fixtureSite, FIXTURE_SITE_ORIGIN } from '../fixtures/site.ts';
import { expect, test } from '../fixtures/test.ts';
import type { TitoStorefront } from '../mocks/tito/index.ts';
import { buyer, eventsOn, firedEvent, html, sitePage, standIn, titoScript } from './tito-widget.pages.ts';

/** A v2 storefront's record, as window.__titoStandIn holds it. */
const v2 = (kind: TitoStorefront['kind'], state: TitoStorefront['state'], on: string, message?: string): TitoStorefront => ({
  kind,
  event: on,
  version: 'v2',
  state,
  ...(message ? { message } : {}),
});

test.describe('Tito widget stand-in', () => {
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
      await page.goto(`${FIXTURE_SITE_ORIGIN.replace('https:', 'http:')}/t`);
      await expect(page.getByRole('link', { name: 'Get tickets on Tito' })).toHaveAttribute('href', `https://ti.to/${config.tito.slug}`);
      await expect(page.locator('tito-widget iframe')).toHaveCount(0);
    });
  });

  test.describe('storefront records for a gate', () => {
    test("window.__titoStandIn says of each registration:finished how many of the page's handlers Tito called, and how many returned", async ({ network, siteOptions, page }) => {
      const handlers = {
        '/none': '',
        '/throws': `<script>tito('on:registration:finished', function (data) { trackdek('acme-events', 'externalCid', { externalCid: data.email }); });</script>`,
        '/one-of-two': `<script>tito('on:registration:finished', function () { throw new Error('analytics not ready'); }); tito('on:registration:finished', function () {});</script>`,
      };
      const stub = `<script>window.tito = window.tito || function () { (tito.q = tito.q || []).push(arguments); };</script>`;
      network.use(...fixtureSite({ ...siteOptions, pages: Object.fromEntries(Object.entries(handlers).map(([at, code]) => [at, sitePage(`<tito-widget event="{{TITO_EVENT}}"></tito-widget>${titoScript()}`, code, stub)])) }));
      const heard: Record<string, unknown> = {};
      for (const at of Object.keys(handlers)) {
        await page.goto(at);
        await new TitoWidget(page).register({ tickets: { 'General Admission': 1 }, ...buyer });
        await expect.poll(async () => (await standIn(page)).finished).toHaveLength(1);
        heard[at] = (await standIn(page)).finished;
      }
      expect(heard).toEqual({ '/none': [{ handlers: 0, returned: 0 }], '/throws': [{ handlers: 1, returned: 0 }], '/one-of-two': [{ handlers: 2, returned: 1 }] });
    });

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
});
