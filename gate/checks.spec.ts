/**
 * The gate: run with `npm run gate` before deploying a snippet change. Every page of the site under
 * test gets the static audit; every page that embeds Tito gets the dynamic check (an affiliate visit
 * on the landing page, then a registration there, ending in a conversion in the mocked Trackdesk).
 */
import { test as staticTest } from '@playwright/test';
import { harnessConfig } from '../fixtures/config.ts';
import { auditPage } from '../fixtures/gate/audit.ts';
import { finding, formatFinding, type Finding } from '../fixtures/gate/findings.ts';
import { siteUnderTest } from '../fixtures/gate/site-under-test.ts';
import { TitoWidget } from '../fixtures/pages/tito-widget.ts';
import { configuredSite } from '../fixtures/site.ts';
import { expect, test } from '../fixtures/test.ts';

const config = harnessConfig();
const site = await siteUnderTest(config, configuredSite(config));

const report = (page: string, findings: Finding[], embedsTito?: boolean) =>
  test.info().attach('gate-findings', { body: JSON.stringify({ page, embedsTito, findings }), contentType: 'application/json' });

test.describe(`gate: ${site.description}`, () => {
  for (const page of site.pages) {
    staticTest(`static audit of ${page.path}`, async () => {
      const findings = page.html
        ? auditPage(page.path, page.html, config.trackdesk, config.tito.slug).findings
        : [finding('PAGE_NOT_LOADED', page.path, 'the site did not serve HTML for this page')];
      await report(page.path, findings, page.embedsTito);
      expect(findings, findings.map(formatFinding).join('\n')).toEqual([]);
    });
  }

  for (const page of site.pages.filter((p) => p.embedsTito)) {
    test(`affiliate visit on ${site.landing}, then a registration on ${page.path}`, async ({ network, page: tab, trackdesk, stripeApp, affiliateLink, titoEvent, networkGuard }) => {
      network.use(...site.handlers);
      const buyer = { name: 'Gate Check', email: `gate+${page.path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home'}@example.com` };
      const release = titoEvent.releases.find((r) => Number(r.price) > 0) ?? titoEvent.releases[0]!;
      const findings: Finding[] = [];
      try {
        await tab.goto(`${site.origin}${site.landing}?${new URLSearchParams({ linkId: affiliateLink.linkId, sourceId: affiliateLink.affiliate, tenantId: affiliateLink.tenantId })}`);
        await trackdesk.settled();
        await tab.goto(`${site.origin}${page.path}`);
        const tito = (await tab.locator('tito-widget').count()) > 0 ? new TitoWidget(tab) : await new TitoWidget(tab).openWithButton();
        await tito.register({ tickets: { [release.title]: 1 }, ...buyer });
        await trackdesk.settled();
        await stripeApp.checkNow();
        await expect(trackdesk).toHaveConversion({
          affiliate: affiliateLink.affiliate,
          email: buyer.email,
          revenueOriginId: config.trackdesk.revenueOriginId,
          amount: release.price,
          currency: titoEvent.currency,
        });
      } catch (error) {
        findings.push(finding('ATTRIBUTION_BROKEN', page.path, (error as Error).message.split('\n').slice(0, 12).join('\n')));
        throw error;
      } finally {
        for (const blocked of networkGuard.blocked) findings.push(finding('REQUEST_BLOCKED', page.path, `${blocked.method} ${blocked.url} has no stand-in`));
        await report(page.path, findings);
      }
    });
  }
});
