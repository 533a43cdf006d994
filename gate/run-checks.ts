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
import { artifactFolder, openCheckWorld, type CheckArtifacts } from './check-world.ts';
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
}

export interface RunOptions {
  browser: Browser;
  stripe: Stripe;
  config: HarnessConfig;
  /** Browser checks at once. */
  concurrency: number;
  /** Where failed checks keep their trace and screenshot. */
  outputDir: string;
  /** Told of every check as it ends, in the order they end. */
  onCheck?: (outcome: CheckOutcome) => void;
  /** Once aborted, no further check starts. */
  signal?: AbortSignal;
}

interface BrowserCheck {
  title: string;
  page: string;
  kind: string;
  run: (world: Parameters<typeof checkPage>[0]) => Promise<Finding[]>;
}

/** Every check of the plan; the records in the plan's order, whatever order they ended in. */
export async function runChecks(plan: GatePlan, options: RunOptions): Promise<CheckRecord[]> {
  const records: CheckRecord[] = [
    { title: SITE_CHECK_TITLE, status: statusOf(plan.findings), page: '*', kind: 'site', findings: plan.findings, pages: plan.pages.map(({ path, foundBy, status, storefronts }) => ({ path, foundBy, status, storefronts })) },
    ...plan.pages.map((p) => ({ title: staticAuditTitle(p), status: statusOf(p.findings), page: p.path, kind: 'static audit', findings: p.findings })),
  ];
  const checks = browserChecks(plan);
  const done = new Array<CheckRecord | undefined>(checks.length);
  let next = 0;
  const worker = async () => {
    while (next < checks.length && !options.signal?.aborted) {
      const i = next++;
      const outcome = await runOne(checks[i]!, plan, options);
      done[i] = outcome.record;
      options.onCheck?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, checks.length)) }, worker));
  return [...records, ...done.filter((r): r is CheckRecord => r !== undefined)];
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

async function runOne(check: BrowserCheck, plan: GatePlan, options: RunOptions): Promise<CheckOutcome> {
  const started = performance.now();
  const seconds = () => Math.round(performance.now() - started) / 1000;
  let findings: Finding[];
  let artifacts: CheckArtifacts = {};
  let thirdParties: CheckRecord['thirdParties'] = [];
  try {
    const open = await openCheckWorld(options.browser, plan, options.config, options.stripe);
    // The check ends by the page's own deadline; this one only catches the harness hanging.
    const hangsAfter = plan.pageTimeoutMs + 30_000;
    // An interrupt ends the check at once: some of its waits are on the mocked systems, not on the browser.
    const interrupted = new Promise<Finding[]>((resolve) => options.signal?.addEventListener('abort', () => resolve([]), { once: true }));
    findings = await within(hangsAfter, Promise.race([check.run(open.world), interrupted]), () => [finding('HARNESS_FAULT', check.page, `the check did not end within ${hangsAfter / 1000} s`)]);
    // A browser gone (an interrupt, a crash) cut the check short: what it saw is not a verdict on the site.
    const cutShort = options.signal?.aborted || !options.browser.isConnected();
    if (cutShort) findings = [finding('HARNESS_FAULT', check.page, options.signal?.aborted ? 'the check was interrupted' : 'the browser closed before the check ended')];
    thirdParties = open.world.gateNetwork.hosts.filter((h) => h.kind !== 'posing');
    artifacts = await open.close(!cutShort && statusOf(findings) === 'failed' ? { folder: artifactFolder(options.outputDir, check.title) } : null);
  } catch (error) {
    const why = options.signal?.aborted ? 'was interrupted' : `could not run: ${(error as Error).message.split('\n')[0]}`;
    findings = [finding('HARNESS_FAULT', check.page, `the check ${why}`)];
  }
  return { record: { title: check.title, status: statusOf(findings), page: check.page, kind: check.kind, findings, thirdParties }, seconds: seconds(), artifacts };
}

/** A check fails on an error or a fault of the harness, as its Playwright test would. */
function statusOf(findings: Finding[]): 'passed' | 'failed' {
  return findings.some((f) => isError(f) || f.severity === 'fault') ? 'failed' : 'passed';
}
