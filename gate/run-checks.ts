/**
 * The gate's browser checks in this process: every page's affiliate visit (and registration where it
 * sells), and every journey, each in its own browser context of one shared browser, several at once so
 * that their waits (a page going quiet, a click arriving) overlap. The same checks, titles and records
 * as the Playwright run of gate/checks.spec.ts, which `--shard` and `--html` still use.
 */
import type { Browser } from '@playwright/test';
import type Stripe from 'stripe';
import type { HarnessConfig } from '../fixtures/config.ts';
import { checkJourney, checkPage, journeyCheckTitle, pageCheckTitle, SITE_CHECK_TITLE, staticAuditTitle } from './check-page.ts';
import { artifactFolder, openCheckWorld, type CheckArtifacts, type CheckTabs, type SiteUnderTest } from './check-world.ts';
import { finding, isError, type Finding } from './findings.ts';
import { SITE_UNDER_TEST_ORIGIN } from './hosts.ts';
import type { CheckRecord } from './judge.ts';
import { within } from './limits.ts';
import type { GatePlan, PlannedPage } from './plan.ts';

export interface CheckOutcome {
  record: CheckRecord;
  /** Seconds the check took. */
  seconds: number;
  /** What a failed check left behind (trace, screenshot, journey). */
  artifacts: CheckArtifacts;
  /** The hosts posing as Trackdesk, Tito or Stripe that the page requested, each with its finding's message. */
  posing: { host: string; message: string }[];
}

export interface RunOptions {
  /** The one browser, or the promise of it while it starts (discovery reads the site meanwhile). */
  browser: Browser | Promise<Browser>;
  /** The SDK client for stripe-mock, or the promise of one while it starts. */
  stripe: Stripe | Promise<Stripe>;
  config: HarnessConfig;
  /** Browser checks at once. */
  concurrency: number;
  /** Where failed checks keep their trace and screenshot; nothing is kept when unset. */
  outputDir?: string;
  /** Told of every check as it ends, in the order they end. */
  onCheck?: (outcome: CheckOutcome) => void;
  /** Once aborted, no further check starts. */
  signal?: AbortSignal;
  /** Contexts to take turns in; without them, each check opens a context of its own. */
  tabs?: CheckTabs;
}

export interface BrowserCheck {
  title: string;
  page: string;
  kind: string;
  run: (world: Parameters<typeof checkPage>[0]) => Promise<Finding[]>;
}

/** Every check of the plan; the records in the plan's order, whatever order they ended in. */
export async function runChecks(plan: GatePlan, options: RunOptions): Promise<CheckRecord[]> {
  const records = planRecords(plan);
  const checks = browserChecks(plan);
  const done = new Array<CheckRecord | undefined>(checks.length);
  let next = 0;
  const site = { siteUrl: plan.siteUrl, clientRoutes: new Set(plan.clientRoutes), ownHosts: new Set(plan.ownHosts) };
  const worker = async () => {
    while (next < checks.length && !options.signal?.aborted) {
      const i = next++;
      const outcome = await runOne(checks[i]!, site, plan.pageTimeoutMs, options);
      done[i] = outcome.record;
      options.onCheck?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, checks.length)) }, worker));
  return [...records, ...done.filter((r): r is CheckRecord => r !== undefined)];
}

/** The records that come before the browser checks: the site's own findings, and each page's static audit. */
export function planRecords(plan: GatePlan): CheckRecord[] {
  return [
    { title: SITE_CHECK_TITLE, status: statusOf(plan.findings), page: '*', kind: 'site', findings: plan.findings, pages: plan.pages.map(({ path, foundBy, status, storefronts }) => ({ path, foundBy, status, storefronts })) },
    ...plan.pages.map((p) => ({ title: staticAuditTitle(p), status: statusOf(p.findings), page: p.path, kind: 'static audit', findings: p.findings })),
  ];
}

function browserChecks(plan: GatePlan): BrowserCheck[] {
  const pages: BrowserCheck[] = plan.pages.map((page) => ({
    title: pageCheckTitle(page),
    page: page.path,
    kind: page.storefronts.length > 0 ? 'registration' : 'click',
    run: (world) => checkPage(world, page, SITE_UNDER_TEST_ORIGIN, plan.titoEvents, plan.pageTimeoutMs),
  }));
  const journeys: BrowserCheck[] = plan.journeys.map((journey) => {
    const seller: PlannedPage = plan.pages.find((p) => p.path === journey.stops.at(-1)!.page)!;
    return { title: journeyCheckTitle(journey, seller), page: seller.path, kind: 'journey', run: (world) => checkJourney(world, journey, seller, SITE_UNDER_TEST_ORIGIN, plan) };
  });
  return [...pages, ...journeys];
}

/** One check in a browser context of its own; a failed one keeps its trace, screenshot and journey. */
export async function runOne(check: BrowserCheck, site: SiteUnderTest, pageTimeoutMs: number, options: RunOptions): Promise<CheckOutcome> {
  const started = performance.now();
  const seconds = () => Math.round(performance.now() - started) / 1000;
  let findings: Finding[];
  let artifacts: CheckArtifacts = {};
  let thirdParties: CheckRecord['thirdParties'] = [];
  let posing: CheckOutcome['posing'] = [];
  try {
    if (options.signal?.aborted) throw new Error('interrupted');
    const browser = await options.browser;
    const open = options.tabs ? await options.tabs.open(options.config, options.stripe) : await openCheckWorld(browser, site, options.config, options.stripe);
    await open.ready;
    // The check ends by the page's own deadline; this one only catches the harness hanging.
    const hangsAfter = pageTimeoutMs + 30_000;
    // An interrupt ends the check at once: some of its waits are on the mocked systems, not on the browser.
    let onAbort = () => {};
    const interrupted = new Promise<Finding[]>((resolve) => {
      onAbort = () => resolve([]);
      if (options.signal?.aborted) resolve([]);
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    findings = await within(hangsAfter, Promise.race([check.run(open.world), interrupted]), () => [finding('HARNESS_FAULT', check.page, `the check did not end within ${hangsAfter / 1000} s`)]).finally(() => options.signal?.removeEventListener('abort', onAbort));
    // A browser gone (an interrupt, a crash) cut the check short: what it saw is not a verdict on the site.
    const cutShort = options.signal?.aborted || !browser.isConnected();
    if (cutShort) findings = [finding('HARNESS_FAULT', check.page, options.signal?.aborted ? 'the check was interrupted' : 'the browser closed before the check ended')];
    thirdParties = open.world.gateNetwork.hosts.filter((h) => h.kind !== 'posing');
    posing = open.world.gateNetwork.posing;
    // A context that a page cut off, or that saw the harness fail, serves no further check.
    const reusable = !cutShort && !findings.some((f) => f.code === 'CHECK_CUT_OFF' || f.severity === 'fault');
    artifacts = await open.close(!cutShort && options.outputDir && statusOf(findings) === 'failed' ? { folder: artifactFolder(options.outputDir, check.title) } : null, reusable);
  } catch (error) {
    const why = options.signal?.aborted ? 'was interrupted' : `could not run: ${(error as Error).message.split('\n')[0]}`;
    findings = [finding('HARNESS_FAULT', check.page, `the check ${why}`)];
  }
  return { record: { title: check.title, status: statusOf(findings), page: check.page, kind: check.kind, findings, thirdParties }, seconds: seconds(), artifacts, posing };
}

/** A check fails on an error or a fault of the harness, as its Playwright test would. */
export function statusOf(findings: Finding[]): 'passed' | 'failed' {
  return findings.some((f) => isError(f) || f.severity === 'fault') ? 'failed' : 'passed';
}
