import { expect, test } from 'tito-trackdesk-gate';

const buyer = { name: 'Ada Lovelace', email: 'ada@example.com' };

test("an affiliate's visitor who buys on /tickets/ is credited", async ({ page, site, tito, trackdesk, stripeApp, affiliateLink, config }) => {
  await site.visitThroughAffiliateLink(affiliateLink);
  await expect(trackdesk).toHaveClick({ affiliate: affiliateLink.affiliate, linkId: affiliateLink.linkId });

  await page.getByRole('link', { name: 'Get tickets' }).click();
  await tito.register({ tickets: { 'General Admission': 1 }, ...buyer });
  await expect(trackdesk).toHaveExternalCid({ email: buyer.email });

  await stripeApp.checkNow();
  await expect(trackdesk).toHaveConversion({ affiliate: affiliateLink.affiliate, email: buyer.email, revenueOriginId: config.trackdesk.revenueOriginId, amount: '49.00' });
});
