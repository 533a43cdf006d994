import { http, HttpResponse, type HttpHandler } from 'msw';
import { libraryCopy } from './cdn-libraries.ts';
import { siblingHost, SITE_UNDER_TEST_ORIGIN } from './hosts.ts';
import { fetchFromSite } from './site.ts';

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'content-encoding', 'content-length', 'upgrade'];
/** A request that loads a page, a tab's or a frame's: Chromium marks those alone (routes see no Sec-Fetch-Dest). */
const loadsPage = (request: Request) => request.headers.get('upgrade-insecure-requests') === '1';

/**
 * A page's HTML that first sets the browser's URL to `pathAndQuery` (the URL a redirect led to), before
 * any element of the page can resolve a URL against it: a `<base>` for the browser's preload scanner,
 * which reads ahead of any script, and a script that sets the URL and removes both. Inserted after the
 * doctype (before it, the page would render in quirks mode), as bytes: the page's encoding is left as it is.
 */
function atUrl(html: Buffer, pathAndQuery: string): Buffer {
  const start = html.subarray(0, 1024).toString('latin1');
  // A page in UTF-16 is left as it is: its URL stays the one the browser asked for.
  if (/^(\xfe\xff|\xff\xfe)/.test(start)) return html;
  const at = /^(\xef\xbb\xbf)?\s*(<!doctype[^>]*>)?/i.exec(start)![0].length;
  const url = JSON.stringify(pathAndQuery).replace(/</g, '\\u003c');
  const set = `<base href=${url.replace(/&/g, '&amp;')}><script>history.replaceState(history.state,"",${url}+location.hash);document.currentScript.previousSibling.remove();document.currentScript.remove()</script>`;
  return Buffer.concat([html.subarray(0, at), Buffer.from(set, 'latin1'), html.subarray(at)]);
}

/**
 * A page's HTML without the `integrity` of its script tags that load a library the gate answers with its own
 * copy (gate/cdn-libraries.ts): pinned to the CDN's bytes, the copy would be refused, and the page left
 * without it. Blanked in place, so every line keeps its number.
 */
function withoutLibraryIntegrity(html: Buffer): Buffer {
  const text = html.toString('latin1');
  if (!/integrity/i.test(text)) return html;
  const kept = text.replace(/<script\b[^>]*>/gi, (tag) => {
    const src = /\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
    const url = (src?.[1] ?? src?.[2] ?? src?.[3] ?? '').trim();
    if (!libraryCopy(url.startsWith('//') ? `https:${url}` : url)) return tag;
    return tag.replace(/\sintegrity\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/i, (attribute) => attribute.replace(/[^\n]/g, ' '));
  });
  return kept === text ? html : Buffer.from(kept, 'latin1');
}

export interface ProxyOptions {
  /** The origin the browser asks for the site on (SITE_ORIGIN); {@link SITE_UNDER_TEST_ORIGIN} by default. */
  origin?: string;
  /** Called for every same-origin request the site answers with 404. */
  onNotFound?: (url: string) => void;
  /** Client-side routes of a single-page app: a navigation to one that 404s gets the app's /index.html, as its host would. */
  clientRoutes?: ReadonlySet<string>;
  /**
   * Hosts the site names as its own (its production host in a sitemap or canonical URL, SITE_URL's host):
   * absolute URLs on them are the site's too, served from it rather than answered as a third party.
   */
  ownHosts?: ReadonlySet<string>;
}

/**
 * Answers every request to the site's https origin from the site's server: any method, headers and
 * body passed on. Only `siteUrl`'s own origin is ever fetched: the target is that origin plus the
 * request's path, never a URL resolved against it (a path such as `//other-host/x` stays a path).
 * Same-origin redirects are followed here (Chromium fetches a redirect's target past any route, where
 * the site's origin resolves nowhere), and a page a redirect led to takes that URL at once, as after a
 * host's redirect: a relative URL on tickets/index.html, reached by `/tickets`, resolves inside /tickets/.
 */
export function siteHandlers(siteUrl: string, options: ProxyOptions = {}): HttpHandler[] {
  const origin = new URL(siteUrl).origin;
  const ownHosts = options.ownHosts ?? new Set<string>();
  const served = options.origin ?? SITE_UNDER_TEST_ORIGIN;
  const isSite = (url: URL) => url.origin === served || (/^https?:$/.test(url.protocol) && ownHosts.has(url.host));
  return [
    // Any URL, answered only when it is the site's (returning nothing hands the request to the next handler).
    http.all(/^https?:\/\//, async ({ request }) => {
      if (!isSite(new URL(request.url))) return undefined;
      const asked = new URL(request.url);
      // A page asked for on plain http on the https origin's host, or on its host's `www.` pair: the host
      // sends it on to the origin, as hosts do. By script: Chromium would fetch an HTTP redirect's target past every route.
      const paired = served !== SITE_UNDER_TEST_ORIGIN && asked.hostname === siblingHost(new URL(served).hostname);
      if (((asked.protocol === 'http:' && `https://${asked.host}` === served) || paired) && loadsPage(request)) {
        const to = JSON.stringify(`${served}${asked.pathname}${asked.search}${asked.hash}`).replace(/</g, '\\u003c');
        return new HttpResponse(`<!doctype html><script>location.replace(${to})</script>`, { headers: { 'content-type': 'text/html; charset=utf-8' } });
      }
      const body = ['GET', 'HEAD'].includes(request.method) ? undefined : await request.arrayBuffer();
      let answer = await fetchFromSite(origin, asked.pathname + asked.search, request, body);
      // Where the site's redirects led (a client route's shell, below, is served where it was asked for).
      const final = new URL(answer.url || `${origin}${asked.pathname}${asked.search}`);
      const moved = final.origin === origin && final.pathname + final.search !== asked.pathname + asked.search;
      if (answer.status === 404 && request.method === 'GET' && options.clientRoutes?.has(asked.pathname)) {
        answer = await fetchFromSite(origin, '/index.html', request, undefined);
      }
      if (answer.status === 404) options.onNotFound?.(`${asked.pathname}${asked.search}`);
      const headers = new Headers(answer.headers);
      for (const name of HOP_BY_HOP) headers.delete(name);
      if (request.method === 'HEAD') return new HttpResponse(null, { status: answer.status, headers });
      const bytes = Buffer.from(await answer.arrayBuffer());
      // A redirect off the site is handed on as it is: the browser's page is the one it leads to.
      const page = loadsPage(request) && (answer.status < 300 || answer.status >= 400) && /html/.test(headers.get('content-type') ?? '');
      const shown = page ? withoutLibraryIntegrity(bytes) : bytes;
      return new HttpResponse(moved && page ? atUrl(shown, final.pathname + final.search) : shown, { status: answer.status, headers });
    }),
  ];
}

