/**
 * The gate's own run of a site, in one pass: each page is visited once, as a check (land through an
 * affiliate link, the click) that also reads what the page shows once quiet (its links, storefronts and
 * scripts: discovery and the audit go on from there), then buys where it sells. A journey to a ticket
 * page starts as soon as the links show a way there. Everything shares one browser, several checks at
 * once, journeys and likely ticket pages first, so that the slow parts (a page going quiet, a checkout)
 * overlap. The records are the ones Playwright's run of checks.spec.ts makes from a plan: the same
 * titles, findings and order.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { auditSite } from './audit-site.ts';
import { checkJourney, journeyCheckTitle, pageCheckTitle, visitPage, withoutPosingTheAuditNamed, type CheckWorld } from './check-page.ts';
import { ContextPool, type SiteUnderTest } from './check-world.ts';
import { homePath, isListedAccount, productionHostOf, siteHosts, type GateConfig } from './config.ts';
import { discover, sellsTickets, type ServedPage, type SiteMap } from './discover.ts';
import { finding, isError, type Finding } from './findings.ts';
import type { CheckRecord } from './judge.ts';
import { pageKey, planJourneys, sellersNoLinkReaches, type PlannedJourney } from './navigation.ts';
import type { GatePlan, PlannedPage } from './plan.ts';
import type { RenderedPage } from './render.ts';
import { planRecords, runOne, statusOf, type BrowserCheck, type CheckOutcome, type RunOptions } from './run-checks.ts';
import { siteFindings } from './site-findings.ts';
import { Slots } from './slots.ts';

export interface SiteRun {
  plan: GatePlan;
  /** Every record, in the plan's order: the site, each page's static audit, each page's check, each journey. */
  records: CheckRecord[];
}

export interface VisitOptions extends RunOptions {
  /** Told once the pages are found and audited (the checks go on). */
  onPlanned?: (plan: GatePlan) => void;
  /**
   * Given the closing of the contexts the checks took turns in, which then goes on behind the run's
   * records (the caller's close of the browser ends it, and awaits it); unset, the run awaits it itself.
   */
  contextsClosing?: (closed: Promise<void>) => void;
}

/** Which waiting check gets the next browser context: journeys, then pages whose HTML shows a storefront. */
const PRIORITY = { journey: 2, seller: 1, page: 0 } as const;

type Seller = Pick<PlannedPage, 'path' | 'storefronts'>;

/**
 * Discovers and checks the site at `siteUrl` (a loopback server of the folder, or the proxied origin) as
 * `config` says; tells each check to `options.onCheck` as it ends, and `onPlanned` once the pages are
 * known and audited. A callback that throws fails the run once every check has ended.
 */
export async function visitSite(config: GateConfig, siteUrl: string, description: string, options: VisitOptions): Promise<SiteRun> {
  const pass = new OnePass(config, siteUrl, options);
  try {
    return await pass.run(description);
  } finally {
    await pass.settled();
    const closed = pass.close();
    if (options.contextsClosing) options.contextsClosing(closed);
    else await closed;
  }
}

class OnePass {
  readonly #site: SiteUnderTest & { clientRoutes: Set<string>; ownHosts: Set<string> };
  readonly #slots: Slots;
  /** Page visits take turns in a few contexts; each journey, a longer walk, opens one of its own. */
  readonly #contexts: ContextPool;
  /** Past the run's deadline (GATE_RUN_TIMEOUT) no further check starts: what was left is named, not checked. */
  readonly #deadline: number;
  readonly #visits = new Map<string, Promise<CheckOutcome>>();
  /** Every journey started, by the way it takes and what it buys: the plan's, and those it dropped. */
  readonly #journeys = new Map<string, Promise<CheckOutcome>>();
  readonly #callbackErrors: unknown[] = [];
  /**
   * The pages that held a check (past its deadline or a limit, or failing it with a main thread that no longer
   * answered), each with that check and its error: every other check on such a page would be held again (a
   * visit and the journey to it, six at a time, each a full deadline), so none starts, and each fails as that
   * one did: a site cannot get a check it would fail skipped.
   */
  readonly #held = new Map<string, { by: string; error: Finding }>();

  constructor(
    private readonly config: GateConfig,
    siteUrl: string,
    private readonly options: VisitOptions,
  ) {
    this.#site = { siteUrl, origin: config.site.origin, clientRoutes: new Set(), ownHosts: siteHosts(config) };
    this.#slots = new Slots(options.concurrency);
    this.#contexts = new ContextPool(options.browser, this.#site);
    this.#deadline = Date.now() + config.site.runTimeoutMs;
  }

  async run(description: string): Promise<SiteRun> {
    const { config } = this;
    const landings = [homePath(config), ...config.site.landingPages];
    const discovery = await discover({
      siteUrl: this.#site.siteUrl,
      home: homePath(config),
      pages: [...(config.site.pages ?? []), ...config.site.landingPages],
      maxPages: config.site.maxPages,
      clientRoutes: this.#site.clientRoutes,
      ownHosts: this.#site.ownHosts,
      productionHost: productionHostOf(config),
      render: (pagePath, served) => this.#visit(pagePath, served),
      // The way to a ticket page is usually known from the served HTML alone, long before discovery ends.
      onMap: (map: SiteMap) => {
        const byPath = new Map(map.pages.map((p) => [p.path, p]));
        for (const journey of planJourneys(map.pages, [...new Set(landings.map((l) => map.aliases.get(l) ?? l))], map.aliases)) void this.#journey(journey, byPath.get(journey.stops.at(-1)!.page)!);
      },
      signal: this.options.signal,
      deadlineMs: config.site.runTimeoutMs,
    });
    const audited = await auditSite(discovery.pages, this.#site.siteUrl, config.harness, config.titoEvents, this.#site.ownHosts);
    const landedOn = [...new Set(landings.map((p) => discovery.aliases.get(p) ?? p))];
    const journeys = planJourneys(audited, landedOn, discovery.aliases);
    const plan: GatePlan = {
      description,
      siteUrl: this.#site.siteUrl,
      origin: this.#site.origin,
      clientRoutes: [...this.#site.clientRoutes],
      ownHosts: [...this.#site.ownHosts],
      titoEvents: config.titoEvents,
      pages: audited,
      journeys,
      pageTimeoutMs: config.site.pageTimeoutMs,
      findings: [...discovery.findings, ...siteFindings(audited, { titoEvents: config.titoEvents, staticOnly: false }), ...sellersNoLinkReaches(audited, journeys, landedOn)],
    };
    this.#tell(() => this.options.onPlanned?.(plan));

    // The plan's journeys: those under way where they took the same way, the others now.
    const byPath = new Map(audited.map((p) => [p.path, p]));
    const planned = plan.journeys.map((journey) => this.#journey(journey, byPath.get(journey.stops.at(-1)!.page)!));
    const kept = new Set(planned);
    for (const outcome of planned) void outcome.then((done) => this.#tell(() => this.options.onCheck?.(done)));

    const pageRecords = await Promise.all(
      audited.map(async (page) => {
        const done = this.#visits.get(page.path);
        if (!done) return undefined;
        const { record, posing } = await done;
        return { ...record, title: pageCheckTitle(page), kind: page.storefronts.length > 0 ? 'registration' : 'click', findings: withoutPosingTheAuditNamed(record.findings, posing, page.findings) };
      }),
    );
    const journeyRecords = await Promise.all(planned.map(async (outcome, i) => ({ ...(await outcome).record, title: journeyCheckTitle(plan.journeys[i]!, byPath.get(plan.journeys[i]!.stops.at(-1)!.page)!) })));
    // A journey started on a way the finished discovery did not take is none of this run's: it ends, its artifacts go.
    for (const outcome of this.#journeys.values()) if (!kept.has(outcome)) this.#discard((await outcome).artifacts.journey);
    if (this.#callbackErrors.length > 0) throw this.#callbackErrors[0];
    const checked = [...pageRecords, ...journeyRecords].filter((r): r is CheckRecord => r !== undefined).map((r) => ({ ...r, status: statusOf(r.findings) }));
    return { plan, records: [...planRecords(plan), ...checked] };
  }

  /** Once every check started has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#visits.values(), ...this.#journeys.values()]);
  }

  /** Closes the contexts the visits took turns in (once {@link settled}: no check is using one). */
  async close(): Promise<void> {
    await this.#contexts.close();
  }

  /**
   * Discovery's render of a page: its visit, told as soon as it read the page, going on to buy there. A path
   * the site's 404 page answers is a page only where it sells: elsewhere its visit is none of the run's.
   */
  #visit(pagePath: string, served: ServedPage): Promise<RenderedPage> {
    return new Promise<RenderedPage>((resolve, reject) => {
      let storefronts = served.storefronts;
      let read = false;
      // A path the 404 page answers is dropped unless, read, it sells: one never read is no page either.
      let dropped = served.notFoundPage === true;
      const check: BrowserCheck = {
        title: pageCheckTitle({ path: pagePath, storefronts }),
        page: pagePath,
        kind: 'click',
        run: (world: CheckWorld) =>
          visitPage(world, pagePath, {
            origin: this.#site.origin,
            titoEvents: this.config.titoEvents,
            deadlineMs: this.config.site.pageTimeoutMs,
            served404: served.notFoundPage,
            // The first read is the page's; a run to record a trace reads it again.
            onRead: (rendered) => {
              if (read) return;
              read = true;
              storefronts = rendered.storefronts;
              dropped &&= !sellsTickets(rendered);
              resolve(rendered);
            },
          }),
      };
      const unread: Unread = storefronts.length > 0 ? 'sells' : served.runsScripts ? 'runs scripts' : 'no scripts';
      const outcome = this.#slots.run(() => this.#inTime(check, { ...this.options, contexts: this.#contexts }, unread), storefronts.length > 0 ? PRIORITY.seller : PRIORITY.page);
      this.#visits.set(pagePath, outcome);
      void outcome.then((done) => {
        // A visit that never read its page (its context could not open, the run's deadline): discovery goes on without it.
        reject(new Error(`${pagePath} was not read`));
        if (dropped) return this.#discard(done.artifacts.journey);
        this.#tell(() => this.options.onCheck?.({ ...done, record: { ...done.record, title: pageCheckTitle({ path: pagePath, storefronts }), kind: storefronts.length > 0 ? 'registration' : 'click' } }));
      });
    });
  }

  /** Starts a journey unless one takes the same way to buy the same event; the journey's outcome either way. */
  #journey(journey: PlannedJourney, seller: Seller): Promise<CheckOutcome> {
    const key = JSON.stringify([journey.stops, journey.returning ?? false, journey.by ?? null, seller.storefronts.find((e) => isListedAccount(e, this.config.titoEvents)) ?? null]);
    const started = this.#journeys.get(key);
    if (started) return started;
    const check: BrowserCheck = {
      title: journeyCheckTitle(journey, seller),
      page: seller.path,
      through: journey.stops.slice(0, -1).map((stop) => stop.page),
      kind: 'journey',
      run: (world: CheckWorld) => checkJourney(world, journey, seller, this.#site.origin, { titoEvents: this.config.titoEvents, ownHosts: this.#site.ownHosts, pageTimeoutMs: this.config.site.pageTimeoutMs }),
    };
    const outcome = this.#slots.run(() => this.#inTime(check, this.options, 'journey'), PRIORITY.journey);
    this.#journeys.set(key, outcome);
    return outcome;
  }

  #inTime(check: BrowserCheck, options: RunOptions, unread: Unread): Promise<CheckOutcome> {
    const heldPage = [...(check.through ?? []), check.page].find((page) => this.#held.has(page));
    if (heldPage !== undefined) return Promise.resolve(heldBefore(check, heldPage, this.#held.get(heldPage)!));
    if (Date.now() > this.#deadline) return Promise.resolve(notStarted(check, this.config.site.runTimeoutMs, unread));
    return runOne(check, this.#site, this.config.site.pageTimeoutMs, { ...options, tracesUntil: this.#deadline }).then((outcome) => {
      const error = outcome.record.findings.find(isError);
      if (outcome.heldAt === undefined || !error) return outcome;
      // Where the browser was, when that is one of the check's own pages; else (a page that changed its address
      // as it went) the page the check was for.
      const ownPages = [...(check.through ?? []), check.page];
      const at = pageKey(outcome.heldAt, this.#site.ownHosts);
      const held = at !== null && ownPages.includes(at) ? at : check.page;
      if (!this.#held.has(held)) this.#held.set(held, { by: check.title, error });
      return outcome;
    });
  }

  /** A caller's callback: one that throws fails the run once its checks have ended, never leaves one hanging. */
  #tell(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.#callbackErrors.push(error);
    }
  }

  #discard(journey: string | undefined): void {
    const output = this.options.outputDir;
    if (!journey || !output) return;
    const folder = path.dirname(path.resolve(journey));
    if (path.dirname(folder) === path.resolve(output)) rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * A check not started as it goes to a page (`held`) that held another check (`by`, failed with `error`): past
 * its deadline or a limit, or failing it with a main thread that no longer answered. It fails as that one did,
 * and says why: whatever record of the run keeps the error, the run fails on it.
 */
function heldBefore(check: BrowserCheck, held: string, { by, error }: { by: string; error: Finding }): CheckOutcome {
  const findings = [
    finding('CHECK_CUT_OFF', check.page, `${check.title} did not start: ${held} held "${by}" (${error.code}: ${error.message.split('\n')[0]}), and would hold this check too, so attribution on ${check.page} could not be proven`, {
      fix: error.fix ?? 'find what keeps this page busy; if it is only slow, raise GATE_PAGE_TIMEOUT (seconds)',
    }),
  ];
  return { record: { title: check.title, status: statusOf(findings), page: check.page, kind: check.kind, findings, thirdParties: [] }, seconds: 0, artifacts: {}, posing: [], started: false };
}

/** What a check the run's deadline kept from starting leaves unproven: a journey's conversion, or a page the gate never read. */
type Unread = 'journey' | 'sells' | 'runs scripts' | 'no scripts';

/**
 * A check the run's deadline kept from starting. The gate never passes a site on a conversion it did not
 * check: a journey's, or a page's that sells or may (its scripts can draw a storefront), is an error; a
 * page of HTML alone, a warning that names it.
 */
function notStarted(check: BrowserCheck, runTimeoutMs: number, unread: Unread): CheckOutcome {
  const why = `${check.title} did not start: the run reached its deadline (GATE_RUN_TIMEOUT, ${runTimeoutMs / 1000} s)`;
  const fix = 'raise GATE_RUN_TIMEOUT, or find the pages that keep the gate busy (their GATE_LIMIT_REACHED warnings)';
  const unproven = { journey: 'its conversion', sells: 'attribution on it', 'runs scripts': 'attribution on it (its scripts may draw a storefront)' } as const;
  const findings = [unread === 'no scripts' ? finding('GATE_LIMIT_REACHED', check.page, why, { fix }) : finding('CHECK_CUT_OFF', check.page, `${why}, so ${unproven[unread]} could not be proven`, { fix })];
  return { record: { title: check.title, status: statusOf(findings), page: check.page, kind: check.kind, findings, thirdParties: [] }, seconds: 0, artifacts: {}, posing: [], started: false };
}
