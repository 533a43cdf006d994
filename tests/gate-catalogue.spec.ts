/**
 * The gate against the catalogue of snippet mistakes and correct variants (gate/mistakes.ts,
 * gate/variants.ts): each must produce exactly the findings the catalogue names, from the static audit
 * and from the browser checks alike. tests/snippet-mistakes.spec.ts asks the harness about the same mistakes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { test as plain } from '@playwright/test';
import { harnessConfig } from '../fixtures/config.ts';
import { configuredSite, renderFixtureSite } from '../fixtures/site.ts';
import { auditSite } from '../gate/audit-site.ts';
import { auditPage } from '../gate/audit/index.ts';
import { visitPage } from '../gate/check-page.ts';
import { isListedAccount, isListedEvent } from '../gate/config.ts';
import { FINDING_CODES, type Finding, type FindingCode } from '../gate/findings.ts';
import { expect, test } from '../gate/fixtures.ts';
import { SITE_UNDER_TEST_ORIGIN } from '../gate/hosts.ts';
import { MISTAKES, type CatalogueEntry, type Pages } from '../gate/mistakes.ts';
import type { GatePlan } from '../gate/plan.ts';
import { siteFindings } from '../gate/site-findings.ts';
import { serveFolder } from '../gate/site.ts';
import { VARIANTS } from '../gate/variants.ts';

const config = harnessConfig();
const site = (): Pages => renderFixtureSite(configuredSite(config));
/** The events TITO_EVENT names for the entry: its own setting, else the run's. */
const titoEventsOf = (entry: CatalogueEntry): string[] => entry.env?.TITO_EVENT.split(',').map((e) => e.trim()) ?? config.tito.events;
const settingsFor = (titoEvents: string[]) => ({
  tenantId: config.trackdesk.tenantId,
  revenueOriginId: config.trackdesk.revenueOriginId,
  titoEvents,
  isListedEvent: (e: string) => isListedEvent(e, titoEvents),
  isListedAccount: (e: string) => isListedAccount(e, titoEvents),
});
const named = (findings: Finding[]) => findings.map((f) => `${f.code} ${f.page}`);
const told = (findings: Finding[]) => findings.map((f) => `${f.code} ${f.page}: ${f.message}`).join('\n');

/** The entry's site in a folder, served as `npm run gate` serves SITE_DIR. */
function serveSite(pages: Pages) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'catalogue-site-'));
  for (const [page, html] of Object.entries(pages)) writeFileSync(path.join(dir, page === '/' ? 'index.html' : `${page.slice(1)}.html`), html);
  return serveFolder(dir);
}

/** The entry's site, served: the plan of a site the checks' fixtures serve, its pages visited one by one. */
async function planFor(pages: Pages, titoEvents: string[]): Promise<GatePlan> {
  const served = await serveSite(pages);
  return { description: 'a catalogue entry', siteUrl: served.url, origin: SITE_UNDER_TEST_ORIGIN, clientRoutes: [], ownHosts: [], titoEvents, pages: [], journeys: [], pageTimeoutMs: 60_000, findings: [] };
}

function prove(kind: 'mistake' | 'variant', entry: CatalogueEntry): void {
  test.describe(`${kind}: ${entry.name}`, () => {
    const pages = entry.apply(site(), config.trackdesk);
    const titoEvents = titoEventsOf(entry);

    plain(`its findings make the gate ${kind === 'mistake' ? 'fail' : 'pass'}`, () => {
      expect(entry.env !== undefined || !isDeepStrictEqual(pages, site()), 'the entry changes the site or its settings').toBe(true);
      const errors = [...entry.audit, ...entry.browser, ...(entry.site ?? [])].filter((e) => FINDING_CODES[e.split(' ')[0] as FindingCode][0] === 'error');
      expect(errors.length > 0, `errors catalogued: ${errors.join(', ') || 'none'}`).toBe(kind === 'mistake');
    });

    plain('the static audit names exactly the catalogued findings', () => {
      const findings = Object.entries(pages).flatMap(([page, html]) => auditPage({ page, html, scriptFiles: new Map() }, settingsFor(titoEvents)));
      expect(named(findings).sort(), told(findings)).toEqual([...entry.audit].sort());
    });

    plain("the site's findings, once every page is audited, are exactly the catalogued ones", async () => {
      const served = await serveSite(pages);
      try {
        const discovered = Object.entries(pages).map(([page, html]) => ({ path: page, foundBy: ['the catalogue'], status: 200, links: [], html }));
        const findings = siteFindings(await auditSite(discovered, served.url, config, titoEvents), { titoEvents, staticOnly: true });
        expect(named(findings).sort(), told(findings)).toEqual([...(entry.site ?? [])].sort());
      } finally {
        await served.close();
      }
    });

    test.describe('in the browser', () => {
      test.use({ plan: async ({}, use) => use(await planFor(pages, titoEvents)) });
      for (const pagePath of Object.keys(pages)) {
        // The visit the gate's own run makes of each page (visitPage); Playwright's run of the checks
        // (checkPage) gives the same findings: tests/gate-cli.spec.ts compares the two runs' verdicts.
        test(`the browser checks of ${pagePath} name exactly the catalogued findings`, async ({ page, trackdesk, stripeApp, affiliateLink, config: harness, titoCheckout, gateNetwork, notFound }) => {
          const findings = await visitPage({ page, trackdesk, stripeApp, affiliateLink, config: harness, titoCheckout, gateNetwork, notFound }, pagePath, { origin: SITE_UNDER_TEST_ORIGIN, titoEvents, deadlineMs: 60_000, onRead: () => {} });
          const expected = entry.browser.filter((e) => e.endsWith(` ${pagePath}`));
          expect(named(findings).sort(), told(findings)).toEqual([...expected].sort());
        });
      }
    });
  });
}

for (const mistake of MISTAKES) prove('mistake', mistake);
for (const variant of VARIANTS) prove('variant', variant);
