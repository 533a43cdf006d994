/**
 * One browser check in the gate's own process (gate/visit-site.ts runs them, several at once in one
 * browser), and the records a run's checks make: the same titles, findings and records as the
 * Playwright run of gate/checks.spec.ts, which `--shard` and `--html` still use.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from '@playwright/test';
import type Stripe from 'stripe';
import type { HarnessConfig } from '../fixtures/config.ts';
import { heldByItsPage, SITE_CHECK_TITLE, staticAuditTitle, type CheckWorld } from './check-page.ts';
import { artifactFolder, openCheckWorld, type CheckArtifacts, type ContextPool, type SiteUnderTest } from './check-world.ts';
import { finding, isError, type Finding } from './findings.ts';
import type { CheckRecord } from './judge.ts';
import { within } from './limits.ts';
import type { GatePlan } from './plan.ts';

export interface CheckOutcome {
  record: CheckRecord;
  /** Seconds the check took. */
  seconds: number;
  /** What a failed check left behind (trace, screenshot, journey). */
  artifacts: CheckArtifacts;
  /** The hosts posing as Trackdesk, Tito or Stripe that the page requested, each with its finding's message. */
  posing: { host: string; message: string }[];
  /** False for a check the run's deadline, or a page that held another check, kept from starting. */
  started?: boolean;
  /** Where the browser was when its page held the check to its deadline or a limit (CHECK_CUT_OFF), or failed it no longer answering: that page's URL. */
  heldAt?: string;
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
  contexts?: ContextPool;
  /** How many more failed checks of this run may be run again to record a trace (the run's, shared by its checks). */
  tracesLeft: { count: number };
  /** After this time (ms since the epoch) no failed check is run again for its trace: the run's deadline. */
  tracesUntil?: number;
}

export interface BrowserCheck {
  title: string;
  page: string;
  /** The pages a journey passes through before `page`, its landing page first. */
  through?: string[];
  kind: string;
  run: (world: CheckWorld) => Promise<Finding[]>;
}

/** The records that come before the browser checks: the site's own findings, and each page's static audit. */
export function planRecords(plan: GatePlan): CheckRecord[] {
  return [
    { title: SITE_CHECK_TITLE, status: statusOf(plan.findings), page: '*', kind: 'site', findings: plan.findings, pages: plan.pages.map(({ path, foundBy, status, storefronts }) => ({ path, foundBy, status, storefronts })) },
    ...plan.pages.map((p) => ({ title: staticAuditTitle(p), status: statusOf(p.findings), page: p.path, kind: 'static audit', findings: p.findings })),
  ];
}

/**
 * One check in a browser context; a failed one keeps its screenshot and journey, and its trace: the check
 * run once more in a context of its own that records one (Playwright's `on-first-retry`), since
 * recording every check's trace would cost more than the check. The verdict is the first run's.
 */
export async function runOne(check: BrowserCheck, site: SiteUnderTest, pageTimeoutMs: number, options: RunOptions): Promise<CheckOutcome> {
  const started = performance.now();
  const seconds = () => Math.round(performance.now() - started) / 1000;
  const first = await attempt(check, site, pageTimeoutMs, options, 'once');
  const { findings, thirdParties, posing, heldAt } = first;
  let artifacts = first.artifacts;
  const cutOff = findings.some((f) => f.code === 'CHECK_CUT_OFF' || f.severity === 'fault');
  const journey = artifacts.journey;
  // A check that took half its deadline is not run again for a trace: the run must keep to its deadlines.
  const slow = performance.now() - started > pageTimeoutMs / 2;
  if (journey && !cutOff && !slow && takeTrace(options)) {
    // The check as a whole keeps to about one page deadline: the run again for a trace gets what the first left (10 s at least).
    const left = Math.max(10_000, pageTimeoutMs - (performance.now() - started));
    const again = await attempt(check, site, left, { ...options, contexts: undefined, outputDir: path.dirname(journey) }, 'traced');
    if (again.artifacts.trace) artifacts = { ...artifacts, trace: again.artifacts.trace };
    const same = statusOf(again.findings) === 'failed';
    try {
      appendFileSync(journey, `\ntrace.zip: the check run once more, recording a trace; ${same ? 'it failed again' : 'this time it passed: the failure may depend on timing'}.\n`);
    } catch {
      // The journey file says less; the verdict is the same.
    }
  }
  return { record: { title: check.title, status: statusOf(findings), page: check.page, kind: check.kind, findings, thirdParties }, seconds: seconds(), artifacts, posing, heldAt };
}

function takeTrace(options: RunOptions): boolean {
  if (options.tracesLeft.count <= 0 || Date.now() > (options.tracesUntil ?? Infinity)) return false;
  options.tracesLeft.count -= 1;
  return true;
}

interface Attempt {
  findings: Finding[];
  heldAt?: string;
  artifacts: CheckArtifacts;
  thirdParties: NonNullable<CheckRecord['thirdParties']>;
  posing: CheckOutcome['posing'];
}

/**
 * The check in a context: one of `options.contexts`, else one of its own (`traced`: recording a trace,
 * kept in `options.outputDir` itself). A failed check's screenshot and journey are kept in a folder of
 * its own in `options.outputDir`.
 */
async function attempt(check: BrowserCheck, site: SiteUnderTest, pageTimeoutMs: number, options: RunOptions, run: 'once' | 'traced'): Promise<Attempt> {
  let findings: Finding[];
  let artifacts: CheckArtifacts = {};
  let thirdParties: Attempt['thirdParties'] = [];
  let posing: Attempt['posing'] = [];
  let heldAt: string | undefined;
  try {
    if (options.signal?.aborted) throw new Error('interrupted');
    const browser = await options.browser;
    const open = options.contexts ? await options.contexts.open(options.config, options.stripe) : await openCheckWorld(browser, site, options.config, options.stripe, { trace: run === 'traced' });
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
    const keep = !cutShort && options.outputDir && (run === 'traced' || statusOf(findings) === 'failed');
    // Where the browser was when the check was held, or failed on a page that no longer answers: every other check there would be too.
    const at = open.world.page.url();
    const closed = await open.close(keep ? { folder: run === 'traced' ? options.outputDir! : artifactFolder(options.outputDir!, check.title) } : null, reusable, statusOf(findings) === 'failed');
    artifacts = closed.artifacts;
    if (!cutShort && (heldByItsPage(findings) || (statusOf(findings) === 'failed' && !closed.pageAnswered))) heldAt = at;
  } catch (error) {
    const why = options.signal?.aborted ? 'was interrupted' : `could not run: ${(error as Error).message.split('\n')[0]}`;
    findings = [finding('HARNESS_FAULT', check.page, `the check ${why}`)];
  }
  return { findings, artifacts, thirdParties, posing, heldAt };
}

/** A check fails on an error or a fault of the harness, as its Playwright test would. */
export function statusOf(findings: Finding[]): 'passed' | 'failed' {
  return findings.some((f) => isError(f) || f.severity === 'fault') ? 'failed' : 'passed';
}
