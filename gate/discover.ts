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
import { fetchSitePath } from './site.ts';
import { scanHtml } from './audit/html.ts';

export interface DiscoveredPage {
  path: string;
  /** How the gate found it: "SITE_PAGES", "sitemap", "link on /x", "link drawn by a script on /x", "the home page". */
  foundBy: string[];
  status: number;
  /** The HTML as the site serves it ('' when the answer was not HTML). */
  html: string;
  /** What the browser saw, in browser mode. */
  rendered?: RenderedPage;
}

export interface Discovery {
  pages: DiscoveredPage[];
  findings: Finding[];
  /** Paths only a single-page app's scripts route to (served its /index.html, as its host would). */
  clientRoutes: Set<string>;
}

interface Options {
  siteUrl: string;
  pages?: string[];
  maxPages: number;
  /** Renders a page in the browser; without it, discovery reads served HTML only. */
  render?: (path: string) => Promise<RenderedPage>;
  /** Paths only a single-page app's scripts route to; the site's handlers serve them its /index.html. */
  clientRoutes: Set<string>;
}

const NOT_A_PAGE = /\.(?!html?$)(png|jpe?g|gif|svg|webp|avif|ico|pdf|zip|ics|xml|txt|json|css|js|mjs|map|mp4|webm|mp3|woff2?|ttf|eot|rss|atom|csv|docx?|xlsx?|pptx?)$/i;

export async function discover(options: Options): Promise<Discovery> {
  const found = new Map<string, DiscoveredPage>();
  const findings: Finding[] = [];
  const clientRoutes = options.clientRoutes;
  const queue: { path: string; by: string }[] = [];
  const enqueue = (path: string, by: string) => {
    const known = found.get(path) ?? queue.find((q) => q.path === path);
    if (known) {
      if ('foundBy' in known && !known.foundBy.includes(by)) known.foundBy.push(by);
      return;
    }
    queue.push({ path, by });
  };
  for (const path of options.pages ?? []) enqueue(path, 'SITE_PAGES');
  enqueue('/', 'the home page');
  const sitemap = await fromSitemap(options.siteUrl);
  findings.push(...sitemap.findings);
  for (const path of sitemap.paths) enqueue(path, 'sitemap');

  let limitNoted = false;
  while (queue.length > 0) {
    const wave = queue.splice(0, queue.length);
    const room = options.maxPages - found.size;
    if (wave.length > room && !limitNoted) {
      findings.push(finding('PAGE_LIMIT_REACHED', '*', `the site has more than ${options.maxPages} pages; ${wave.length - room} and any beyond them were not checked`, { fix: 'raise GATE_MAX_PAGES, or name the pages to check in SITE_PAGES' }));
      limitNoted = true;
    }
    const claimed = new Set(found.keys());
    const visits = await inBatches(wave.slice(0, Math.max(0, room)), 4, (item) => visit(options, item.path, clientRoutes, claimed));
    for (const [i, page] of visits.entries()) {
      const by = wave[i]!.by;
      const existing = found.get(page.path);
      if (existing || 'duplicate' in page) {
        if (existing && !existing.foundBy.includes(by)) existing.foundBy.push(by);
        continue;
      }
      found.set(page.path, { ...page, foundBy: [by] });
      const served = new Set((page.html ? scanHtml(page.html).links : []).map((href) => pagePath(href, page.path)));
      for (const path of served) if (path && path !== page.path) enqueue(path, `link on ${page.path}`);
      for (const href of page.rendered?.links ?? []) {
        const path = pagePath(href, page.path);
        if (path && path !== page.path && !served.has(path)) enqueue(path, `link drawn by a script on ${page.path}`);
      }
    }
  }
  return { pages: [...found.values()], findings, clientRoutes };
}

/**
 * Fetches a page (following the site's redirects) and renders it, unless another path of this wave
 * already led to the same page (`/about` and `/about/`): then only its way of being found is kept.
 */
async function visit(options: Options, path: string, clientRoutes: Set<string>, claimed: Set<string>): Promise<Omit<DiscoveredPage, 'foundBy'> | { path: string; duplicate: true }> {
  const { response, finalPath } = await fetchSitePath(options.siteUrl, path);
  const key = response.ok ? finalPath : path;
  if (claimed.has(key)) return { path: key, duplicate: true };
  claimed.add(key);
  const isHtml = /html/.test(response.headers.get('content-type') ?? '');
  const html = response.ok && isHtml ? await response.text() : '';
  let status = response.status;
  if (!options.render) return { path: response.ok ? finalPath : path, status, html };
  if (status === 404 && (await looksLikeAppShell(options.siteUrl))) clientRoutes.add(path);
  const rendered = await options.render(clientRoutes.has(path) ? path : finalPath);
  if (clientRoutes.has(path) && rendered.status === 200) status = 200;
  return { path: response.ok ? finalPath : path, status, html: clientRoutes.has(path) && !html ? await shellHtml(options.siteUrl) : html, rendered };
}

/** A site whose /index.html is a script-driven shell routes on the client: its host serves the shell for every route. */
async function looksLikeAppShell(siteUrl: string): Promise<boolean> {
  const html = await shellHtml(siteUrl);
  return /<script[^>]+type=["']?module/i.test(html) && /<div id=["']?(root|app|__next|svelte)["']?>\s*<\/div>/i.test(html);
}

async function shellHtml(siteUrl: string): Promise<string> {
  const { response } = await fetchSitePath(siteUrl, '/index.html');
  return response.ok ? response.text() : '';
}

/** The site path of a link, when it is a page of the site under test. */
function pagePath(href: string, from: string): string | null {
  let url: URL;
  try {
    url = new URL(href, SITE_UNDER_TEST_ORIGIN + from);
  } catch {
    return null;
  }
  if (url.origin !== SITE_UNDER_TEST_ORIGIN || NOT_A_PAGE.test(url.pathname)) return null;
  return url.pathname;
}

async function fromSitemap(siteUrl: string): Promise<{ paths: string[]; findings: Finding[] }> {
  const locs: string[] = [];
  const pending = ['/sitemap.xml', '/sitemap_index.xml', '/sitemap-index.xml'];
  const seen = new Set<string>();
  for (let i = 0; i < pending.length && seen.size < 50; i++) {
    const file = pending[i]!;
    if (seen.has(file)) continue;
    seen.add(file);
    const { response } = await fetchSitePath(siteUrl, file).catch(() => ({ response: null }));
    if (!response?.ok || !/xml/.test(response.headers.get('content-type') ?? '')) continue;
    const parsed = new XMLParser().parse(await response.text()) as { urlset?: { url?: Loc | Loc[] }; sitemapindex?: { sitemap?: Loc | Loc[] } };
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
  return { paths, findings };
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

/** Runs `work` over `items`, at most `size` at a time, keeping the items' order in the results. */
async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}

