/**
 * The package's `test`, in a site owner's own suite, serves their site on their production origin when
 * they name it (`siteOrigin`, or SITE_ORIGIN): a page sees the host it sees in production, and the
 * connection a visitor has (gate/connection.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harnessConfig } from '../fixtures/config.ts';
import { configuredSite, renderFixtureSite } from '../fixtures/site.ts';
import { expect, test } from '../gate/site-test.ts';

function fixtureFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'owner-origin-site-'));
  for (const [at, html] of Object.entries(renderFixtureSite(configuredSite(harnessConfig())))) writeFileSync(path.join(dir, at === '/' ? 'index.html' : `${at.slice(1)}.html`), html);
  return dir;
}

test.use({ siteDir: fixtureFolder(), siteOrigin: 'https://events.example.com' });

test("an affiliate's visitor lands on the production origin the owner named, and the click is tracked there", async ({ page, site, trackdesk, affiliateLink }) => {
  await site.visitThroughAffiliateLink(affiliateLink);
  expect(await page.evaluate(() => location.origin)).toBe('https://events.example.com');
  await expect(trackdesk).toHaveClick({ affiliate: affiliateLink.affiliate, linkId: affiliateLink.linkId });
  await site.openTickets();
  expect(page.url()).toMatch(/^https:\/\/events\.example\.com\/tickets/);
});

test("the owner's page reports a visitor's connection, not the instant one Playwright's routing gives", async ({ page, site }) => {
  await site.visitDirectly();
  expect(await page.evaluate(() => (navigator as unknown as { connection: { rtt: number } }).connection.rtt)).toBe(150);
});
