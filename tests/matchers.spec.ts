import { expect, test } from '../fixtures/test.ts';
import type { Conversion } from '../mocks/trackdesk/index.ts';

const sale = (externalId: string): Omit<Conversion, 'at'> => ({
  tenantId: 'acme-events',
  conversionType: 'sale',
  cid: 'c1',
  affiliate: 'jane-doe',
  email: 'ada@example.com',
  revenueOriginId: '3f2b8c1e-5d4a-4b7e-9c21-6a0d8e4f1b37',
  amount: '49.00',
  currency: 'GBP',
  externalId,
  status: 'CONVERSION_STATUS_PENDING',
  source: 'stripe-app',
});

test.describe('matchers mean exactly what they say', () => {
  test.use({ actionTimeout: 1_000 });

  test('a positive matcher means one; two matching records fail it unless the count says two', async ({ trackdesk }) => {
    trackdesk.collector.addConversion(sale('ch_1'));
    trackdesk.collector.addConversion(sale('ch_2'));

    await expect(expect(trackdesk).toHaveConversion({ affiliate: 'jane-doe' }, { count: 1 }), 'two are not one').rejects.toThrow('Expected exactly 1 conversion');
    await expect(trackdesk).toHaveConversion({ affiliate: 'jane-doe' }, { count: 2 });
    await expect(trackdesk).toHaveConversion({ externalId: 'ch_1' });
  });

  test('.not means none at all: it fails when there are two', async ({ trackdesk }) => {
    trackdesk.collector.addConversion(sale('ch_1'));
    trackdesk.collector.addConversion(sale('ch_2'));

    await expect(expect(trackdesk).not.toHaveConversion({ affiliate: 'jane-doe' })).rejects.toThrow('Expected no conversion');
    await expect(trackdesk).not.toHaveConversion({ affiliate: 'someone-else' });
  });

  test('an external CID sent twice is not "an external CID": the count must be given', async ({ site, tito, trackdesk, affiliateLink }) => {
    await site.visitThroughAffiliateLink(affiliateLink);
    await site.openTickets();
    await tito.register({ tickets: { 'General Admission': 1 }, name: 'Ada', email: 'ada@example.com' });
    await tito.registerAgain();
    await tito.register({ tickets: { 'General Admission': 1 }, name: 'Ada', email: 'ada@example.com' });

    await expect(trackdesk).toHaveExternalCid({ email: 'ada@example.com' }, { count: 2 });
    await expect(expect(trackdesk).toHaveExternalCid({ email: 'ada@example.com' }, { count: 1 })).rejects.toThrow('Expected exactly 1 external CID for ada@example.com');
  });
});
