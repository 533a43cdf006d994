/**
 * A correct site passes the gate's browser checks every time, served as a folder (SITE_DIR) and by a
 * plain preview server (SITE_URL: python3 -m http.server): each repetition is a fresh browser context
 * with its own mocked Trackdesk, so a wait that does not really wait shows up as a failure here.
 * `npm run gate:repeat` runs it 50 times over; the suite runs GATE_REPEAT (default 3) times.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { projectRoot } from '../fixtures/config.ts';
import { auditSite } from '../gate/audit-site.ts';
import { checkPage } from '../gate/check-page.ts';
import { discover } from '../gate/discover.ts';
import { expect, test } from '../gate/fixtures.ts';
import { SITE_UNDER_TEST_ORIGIN } from '../gate/hosts.ts';
import type { GatePlan } from '../gate/plan.ts';
import { serveFolder } from '../gate/site.ts';
import { until } from '../gate/wait.ts';

const SITE = path.join(projectRoot, 'gate', 'corpus', 'folder-urls', 'site');
const REPEAT = Number(process.env.GATE_REPEAT ?? 3);

async function planFor(siteUrl: string, config: Parameters<typeof auditSite>[2]): Promise<GatePlan> {
  const found = await discover({ siteUrl, maxPages: 20, clientRoutes: new Set(), ownHosts: new Set() });
  return { description: siteUrl, siteUrl, origin: SITE_UNDER_TEST_ORIGIN, clientRoutes: [], ownHosts: [], titoEvents: config.tito.events, pages: await auditSite(found.pages, siteUrl, config), journeys: [], pageTimeoutMs: 60_000, findings: [] };
}

/** `python3 -m http.server` on a free loopback port, as a user's quick preview server. */
async function pythonServer(): Promise<{ url: string; process: ChildProcess }> {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', SITE], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await until(() => fetch(url).then(() => true, () => false), 10_000);
  return { url, process: server };
}

for (const way of ['SITE_DIR', 'SITE_URL'] as const) {
  test.describe(`a correct site through ${way}, ${REPEAT} times over`, () => {
    test.use({
      plan: async ({ config }, use) => {
        if (way === 'SITE_DIR') {
          const served = await serveFolder(SITE);
          await use(await planFor(served.url, config));
          await served.close();
        } else {
          const server = await pythonServer();
          await use(await planFor(server.url, config));
          server.process.kill();
        }
      },
    });

    for (let run = 1; run <= REPEAT; run++) {
      test(`run ${run}: the affiliate visit and the registration on the ticket page pass`, async ({ plan, page, trackdesk, stripeApp, affiliateLink, config, titoCheckout, gateNetwork, notFound }) => {
        expect(plan.pages.map((p) => p.path).sort()).toEqual(['/', '/about/', '/tickets/']);
        const ticketPage = plan.pages.find((p) => p.storefronts.length > 0)!;
        const findings = await checkPage({ page, trackdesk, stripeApp, affiliateLink, config, titoCheckout, gateNetwork, notFound }, ticketPage, SITE_UNDER_TEST_ORIGIN, config.tito.events);
        expect(findings).toEqual([]);
        await expect(trackdesk).toHaveConversion({ affiliate: affiliateLink.affiliate });
      });
    }
  });
}
