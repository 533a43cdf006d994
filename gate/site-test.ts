/**
 * The `test` a site owner's own specs import (the package's entry, index.ts): the gate's fixtures — a
 * mocked Trackdesk, a Tito stand-in, a Stripe account on stripe-mock, the fail-closed network, an
 * affiliate link — with their own site, from SITE_DIR or SITE_URL (their `.env`, the environment, or
 * `test.use({ siteDir })`), served at the page's `baseURL`, so `page.goto('/tickets')` opens it.
 */
import { devices } from '@playwright/test';
import { chromiumLaunchOptions } from '../fixtures/browser.ts';
import { ConfigError, loadEnv } from '../fixtures/config.ts';
import { parseGateConfig } from './config.ts';
import { test as gate } from './fixtures.ts';
import { SITE_UNDER_TEST_ORIGIN, siteOriginProblem } from './hosts.ts';
import type { GatePlan } from './plan.ts';
import { serveFolder } from './site.ts';

export { expect } from './fixtures.ts';

export interface SiteOptions {
  /** The folder of your built site (e.g. `dist`), relative to where you run Playwright. Default: SITE_DIR. */
  siteDir: string | undefined;
  /** Your site running on this machine (e.g. `http://localhost:4321`). Default: SITE_URL. */
  siteUrl: string | undefined;
  /** The origin your pages are served on in the browser, your production origin (`https://events.example.com`). Default: SITE_ORIGIN, else https://site-under-test.test. */
  siteOrigin: string;
}

export interface SiteWorkerFixtures extends SiteOptions {
  /** Where this worker's tests fetch the site from: a server of the folder, started once per worker, or siteUrl. */
  siteServer: string;
}

/** The site settings of `.env` and the environment, checked as the gate checks them. */
function siteSettings(): { dir?: string; url?: string } {
  try {
    return parseGateConfig(process.env).site;
  } catch (error) {
    // A user's setting: the message says what to fix; a stack would only hide it.
    if (error instanceof ConfigError) error.stack = error.message;
    throw error;
  }
}

export const test = gate.extend<object, SiteWorkerFixtures>({
  siteDir: [async ({}, use) => use(siteSettings().dir), { scope: 'worker', option: true }],
  siteUrl: [async ({}, use) => use(siteSettings().url), { scope: 'worker', option: true }],
  // SITE_ORIGIN alone: a spec that names its own folder needs none of the gate's other settings right.
  siteOrigin: [async ({}, use) => use(loadEnv(process.env).values.SITE_ORIGIN?.trim() || SITE_UNDER_TEST_ORIGIN), { scope: 'worker', option: true }],
  siteServer: [
    async ({ siteDir, siteUrl }, use) => {
      if (siteUrl) return use(siteUrl.replace(/\/$/, ''));
      if (!siteDir) {
        const problem = new Error('No site to test: set SITE_DIR (the folder of your built HTML, e.g. dist) in .env, or test.use({ siteDir: "dist" }) in your spec or playwright.config.ts.');
        problem.stack = problem.message;
        throw problem;
      }
      const served = await serveFolder(siteDir);
      await use(served.url);
      await served.close();
    },
    { scope: 'worker' },
  ],
  // The browser as the gate starts it: nothing it does leaves the machine (fixtures/browser.ts).
  launchOptions: [async ({}, use) => use(chromiumLaunchOptions), { scope: 'worker' }],
  serviceWorkers: 'block',
  viewport: devices['Desktop Chrome'].viewport,
  baseURL: async ({ siteOrigin }, use) => {
    const problem = siteOriginProblem(siteOrigin);
    if (problem) {
      const error = new Error(`siteOrigin "${siteOrigin}" ${problem}`);
      error.stack = error.message;
      throw error;
    }
    await use(new URL(siteOrigin).origin);
  },
  plan: async ({ siteServer, baseURL }, use) => use(sitePlan(siteServer, baseURL!)),
});

/** What the fixtures need of a plan when no discovery ran: where the site is, nothing more. */
function sitePlan(siteUrl: string, origin: string): GatePlan {
  return { description: siteUrl, siteUrl, origin, clientRoutes: [], ownHosts: [], titoEvents: null, pages: [], journeys: [], pageTimeoutMs: 60_000, findings: [] };
}
