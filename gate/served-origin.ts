/**
 * The origin the gate serves the site on. A visitor meets the site on its production host, and links
 * there often name it (a WordPress menu renders absolute URLs): served anywhere else, such a link leaves
 * the site's host, and the click's cookie with it. So when SITE_ORIGIN is not set, the gate takes the
 * production origin the site names as its own: its home page's canonical URL (else its og:url, or its
 * base, or the host its links to its own pages are on). Only a public host name that is nobody else's
 * (not Trackdesk's, Tito's or Stripe's, nor one posing as theirs) is taken; otherwise the site is served
 * on https://site-under-test.test, as SITE_ORIGIN=https://site-under-test.test asks for outright. A
 * folder built for a base path (a GitHub Pages project site) is served under the one its home page's
 * canonical URL names, as its host serves it.
 */
import { scanHtml } from './audit/html.ts';
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { homePath, type GateConfig } from './config.ts';
import { hostKind, siteOriginProblem } from './hosts.ts';
import { fetchSitePath, openSite, textWithin, type OpenSite } from './site.ts';

export interface ServedOrigin {
  origin: string;
  /** Where the site names it, when the gate took it from the site (SITE_ORIGIN was not set). */
  namedBy?: string;
}

/**
 * The site `config` names, answering (see {@link openSite}), and `config` with the origin to serve it on;
 * the site's description says where that origin came from when the site named it.
 */
export async function openSiteOnItsOrigin(given: GateConfig): Promise<{ site: OpenSite; config: GateConfig }> {
  let config = given;
  let site = await openSite(config);
  // A folder built for a base path its home page names, and that it has no folder for, is served there.
  const basePath = await namedBasePath(config, site.url).catch(() => undefined);
  if (basePath) {
    await site.close();
    config = { ...config, site: { ...config.site, basePath } };
    site = await openSite(config);
    site = { ...site, description: `${site.description} (the base path its home page is built for; SITE_BASE_PATH sets another)` };
  }
  // A site that cannot be read here is served where it would be without a name: its pages' fetches tell why.
  const served = await servedOrigin(config, site.url).catch((): ServedOrigin => ({ origin: config.site.origin }));
  if (served.origin === config.site.origin) return { site, config };
  const described = { ...site, description: `${site.description}, served on ${served.origin}, ${served.namedBy}; SITE_ORIGIN sets another` };
  return { site: described, config: { ...config, site: { ...config.site, origin: served.origin } } };
}

/**
 * The base path a folder of built HTML is built for (`/summit-2026/`, a GitHub Pages project site, Vite's
 * or Astro's `base`): the path of its home page's canonical URL, else the first folder its home page's
 * own links and files are under, when the folder has no folder of that name and, without it, they name
 * files the folder has. Undefined for any other site.
 */
async function namedBasePath(config: GateConfig, siteUrl: string): Promise<string | undefined> {
  const dir = config.site.dir;
  if (!dir || config.site.basePath) return undefined;
  const scan = await homeScan(siteUrl, '/');
  if (!scan) return undefined;
  // Links and files as the browser resolves them, against the page's `<base href>` (`tickets` under `/2026/`).
  const here = new URL(scan.base ?? '/', ON_THE_SITE);
  const onTheSite = (ref: string) => {
    const url = URL.canParse(ref, here) ? new URL(ref, here) : null;
    return url && (url.origin === ON_THE_SITE || url.origin === here.origin) ? [url.pathname] : [];
  };
  const refs = [...scan.links, ...scan.scripts.flatMap((s) => (s.src ? [s.src] : []))].flatMap(onTheSite);
  const dirOf = (url: string | null) => {
    const at = url && URL.canParse(url, ON_THE_SITE) ? new URL(url, ON_THE_SITE).pathname : '/';
    return at.slice(0, at.lastIndexOf('/') + 1);
  };
  // The paths the page names as its own: its canonical URL's, its `<base href>`'s.
  const named = new Set([dirOf(scan.canonical), dirOf(scan.base)]);
  const candidates = [...named, ...refs.map((ref) => /^\/[^/]+\//.exec(ref)?.[0] ?? '/')];
  const servedWithout = (ref: string, base: string) => servesFile(dir, `/${ref.slice(base.length)}`);
  for (const base of new Set(candidates)) {
    if (base === '/' || !/^\/([\w.~-]+\/)+$/.test(base) || existsSync(path.join(dir, ...base.split('/')))) continue;
    // Named by the page, one such link or file will do; else two (one link to an archive is no base path).
    const served = new Set(refs.filter((ref) => ref.startsWith(base) && ref.length > base.length && servedWithout(ref, base)));
    if (served.size >= (named.has(base) ? 1 : 2)) return base;
  }
  return undefined;
}

/** An origin of no host, to resolve the site's own references against. */
const ON_THE_SITE = 'http://site.invalid';

function decodeURIComponentOr(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The home page's served HTML, scanned; null when it is not HTML or does not answer. */
async function homeScan(siteUrl: string, home: string): Promise<ReturnType<typeof scanHtml> | null> {
  const answer = await fetchSitePath(siteUrl, home).catch(() => null);
  const html = answer?.response.ok && /html/.test(answer.response.headers.get('content-type') ?? '') ? await textWithin(answer.response) : undefined;
  return html === undefined ? null : scanHtml(html);
}

export async function servedOrigin(config: Pick<GateConfig, 'site'>, siteUrl: string): Promise<ServedOrigin> {
  if (config.site.originSet) return { origin: config.site.origin };
  const scan = await homeScan(siteUrl, homePath(config));
  // The canonical URL first, wherever it stands: it is the one that names the production URL.
  for (const url of scan ? [...(scan.canonical ? [scan.canonical] : []), ...scan.ownUrls] : []) {
    const origin = productionOrigin(url);
    if (origin) return { origin, namedBy: 'the origin its home page names as its own' };
  }
  const linked = scan && config.site.dir ? hostOfOwnPages(scan, config.site.dir) : null;
  if (linked) return { origin: linked, namedBy: "the host its home page's links to its own pages are on" };
  return { origin: config.site.origin };
}

/**
 * Without a canonical URL, the host the home page's absolute links point to its own pages on (a WordPress
 * menu's `https://www.acme-summit.com/workshop`, where the folder has workshop.html): served anywhere
 * else, those links would leave the site, and the pages only they lead to would go unchecked. Links to
 * pages (HTML) only, a host and its `www.` pair as one (its most linked name taken); the host with most
 * such pages, none on a tie.
 */
function hostOfOwnPages(scan: ReturnType<typeof scanHtml>, dir: string): string | null {
  const sites = new Map<string, { pages: Set<string>; links: Map<string, number> }>();
  for (const ref of scan.links) {
    const origin = productionOrigin(ref);
    if (!origin) continue;
    const { pathname, hostname } = new URL(ref);
    if (pathname === '/' || !servesFile(dir, pathname, { pages: true })) continue;
    const site = sites.get(hostname.replace(/^www\./, '')) ?? { pages: new Set<string>(), links: new Map<string, number>() };
    site.pages.add(pathname);
    site.links.set(origin, (site.links.get(origin) ?? 0) + 1);
    sites.set(hostname.replace(/^www\./, ''), site);
  }
  const [first, second] = [...sites.values()].sort((a, b) => b.pages.size - a.pages.size);
  if (!first || (second && second.pages.size === first.pages.size)) return null;
  return [...first.links].sort((a, b) => b[1] - a[1])[0]![0];
}

/**
 * Whether the folder has a file (or, with `pages`, an HTML page) that `pathname` names, as a static host
 * serves it (`x`, `x.html`, `x/index.html`): by its real path, inside the folder (a symlink out of it names no page, as the server
 * serves none; nothing of the machine's other files shows in what the gate says).
 */
function servesFile(dir: string, pathname: string, { pages = false } = {}): boolean {
  const file = path.join(dir, ...decodeURIComponentOr(pathname).split('/'));
  if (!file.startsWith(dir + path.sep)) return false;
  // A page: an HTML file (a brochure.pdf or app.js the site also has is no page of it).
  const candidates = [file, `${file}.html`, path.join(file, 'index.html')].filter((f) => !pages || /\.html?$/i.test(f));
  return candidates.some((f) => {
    try {
      return statSync(f).isFile() && realpathSync(f).startsWith(realpathSync(dir) + path.sep);
    } catch {
      return false;
    }
  });
}

/** The https origin of `url` when it can be a site's production origin; null otherwise. */
function productionOrigin(url: string): string | null {
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return null;
  const { hostname, port } = new URL(url);
  const origin = `https://${hostname}`;
  if (port || siteOriginProblem(origin) !== null || hostKind(hostname) !== 'third-party') return null;
  return origin;
}
