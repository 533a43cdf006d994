/**
 * The gate's checks as a project of a user's own `playwright.config.ts`:
 *
 *   projects: [attributionGate({ siteDir: 'dist' })]
 *
 * so their `npx playwright test` checks every page of their site beside their own specs, with the HTML
 * report, traces and `--shard` they know. Playwright lists tests when it loads a spec, so the pages
 * must be known then: the checks' spec discovers them when Playwright's runner first loads it (see
 * {@link planOfThisRun}), and hands the plan to the workers it starts afterwards through the
 * environment. stripe-mock: one per worker (there is no global setup of ours in a user's config).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { devices, type Project } from '@playwright/test';
import { chromiumLaunchOptions, missingChromium } from '../fixtures/browser.ts';
import { ConfigError, moduleExtension } from '../fixtures/config.ts';
import { parseGateConfig } from './config.ts';
import { siteSettings } from './gate.ts';
import { makePlan } from './make-plan.ts';
import { openSiteOnItsOrigin } from './served-origin.ts';
import { PLAN_ENV, readPlan, type GatePlan } from './plan.ts';
import { shownLines } from './untrusted.ts';

export interface AttributionGateOptions {
  /** The folder of the built site, relative to where Playwright runs (SITE_DIR). */
  siteDir?: string;
  /** The site running on this machine, e.g. `http://localhost:4321` (SITE_URL). */
  siteUrl?: string;
  /** Pages to check besides those the gate finds (SITE_PAGES). */
  pages?: string[];
  /** Where affiliates' visitors land besides `/` (SITE_LANDING_PAGES). */
  landingPages?: string[];
  /** Your production origin, e.g. `https://events.example.com`: the pages are served on it (SITE_ORIGIN; unset, the one the home page names). */
  origin?: string;
  /** The project's name: `npx playwright test --project attribution-gate`. */
  name?: string;
}

/** How the project's options reach the checks' spec, in the runner and in every worker. */
const OPTIONS_ENV = 'ATTRIBUTION_GATE_PROJECT';
/** The options of the attributionGate() call in the config being read, if one was made. */
let readingConfig: string | undefined;

/**
 * A Playwright project that runs the gate's checks on the site the options (or SITE_DIR / SITE_URL) name.
 * One per config: the checks' spec reads one site's plan.
 */
export function attributionGate(options: AttributionGateOptions = {}): Project {
  const given = JSON.stringify(options);
  if (readingConfig !== undefined && readingConfig !== given) {
    throw new Error(`attributionGate() checks one site per Playwright config, and this one calls it twice (${shownLines(readingConfig)} and ${shownLines(given)}): keep one attributionGate() project, and check another site with a config of its own (npx playwright test -c playwright.de.config.ts) or with npx attribution-gate.`);
  }
  // A config is read in one go: a call a moment later is of the next read (watch mode, --ui), free to name another site.
  readingConfig = given;
  setImmediate(() => (readingConfig = undefined)).unref();
  process.env[OPTIONS_ENV] = given;
  return {
    name: options.name ?? 'attribution-gate',
    testDir: import.meta.dirname,
    testMatch: `checks.spec${moduleExtension}`,
    // A config's own testIgnore (node_modules, often) must not drop the gate's checks: they live in this package.
    testIgnore: [],
    fullyParallel: true,
    retries: 0,
    use: {
      ...devices['Desktop Chrome'],
      // A fresh visitor's browser whatever the config's top-level `use` sets: a project's own settings win over
      // it, each key it names (one set to undefined would not: proxy, httpCredentials and geolocation pass through).
      javaScriptEnabled: true,
      navigationTimeout: 0,
      locale: 'en-US',
      ignoreHTTPSErrors: false,
      video: 'off',
      offline: false,
      bypassCSP: false,
      storageState: { cookies: [], origins: [] },
      extraHTTPHeaders: {},
      permissions: [],
      colorScheme: 'light',
      reducedMotion: 'no-preference',
      contextOptions: {},
      serviceWorkers: 'block',
      acceptDownloads: false,
      trace: 'retain-on-failure',
      screenshot: 'only-on-failure',
      actionTimeout: 10_000,
      launchOptions: chromiumLaunchOptions,
    },
  };
}

/**
 * The plan the checks run on: the one the CLI wrote (GATE_PLAN), else, in a user's Playwright run, one
 * made now, once, in the runner process; the workers it starts later inherit GATE_PLAN.
 */
export async function planOfThisRun(): Promise<GatePlan> {
  if (process.env[PLAN_ENV] || !process.env[OPTIONS_ENV]) return readPlan();
  const options = JSON.parse(process.env[OPTIONS_ENV]) as AttributionGateOptions;
  const plan = await planFor(options).catch((error: Error) => {
    // A user's setting or a site that does not answer: one message, no stack.
    const problem = new Error(`attribution gate: ${shownLines(error.message)}`);
    problem.stack = problem.message;
    throw problem;
  });
  const folder = mkdtempSync(path.join(os.tmpdir(), 'gate-plan-'));
  const file = path.join(folder, 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  // Read by each worker as it starts: removed when the run ends.
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  process.env[PLAN_ENV] = file;
  return plan;
}

async function planFor(options: AttributionGateOptions): Promise<GatePlan> {
  const settings = siteSettings(options, (option) => `attributionGate({ ${option} })`);
  let config;
  try {
    config = parseGateConfig(process.env, undefined, { settings, cwd: process.cwd() });
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(error.message, { cause: error });
    throw error;
  }
  if (!config.site.dir && !config.site.url) throw new Error('attributionGate() needs a site: attributionGate({ siteDir: "dist" }), or SITE_DIR / SITE_URL in .env.');
  const noChromium = missingChromium();
  if (noChromium) throw new Error(noChromium);
  // The site stays open for the whole run: the workers fetch it through the plan's siteUrl.
  const opened = await openSiteOnItsOrigin(config);
  return makePlan(opened.config, opened.site, false);
}
