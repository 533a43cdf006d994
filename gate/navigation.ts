/**
 * The buyer's journey by navigation: an affiliate's visitor lands on one page and reaches the ticket page
 * with the site's own links, in the same tab. Clicking them lets client routers, htmx's `hx-boost`, Turbo
 * and view transitions do what they do for a visitor: swap the page without a full load, so scripts the
 * ticket page carries in its `<head>`, or that only a full load runs, may never run.
 */
import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { inPage } from '../fixtures/in-page.ts';
import { LINK_PARAMS } from '../mocks/trackdesk/protocol.ts';
import type { HtmlScan } from './audit/html.ts';
import { finding, type Finding } from './findings.ts';
import { SITE_UNDER_TEST_ORIGIN } from './hosts.ts';
import { within } from './limits.ts';
import { markMenus, menuToken, openMenu } from './menus.ts';
import { NAVIGATION, QUIET_AT_MOST_MS, QUIET_MS, quietness } from './render.ts';
import { until } from './wait.ts';

/** One page of a journey, and the link paths that lead to it (`/tickets` and its redirect `/tickets/`). */
export interface JourneyStop {
  page: string;
  linkedAs: string[];
  /** Reached by choosing it in a `<select>` of the stop before (a "Jump to" menu), where no link leads there. */
  by?: 'select';
}

export interface PlannedJourney {
  /** The landing page first, the page that sells tickets last. */
  stops: JourneyStop[];
  /**
   * A buyer who comes back: lands on the one stop, and returns to it later, in a new session (lasting
   * cookies and local storage kept; the tab's name, session storage, session cookies and landing URL gone).
   */
  returning?: true;
  /**
   * The link a visitor takes from the landing page to the ticket page, where the landing page has both: its
   * call to action in its content (unset), or its navigation's (a nav link another handler may follow).
   */
  by?: 'navigation';
}

interface LinkedPage {
  path: string;
  /** Link paths on this page, each with the page it leads to. */
  links: string[];
  /** Paths its `<select>`s lead to: taken where no link leads on. */
  selects?: readonly string[];
  /** Of its links once rendered, the paths in its navigation and in its content. */
  linksIn?: { navigation: readonly string[]; content: readonly string[] };
  storefronts: string[];
  /** What decides how its links are followed ({@link linkFollowing}): the scripts its served HTML runs, the link-handling markup they read. */
  scripts?: readonly string[];
}

/** Other pages the last step to a ticket page is also taken from, besides the shortest way's. */
const OTHER_WAYS_IN = 2;

/**
 * Libraries that follow links for the page and keep doing so on every page they swap in, once a page
 * started them (htmx's `hx-boost` on `<body>` stays through its swaps, Turbo Drive stays on): as named in
 * a page's {@link linkFollowing}, by their files or their markup.
 */
const LASTING_FOLLOWERS = /(^|[^a-z])(htmx|hx-boost|turbo|swup|barba|pjax|unpoly|up-follow)([^a-z]|$)/i;
const startsAFollower = (page: LinkedPage) => (page.scripts ?? []).some((s) => LASTING_FOLLOWERS.test(s));

/**
 * A landing page that sells itself, bought on where the visitor lands (a journey of one stop: a one-page
 * site's only way in through a redirect link). The shortest way by links from each landing page to every other page that shows a storefront; and the
 * last step to it from up to {@link OTHER_WAYS_IN} other pages that link to it and run other scripts or
 * mark their links otherwise (each reached by its own shortest way): how a link is followed is up to the
 * page it is on. One page's `hx-boost`, Turbo, barba transition or router swaps the ticket page in
 * without the full load its conversion snippet needs, while the shortest way loads it whole. Pages
 * running the same scripts over the same markup follow links alike: the most different ones are taken
 * first, none alike to a way already taken.
 * `aliases` maps a link's path to the page it leads to, where they differ (redirects, trailing slashes).
 */
export function planJourneys(pages: readonly LinkedPage[], landings: readonly string[], aliases: ReadonlyMap<string, string>): PlannedJourney[] {
  const byPath = new Map(pages.map((p) => [p.path, p]));
  const pageOf = (link: string) => aliases.get(link) ?? link;
  const linkedAs = (page: string) => [...new Set([page, ...[...aliases].filter(([, to]) => to === page).map(([from]) => from)])];
  const journeys: PlannedJourney[] = [];
  for (const landing of landings.filter((l) => byPath.has(l))) {
    const cameFrom = new Map<string, string | null>([[landing, null]]);
    const bySelect = new Set<string>();
    const queue = [landing];
    while (queue.length > 0) {
      const here = queue.shift()!;
      const { links, selects = [] } = byPath.get(here)!;
      for (const [link, select] of [...links.map((l) => [l, false] as const), ...selects.map((l) => [l, true] as const)]) {
        const next = pageOf(link);
        if (cameFrom.has(next) || !byPath.has(next)) continue;
        cameFrom.set(next, here);
        if (select) bySelect.add(next);
        queue.push(next);
      }
    }
    const trailTo = (page: string) => {
      const trail: string[] = [];
      for (let at: string | null = page; at !== null; at = cameFrom.get(at) ?? null) trail.unshift(at);
      return trail;
    };
    /** The shortest way by links from `from` to `to`, both included, not back through `avoid`; undefined when none. */
    const wayBetween = (from: string, to: string, avoid?: string): string[] | undefined => {
      const back = new Map<string, string | null>([[from, null]]);
      for (const queue = [from]; queue.length > 0 && !back.has(to); ) {
        const here = queue.shift()!;
        for (const next of byPath.get(here)!.links.map(pageOf)) {
          if (back.has(next) || !byPath.has(next) || next === avoid) continue;
          back.set(next, here);
          queue.push(next);
        }
      }
      if (!back.has(to)) return undefined;
      const way: string[] = [];
      for (let at: string | null = to; at !== null; at = back.get(at) ?? null) way.unshift(at);
      return way;
    };
    const journey = (trail: string[]) => ({ stops: trail.map((page, i) => ({ page, linkedAs: linkedAs(page), ...(bySelect.has(page) && cameFrom.get(page) === trail[i - 1] ? { by: 'select' as const } : {}) })) });
    // A landing page that sells is bought on through a redirect link too, where its own check lands through a direct one.
    if (byPath.get(landing)!.storefronts.length > 0) journeys.push(journey([landing]));
    for (const seller of pages.filter((p) => p.storefronts.length > 0 && p.path !== landing && cameFrom.has(p.path))) {
      const trail = trailTo(seller.path);
      journeys.push(journey(trail));
      // Straight from the landing page, a visitor takes its call to action or its navigation's link: a page may
      // follow the two differently (a nav link's own handler, a router on one of them), so both are walked.
      // A "Jump to…" select beside the links is a way too, whose handler may treat the visitor otherwise.
      const { linksIn, selects } = byPath.get(landing)!;
      const linked = (paths: readonly string[] = []) => paths.some((l) => pageOf(l) === seller.path);
      if (trail.length === 2 && !bySelect.has(seller.path) && linked(linksIn?.navigation) && linked(linksIn?.content)) journeys.push({ ...journey(trail), by: 'navigation' });
      if (trail.length === 2 && !bySelect.has(seller.path) && linked(selects)) journeys.push({ stops: [journey(trail).stops[0]!, { ...journey(trail).stops[1]!, by: 'select' }] });
      const taken = [byPath.get(trail.at(-2)!)!];
      const others = pages.filter((p) => p.path !== seller.path && p !== taken[0] && cameFrom.has(p.path) && p.links.some((l) => pageOf(l) === seller.path) && !trailTo(p.path).includes(seller.path));
      while (taken.length <= OTHER_WAYS_IN && others.length > 0) {
        const unlike = others.map((p) => Math.min(...taken.map((t) => scriptsApart(p, t))));
        const best = unlike.indexOf(Math.max(...unlike));
        if (unlike[best]! === 0) break;
        const [from] = others.splice(best, 1);
        taken.push(from!);
        journeys.push(journey([...trailTo(from!.path), seller.path]));
      }
      // A library a page on the way starts (and that keeps following links on the pages it swaps in) changes
      // every later step: where no way taken passes such a page, the buyer goes through the nearest one.
      const sellersWays = journeys.filter((j) => j.stops.at(-1)!.page === seller.path).map((j) => j.stops.map((s) => byPath.get(s.page)!));
      if (!sellersWays.some((way) => way.slice(0, -1).some(startsAFollower))) {
        const through = [...cameFrom.keys()].find((p) => p !== seller.path && startsAFollower(byPath.get(p)!));
        const onward = through ? (wayBetween(through, seller.path, landing) ?? wayBetween(through, seller.path)) : undefined;
        if (through && onward) journeys.push(journey([...trailTo(through), ...onward.slice(1)]));
      }
    }
    // Once a site, the buyer who lands on the nearest page that sells and comes back to it: the cookie lasts
    // for weeks, and a tracker the site loads only for a visit that came with an affiliate link loses that sale.
    // A ticket page no link reaches (a form's, a button's) is returned to as well: a buyer comes back by its address.
    const sells = (path: string) => byPath.get(path)!.storefronts.length > 0;
    const nearest = [...cameFrom.keys()].find(sells) ?? pages.map((p) => p.path).find(sells);
    if (nearest && !journeys.some((j) => j.returning)) journeys.push({ ...journey([nearest]), returning: true });
  }
  return journeys;
}

/** How many scripts one page runs that the other does not. */
function scriptsApart(a: LinkedPage, b: LinkedPage): number {
  const [x, y] = [new Set(a.scripts ?? []), new Set(b.scripts ?? [])];
  return [...x].filter((s) => !y.has(s)).length + [...y].filter((s) => !x.has(s)).length;
}

/**
 * Ticket pages no journey reaches: no link leads a visitor there from a landing page (the sitemap or
 * SITE_PAGES found them). Only a visitor who lands on one buys there, so buying after navigation went
 * unchecked: a warning each.
 */
export function sellersNoLinkReaches(pages: readonly (LinkedPage & { foundBy: readonly string[] })[], journeys: readonly PlannedJourney[], landings: readonly string[]): Finding[] {
  // A returning buyer's journey (one stop, typed in) reaches no page by links.
  const reached = new Set(journeys.filter((j) => j.stops.length > 1).map((j) => j.stops.at(-1)!.page));
  const from = landings.filter((l) => pages.some((p) => p.path === l));
  if (from.length === 0) return [];
  return pages
    .filter((p) => p.storefronts.length > 0 && !from.includes(p.path) && !reached.has(p.path))
    .map((p) =>
      finding('JOURNEY_NOT_FOLLOWED', p.path, `no link leads from ${from.join(', ')} to ${p.path} (found by ${p.foundBy.join(', ')}), so buying after navigation was not checked`, {
        fix: `link to ${p.path} from the pages visitors land on; if affiliates link to it directly, name it in SITE_LANDING_PAGES`,
      }),
    );
}

/** What decides how a page follows its links: the scripts its served HTML runs, and the link-handling markup they read (`hx-boost` on a list, barba's namespace). */
export function linkFollowing(scan: Pick<HtmlScan, 'scripts' | 'linkHandling'>, pagePath: string, ownHosts: ReadonlySet<string> = new Set(), rendered: readonly string[] = []): string[] {
  // The served HTML's markup, and what the page's scripts marked once they ran (a shared script's `hx-boost` on `.js-boost`).
  return [...navigationScripts(scan.scripts, pagePath, ownHosts), ...new Set([...scan.linkHandling, ...rendered].map((mark) => `markup ${mark}`))];
}

/**
 * The scripts a page's served HTML runs, each named the same on every page: a file by its URL without
 * query (`?ver=6.4`), inline code by a digest of its text.
 */
export function navigationScripts(scripts: readonly { src: string | null; code: string | null }[], pagePath: string, ownHosts: ReadonlySet<string> = new Set()): string[] {
  return [
    ...new Set(
      scripts.flatMap((s) => {
        if (s.src !== null) {
          if (!URL.canParse(s.src, SITE_UNDER_TEST_ORIGIN + pagePath)) return [];
          const url = new URL(s.src, SITE_UNDER_TEST_ORIGIN + pagePath);
          // A file of the site is one file, whether its URL names the site's host or none.
          return [`${ownHosts.has(url.host) ? new URL(SITE_UNDER_TEST_ORIGIN).host : url.host}${url.pathname}`];
        }
        return s.code?.trim() ? [`inline ${createHash('sha1').update(s.code.replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 12)}`] : [];
      }),
    ),
  ];
}

/** `/ → /tickets/`, for test titles; `/tickets/ (a return in a new session)` for a buyer who comes back. */
export function journeyName(journey: PlannedJourney): string {
  if (journey.returning) return `${journey.stops[0]!.page} (a return in a new session)`;
  const by = journey.by === 'navigation' ? ' (by its navigation)' : journey.stops.some((s) => s.by === 'select') ? ' (by a select)' : '';
  return `${journey.stops.map((s) => s.page).join(' → ')}${by}`;
}

/**
 * The buyer comes back to the page they landed on in a new session, a full load of its address typed in:
 * the tab's name, its session storage and the session's cookies gone, no referrer, no link's parameters;
 * the click's cookie, other lasting cookies and local storage kept. At once: no time passes, and the
 * landing page's unload handlers run as it is left.
 */
export async function comeBack(page: Page, journey: PlannedJourney, origin: string): Promise<Step> {
  const last = journey.stops.at(-1)!.page;
  const description = `${journey.stops[0]!.page}, then a return to ${last} in a new session`;
  const fresh = () => {
    window.name = '';
    sessionStorage.clear();
  };
  await within(3_000, inPage(page, fresh, undefined, { world: 'isolated' }).catch(() => undefined), () => undefined);
  // The session's cookies end with it: only those with an expiry are there when the buyer comes back.
  const context = page.context();
  for (const cookie of (await context.cookies().catch(() => [])).filter((c) => c.expires === -1)) {
    await context.clearCookies({ name: cookie.name, domain: cookie.domain, path: cookie.path }).catch(() => undefined);
  }
  const response = await page.goto(new URL(last, origin).href, { waitUntil: 'domcontentloaded', timeout: ARRIVAL_WAIT }).catch((error: Error) => error);
  if (response instanceof Error) return { kind: 'stuck', description, why: `${last} did not load (${response.message.split('\n')[0]})` };
  return { kind: 'followed', description };
}

export type Step = { kind: 'followed'; description: string } | { kind: 'stuck'; description: string; why: string };

const LINK_WAIT = 10_000;
/** How long a journey looks for its link before it opens the page's menus. */
const MENU_AFTER = 3_000;
const ARRIVAL_WAIT = 10_000;

/**
 * Follows the journey from the page the visitor is on (its first stop) to its last, clicking a link to each
 * next stop. Returns how far it got, said as `/ → "Tickets" → /tickets/ (client-side navigation)`.
 */
export async function clickThrough(page: Page, journey: PlannedJourney, ownHosts: Iterable<string>): Promise<Step> {
  let description = journey.stops[0]!.page;
  let fullLoads = 0;
  const countLoad = (request: { isNavigationRequest(): boolean; frame(): unknown }) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) fullLoads += 1;
  };
  page.on('request', countLoad);
  try {
    for (const stop of journey.stops.slice(1)) {
      if (stop.by === 'select') {
        const option = await findOption(page, stop.linkedAs, ownHosts);
        if (!option) return { kind: 'stuck', description, why: `no choice of ${stop.page} showed in a select on ${description.split(' → ').at(-1)}` };
        const loadsBefore = fullLoads;
        // Our own mark names the select; the option is chosen by its index, as the page lists it.
        await page.locator(`[data-gate-select="${option.mark}"]`).selectOption({ index: option.index }, { timeout: 5_000 }).catch(() => undefined);
        const { full, stuck } = await arrive(page, stop, ownHosts, () => fullLoads > loadsBefore, 'the choice');
        description += ` → "${option.text}" chosen in a select → ${stop.page} (${full ? 'full page load' : 'client-side navigation'})`;
        if (stuck) return { kind: 'stuck', description, why: stuck };
        continue;
      }
      // Straight from the landing page, a buyer follows its call to action ("Get your ticket" in the page's
      // content); on the way through other pages, its navigation. A site may follow the two differently
      // (a nav link that loads the page whole, a hero link its router swaps in): each journey takes one.
      const prefer = journey.by ?? (journey.stops.length === 2 ? 'content' : 'navigation');
      // A link drawn only once its menu is open ("☰ Menu", "Attend ▾") is reached as a visitor reaches it: by opening the menu.
      const link = (await findLink(page, stop.linkedAs, ownHosts, prefer, MENU_AFTER)) ?? (await throughMenus(page, stop.linkedAs, ownHosts, prefer)) ?? (await findLink(page, stop.linkedAs, ownHosts, prefer, LINK_WAIT - MENU_AFTER));
      if (!link) return { kind: 'stuck', description, why: `no link to ${stop.page} showed on ${description.split(' → ').at(-1)}` };
      const loadsBefore = fullLoads;
      // Our own mark names the link, in a component's shadow root too: no selector is built from the site's text.
      const target = page.locator(`[data-gate-link="${link.mark}"]`);
      if (link.newTab) {
        // The link's own handlers run as a visitor's click runs them (a partner's click, a cookie taken away),
        // and what they set off in this tab ends first: the visitor's tab stays open behind the new one.
        const quiet = quietness(page);
        const clicked = link.visible ? await target.click({ timeout: 5_000 }).then(() => true, () => false) : false;
        if (!clicked) await target.dispatchEvent('click').catch(() => undefined);
        await quiet(QUIET_MS, QUIET_AT_MOST_MS).catch(() => undefined);
        // A link to another tab is the browser's to follow, past any router: a full load of its page (the tab the
        // click opened is closed), in this tab so the check goes on there, with the referrer the new tab gets.
        // A new tab has no window name, nor this one's session storage unless the link keeps its opener.
        const fresh = (keep: boolean) => {
          window.name = '';
          if (!keep) sessionStorage.clear();
        };
        await within(3_000, inPage(page, fresh, link.opener, { world: 'isolated' }).catch(() => undefined), () => undefined);
        await page.goto(link.href, { referer: link.noReferrer ? undefined : page.url() }).catch(() => undefined);
      } else {
        const clicked = link.visible ? await target.click({ timeout: 5_000 }).then(() => true, () => false) : false;
        // A link hidden in a closed menu, or covered by a banner, is clicked as a script would: routers still see the click.
        if (!clicked) await target.dispatchEvent('click').catch(() => undefined);
      }
      const { full, stuck } = await arrive(page, stop, ownHosts, () => fullLoads > loadsBefore, 'the click');
      const how = full ? (link.newTab ? 'full page load, in a new tab' : 'full page load') : 'client-side navigation';
      description += ` → "${link.text || link.href}" → ${stop.page} (${how})`;
      if (stuck) return { kind: 'stuck', description, why: stuck };
    }
    return { kind: 'followed', description };
  } finally {
    page.off('request', countLoad);
  }
}

/**
 * The visitor's arrival at `stop` after `what` (a click, a choice): whether the page loaded whole (`loaded`),
 * its document then awaited; `stuck` says where the browser stayed when it did not arrive.
 */
async function arrive(page: Page, stop: JourneyStop, ownHosts: Iterable<string>, loaded: () => boolean, what: string): Promise<{ full: boolean; stuck?: string }> {
  const arrived = await until(() => arrivedAt(pageKey(page.url(), ownHosts), stop.linkedAs), ARRIVAL_WAIT, 10);
  const full = loaded();
  if (!arrived) return { full, stuck: `after ${what} the browser showed ${page.url()}, not ${stop.page}, within ${ARRIVAL_WAIT / 1000} s` };
  if (full) await page.waitForLoadState('domcontentloaded', { timeout: ARRIVAL_WAIT }).catch(() => undefined);
  return { full };
}

/**
 * Whether the page the browser shows (`key`) is the stop the link names: the same page, or its path with
 * a query the link did not have (a router that adds `?from=home` as it goes).
 */
function arrivedAt(key: string | null, linkedAs: string[]): boolean {
  if (key === null) return false;
  const path = key.split(/[?#]/)[0]!;
  return linkedAs.some((stop) => stop === key || (stop === stop.split(/[?#]/)[0] && stop === path && !key.includes('#')));
}

/**
 * A `<select>` of the page with a choice that leads to one of `paths` (its value a path or URL, read as
 * discovery reads it): the select marked `data-gate-select`, the choice's index and text; null when none
 * shows within {@link LINK_WAIT}.
 */
async function findOption(page: Page, paths: string[], ownHosts: Iterable<string>): Promise<{ mark: string; index: number; text: string } | null> {
  let found: { mark: string; index: number; text: string } | null = null;
  await until(async () => {
    const token = `s${Math.random().toString(36).slice(2)}`;
    const options = await inPage(page, (o: { token: string }) =>
      [...document.querySelectorAll('select')].slice(0, 200).flatMap((select, n) => {
        select.setAttribute('data-gate-select', `${o.token}-${n}`);
        return [...select.options].slice(0, 500).map((option, index) => ({ mark: `${o.token}-${n}`, index, value: option.value, href: URL.canParse(option.value, document.baseURI) ? new URL(option.value, document.baseURI).href : '', text: (option.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60) }));
      }), { token }, { world: 'isolated' }).catch(() => []);
    const option = options.find((o) => o.value !== '' && o.href !== '' && arrivedAt(pageKey(o.href, ownHosts), paths));
    found = option ? { mark: option.mark, index: option.index, text: option.text } : null;
    return found !== null;
  }, LINK_WAIT, 100);
  return found;
}

/** A link of the page to a stop of a journey, as the page shows it. */
interface FoundLink {
  /** The `data-gate-link` the gate gave it. */
  mark: string;
  visible: boolean;
  /** In the page's navigation (a nav, its header or footer), not its content. */
  inNavigation: boolean;
  text: string;
  href: string;
  /** It opens another tab (`target="_blank"`, or a name): the browser follows it, not the page's router. */
  newTab: boolean;
  noReferrer: boolean;
  /** The new tab keeps its opener, and a copy of this one's session storage: `rel="opener"`, or a named target without noopener. */
  opener: boolean;
}

/**
 * The first link on the page to one of `paths`, visible ones first (in the page's content first, where
 * `prefer` says so); waits up to `waitMs` for a page whose links its scripts draw.
 */
async function findLink(page: Page, paths: string[], ownHosts: Iterable<string>, prefer: 'content' | 'navigation', waitMs = LINK_WAIT): Promise<FoundLink | null> {
  let found: FoundLink | null = null;
  await until(async () => {
    // A mark of its own each look: an element marked in an earlier look is never taken for another.
    const token = `l${Math.random().toString(36).slice(2)}`;
    // Only links to one of the paths' pathnames are looked at closely (a page may have 200,000 links);
    // which of those lead to the stop is decided here, as discovery keys pages.
    const pathnames = [...new Set(paths.map((p) => p.split(/[?#]/)[0]!))];
    const links = await inPage(page, (o: { wanted: string[]; token: string; navigation: string }) => {
      const roots: (Document | ShadowRoot)[] = [document];
      let looked = 0;
      for (let i = 0; i < roots.length && roots.length < 1_000 && looked < 50_000; i++) {
        for (const e of roots[i]!.querySelectorAll('*')) {
          if (++looked > 50_000) break;
          if (e.shadowRoot) roots.push(e.shadowRoot);
        }
      }
      const all = roots.flatMap((root) => [...root.querySelectorAll<HTMLAnchorElement | HTMLAreaElement>('a[href], area[href]')]);
      // A link without a target of its own opens where the document's <base target> says.
      const base = document.querySelector('base[target]')?.getAttribute('target') ?? '';
      return all.flatMap((a, index) => {
        if (!o.wanted.includes(a.pathname)) return [];
        a.setAttribute('data-gate-link', `${o.token}-${index}`);
        const target = (a.getAttribute('target') ?? base).trim();
        return [
          {
            mark: `${o.token}-${index}`,
            href: a.href,
            visible: a.getClientRects().length > 0 && getComputedStyle(a).visibility !== 'hidden',
            inNavigation: a.closest(o.navigation) !== null,
            text: (a.textContent || a.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim().slice(0, 60),
            newTab: !/^(|_self|_top|_parent)$/i.test(target),
            noReferrer: /(^|\s)noreferrer(\s|$)/i.test(a.rel),
            // Only `_blank` (and noopener, noreferrer) leaves the new tab without its opener; a named target keeps it.
            opener: /(^|\s)opener(\s|$)/i.test(a.rel) || (target.toLowerCase() !== '_blank' && !/(^|\s)no(opener|referrer)(\s|$)/i.test(a.rel)),
          },
        ];
      });
    }, { wanted: pathnames, token, navigation: NAVIGATION }, { world: 'isolated' }).catch(() => []);
    const matching = links.filter((l) => paths.includes(pageKey(l.href, ownHosts) ?? ''));
    found = (prefer === 'content' ? matching.find((l) => l.visible && !l.inNavigation) : undefined) ?? matching.find((l) => l.visible) ?? matching[0] ?? null;
    return found !== null;
  }, waitMs, 100);
  return found;
}

/** Opens the page's closed menus ({@link markMenus}) one after another until a link to one of `paths` shows; that link, else null. */
async function throughMenus(page: Page, paths: string[], ownHosts: Iterable<string>, prefer: 'content' | 'navigation'): Promise<FoundLink | null> {
  const token = menuToken();
  const marked = await markMenus(page, token);
  for (let i = 0; i < marked; i++) {
    if (!(await openMenu(page, token, i))) continue;
    const link = await findLink(page, paths, ownHosts, prefer, 1_500);
    if (link) return link;
  }
  return null;
}

/**
 * The site path a link or URL shows, hash route included (`/#/tickets`); null off the site (another host,
 * or another scheme on a host the site names as its own). Relative links resolve against `from`.
 * Discovery and the journeys key pages the same way, through here.
 */
export function pageKey(href: string, ownHosts: Iterable<string>, from = '/'): string | null {
  let url: URL;
  try {
    url = new URL(href, SITE_UNDER_TEST_ORIGIN + from);
  } catch {
    return null;
  }
  // A `blob:` or `data:` URL the page made is none of its pages, though a blob's origin is the page's.
  const ours = /^https?:$/.test(url.protocol) && (url.origin === SITE_UNDER_TEST_ORIGIN || new Set(ownHosts).has(url.host));
  return ours ? url.pathname + pageQuery(url.searchParams) + hashRouteOf(url.hash) : null;
}

/**
 * Query parameters that name who sent the visitor, not what the page shows: campaign tags, click IDs, the
 * affiliate link's own (a redirect link's `?cid=` too, which a hash route's links keep: `/?cid=…#/tickets`).
 */
const NOT_CONTENT = new RegExp(`^(utm_\\w+|fbclid|gclid|gbraid|wbraid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|ref|${Object.values(LINK_PARAMS).join('|')})$`, 'i');

/**
 * The part of a link's query that may change what the page shows (`/checkout?event=summit-2026` sells
 * what its scripts read there), in a stable order; `''` when nothing is left.
 */
export function pageQuery(params: URLSearchParams): string {
  const kept = [...params].filter(([name]) => !NOT_CONTENT.test(name)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return kept.length > 0 ? `?${new URLSearchParams(kept).toString()}` : '';
}

/** `#/tickets` and `#!/tickets` are a router's routes (Vue's and Angular's hash modes); `#faq` is a place on the page. */
export function hashRouteOf(hash: string): string {
  return /^#!?\/./.test(hash) ? hash : '';
}
