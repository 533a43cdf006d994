/**
 * The origin the gate serves the site on. A visitor meets the site on its production host, and links
 * there often name it (a WordPress menu renders absolute URLs): served anywhere else, such a link leaves
 * the site's host, and the click's cookie with it. So when SITE_ORIGIN is not set, the gate takes the
 * production origin the site names as its own: its home page's canonical URL (else its og:url, or its
 * base). Only a public host name that is nobody else's (not Trackdesk's, Tito's or Stripe's, nor one
 * posing as theirs) is taken; otherwise the site is served on https://site-under-test.test, as
 * SITE_ORIGIN=https://site-under-test.test asks for outright.
 */
import { scanHtml } from './audit/html.ts';
import type { GateConfig } from './config.ts';
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
export async function openSiteOnItsOrigin(config: GateConfig): Promise<{ site: OpenSite; config: GateConfig }> {
  const site = await openSite(config);
  // A site that cannot be read here is served where it would be without a name: its pages' fetches tell why.
  const served = await servedOrigin(config, site.url).catch((): ServedOrigin => ({ origin: config.site.origin }));
  if (served.origin === config.site.origin) return { site, config };
  const described = { ...site, description: `${site.description}, served on ${served.origin}, ${served.namedBy}; SITE_ORIGIN sets another` };
  return { site: described, config: { ...config, site: { ...config.site, origin: served.origin } } };
}

export async function servedOrigin(config: Pick<GateConfig, 'site'>, siteUrl: string): Promise<ServedOrigin> {
  if (config.site.originSet) return { origin: config.site.origin };
  const home = await fetchSitePath(siteUrl, '/').catch(() => null);
  const html = home?.response.ok && /html/.test(home.response.headers.get('content-type') ?? '') ? await textWithin(home.response) : undefined;
  const scan = html === undefined ? null : scanHtml(html);
  // The canonical URL first, wherever it stands: it is the one that names the production URL.
  for (const url of scan ? [...(scan.canonical ? [scan.canonical] : []), ...scan.ownUrls] : []) {
    const origin = productionOrigin(url);
    if (origin) return { origin, namedBy: 'the origin its home page names as its own' };
  }
  return { origin: config.site.origin };
}

/** The https origin of `url` when it can be a site's production origin; null otherwise. */
function productionOrigin(url: string): string | null {
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return null;
  const { hostname, port } = new URL(url);
  const origin = `https://${hostname}`;
  if (port || siteOriginProblem(origin) !== null || hostKind(hostname) !== 'third-party') return null;
  return origin;
}
