/**
 * Which pages the gate checks, and how each was found: the user's SITE_PAGES, the sitemap, links in
 * the served HTML, and links that the page's own scripts drew once they ran in the browser (client
 * routes, React navigation). In the browser each page is also looked at as a visitor sees it: the Tito
 * storefronts it shows and the scripts it really ran, for the audit.
 */
import { XMLParser } from 'fast-xml-parser';
import { finding, type Finding } from './findings.ts';
import { SITE_UNDER_TEST_ORIGIN } from './hosts.ts';
import type { RenderedPage } from './render.ts';
import { fetchSitePath, MAX_FILE_BYTES, textWithin } from './site.ts';
import { scanHtml } from './audit/html.ts';
import { DEFAULT_DISCOVERY_DEADLINE_MS, READ_DEADLINE_MS } from './limits.ts';
import { pageKey } from './navigation.ts';

export interface DiscoveredPage {
  path: string;
  /** How the gate found it: "SITE_PAGES", "sitemap", "link on /x", "link drawn by a script on /x", "the home page". */
  foundBy: string[];
  status: number;
  /** Pages of the site this page links to (served and drawn links, in page order): the ways a visitor navigates on. */
  links: string[];
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

interface Options {
  siteUrl: string;
  pages?: string[];
  maxPages: number;
  /** Renders a page in the browser; without it, discovery reads served HTML only. */
  render?: (path: string) => Promise<RenderedPage>;
  /** Paths only a single-page app's scripts route to; the site's handlers serve them its /index.html. */
  clientRoutes: Set<string>;
  /** Hosts the site names as its own (its sitemap's, its canonical URL's); grows as pages are found. */
  ownHosts: Set<string>;
  /** Discovery as a whole stops visiting further pages after this long. */
  deadlineMs?: number;
}

const NOT_A_PAGE = /\.(png|jpe?g|gif|svg|webp|avif|ico|pdf|zip|ics|xml|txt|json|css|js|mjs|map|mp4|webm|mp3|woff2?|ttf|eot|rss|atom|csv|docx?|xlsx?|pptx?)$/i;

export async function discover(options: Options): Promise<Discovery> {
  const started = Date.now();
  const found = new Map<string, DiscoveredPage>();
  const findings: Finding[] = [];
  const aliases = new Map<string, string>();
  const seen = new Set<string>();
  const queue: { path: string; by: string }[] = [];
  const enqueue = (path: string, by: string) => {
    const known = found.get(path);
    if (known && !known.foundBy.includes(by)) known.foundBy.push(by);
    if (known || seen.has(path)) return;
    seen.add(path);
    queue.push({ path, by });
  };
  const sitemap = await fromSitemap(options.siteUrl);
  if (sitemap.home) options.ownHosts.add(sitemap.home);
  for (const path of options.pages ?? []) enqueue(path, 'SITE_PAGES');
  enqueue('/', 'the home page');
  findings.push(...sitemap.findings);
  for (const path of sitemap.paths) enqueue(path, 'sitemap');

  let limitNoted = false;
  const deadline = Date.now() + (options.deadlineMs ?? DEFAULT_DISCOVERY_DEADLINE_MS);
  while (queue.length > 0) {
    if (Date.now() > deadline) {
      findings.push(finding('GATE_LIMIT_REACHED', '*', `discovery took longer than ${Math.round((deadline - started) / 1000)} s; ${queue.length} pages it found were not visited`, { fix: 'name the pages to check in SITE_PAGES, or find the page that keeps the gate busy (its GATE_LIMIT_REACHED warning)' }));
      break;
    }
    const wave = queue.splice(0, queue.length);
    const room = options.maxPages - found.size;
    if (wave.length > room && !limitNoted) {
      findings.push(finding('PAGE_LIMIT_REACHED', '*', `the site has more than ${options.maxPages} pages; ${wave.length - room} and any beyond them were not checked`, { fix: 'raise GATE_MAX_PAGES, or name the pages to check in SITE_PAGES' }));
      limitNoted = true;
    }
    const claimed = new Set(found.keys());
    const visits = await atMost(wave.slice(0, Math.max(0, room)), 4, (item) => visit(options, item.path, claimed));
    for (const [i, visited] of visits.entries()) {
      const by = wave[i]!.by;
      const landed = visited.kind === 'page' ? visited.page.path : visited.path;
      if (visited.kind !== 'not a page' && landed !== wave[i]!.path) aliases.set(wave[i]!.path, landed);
      if (visited.kind === 'duplicate') {
        found.get(visited.path)?.foundBy.push(by);
        continue;
      }
      if (visited.kind === 'not a page') {
        if (visited.why) findings.push(finding('PAGE_NOT_LOADED', visited.path, `${visited.path} (${by}) ${visited.why}, so it was not checked`));
        continue;
      }
      const page = visited.page;
      for (const limit of page.rendered?.limits ?? []) findings.push(finding('GATE_LIMIT_REACHED', page.path, `${page.path}: ${limit}`));
      for (const host of ownHostsOf(page.html)) options.ownHosts.add(host);
      const served = new Set((page.html ? scanHtml(page.html).links : []).map((href) => pagePath(href, page.path, options.ownHosts)));
      const drawn = (page.rendered?.links ?? []).map((href) => pagePath(href, page.path, options.ownHosts));
      const links = [...new Set([...served, ...drawn])].filter((p): p is string => p !== null && p !== page.path);
      found.set(page.path, { ...page, links, foundBy: [by] });
      for (const path of links) enqueue(path, served.has(path) ? `link on ${page.path}` : `link drawn by a script on ${page.path}`);
    }
  }
  return { pages: [...found.values()], findings, aliases };
}

type Visit = { kind: 'page'; page: Omit<DiscoveredPage, 'foundBy' | 'links'> } | { kind: 'duplicate'; path: string } | { kind: 'not a page'; path: string; why?: string };

/**
 * Fetches a path (following the site's redirects) and renders it when it is a page of the site: HTML
 * from the site itself. A redirect off the site, or a file that is not HTML, is not a page to check;
 * another path of this wave that led to the same page (`/about` and `/about/`) only adds how it was found.
 */
async function visit(options: Options, path: string, claimed: Set<string>): Promise<Visit> {
  const route = hashRoute(path);
  if (route) return visitHashRoute(options, route, claimed);
  const fetched = await fetchSitePath(options.siteUrl, path).catch((error: Error) => error);
  if (fetched instanceof Error) return { kind: 'not a page', path, why: `could not be fetched (${fetched.message})` };
  const { response, finalPath } = fetched;
  const isHtml = /html/.test(response.headers.get('content-type') ?? '');
  if (response.status >= 300 && response.status < 400) return { kind: 'not a page', path };
  if (response.ok && !isHtml) return { kind: 'not a page', path };
  const clientRoute = response.status === 404 && options.render !== undefined && (await looksLikeAppShell(options.siteUrl));
  if (!response.ok && !clientRoute) return { kind: 'not a page', path, why: `answered ${response.status}` };
  const key = response.ok ? finalPath : path;
  if (claimed.has(key)) return { kind: 'duplicate', path: key };
  claimed.add(key);
  if (clientRoute) options.clientRoutes.add(path);
  const html = clientRoute ? await shellHtml(options.siteUrl) : await textWithin(response);
  if (html === undefined) return { kind: 'not a page', path: key, why: `is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB, or took longer than ${READ_DEADLINE_MS / 1000} s to send` };
  const rendered = await options.render?.(key).catch(() => undefined);
  return { kind: 'page', page: { path: key, status: clientRoute ? (rendered?.status ?? 404) : response.status, html, rendered } };
}

/**
 * A hash route (`/#/tickets`, `/#!/tickets`) is a view of the page it is on: the site serves that page's
 * HTML, and the page's router shows the route once it runs. It is a page to check only in the browser.
 */
async function visitHashRoute(options: Options, route: { page: string; hash: string }, claimed: Set<string>): Promise<Visit> {
  const path = route.page + route.hash;
  if (!options.render) return { kind: 'not a page', path };
  const fetched = await fetchSitePath(options.siteUrl, route.page).catch((error: Error) => error);
  if (fetched instanceof Error || !fetched.response.ok) return { kind: 'not a page', path, why: fetched instanceof Error ? `could not be fetched (${fetched.message})` : `answered ${fetched.response.status}` };
  await fetched.response.body?.cancel();
  const key = fetched.finalPath + route.hash;
  if (claimed.has(key)) return { kind: 'duplicate', path: key };
  claimed.add(key);
  const rendered = await options.render(key).catch(() => undefined);
  return { kind: 'page', page: { path: key, status: fetched.response.status, html: '', rendered } };
}

/** `/#/tickets` → the page `/` and its route `#/tickets`; null for a path without one. */
export function hashRoute(path: string): { page: string; hash: string } | null {
  const at = path.indexOf('#');
  return at < 0 ? null : { page: path.slice(0, at), hash: path.slice(at) };
}

/** Hosts a page names as its own (canonical link, og:url, base): its links and scripts on them are the site's. */
function ownHostsOf(html: string): string[] {
  const urls = [
    /<link[^>]+rel=["']?canonical["']?[^>]*href=["']?([^"' >]+)/i,
    /<link[^>]+href=["']?([^"' >]+)["']?[^>]*rel=["']?canonical/i,
    /<meta[^>]+property=["']?og:url["']?[^>]*content=["']?([^"' >]+)/i,
    /<base[^>]+href=["']?([^"' >]+)/i,
  ].map((pattern) => pattern.exec(html)?.[1]);
  return urls.flatMap((u) => (u && /^https?:\/\//.test(u) ? [new URL(u).host] : []));
}

/** A site whose /index.html is a script-driven shell routes on the client: its host serves the shell for every route. */
async function looksLikeAppShell(siteUrl: string): Promise<boolean> {
  const html = await shellHtml(siteUrl);
  return /<script[^>]+type=["']?module/i.test(html) && /<div id=["']?(root|app|__next|svelte)["']?>\s*<\/div>/i.test(html);
}

async function shellHtml(siteUrl: string): Promise<string> {
  const { response } = await fetchSitePath(siteUrl, '/index.html');
  return response.ok ? ((await textWithin(response)) ?? '') : '';
}

/** The site path of a link, when it is a page of the site under test (on its origin, or on a host it names as its own). */
function pagePath(href: string, from: string, ownHosts: ReadonlySet<string>): string | null {
  const path = pageKey(href, ownHosts, from);
  return path === null || NOT_A_PAGE.test(hashRoute(path)?.page ?? path) ? null : path;
}

async function fromSitemap(siteUrl: string): Promise<{ paths: string[]; findings: Finding[]; home?: string }> {
  const locs: string[] = [];
  const pending = ['/sitemap.xml', '/sitemap_index.xml', '/sitemap-index.xml'];
  const seen = new Set<string>();
  for (let i = 0; i < pending.length && seen.size < 50; i++) {
    const file = pending[i]!;
    if (seen.has(file)) continue;
    seen.add(file);
    const { response } = await fetchSitePath(siteUrl, file).catch(() => ({ response: null }));
    if (!response?.ok || !/xml/.test(response.headers.get('content-type') ?? '')) continue;
    const xml = await textWithin(response);
    if (xml === undefined) continue; // over the size cap: links still find the pages
    let parsed: { urlset?: { url?: Loc | Loc[] }; sitemapindex?: { sitemap?: Loc | Loc[] } };
    try {
      parsed = new XMLParser().parse(xml) as { urlset?: { url?: Loc | Loc[] }; sitemapindex?: { sitemap?: Loc | Loc[] } };
    } catch {
      continue; // a sitemap that does not parse adds nothing; links still find the pages
    }
    locs.push(...[parsed.urlset?.url ?? []].flat().map((e) => String(e.loc)));
    for (const nested of [parsed.sitemapindex?.sitemap ?? []].flat()) {
      const path = safePath(String(nested.loc));
      if (path) pending.push(path);
    }
  }
  // A sitemap names the production host; its own host is the one most of its URLs are on.
  const hosts = locs.map((l) => safeUrl(l)?.host).filter((h): h is string => Boolean(h));
  const home = mostCommon(hosts);
  const findings: Finding[] = [];
  const paths: string[] = [];
  for (const loc of locs) {
    const url = safeUrl(loc);
    if (!url) continue;
    if (home && url.host !== home) {
      findings.push(finding('SITEMAP_FOREIGN_URL', '*', `the sitemap names ${url.origin}${url.pathname}, on ${url.host}, not on the site's own ${home}: skipped`, { file: '/sitemap.xml' }));
      continue;
    }
    if (!NOT_A_PAGE.test(url.pathname) && !paths.includes(url.pathname)) paths.push(url.pathname);
  }
  return { paths, findings, home };
}

type Loc = { loc: string };

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

/** Runs `work` over `items`, at most `size` at a time (the next starts as soon as one ends), keeping the items' order in the results. */
async function atMost<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}
