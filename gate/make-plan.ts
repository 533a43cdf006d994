/**
 * The plan that Playwright's run of the checks (gate/checks.spec.ts) works from: the site's pages
 * discovered in a browser of their own (each rendered once, without an affiliate link), audited, and the
 * journeys to the ticket pages planned. `--static`, `--html`, `--shard` and a user's `attributionGate()`
 * project start here; the gate's own run discovers and checks in one pass instead (visit-site.ts).
 */
import { auditSite } from './audit-site.ts';
import { homePath, productionHostOf, siteHosts, type GateConfig } from './config.ts';
import { discover } from './discover.ts';
import { DEFAULT_PAGE_LIMITS } from './limits.ts';
import { planJourneys, sellersNoLinkReaches } from './navigation.ts';
import type { GatePlan } from './plan.ts';
import { siteFindings } from './site-findings.ts';
import { Slots } from './slots.ts';
import type { OpenSite } from './site.ts';

export async function makePlan(config: GateConfig, site: OpenSite, staticOnly: boolean): Promise<GatePlan> {
  const clientRoutes = new Set<string>();
  // SITE_URL's own host: a site that links to itself absolutely (http://localhost:4321/tickets) links to itself.
  const ownHosts = siteHosts(config);
  const world = staticOnly ? undefined : await discoveryBrowser(config, site.url, clientRoutes, ownHosts);
  try {
    const discovery = await discover({
      siteUrl: site.url,
      home: homePath(config),
      pages: [...(config.site.pages ?? []), ...config.site.landingPages],
      maxPages: config.site.maxPages,
      clientRoutes,
      ownHosts,
      productionHost: productionHostOf(config),
      render: world?.render,
      deadlineMs: config.site.runTimeoutMs,
    });
    const audited = await auditSite(discovery.pages, site.url, config.harness, config.titoEvents, ownHosts);
    const landings = [...new Set([homePath(config), ...config.site.landingPages].map((p) => discovery.aliases.get(p) ?? p))];
    const journeys = staticOnly ? [] : planJourneys(audited, landings, discovery.aliases);
    const findings = [...discovery.findings, ...siteFindings(audited, { titoEvents: config.titoEvents, staticOnly }), ...(staticOnly ? [] : sellersNoLinkReaches(audited, journeys, landings))];
    return { description: site.description, siteUrl: site.url, origin: config.site.origin, clientRoutes: [...clientRoutes], ownHosts: [...ownHosts], titoEvents: config.titoEvents, pages: audited, journeys, pageTimeoutMs: config.site.pageTimeoutMs, findings };
  } finally {
    await world?.close();
  }
}

/** Pages rendered at once in the discovery browser. */
const RENDERS_AT_ONCE = 4;

/** A browser set up as a visitor's, with the site and the stand-ins, to see pages once their scripts ran. */
async function discoveryBrowser(config: GateConfig, siteUrl: string, clientRoutes: Set<string>, ownHosts: Set<string>) {
  const [{ chromium }, { chromiumLaunchOptions }, { gateContext, renderPage }, { discoveryHandlers }] = await Promise.all([
    import('@playwright/test'),
    import('../fixtures/browser.ts'),
    import('./render.ts'),
    import('./stand-ins.ts'),
  ]);
  const browser = await chromium.launch(chromiumLaunchOptions);
  const closeOwn = () => browser.close();
  const world = await gateContext(browser, discoveryHandlers(config.harness, siteUrl, { origin: config.site.origin, clientRoutes, ownHosts })).catch(async (error: Error) => {
    await closeOwn();
    throw error;
  });
  const slots = new Slots(RENDERS_AT_ONCE);
  return {
    render: (pagePath: string) => slots.run(() => renderPage(world.context, pagePath, { ...DEFAULT_PAGE_LIMITS, deadlineMs: Math.round(config.site.pageTimeoutMs / 3) }, config.site.origin)),
    close: async () => {
      await world.close();
      await closeOwn();
    },
  };
}
