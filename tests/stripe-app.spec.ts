import { buyTickets } from '../fixtures/journeys.ts';
import { DEFAULT_SETUP, expect, test } from '../fixtures/test.ts';
import { SYNC_INTERVAL_MS } from '../mocks/trackdesk/index.ts';

const buyer = { name: 'Annie Easley', email: 'annie@example.com', tickets: { 'General Admission': 1 } };
const MINUTE = 60_000;

test.describe('Trackdesk Stripe app', () => {
  test('syncs by itself every 15 minutes, on the virtual clock', async ({ site, tito, trackdesk, affiliateLink, clock }) => {
    await site.visitThroughAffiliateLink(affiliateLink);
    await site.openTickets();
    await tito.register(buyer);
    await expect(trackdesk).toHaveExternalCid({ email: buyer.email });

    await clock.advance(SYNC_INTERVAL_MS - MINUTE);
    expect(trackdesk.stripeApp.syncs).toBe(0);
    expect(trackdesk.collector.conversions).toHaveLength(0);

    await clock.advance(MINUTE);
    expect(trackdesk.stripeApp.syncs).toBe(1);
    await expect(trackdesk).toHaveConversion({ affiliate: affiliateLink.affiliate, email: buyer.email, amount: '49.00' });
  });

  test('several syncs never duplicate a conversion; a refund turns it REFUNDED', async ({ site, tito, trackdesk, stripeApp, stripeAccount, affiliateLink, clock }) => {
    await buyTickets({ site, tito, trackdesk, stripeApp }, affiliateLink, buyer);
    await stripeApp.checkNow();
    await clock.advance(2 * SYNC_INTERVAL_MS);
    await expect(trackdesk).toHaveConversion({ affiliate: affiliateLink.affiliate, status: 'CONVERSION_STATUS_PENDING' });

    const charge = stripeAccount.charges[0]!;
    await stripeAccount.refund(charge.id);
    const report = await stripeApp.checkNow();

    expect(report.refunded.map((c) => c.externalId)).toEqual([charge.id]);
    await expect(trackdesk).toHaveConversion({ externalId: charge.id, status: 'CONVERSION_STATUS_REFUNDED' });
    expect(trackdesk.collector.conversions).toHaveLength(1);
  });

  test.describe('installed in live mode while payments are in test mode', () => {
    test.use({ setup: { ...DEFAULT_SETUP, stripeAppMode: 'live' } });

    test('the payment is not attributed, and the reason names the mode mix-up', async ({ site, tito, trackdesk, stripeApp, affiliateLink }) => {
      await buyTickets({ site, tito, trackdesk, stripeApp }, affiliateLink, buyer);
      expect(trackdesk.collector.conversions).toHaveLength(0);
      await expect(expect(trackdesk).toHaveConversion({ email: buyer.email })).rejects.toThrow(
        'the payment was made in Stripe test mode, but the Trackdesk app is installed in live mode',
      );
    });
  });

  test.describe('installed in a sandbox', () => {
    test.use({ setup: { ...DEFAULT_SETUP, stripeMode: 'sandbox', stripeAppMode: 'sandbox' } });

    test('sandbox payments are attributed like any other', async ({ site, tito, trackdesk, stripeApp, affiliateLink }) => {
      await buyTickets({ site, tito, trackdesk, stripeApp }, affiliateLink, buyer);
      await expect(trackdesk).toHaveConversion({ affiliate: affiliateLink.affiliate, email: buyer.email });
    });
  });
});
