/**
 * The gate against the catalogue of snippet mistakes and correct variants (gate/mistakes.ts,
 * gate/variants.ts): each must produce exactly the findings the catalogue names, from the static audit
 * and from the browser checks alike. tests/snippet-mistakes.spec.ts asks the harness about the same mistakes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as plain } from '@playwright/test';
import { harnessConfig } from '../fixtures/config.ts';
import { configuredSite, renderFixtureSite } from '../fixtures/site.ts';
import { auditPage } from '../gate/audit/index.ts';
import { scanHtml } from '../gate/audit/html.ts';
import { checkPage } from '../gate/check-page.ts';
import { isListedAccount, isListedEvent } from '../gate/config.ts';
import type { Finding } from '../gate/findings.ts';
import { expect, test } from '../gate/fixtures.ts';
import { SITE_UNDER_TEST_ORIGIN } from '../gate/hosts.ts';
import { MISTAKES, type CatalogueEntry, type Pages } from '../gate/mistakes.ts';
import type { GatePlan } from '../gate/plan.ts';
import { serveFolder } from '../gate/site.ts';
import { VARIANTS } from '../gate/variants.ts';

const config = harnessConfig();
const site = (): Pages => renderFixtureSite(configuredSite(config));
const settings = {
  tenantId: config.trackdesk.tenantId,
  revenueOriginId: config.trackdesk.revenueOriginId,
  titoEvents: config.tito.events,
  isListedEvent: (e: string) => isListedEvent(e, config.tito.events),
  isListedAccount: (e: string) => isListedAccount(e, config.tito.events),
};
const named = (findings: Finding[]) => findings.map((f) => `${f.code} ${f.page}`);

/** The entry's site, served from a folder as `npm run gate` serves SITE_DIR, and the plan discovery would make. */
async function planFor(pages: Pages): Promise<GatePlan> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'catalogue-site-'));
  for (const [page, html] of Object.entries(pages)) writeFileSync(path.join(dir, page === '/' ? 'index.html' : `${page.slice(1)}.html`), html);
  const served = await serveFolder(dir);
  const planned = Object.entries(pages).map(([page, html]) => ({
    path: page,
    foundBy: ['the catalogue'],
    status: 200,
    links: [],
    storefronts: [...new Set(scanHtml(html).titoElements.map((e) => e.event!))],
    findings: [],
  }));
  return { description: 'a catalogue entry', siteUrl: served.url, clientRoutes: [], ownHosts: [], titoEvents: config.tito.events, pages: planned, journeys: [], pageTimeoutMs: 60_000, findings: [] };
}

function prove(kind: 'mistake' | 'variant', entry: CatalogueEntry): void {
  test.describe(`${kind}: ${entry.name}`, () => {
    const pages = entry.apply(site(), config.trackdesk);

    plain('the static audit names exactly the catalogued findings', () => {
      expect(pages, 'the entry changes the site').not.toEqual(site());
      const findings = Object.entries(pages).flatMap(([page, html]) => auditPage({ page, html, scriptFiles: new Map() }, settings));
      expect(named(findings).sort()).toEqual([...entry.audit].sort());
    });

    test.describe('in the browser', () => {
      test.use({ plan: async ({}, use) => use(await planFor(pages)) });
      for (const pagePath of Object.keys(pages)) {
        test(`the browser checks of ${pagePath} name exactly the catalogued findings`, async ({ plan, page, trackdesk, stripeApp, affiliateLink, config: harness, titoCheckout, gateNetwork, notFound }) => {
          const planned = plan.pages.find((p) => p.path === pagePath)!;
          const findings = await checkPage({ page, trackdesk, stripeApp, affiliateLink, config: harness, titoCheckout, gateNetwork, notFound }, planned, SITE_UNDER_TEST_ORIGIN, harness.tito.events);
          const expected = entry.browser.filter((e) => e.endsWith(` ${pagePath}`));
          expect(named(findings).sort(), findings.map((f) => `${f.code} ${f.page}: ${f.message}`).join('\n')).toEqual([...expected].sort());
        });
      }
    });
  });
}

for (const mistake of MISTAKES) prove('mistake', mistake);
for (const variant of VARIANTS) prove('variant', variant);
