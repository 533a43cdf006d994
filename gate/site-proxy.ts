import { http, HttpResponse, type HttpHandler } from 'msw';
import { SITE_UNDER_TEST_ORIGIN } from './hosts.ts';
import { fetchFromSite } from './site.ts';

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'content-encoding', 'content-length', 'upgrade'];

export interface ProxyOptions {
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
 * A redirect within the site reaches the browser as the host sends it, on the origin the browser asked
 * (`/tickets` → `/tickets/`): the browser's URL becomes the page's, and relative URLs on it resolve as in
 * production.
 */
export function siteHandlers(siteUrl: string, options: ProxyOptions = {}): HttpHandler[] {
  const origin = new URL(siteUrl).origin;
  const ownHosts = options.ownHosts ?? new Set<string>();
  const isSite = (url: URL) => url.origin === SITE_UNDER_TEST_ORIGIN || (/^https?:$/.test(url.protocol) && ownHosts.has(url.host));
  return [
    // Any URL, answered only when it is the site's (returning nothing hands the request to the next handler).
    http.all(/^https?:\/\//, async ({ request }) => {
      if (!isSite(new URL(request.url))) return undefined;
      const asked = new URL(request.url);
      const body = ['GET', 'HEAD'].includes(request.method) ? undefined : await request.arrayBuffer();
      let answer = await fetchFromSite(origin, asked.pathname + asked.search, request, body, { follow: false });
      if (answer.status === 404 && request.method === 'GET' && options.clientRoutes?.has(asked.pathname)) {
        answer = await fetchFromSite(origin, '/index.html', request, undefined);
      }
      if (answer.status === 404) options.onNotFound?.(`${asked.pathname}${asked.search}`);
      const headers = new Headers(answer.headers);
      for (const name of HOP_BY_HOP) headers.delete(name);
      const location = headers.get('location');
      const redirectTo = location && answer.status >= 300 && answer.status < 400 && URL.canParse(location, `${origin}${asked.pathname}`) ? new URL(location, `${origin}${asked.pathname}`) : null;
      if (redirectTo?.origin === origin) headers.set('location', `${asked.origin}${redirectTo.pathname}${redirectTo.search}${redirectTo.hash}`);
      return new HttpResponse(request.method === 'HEAD' ? null : await answer.arrayBuffer(), { status: answer.status, headers });
    }),
  ];
}

