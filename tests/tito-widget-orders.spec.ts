/** Orders as Tito makes them: its payloads, Stripe charges in minor units, the events a site sells, and tickets that belong to attendees. */
import { DECLINED_CARD, TitoWidget } from '../fixtures/pages/tito-widget.ts';
import { fixtureSite, pastedSnippet } from '../fixtures/site.ts';
import { expect, test } from '../fixtures/test.ts';
import { eventFor, releaseOf, titoEvent as describeEvent, titoHandlers, type RegistrationFinished, type TitoEvent } from '../mocks/tito/index.ts';
import { buyer, eventsOn, firedEvent, html, sitePage, titoScript } from './tito-widget.pages.ts';

test.describe('Tito widget stand-in', () => {
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

      const finished = (await eventsOn(page)).find((e) => e.name === 'registration:finished')!.data as RegistrationFinished;
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
});
