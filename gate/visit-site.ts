/**
 * The gate's own run of a site, in one pass: each page is visited once, in a browser context of its own,
 * as a check (land through an affiliate link, the click) that also reads what the page shows once quiet
 * (its links, storefronts and scripts: discovery and the audit go on from there), then buys where it
 * sells. A journey to a ticket page starts as soon as the links show a way there. Everything shares one
 * browser, several contexts at once, journeys and likely ticket pages first, so that the slow parts
 * (a page going quiet, a checkout) overlap. The records are those of a plan checked afterwards
 * (run-checks.ts): the same titles, findings and order.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { auditSite } from './audit-site.ts';
import { CheckTabs } from './check-world.ts';
import { checkJourney, journeyCheckTitle, pageCheckTitle, visitPage, type CheckWorld } from './check-page.ts';
import { isListedAccount, type GateConfig } from './config.ts';
import { discover, type SiteMap } from './discover.ts';
import { SITE_UNDER_TEST_ORIGIN } from './hosts.ts';
import type { CheckRecord } from './judge.ts';
import { planJourneys, type PlannedJourney } from './navigation.ts';
import type { GatePlan, PlannedPage } from './plan.ts';
import type { RenderedPage } from './render.ts';
import { finding } from './findings.ts';
import { planRecords, runOne, statusOf, type BrowserCheck, type CheckOutcome, type RunOptions } from './run-checks.ts';
import { TRACED_RERUNS } from './defaults.ts';
import { siteFindings } from './site-findings.ts';
import { Slots } from './slots.ts';

export interface SiteRun {
  plan: GatePlan;
  /** Every record, in the plan's order: the site, each page's static audit, each page's check, each journey. */
  records: CheckRecord[];
}

/** Which waiting check gets the next browser context: journeys, then pages whose HTML shows a storefront. */
const PRIORITY = { journey: 2, seller: 1, page: 0 } as const;

type Seller = Pick<PlannedPage, 'path' | 'storefronts'>;

/**
 * Discovers and checks the site at `siteUrl` (a loopback server of the folder, or the proxied origin) as
 * `config` says, and tells each check to `options.onCheck` as it ends; `onPlanned` once the pages are
 * known and audited.
 */
export async function visitSite(config: GateConfig, siteUrl: string, description: string, given: RunOptions & { onPlanned?: (plan: GatePlan) => void }): Promise<SiteRun> {
  const options = { ...given, tracesLeft: given.tracesLeft ?? { count: TRACED_RERUNS } };
  const slots = new Slots(options.concurrency);
  // Past the run's deadline no further check starts: what was left is named, not checked.
  const deadline = Date.now() + config.site.runTimeoutMs;
  const inTime = (check: BrowserCheck, withTabs: RunOptions) =>
    Date.now() <= deadline ? runOne(check, site, pageTimeoutMs, withTabs) : Promise.resolve(notStarted(check, config.site.runTimeoutMs));
  const site = { siteUrl, clientRoutes: new Set<string>(), ownHosts: new Set<string>(config.site.url ? [new URL(config.site.url).host] : []) };
  // Page visits take turns in a few contexts; each journey, a longer walk, opens one of its own.
  const tabs = new CheckTabs(options.browser, site);
  const pageTimeoutMs = config.site.pageTimeoutMs;
  const landings = ['/', ...config.site.landingPages];
  const visits = new Map<string, Promise<CheckOutcome>>();
  const journeys = new Map<string, { journey: PlannedJourney; seller: Seller; outcome: Promise<CheckOutcome> }>();
  const plan = { titoEvents: config.titoEvents, ownHosts: site.ownHosts, pageTimeoutMs };

  const render = (pagePath: string, served: { storefronts: string[] }) =>
    new Promise<RenderedPage>((resolve, reject) => {
      let storefronts = served.storefronts;
      const read = (rendered: RenderedPage) => {
        storefronts = rendered.storefronts;
        resolve(rendered);
      };
      const visit = {
        title: pageCheckTitle({ path: pagePath, storefronts }),
        page: pagePath,
        kind: 'click',
        run: (world: CheckWorld) => visitPage(world, pagePath, { origin: SITE_UNDER_TEST_ORIGIN, titoEvents: config.titoEvents, deadlineMs: pageTimeoutMs, onRead: read }),
      };
      const outcome = slots.run(() => inTime(visit, { ...options, tabs }), storefronts.length > 0 ? PRIORITY.seller : PRIORITY.page);
      visits.set(pagePath, outcome);
      void outcome.then((done) => {
        options.onCheck?.({ ...done, record: { ...done.record, title: pageCheckTitle({ path: pagePath, storefronts }), kind: storefronts.length > 0 ? 'registration' : 'click' } });
        // A visit that never read its page (its context could not open): discovery goes on without it.
        reject(new Error(`${pagePath} was not read`));
      });
    });

  const startJourney = (journey: PlannedJourney, seller: Seller) => {
    const key = journeyKey(journey, seller, config.titoEvents);
    if (journeys.has(key) || options.signal?.aborted) return;
    const check = {
      title: journeyCheckTitle(journey, seller),
      page: seller.path,
      kind: 'journey',
      run: (world: CheckWorld) => checkJourney(world, journey, seller, SITE_UNDER_TEST_ORIGIN, { ...plan, ownHosts: [...site.ownHosts] }),
    };
    journeys.set(key, { journey, seller, outcome: slots.run(() => inTime(check, options), PRIORITY.journey) });
  };
  // The way to a ticket page is usually known from the served HTML alone, long before discovery ends.
  const onMap = (map: SiteMap) => {
    const sellers = new Map(map.pages.map((p) => [p.path, p]));
    for (const journey of planJourneys(map.pages, [...new Set(landings.map((l) => map.aliases.get(l) ?? l))], map.aliases)) {
      startJourney(journey, sellers.get(journey.stops.at(-1)!.page)!);
    }
  };

  const discovery = await discover({
    siteUrl,
    pages: [...(config.site.pages ?? []), ...config.site.landingPages],
    maxPages: config.site.maxPages,
    clientRoutes: site.clientRoutes,
    ownHosts: site.ownHosts,
    render,
    onMap,
    signal: options.signal,
    deadlineMs: config.site.runTimeoutMs,
  });
  const audited = await auditSite(discovery.pages, siteUrl, config.harness, config.titoEvents);
  const findings = [...discovery.findings, ...siteFindings(audited, { titoEvents: config.titoEvents, staticOnly: false })];
  const finalLandings = [...new Set(landings.map((p) => discovery.aliases.get(p) ?? p))];
  const gatePlan: GatePlan = {
    description,
    siteUrl,
    clientRoutes: [...site.clientRoutes],
    ownHosts: [...site.ownHosts],
    titoEvents: config.titoEvents,
    pages: audited,
    journeys: planJourneys(audited, finalLandings, discovery.aliases),
    pageTimeoutMs,
    findings,
  };
  options.onPlanned?.(gatePlan);

  // The journeys of the final plan: those already under way where they took the same way, the others now.
  const byPath = new Map(audited.map((p) => [p.path, p]));
  const planned = gatePlan.journeys.map((journey) => {
    const seller = byPath.get(journey.stops.at(-1)!.page)!;
    startJourney(journey, seller);
    return journeys.get(journeyKey(journey, seller, config.titoEvents))?.outcome;
  });
  const wanted = new Set(planned);
  for (const { outcome } of journeys.values()) {
    if (!wanted.has(outcome)) void outcome.then(({ artifacts }) => discard(artifacts.trace ?? artifacts.journey, options.outputDir));
  }
  for (const outcome of planned) void outcome?.then((done) => options.onCheck?.(done));

  const pageRecords = await Promise.all(
    audited.map(async (page) => {
      const done = visits.get(page.path);
      if (!done) return undefined;
      const { record, posing } = await done;
      // A host posing as Trackdesk, Tito or Stripe that the page's static audit already names is named once.
      const named = new Set(posing.filter(({ host }) => page.findings.some((f) => f.code === 'HOST_POSING' && f.message.includes(` ${host} `))).map((p) => p.message));
      const findings = record.findings.filter((f) => f.code !== 'HOST_POSING' || !named.has(f.message));
      return { ...record, title: pageCheckTitle(page), kind: page.storefronts.length > 0 ? 'registration' : 'click', findings };
    }),
  );
  const journeyRecords = await Promise.all(planned.map(async (outcome, i) => {
    if (!outcome) return undefined;
    const { record } = await outcome;
    const journey = gatePlan.journeys[i]!;
    return { ...record, title: journeyCheckTitle(journey, byPath.get(journey.stops.at(-1)!.page)!) };
  }));
  await tabs.close();
  const checked = [...pageRecords, ...journeyRecords].filter((r): r is CheckRecord => r !== undefined).map((r) => ({ ...r, status: statusOf(r.findings) }));
  return { plan: gatePlan, records: [...planRecords(gatePlan), ...checked] };
}

/** A check the run's deadline kept from starting: a warning that names it, and no verdict on the page. */
function notStarted(check: BrowserCheck, runTimeoutMs: number): CheckOutcome {
  const why = finding('GATE_LIMIT_REACHED', check.page, `${check.title} did not start: the run reached its deadline (GATE_RUN_TIMEOUT, ${runTimeoutMs / 1000} s)`, { fix: 'raise GATE_RUN_TIMEOUT, or find the pages that keep the gate busy (their GATE_LIMIT_REACHED warnings)' });
  return { record: { title: check.title, status: 'passed', page: check.page, kind: check.kind, findings: [why], thirdParties: [] }, seconds: 0, artifacts: {}, posing: [] };
}

/** A journey is the same one when it takes the same way to a page and buys the same event there. */
function journeyKey(journey: PlannedJourney, seller: Seller, titoEvents: readonly string[] | null): string {
  return JSON.stringify([journey.stops, seller.storefronts.find((e) => isListedAccount(e, titoEvents)) ?? null]);
}

/** The artifacts of a journey that was started on a way the final plan did not take: not this run's. */
function discard(file: string | undefined, outputDir: string | undefined): void {
  if (!file || !outputDir) return;
  const folder = path.dirname(file);
  if (path.dirname(folder) === outputDir) rmSync(folder, { recursive: true, force: true });
}
