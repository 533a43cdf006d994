import { expect, test } from '../fixtures/test.ts';
import { buyTickets } from '../fixtures/journeys.ts';

const buyer = { name: 'Ada Lovelace', email: 'ada@example.com' };

test.describe('Testing the integration (the guide, section 3)', () => {
  test('an affiliate click and a paid Tito registration become a conversion for that affiliate', async ({
    site,
    tito,
    trackdesk,
    stripeApp,
    stripeAccount,
    affiliateLink,
    config,
  }) => {
    await site.visitThroughAffiliateLink(affiliateLink);
    await expect(trackdesk).toHaveClick({ affiliate: 'jane-doe', linkId: 'lp_144414' });

    await site.openTickets();
    await tito.register({ tickets: { 'General Admission': 2 }, ...buyer });
    await expect(trackdesk).toHaveExternalCid({ email: buyer.email });

    await test.step('Check Stripe sync: Check Now in the Trackdesk Stripe app', async () => {
      expect(stripeAccount.charges).toHaveLength(1);
      expect(stripeAccount.charges[0]).toMatchObject({ amount: 9800, currency: 'gbp', status: 'succeeded' });
      expect(stripeAccount.customers[0]).toMatchObject({ email: buyer.email });
      await stripeApp.checkNow();
    });

    await expect(trackdesk).toHaveConversion({
      affiliate: 'jane-doe',
      email: buyer.email,
      revenueOriginId: config.trackdesk.revenueOriginId,
      amount: '98.00',
      currency: 'GBP',
      status: 'CONVERSION_STATUS_PENDING',
      externalId: stripeAccount.charges[0]!.id,
    });
    await expect(trackdesk).toHaveNoRejectedCalls();
  });
});

test.describe('what must not be attributed', () => {
  test('a visit without affiliate parameters yields no attributed conversion', async ({ site, tito, trackdesk, stripeApp, stripeAccount }) => {
    await buyTickets({ site, tito, trackdesk, stripeApp }, null, { tickets: { 'General Admission': 1 }, ...buyer });

    expect(stripeAccount.charges).toHaveLength(1);
    expect(trackdesk.collector.clicks).toHaveLength(0);
    expect(trackdesk.collector.conversions).toHaveLength(0);
    expect(stripeApp.lastReport.unattributed).toEqual([
      expect.objectContaining({ email: buyer.email, reason: `no accepted external CID for ${buyer.email}, so no click can be matched` }),
    ]);
    expect(trackdesk.collector.rejected.map((r) => r.reasons).flat()).toEqual([
      expect.stringContaining('this browser has no trakdesk_cid cookie'),
    ]);
  });
});
