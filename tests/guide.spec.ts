import { StripeAppSettings } from '../fixtures/pages/stripe-app-settings.ts';
import { TrackdeskReport } from '../fixtures/pages/trackdesk-report.ts';
import { DEFAULT_SETUP, expect, test } from '../fixtures/test.ts';

test.use({ setup: { ...DEFAULT_SETUP, stripeAppConnected: false } });

test('the guide, start to finish: Stripe app settings, a test click, a registration, Check Now, the Trackdesk report', async ({
  page,
  site,
  tito,
  config,
  affiliateLink,
  trackdesk,
}) => {
  const stripeApp = new StripeAppSettings(page);
  const report = new TrackdeskReport(page);
  const buyer = { name: 'Mary Jackson', email: 'mary@example.com' };

  // eslint-disable-next-line playwright/valid-title -- the title quotes the guide's own heading, "Step 1: …"
  await test.step('Step 1: install and configure the Trackdesk Stripe app', async () => {
    await stripeApp.open();
    await stripeApp.saveSettings(config.trackdesk.tenantId, trackdesk.collector.account.personalToken);
    await expect(stripeApp.status).toHaveText(`Connected to ${config.trackdesk.tenantId}`);
  });

  await test.step('Generate a test click', () => site.visitThroughAffiliateLink(affiliateLink));

  await test.step('Complete a registration', async () => {
    await site.openTickets();
    await tito.register({ tickets: { 'General Admission': 1 }, ...buyer });
  });

  await test.step('Check Stripe sync: Check Now in the app settings', async () => {
    await stripeApp.open();
    await stripeApp.checkNow();
    await expect(stripeApp.status).toHaveText('Synced: 1 new conversion(s), 0 refunded, 0 payment(s) not attributed');
  });

  await test.step('Confirm in Trackdesk: the click and the conversion appear in the reports', async () => {
    await report.open();
    await expect(report.clicks).toHaveCount(1);
    await expect(report.clicks.first()).toContainText(affiliateLink.affiliate);
    await expect(report.conversions).toHaveCount(1);
    await expect(report.conversions.first()).toContainText(['sale', affiliateLink.affiliate, buyer.email, '49.00 GBP', 'PENDING'].join(''));
    await test.info().attach('Trackdesk report', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  });
});

test.describe('Stripe app settings', () => {
  test('a wrong Personal Token shows an error, and nothing syncs', async ({ page, config, site, tito, affiliateLink, trackdesk, clock }) => {
    const stripeApp = new StripeAppSettings(page);
    await stripeApp.open();
    await stripeApp.saveSettings(config.trackdesk.tenantId, 'td_wrong_token_123');
    await expect(stripeApp.status).toHaveText('Not saved: The Personal Token was not accepted by Trackdesk (check Settings > Personal tokens)');

    await site.visitThroughAffiliateLink(affiliateLink);
    await site.openTickets();
    await tito.register({ tickets: { 'General Admission': 1 }, name: 'Dorothy Vaughan', email: 'dorothy@example.com' });
    await clock.advance(60 * 60 * 1000);
    await stripeApp.open();
    await stripeApp.checkNow();

    await expect(stripeApp.status).toHaveText(/is not connected: enter your Tenant ID and Personal Token and Save changes first/);
    expect(trackdesk.stripeApp.syncs).toBe(0);
    expect(trackdesk.collector.conversions).toHaveLength(0);
  });
});
