/**
 * The gate as a library: what `npx attribution-gate` does, in this process, with one browser and one
 * stripe-mock that every site checked shares. The CLI is built on it; a script or a test suite that
 * gates several sites opens it once.
 *
 * @example
 * import { openGate } from 'tito-trackdesk-gate';
 *
 * const gate = await openGate();
 * const { verdict } = await gate.check({ siteDir: 'dist' });
 * console.log(verdict.verdict, verdict.findings.map((f) => f.code));
 * await gate.close();
 */
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import type { Browser, BrowserType, LaunchOptions } from '@playwright/test';
import type Stripe from 'stripe';
import type { HarnessConfig } from '../fixtures/config.ts';
import { HarnessFault } from '../fixtures/harness-fault.ts';
import { parseGateConfig, type CommandLine, type GateConfig } from './config.ts';
import { GateCannotRun } from './cannot-run.ts';
import { checksAtOnce, TRACED_RERUNS } from './defaults.ts';
import { judge, type GateVerdict } from './judge.ts';
import { openSiteOnItsOrigin } from './served-origin.ts';
import type { GatePlan } from './plan.ts';
import type { CheckOutcome } from './run-checks.ts';

export { GateCannotRun };

export interface SiteToCheck {
  /** The folder of the built site (SITE_DIR), relative to the current directory. */
  siteDir?: string;
  /** The site running on this machine, e.g. `http://localhost:4321` (SITE_URL). */
  siteUrl?: string;
  /** Pages to check besides those the gate finds (SITE_PAGES). */
  pages?: string[];
  /** Where affiliates' visitors land besides `/` (SITE_LANDING_PAGES). */
  landingPages?: string[];
  /** Your production origin, e.g. `https://events.example.com`: the pages are served on it (SITE_ORIGIN; unset, the one the home page names). */
  origin?: string;
  /**
   * Any other setting by its environment variable (TRACKDESK_TENANT_ID, TITO_EVENT, GATE_PAGE_TIMEOUT, …):
   * over the process environment and `.env`, as the CLI's flags are.
   */
  env?: Record<string, string | undefined>;
}

export interface CheckOptions {
  /** Where failed checks keep their trace, screenshot and journey; nothing is kept when unset. */
  output?: string;
  /** Browser checks at once ({@link DEFAULT_WORKERS}). */
  workers?: number;
  /** How many failed checks are run once more to record a trace for `output` (10); 0 records none. */
  traces?: number;
  /** Aborting ends the run at once: no verdict, a harness fault. */
  signal?: AbortSignal;
  /** Told of every browser check as it ends. */
  onCheck?: (check: CheckOutcome) => void;
  /** Told once the pages are found and audited (the checks go on). */
  onPlanned?: (plan: GatePlan) => void;
}

export interface GateRun {
  verdict: GateVerdict;
  /** The pages found and audited, the journeys walked. */
  plan: GatePlan;
}

export interface Gate {
  /** Checks one site: every page visited through an affiliate link, bought on where it sells, journeys walked. */
  check(site: SiteToCheck, options?: CheckOptions): Promise<GateRun>;
  /** Stops the browser and stripe-mock. */
  close(): Promise<void>;
}

/**
 * Starts the gate: one Chromium, and one stripe-mock (found as the settings say: STRIPE_MOCK_URL, a
 * Docker engine, a binary). `env` gives settings as {@link SiteToCheck.env} does, for every site checked
 * (a site's own `env` wins). A bad setting is a `ConfigError`, a missing Chromium a `GateCannotRun`, each
 * one message that says what to do; a stripe-mock that cannot start is told by the first check.
 */
export async function openGate(options: { env?: Record<string, string | undefined> } = {}): Promise<Gate> {
  const gate = startGate(parseGateConfig({ ...process.env, ...options.env }).harness, options.env);
  // Chromium is up, or it could not start: a missing Chromium is told here, before any site is given.
  const browser = await gate.browser;
  if (browser instanceof GateCannotRun) {
    await gate.close();
    throw browser;
  }
  return gate;
}

/** One run of the gate on one site: {@link openGate}, {@link Gate.check}, then the gate closed. */
export async function checkSite(site: SiteToCheck, options: CheckOptions = {}): Promise<GateRun> {
  const gate = await openGate({ env: site.env });
  try {
    return await gate.check(site, options);
  } finally {
    await gate.close();
  }
}

/** The settings of `site`, as the command line's flags would give them. */
export function siteSettings(site: SiteToCheck, flag = (option: string) => option): CommandLine['settings'] {
  const settings: CommandLine['settings'] = {};
  const set = (name: string, option: string, value: string | undefined) => {
    if (value !== undefined) settings[name] = { value, flag: flag(option) };
  };
  set('SITE_DIR', 'siteDir', site.siteDir);
  set('SITE_URL', 'siteUrl', site.siteUrl);
  set('SITE_PAGES', 'pages', site.pages?.join(','));
  set('SITE_LANDING_PAGES', 'landingPages', site.landingPages?.join(','));
  set('SITE_ORIGIN', 'origin', site.origin);
  return settings;
}

/**
 * The gate's browser and stripe-mock, started at once and side by side; what fails to start is told when
 * a check needs it. `env`: settings every check of this gate takes, under its own.
 */
export function startGate(harness: HarnessConfig, env: Record<string, string | undefined> = {}): Gate & { checkConfigured(config: GateConfig, options: CheckOptions): Promise<GateRun>; readonly browser: Promise<Browser | Error> } {
  // stripe-mock takes longest to be ready (it reads Stripe's API description), the checks' code longest to
  // load: each starts at once, the smallest first, so that the others load while it starts.
  const starter = import('../fixtures/stripe-mock/start.ts');
  const stripeMock = starter.then(({ startStripeMock }) => startStripeMock(harness.stripeMock, { secretKey: harness.stripe.secretKey, say: () => {} })).catch((error: Error) => error);
  const afterStarter = starter.then(() => undefined, () => undefined);
  // Chromium is launched the moment Playwright has loaded, before the checks' code loads: it then starts
  // on the other core while this one loads that code.
  const playwright = afterStarter.then(() => Promise.all([import('./own-playwright.ts').then(({ ownChromium }) => ownChromium()), import('../fixtures/browser.ts')]));
  const browser = playwright.then(([chromium, launcher]) => launchBrowser(chromium, launcher), (error: Error) => error);
  const checks = playwright.then(
    () => import('./visit-site.ts'),
    () => import('./visit-site.ts'),
  );
  /** Runs' contexts still closing after their verdicts. */
  const closing = new Set<Promise<void>>();
  const gate = {
    browser,
    async check(site: SiteToCheck, options: CheckOptions = {}): Promise<GateRun> {
      const config = parseGateConfig({ ...process.env, ...env, ...site.env }, undefined, {
        settings: siteSettings(site),
        cwd: process.cwd(),
        given: { source: 'gate.check() options', fixWhere: 'in the options of gate.check(), in .env or in the environment' },
      });
      if (!config.site.dir && !config.site.url) throw new GateCannotRun('No site to check: give the gate a siteDir (a folder of built HTML, e.g. "dist") or a siteUrl.');
      return gate.checkConfigured(config, options);
    },
    async checkConfigured(config: GateConfig, options: CheckOptions): Promise<GateRun> {
      // Discovery reads the site while the browser starts; the checks wait for it.
      const launched = browser.then((started) => (started instanceof Error ? Promise.reject(started) : started));
      const stripe = stripeFor(stripeMock, config.harness.stripe.secretKey);
      // A browser or stripe-mock that cannot start ends the run at once: the message says what to do.
      const abort = new AbortController();
      // Each check under way listens for an abort: as many listeners as checks at once (GATE_WORKERS), no warning.
      setMaxListeners(0, abort.signal);
      const stop = () => abort.abort();
      options.signal?.addEventListener('abort', stop, { once: true });
      try {
        if (options.signal?.aborted) stop();
        void launched.catch(stop);
        void stripe.catch(stop);
        const opened = await openSiteOnItsOrigin(config).catch((error: Error) => {
          throw new GateCannotRun(error.message);
        });
        const site = opened.site;
        config = opened.config;
        try {
          const { visitSite } = await checks;
          const run = await visitSite(config, site.url, site.description, {
            ...options,
            browser: launched,
            stripe,
            config: config.harness,
            concurrency: options.workers === undefined ? checksAtOnce(config.checks.workers) : Math.max(1, Math.floor(options.workers)),
            outputDir: options.output,
            signal: abort.signal,
            tracesLeft: { count: options.traces ?? TRACED_RERUNS },
            // The run's contexts close behind its verdict; the browser's close ends whatever is left of that.
            contextsClosing: (closed) => {
              const settled = closed.catch(() => undefined);
              closing.add(settled);
              void settled.finally(() => closing.delete(settled));
            },
          });
          const started = await browser;
          if (started instanceof GateCannotRun) throw started;
          if (started instanceof Error) throw new GateCannotRun(`Chromium did not start: ${started.message.split('\n')[0]}`);
          const running = await stripeMock;
          if (running instanceof Error) throw new GateCannotRun(running.message);
          return { verdict: judge(run.records, await secretsLeaked(config, options.output), abort.signal.aborted ? 'interrupted' : 'passed'), plan: run.plan };
        } finally {
          await site.close();
        }
      } finally {
        options.signal?.removeEventListener('abort', stop);
      }
    },
    async close(): Promise<void> {
      const [started, running] = await Promise.all([browser, stripeMock]);
      if (!(started instanceof Error)) await started.close().catch(() => undefined);
      await Promise.allSettled(closing);
      if (!(running instanceof Error)) await running.stop();
    },
  };
  return gate;
}

/** The one browser, or why it could not start (a `GateCannotRun` when there is no Chromium at all). */
async function launchBrowser(chromium: BrowserType, { chromiumLaunchOptions, missingChromium }: { chromiumLaunchOptions: LaunchOptions; missingChromium: () => string | undefined }): Promise<Browser | Error> {
  const missing = missingChromium();
  if (missing) return new GateCannotRun(missing);
  // The CLI stops the browser on an interrupt itself, to report it; Playwright's own handler would exit 130.
  return chromium.launch({ ...chromiumLaunchOptions, handleSIGINT: false, handleSIGTERM: false }).catch((error: Error) => error);
}

/** A Stripe client for `secretKey` on the gate's stripe-mock, once it answers. */
async function stripeFor(stripeMock: Promise<{ url: string } | Error>, secretKey: string): Promise<Stripe> {
  const running = await stripeMock;
  if (running instanceof Error) throw running instanceof HarnessFault ? running : new HarnessFault(running.message.split('\n')[0]!);
  const { stripeClient } = await import('../mocks/stripe/index.ts');
  return stripeClient(running.url, secretKey);
}

/**
 * As every run of this project ends: a configured secret (the Trackdesk personal token, the Stripe key)
 * found in an artifact the checks left in `output` is a fault of the harness, named without its value.
 */
async function secretsLeaked(config: GateConfig, output: string | undefined): Promise<string[]> {
  if (!output || !existsSync(output)) return [];
  const { configuredSecrets, findingLine, scanForSecrets } = await import('../fixtures/secret-scan.ts');
  const leaks = await scanForSecrets(configuredSecrets(config.harness), [output]);
  return leaks.length === 0 ? [] : [`a secret reached an artifact of the run (a fault of the harness, not of the site): ${leaks.map(findingLine).join('; ')}`];
}
