/**
 * Which pages the gate checks, and how each was found: the user's SITE_PAGES, the sitemap, links in
 * the served HTML, and links that the page's own scripts drew once they ran in the browser (client
 * routes, React navigation). In the browser each page is also looked at as a visitor sees it: the Tito
 * storefronts it shows and the scripts it really ran, for the audit.
 */
import { finding, type Finding } from './findings.ts';
import { hostKind, SITE_UNDER_TEST_ORIGIN } from './hosts.ts';
import type { RenderedPage } from './render.ts';
import { fetchSitePath, MAX_FILE_BYTES, textWithin } from './site.ts';
import { scanHtml } from './audit/html.ts';
import type { OtherWay, WayIn } from './audit/ways-in.ts';
import { DEFAULT_RUN_TIMEOUT_MS, READ_DEADLINE_MS } from './limits.ts';
import { linkFollowing, pageKey } from './navigation.ts';
import { TITO_SCRIPT_HOST } from '../mocks/tito/protocol.ts';

export interface DiscoveredPage {
  path: string;
  /**
   * How the gate found it: "SITE_PAGES", "sitemap", "link on /x", "link drawn by a script on /x", "the home page";
   * last, for a path the site's 404 page answers, {@link ANSWERED_BY_404_PAGE}.
   */
  foundBy: string[];
  status: number;
  /** Pages of the site this page links to (served and drawn links, in page order): the ways a visitor navigates on. */
  links: string[];
  /** Pages a `<select>` of this page leads to (a "Jump to" menu): a visitor navigates on these too. */
  selects?: string[];
  /** Of its links once rendered, those in its navigation and those in its content ({@link LinksIn}). */
  linksIn?: LinksIn;
  /** The HTML as the site serves it ('' when the answer was not HTML, or for a hash route: its HTML is the shell's). */
  html: string;
  /** What the browser saw, in browser mode. */
  rendered?: RenderedPage;
}

export interface Discovery {
  pages: DiscoveredPage[];
  findings: Finding[];
  /** Link paths that led to a page of another path (`/tickets` → `/tickets/`). */
  aliases: Map<string, string>;
}

/** A page as its served HTML shows it, before any browser opens it. */
export interface ServedPage {
  path: string;
  /** `account/event` of each Tito storefront element in the HTML. */
  storefronts: string[];
  /** Its HTML may run a script (`<script>`, an `onerror`, a frame), which may draw a storefront: a page never read is not known not to sell. */
  runsScripts: boolean;
  /**
   * The site answered the path 404 with its own 404 page, which runs scripts (on GitHub Pages, often a
   * router): a page to check only if, rendered, it sells ({@link sellsTickets}); its 404 is how it is served.
   */
  notFoundPage?: boolean;
}

/** The note on how a page was found, for a path the site's 404 page answers. */
export const ANSWERED_BY_404_PAGE = "answered by the site's 404 page";

/** Whether a rendered page sells, or may: it shows a Tito storefront, loads Tito's script, or links to Tito's checkout. */
export function sellsTickets(rendered: Pick<RenderedPage, 'storefronts' | 'scriptUrls' | 'checkoutLinks'>): boolean {
  const fromTito = (url: string) => URL.canParse(url) && new URL(url).host === TITO_SCRIPT_HOST;
  return rendered.storefronts.length > 0 || rendered.checkoutLinks.length > 0 || rendered.scriptUrls.some(fromTito);
}

/** The site as far as it is known: each page's links and storefronts (rendered, else served). */
export interface SiteMap {
  pages: { path: string; links: string[]; selects: string[]; linksIn?: LinksIn; storefronts: string[]; scripts: string[] }[];
  aliases: ReadonlyMap<string, string>;
}

interface Options {
  siteUrl: string;
  pages?: string[];
  /** The home page: `/`, or the site's base path. */
  home?: string;
  maxPages: number;
  /**
   * Renders a page in the browser; without it, discovery reads served HTML only. Called for each page
   * as soon as its HTML is in, with what that HTML shows: it limits how many run at once itself.
   */
  render?: (path: string, served: ServedPage) => Promise<RenderedPage>;
  /** Told of the site as known so far, each time it grew and no page is being fetched. */
  onMap?: (map: SiteMap) => void;
  /** Paths only a single-page app's scripts route to; the site's handlers serve them its /index.html. */
  clientRoutes: Set<string>;
  /** Hosts the site names as its own (its sitemap's, its canonical URL's); grows as pages are found. */
  ownHosts: Set<string>;
  /** The site's production host, when the settings name it (SITE_ORIGIN's): the sitemap's own host where it has it. */
  productionHost?: string;
  /** Discovery as a whole starts no further page after this long (GATE_RUN_TIMEOUT). */
  deadlineMs?: number;
  /** Once aborted, no further page is fetched. */
  signal?: AbortSignal;
}

const NOT_A_PAGE = /\.(png|jpe?g|gif|svg|webp|avif|ico|pdf|zip|ics|xml|txt|json|css|js|mjs|map|mp4|webm|mp3|woff2?|ttf|eot|rss|atom|csv|docx?|xlsx?|pptx?)$/i;
/** Links to one path with different queries (`?event=…`) that are checked as pages of their own; more are named, not checked. */
const QUERIES_PER_PATH = 10;
/** URLs read from the sitemaps, at most: 50,000 is a sitemap file's own limit. */
const SITEMAP_URLS = 100_000;
/** Paths fetched in all, a page or not, for each page GATE_MAX_PAGES allows: dead links and a stale sitemap cost fetches too. */
const FETCHES_PER_PAGE = 10;
/** Pages that could not be loaded that are named one by one; the rest are counted. */
const NOT_LOADED_NAMED = 20;
/** Links of one page that discovery follows, at most: no real page has more. */
const LINKS_PER_PAGE = 5_000;
/** Pages fetched from the site at once. */
const FETCHES_AT_ONCE = 8;
/** Paths the site's 404 page answers that are rendered to see whether it sells there; the rest stay warnings. */
const NOT_FOUND_RENDERS = 20;

/** A page found, while discovery runs. */
interface Found {
  path: string;
  status: number;
  html: string;
  /** Page paths of the served HTML's links, in page order. */
  served: string[];
  /** Page paths of the links the browser saw that the HTML does not have. */
  drawn: string[];
  /** Pages its forms, buttons and frames lead to (served and drawn), with how; discovery visits them, journeys do not take them. */
  ways: { path: string; how: WayIn }[];
  storefronts: string[];
  /** A path only the app's scripts route to: its status is the one the browser saw. */
  clientRoute?: boolean;
  /** Answered 404 by the site's 404 page, which runs scripts: a page once its render shows it sells ({@link ServedPage}). */
  notFoundPage?: boolean;
  rendered?: RenderedPage;
}

type Outcome = { kind: 'page' | 'duplicate'; key: string } | { kind: 'not a page'; why?: string };

/**
 * Every page is fetched as soon as a link names it, and rendered as soon as its HTML is in: a page's
 * served links are followed before any browser has opened it, and the links its scripts draw once it
 * has run. What was found is then told in one order, whatever order the work ended in: breadth first
 * from SITE_PAGES, the home page and the sitemap, each page's links in page order.
 */
export async function discover(options: Options): Promise<Discovery> {
  const started = Date.now();
  const deadline = started + (options.deadlineMs ?? DEFAULT_RUN_TIMEOUT_MS);
  // The sitemap is read while the first pages are fetched; what they link to is read once it is in (it may name the site's own host).
  const sitemapRead = fromSitemap(options.siteUrl, options.ownHosts, options.productionHost, options.home).then((sitemap) => {
    if (sitemap.home && hostKind(sitemap.home) === 'third-party') options.ownHosts.add(sitemap.home);
    return sitemap;
  });
  const seeds = [...(options.pages ?? []).map((path) => ({ path, by: 'SITE_PAGES' })), { path: options.home ?? '/', by: 'the home page' }];

  const outcomes = new Map<string, Outcome>();
  const found = new Map<string, Found>();
  const requested = new Set<string>();
  const queries = new Map<string, number>();
  const tooManyQueries = new Set<string>();
  /** Paths waiting for a fetch: at most FETCHES_AT_ONCE run, and no more than GATE_MAX_PAGES pages are ever claimed. */
  const waiting: string[] = [];
  /** Paths only the sitemap names, fetched after every path a link names: the walk stays breadth first from the pages. */
  const waitingFromSitemap: string[] = [];
  let fetches = 0;
  const late: string[] = [];
  let fetching = 0;
  let rendering = 0;
  let notFoundRenders = 0;
  let notFoundUnseen = 0;
  let grew = false;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const settle = () => {
    if (fetching === 0 && grew) {
      grew = false;
      options.onMap?.(siteMap(found, outcomes, options.ownHosts));
    }
    if (fetching === 0 && rendering === 0) finish();
  };
  const request = (path: string, fromSitemap = false) => {
    if (requested.has(path)) return;
    requested.add(path);
    const [pathname, query] = path.split('?');
    if (query !== undefined) {
      const seen = (queries.get(pathname!) ?? 0) + 1;
      queries.set(pathname!, seen);
      if (seen > QUERIES_PER_PATH) return void tooManyQueries.add(pathname!);
    }
    (fromSitemap ? waitingFromSitemap : waiting).push(path);
    pump();
  };
  const pump = () => {
    if (options.signal?.aborted) waiting.length = waitingFromSitemap.length = 0;
    while (waiting.length + waitingFromSitemap.length > 0 && fetching < FETCHES_AT_ONCE && found.size + fetching < options.maxPages && fetches < options.maxPages * FETCHES_PER_PAGE) {
      const path = waiting.shift() ?? waitingFromSitemap.shift()!;
      fetches += 1;
      if (Date.now() > deadline) {
        late.push(path);
        continue;
      }
      fetching += 1;
      void fetchPage(options, path, found)
        .then(async (outcome) => {
          await sitemapRead;
          arrived(path, outcome);
        })
        .finally(() => {
          fetching -= 1;
          pump();
          settle();
        });
    }
  };
  const arrived = (path: string, outcome: Outcome | { kind: 'new page'; page: Found }) => {
    grew = true;
    if (outcome.kind === 'new page' && found.has(outcome.page.path)) outcome = { kind: 'duplicate', key: outcome.page.path };
    if (outcome.kind !== 'new page') return void outcomes.set(path, outcome);
    const { page } = outcome;
    if (!page.notFoundPage) {
      accept(path, page);
      return render(page);
    }
    // Not a page (today's warning) unless the 404 page, once it ran, sells there: then a page like any other.
    outcomes.set(path, { kind: 'not a page', why: `answered ${page.status}` });
    if (notFoundRenders >= NOT_FOUND_RENDERS) return void (notFoundUnseen += 1);
    notFoundRenders += 1;
    render(page, (rendered) => {
      if (!sellsTickets(rendered) || found.has(page.path)) return false;
      accept(path, page);
      return true;
    });
  };
  /** A page of the site: its served HTML's links and ways are followed. */
  const accept = (path: string, page: Found) => {
    outcomes.set(path, { kind: 'page', key: page.path });
    found.set(page.path, page);
    const served = page.html ? scanHtml(page.html) : null;
    for (const host of ownHostsOf(served?.ownUrls ?? [])) options.ownHosts.add(host);
    const wayHrefs = served ? againstBase(served.ways.map((way) => way.href), served.base, page.path) : [];
    page.served = served ? linkPaths(againstBase(served.links, served.base, page.path), page.path, options.ownHosts) : [];
    page.ways = served ? wayPaths(served.ways.map((way, i) => ({ ...way, href: wayHrefs[i]! })), page.path, options.ownHosts) : [];
    for (const link of page.served) request(link);
    for (const way of page.ways) request(way.path);
  };
  /** Renders the page, and follows what its scripts drew; `keep` decides first whether it is a page at all. */
  const render = (page: Found, keep: (rendered: RenderedPage) => boolean = () => true) => {
    if (!options.render) return;
    rendering += 1;
    void options
      .render(page.path, { path: page.path, storefronts: page.storefronts, runsScripts: mayRunScripts(page.html), ...(page.notFoundPage ? { notFoundPage: true } : {}) })
      .catch(() => undefined)
      .then((rendered) => {
        if (!rendered || !keep(rendered)) return;
        page.rendered = rendered;
        if (page.clientRoute) page.status = rendered.status || 404;
        const drawn = linkPaths(rendered.links, page.path, options.ownHosts);
        const served = new Set(page.served);
        page.drawn = drawn.filter((link) => !served.has(link));
        const known = new Set(page.ways.map((w) => w.path));
        // A page cut off at a limit (thousands of frames of itself) leads discovery on by its links only.
        const ways = rendered.limits.length > 0 ? [] : wayPaths(rendered.ways, page.path, options.ownHosts).filter((way) => !known.has(way.path));
        page.ways.push(...ways);
        page.storefronts = rendered.storefronts;
        grew = true;
        for (const link of page.drawn) request(link);
        for (const way of ways) request(way.path);
      })
      .finally(() => {
        rendering -= 1;
        settle();
      });
  };

  for (const seed of seeds) request(seed.path);
  const sitemap = await sitemapRead;
  seeds.push(...sitemap.paths.map((path) => ({ path, by: 'sitemap' })));
  for (const path of sitemap.paths) request(path, true);
  settle();
  await finished;
  return told(seeds, found, outcomes, { sitemap: sitemap.findings, overLimit: waiting.length + waitingFromSitemap.length, late: late.length, started, deadline, maxPages: options.maxPages, tooManyQueries: [...tooManyQueries].sort(), notFoundUnseen }, options.ownHosts);
}

/** The site map as far as it is known, for journeys that start before discovery ends. */
function siteMap(found: ReadonlyMap<string, Found>, outcomes: ReadonlyMap<string, Outcome>, ownHosts: ReadonlySet<string>): SiteMap {
  const aliases = new Map<string, string>();
  for (const [path, outcome] of outcomes) if (outcome.kind !== 'not a page' && outcome.key !== path) aliases.set(path, outcome.key);
  return { pages: [...found.values()].map((p) => ({ path: p.path, links: linksOf(p), selects: selectsOf(p), linksIn: linksIn(p, ownHosts), storefronts: p.storefronts, scripts: scriptsOf(p, ownHosts) })), aliases };
}

const scriptsByPage = new WeakMap<Found, { html: string; hosts: number; rendered?: RenderedPage; scripts: string[] }>();

/** A page's scripts for planning journeys, read once per HTML (the map is made again as each page comes in). */
function scriptsOf(page: Found, ownHosts: ReadonlySet<string>): string[] {
  const known = scriptsByPage.get(page);
  // The site's hosts grow as pages come in: a file named by a host found since is named again.
  if (known?.html === page.html && known.hosts === ownHosts.size && known.rendered === page.rendered) return known.scripts;
  const scripts = page.html ? linkFollowing(scanHtml(page.html), page.path, ownHosts, page.rendered?.linkHandling) : [];
  scriptsByPage.set(page, { html: page.html, hosts: ownHosts.size, rendered: page.rendered, scripts });
  return scripts;
}

const linksOf = (page: Found) => [...new Set([...page.served, ...page.drawn])].filter((link) => link !== page.path);
const selectsOf = (page: Found) => page.ways.filter((way) => way.how === 'select').map((way) => way.path);

/** Page paths a rendered page links to from its navigation (a nav, its header or footer), and from its content. */
export interface LinksIn {
  navigation: string[];
  content: string[];
}

function linksIn(page: Found, ownHosts: ReadonlySet<string>): LinksIn | undefined {
  const { rendered } = page;
  if (!rendered?.navigationLinks || !rendered.contentLinks) return undefined;
  return { navigation: linkPaths(rendered.navigationLinks, page.path, ownHosts), content: linkPaths(rendered.contentLinks, page.path, ownHosts) };
}

/**
 * What discovery found, in the order of a breadth-first walk from the seeds (each page's links in page
 * order), so that the pages, how each was found, and the findings are the same however the work interleaved.
 */
function told(
  seeds: { path: string; by: string }[],
  found: ReadonlyMap<string, Found>,
  outcomes: ReadonlyMap<string, Outcome>,
  limits: { sitemap: Finding[]; overLimit: number; late: number; started: number; deadline: number; maxPages: number; tooManyQueries: string[]; notFoundUnseen: number },
  ownHosts: ReadonlySet<string>,
): Discovery {
  const pages: DiscoveredPage[] = [];
  const byKey = new Map<string, DiscoveredPage>();
  const aliases = new Map<string, string>();
  const notLoaded: Finding[] = [];
  const named = new Set<string>();
  const queue: { path: string; by: string; quiet?: boolean }[] = [...seeds];
  for (let i = 0; i < queue.length; i++) {
    const { path, by, quiet } = queue[i]!;
    const outcome = outcomes.get(path);
    if (!outcome) continue;
    if (outcome.kind === 'not a page') {
      // A form or a frame that leads nowhere (a search form on a static site) is no page the gate missed.
      if (outcome.why && !named.has(path) && !quiet) notLoaded.push(finding('PAGE_NOT_LOADED', path, `${path} (${by}) ${outcome.why}, so it was not checked`));
      named.add(path);
      continue;
    }
    if (outcome.key !== path) aliases.set(path, outcome.key);
    const known = byKey.get(outcome.key);
    if (known) {
      if (!known.foundBy.includes(by)) known.foundBy.push(by);
      continue;
    }
    const page = found.get(outcome.key)!;
    const entry: DiscoveredPage = { path: page.path, foundBy: [by], status: page.status, links: linksOf(page), selects: selectsOf(page), linksIn: linksIn(page, ownHosts), html: page.html, rendered: page.rendered };
    byKey.set(page.path, entry);
    pages.push(entry);
    for (const link of entry.links) queue.push({ path: link, by: page.served.includes(link) ? `link on ${page.path}` : `link drawn by a script on ${page.path}` });
    for (const way of page.ways) queue.push({ path: way.path, by: `${way.how} on ${page.path}`, quiet: true });
  }
  for (const page of pages) if (found.get(page.path)?.notFoundPage) page.foundBy.push(ANSWERED_BY_404_PAGE);
  // A site of thousands of dead links is named by its first ones and a count, not a warning each.
  const reported = notLoaded.slice(0, NOT_LOADED_NAMED);
  if (notLoaded.length > NOT_LOADED_NAMED) {
    reported.push(finding('PAGE_NOT_LOADED', '*', `${notLoaded.length - NOT_LOADED_NAMED} more pages the site links to could not be loaded either (the first ${NOT_LOADED_NAMED} are named), so they were not checked`));
  }
  const findings = [...limits.sitemap, ...reported];
  for (const page of pages) for (const limit of page.rendered?.limits ?? []) findings.push(finding('GATE_LIMIT_REACHED', page.path, `${page.path}: ${limit}`));
  for (const path of limits.tooManyQueries) {
    findings.push(finding('GATE_LIMIT_REACHED', path, `the site links to ${path} with more than ${QUERIES_PER_PATH} different queries; the first ${QUERIES_PER_PATH} were checked as pages of their own, the rest not`, { fix: 'name the ones that sell tickets in SITE_PAGES' }));
  }
  if (limits.notFoundUnseen > 0) {
    findings.push(
      finding('GATE_LIMIT_REACHED', '*', `the site's 404 page runs scripts, and it answered more paths the site links to than the ${NOT_FOUND_RENDERS} the gate looked at in a browser; ${limits.notFoundUnseen} more were not checked`, {
        fix: 'fix the links to pages the site does not have; name a page its 404 page shows in SITE_PAGES',
      }),
    );
  }
  if (limits.overLimit > 0) {
    findings.push(finding('PAGE_LIMIT_REACHED', '*', `the site has more than ${limits.maxPages} pages; ${limits.overLimit} and any beyond them were not checked`, { fix: 'raise GATE_MAX_PAGES, or name the pages to check in SITE_PAGES' }));
  }
  if (limits.late > 0) {
    // Pages never read may sell: the gate never passes a site on conversions it did not check.
    findings.push(finding('CHECK_CUT_OFF', '*', `the run reached its deadline (GATE_RUN_TIMEOUT, ${Math.round((limits.deadline - limits.started) / 1000)} s) while it discovered pages; ${limits.late === 1 ? '1 page it found was' : `${limits.late} pages it found were`} not visited, so attribution on ${limits.late === 1 ? 'it' : 'them'} could not be proven`, { fix: 'raise GATE_RUN_TIMEOUT, name the pages to check in SITE_PAGES, or find the page that keeps the gate busy (its GATE_LIMIT_REACHED warning)' }));
  }
  return { pages, findings, aliases };
}

/**
 * Fetches a path (following the site's redirects) and reads it when it is a page of the site: HTML
 * from the site itself. A redirect off the site, or a file that is not HTML, is not a page to check;
 * a path that led to a page already found (`/about` and `/about/`) only adds how it was found.
 */
async function fetchPage(options: Options, path: string, found: ReadonlyMap<string, Found>): Promise<Outcome | { kind: 'new page'; page: Found }> {
  const route = hashRoute(path);
  if (route) return fetchHashRoute(options, route, found);
  const fetched = await fetchSitePath(options.siteUrl, path).catch((error: Error) => error);
  if (fetched instanceof Error) return { kind: 'not a page', why: `could not be fetched (${fetched.message})` };
  const { response, finalPath } = fetched;
  const isHtml = /html/.test(response.headers.get('content-type') ?? '');
  if (response.status >= 300 && response.status < 400) return { kind: 'not a page' };
  if (response.ok && !isHtml) return { kind: 'not a page' };
  const clientRoute = response.status === 404 && options.render !== undefined && (await looksLikeAppShell(options));
  // The site's own 404 page may be a router (GitHub Pages' way to serve a single-page app): one that runs scripts is rendered, as a page may be.
  if (response.status === 404 && !clientRoute && options.render && isHtml) {
    const html = await textWithin(response);
    if (html !== undefined && runsScripts(html)) return { kind: 'new page', page: { path, status: 404, html, served: [], drawn: [], ways: [], storefronts: servedStorefronts(html), notFoundPage: true } };
  }
  if (!response.ok && !clientRoute) return { kind: 'not a page', why: `answered ${response.status}` };
  const key = response.ok ? finalPath : path;
  if (found.has(key)) return { kind: 'duplicate', key };
  const html = clientRoute ? await shellHtml(options.siteUrl) : await textWithin(response);
  if (html === undefined) return { kind: 'not a page', why: `is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB, or took longer than ${READ_DEADLINE_MS / 1000} s to send` };
  // Its host serves the app shell by path, whatever the query (`/register?event=summit-2026`): so does the gate.
  if (clientRoute) options.clientRoutes.add(new URL(path, 'http://site.invalid').pathname);
  return { kind: 'new page', page: { path: key, status: clientRoute ? 404 : response.status, html, served: [], drawn: [], ways: [], storefronts: servedStorefronts(html), clientRoute } };
}

/** Whether served HTML runs any script: a `<script>` of JavaScript, inline or from a file. */
const runsScripts = (html: string) => scanHtml(html).scripts.some((s) => s.src !== null || s.code !== null);

/**
 * Whether served HTML may run a script some way: a `<script>`, an event handler attribute (`<img onerror>`),
 * a `javascript:` URL, or a frame or plugin whose document may. Only HTML with none of these is HTML alone.
 */
const mayRunScripts = (html: string) => runsScripts(html) || /\son[a-z]+\s*=|javascript:|\ssrcdoc\s*=|<(?:iframe|frame|object|embed)\b/i.test(html);

const servedStorefronts = (html: string) => [...new Set(scanHtml(html).titoElements.map((e) => e.event).filter((e): e is string => Boolean(e)))];

/**
 * A hash route (`/#/tickets`, `/#!/tickets`) is a view of the page it is on: the site serves that page's
 * HTML, and the page's router shows the route once it runs. It is a page to check only in the browser.
 */
async function fetchHashRoute(options: Options, route: { page: string; hash: string }, found: ReadonlyMap<string, Found>): Promise<Outcome | { kind: 'new page'; page: Found }> {
  if (!options.render) return { kind: 'not a page' };
  const fetched = await fetchSitePath(options.siteUrl, route.page).catch((error: Error) => error);
  if (fetched instanceof Error || !fetched.response.ok) return { kind: 'not a page', why: fetched instanceof Error ? `could not be fetched (${fetched.message})` : `answered ${fetched.response.status}` };
  await fetched.response.body?.cancel();
  const key = fetched.finalPath + route.hash;
  if (found.has(key)) return { kind: 'duplicate', key };
  return { kind: 'new page', page: { path: key, status: fetched.response.status, html: '', served: [], drawn: [], ways: [], storefronts: [] } };
}

/** `/#/tickets` → the page `/` and its route `#/tickets`; null for a path without one. */
export function hashRoute(path: string): { page: string; hash: string } | null {
  const at = path.indexOf('#');
  return at < 0 ? null : { page: path.slice(0, at), hash: path.slice(at) };
}

/** Hosts a page names as its own (canonical link, og:url, base): its links and scripts on them are the site's. */
function ownHostsOf(urls: readonly string[]): string[] {
  // A page that names Trackdesk's, Tito's or Stripe's host (or one posing as theirs) as its own makes it no
  // host of the site's: their stand-ins answer there, never the site's folder.
  return urls.flatMap((u) => (/^https?:\/\//.test(u) && URL.canParse(u) && hostKind(new URL(u).host) === 'third-party' ? [new URL(u).host] : []));
}

/** A site whose /index.html is a script-driven shell routes on the client: its host serves the shell for every route. */
async function looksLikeAppShell(options: Options): Promise<boolean> {
  // Asked for each path the site does not have: read once a discovery.
  let shell = shells.get(options);
  if (!shell) {
    shell = shellHtml(options.siteUrl).then((html) => {
      const scan = scanHtml(html);
      return scan.emptyAppRoot && scan.scripts.some((s) => s.module);
    });
    shells.set(options, shell);
  }
  return shell;
}
const shells = new WeakMap<Options, Promise<boolean>>();

async function shellHtml(siteUrl: string): Promise<string> {
  const { response } = await fetchSitePath(siteUrl, '/index.html');
  return response.ok ? ((await textWithin(response)) ?? '') : '';
}

/** The site paths of links, where they are pages of the site under test (on its origin, or on a host it names as its own), once each. */
function wayPaths(ways: readonly OtherWay[], from: string, ownHosts: ReadonlySet<string>): { path: string; how: WayIn }[] {
  const paths = new Map<string, WayIn>();
  for (const way of ways.slice(0, LINKS_PER_PAGE)) for (const path of linkPaths([way.href], from, ownHosts)) if (!paths.has(path)) paths.set(path, way.how);
  return [...paths].map(([path, how]) => ({ path, how }));
}

/** Links as the browser resolves them: against the page's `<base href>` where it has one (`tickets` under `<base href="/2026/">`). */
function againstBase(hrefs: readonly string[], base: string | null, from: string): readonly string[] {
  if (!base) return hrefs;
  let baseUrl: URL;
  try {
    baseUrl = new URL(base, SITE_UNDER_TEST_ORIGIN + from);
  } catch {
    return hrefs;
  }
  return hrefs.map((href) => {
    try {
      return new URL(href, baseUrl).href;
    } catch {
      return href;
    }
  });
}

function linkPaths(hrefs: readonly string[], from: string, ownHosts: ReadonlySet<string>): string[] {
  // A page of 200,000 hidden links is read as far as a visitor's page goes: the rest cost every later step.
  const paths = hrefs.slice(0, LINKS_PER_PAGE).map((href) => pageKey(href, ownHosts, from)).filter((path): path is string => path !== null && !NOT_A_PAGE.test((hashRoute(path)?.page ?? path).split('?')[0]!));
  return [...new Set(paths)].filter((path) => path !== from);
}

async function fromSitemap(siteUrl: string, ownHosts: ReadonlySet<string>, productionHost?: string, root = '/'): Promise<{ paths: string[]; findings: Finding[]; home?: string }> {
  const locs: string[] = [];
  // At the site's root, under its base path when it has one.
  const pending = ['sitemap.xml', 'sitemap_index.xml', 'sitemap-index.xml'].map((name) => `${root}${name}`);
  const seen = new Set<string>();
  let bytesLeft = SITEMAP_BYTES;
  for (let i = 0; i < pending.length && seen.size < 50 && bytesLeft > 0; i++) {
    const file = pending[i]!;
    // The file server decodes the path: `/big.xm%6c` is `/big.xml`, read once.
    const key = decodedPath(file);
    if (seen.has(key)) continue;
    seen.add(key);
    const { response } = await fetchSitePath(siteUrl, file).catch(() => ({ response: null }));
    if (!response?.ok || !/xml/.test(response.headers.get('content-type') ?? '')) continue;
    const xml = await textWithin(response, Math.min(MAX_FILE_BYTES, bytesLeft));
    if (xml === undefined) continue; // over the size cap: links still find the pages
    bytesLeft -= Buffer.byteLength(xml);
    let parsed: { urlset?: { url?: Loc | Loc[] }; sitemapindex?: { sitemap?: Loc | Loc[] } };
    // Loaded only for a site that has a sitemap: the first pages are visited while it loads.
    const { XMLParser } = await import('fast-xml-parser');
    try {
      parsed = new XMLParser().parse(xml) as { urlset?: { url?: Loc | Loc[] }; sitemapindex?: { sitemap?: Loc | Loc[] } };
    } catch {
      continue; // a sitemap that does not parse adds nothing; links still find the pages
    }
    // One by one: a spread of 130,000 entries overflows the call stack.
    for (const entry of [parsed.urlset?.url ?? []].flat()) if (locs.length < SITEMAP_URLS) locs.push(String(entry.loc));
    for (const nested of [parsed.sitemapindex?.sitemap ?? []].flat()) {
      const path = safePath(String(nested.loc));
      if (path) pending.push(path);
    }
  }
  // A sitemap names the production host: the one the settings name (SITE_ORIGIN's) where it has it, else
  // the one most of its other URLs are on. A URL on a host already the site's (SITE_URL's), or relative, is the site's too.
  const hosts = locs.map((l) => safeUrl(l)?.host).filter((h): h is string => Boolean(h));
  const own = new Set([new URL(SITE_UNDER_TEST_ORIGIN).host, ...ownHosts]);
  const home = productionHost && hosts.includes(productionHost) ? productionHost : mostCommon(hosts.filter((h) => !own.has(h)));
  const foreign = new Map<string, { first: URL; more: number }>();
  const paths = new Set<string>();
  for (const loc of locs) {
    const url = safeUrl(loc);
    if (!url) continue;
    if (home && url.host !== home && !own.has(url.host)) {
      const known = foreign.get(url.host);
      if (known) known.more += 1;
      else foreign.set(url.host, { first: url, more: 0 });
      continue;
    }
    if (!NOT_A_PAGE.test(url.pathname)) paths.add(url.pathname);
  }
  // One warning a host: a sitemap of another site's 100,000 URLs is one mistake.
  const findings = [...foreign].map(([host, { first, more }]) =>
    finding('SITEMAP_FOREIGN_URL', '*', `the sitemap names ${first.origin}${first.pathname}${more > 0 ? ` and ${more} more URLs` : ''}, on ${host}, not on the site's own ${home}: skipped`, { file: '/sitemap.xml' }),
  );
  return { paths: [...paths], findings, home };
}

type Loc = { loc: string };

/** Sitemap bytes parsed in all, at most: a parse cannot be cut short, and sitemaps of a site's real size are far below it. */
const SITEMAP_BYTES = 20 * 1024 * 1024;

function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function safeUrl(loc: string): URL | null {
  try {
    return new URL(loc, SITE_UNDER_TEST_ORIGIN);
  } catch {
    return null;
  }
}

function safePath(loc: string): string | null {
  return safeUrl(loc)?.pathname ?? null;
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}
