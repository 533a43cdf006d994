import { expect, test } from '../fixtures/test.ts';

// BENCH_SCENARIOS copies of the scenario as distinct tests, so they share a worker: --repeat-each
// would start a fresh worker (and browser) for every repetition.
const copies = Number(process.env.BENCH_SCENARIOS ?? 1);

for (let copy = 1; copy <= copies; copy++) {
  // (a) The full attribution scenario through the harness: every stand-in, stripe-mock, the assertions.
  test(`attribution scenario through the harness #${copy}`, async ({ site, tito, trackdesk, stripeApp, affiliateLink }) => {
    await site.visitThroughAffiliateLink(affiliateLink);
    await expect(trackdesk).toHaveClick({ affiliate: affiliateLink.affiliate });
    await site.openTickets();
    await tito.register({ tickets: { 'General Admission': 1 }, name: 'Ada Lovelace', email: 'ada@example.com' });
    await expect(trackdesk).toHaveExternalCid({ email: 'ada@example.com' });
    await stripeApp.checkNow();
    await expect(trackdesk).toHaveConversion({ affiliate: affiliateLink.affiliate, email: 'ada@example.com', amount: '49.00', currency: 'GBP' });
  });
}
