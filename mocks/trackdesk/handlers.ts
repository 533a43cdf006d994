import { http, HttpResponse, type HttpHandler } from 'msw';
import { browserScript, scriptLiteral } from '../browser-script.ts';
import type { TrackdeskCollector, Verdict } from './collector.ts';
import {
  LINK_PARAMS,
  linkIdOfRedirect,
  REDIRECT_LINK_ROUTE,
  SCRIPT_KEY_PLACEHOLDER,
  TRACKING_API,
  TRACKING_JS_PROTOCOL,
  TRACKING_SCRIPT_REQUEST,
  TRACKING_SCRIPT_URL,
  tenantRoute,
  type ClickAnswer,
  type ClickCall,
  type ConversionCall,
  type ExternalCidCall,
  type UnknownCommandCall,
} from './protocol.ts';

// The stand-in's parts in one script, as tracking.js is one file; the protocol is filled in.
const TRACKING_JS = browserScript(import.meta.url, ['./tracking-arguments.js', './tracking-queue.js', './tracking.js'], {
  __TRACKDESK_PROTOCOL__: TRACKING_JS_PROTOCOL,
});

/**
 * How the browser asked for tracking.js (Playwright's resource type: `script`, `fetch`, …), set on the
 * request by markTrackingScriptRequests (fixtures/mocked-trackdesk.ts): the request a handler sees
 * cannot tell a `<script>` from the page's own fetch().
 */
export const REQUESTED_AS_HEADER = 'x-mocked-trackdesk-requested-as';

/** The mocked Trackdesk's network surface: tracking.js on its CDN, and every tenant's tracking API. */
export function trackdeskHandlers(collector: TrackdeskCollector): HttpHandler[] {
  const answer = (verdict: Verdict<unknown>, ok: (record: never) => object = () => ({})) =>
    verdict.accepted
      ? HttpResponse.json(ok(verdict.record as never))
      : HttpResponse.json({ error: 'rejected', reasons: verdict.reasons }, { status: 400 });
  const host = (request: Request) => new URL(request.url).host;

  return [
    // The snippet's protocol-relative URL becomes http:// on a plain-http page.
    http.get(TRACKING_SCRIPT_REQUEST, ({ request }) => {
      // Only a copy the browser runs as a script gets keys: a page that fetch()es tracking.js to read it learns none.
      const keys = request.headers.get(REQUESTED_AS_HEADER) === 'script' ? collector.serveTrackingScript() : null;
      return new HttpResponse(TRACKING_JS.replaceAll(SCRIPT_KEY_PLACEHOLDER, () => scriptLiteral(keys)), { headers: { 'content-type': 'application/javascript' } });
    }),
    http.post(tenantRoute(TRACKING_API.click), async ({ request }) => {
      const call: ClickCall = { ...((await request.json()) as ClickCall), userAgent: request.headers.get('user-agent') ?? undefined };
      return answer(collector.click(host(request), call), (click: ClickAnswer): ClickAnswer => ({ cid: click.cid, expiredAt: click.expiredAt }));
    }),
    http.post(tenantRoute(TRACKING_API.externalCid), async ({ request }) => answer(collector.externalCid(host(request), (await request.json()) as ExternalCidCall))),
    http.post(tenantRoute(TRACKING_API.conversion), async ({ request }) => answer(collector.conversion(host(request), (await request.json()) as ConversionCall))),
    // A redirect link: Trackdesk makes the click, then sends the visitor to the landing page with the CID.
    http.get(REDIRECT_LINK_ROUTE, ({ request }) => {
      const url = new URL(request.url);
      const secondHop = url.searchParams.get('to');
      if (secondHop) return metaRefresh(secondHop);
      const followed = collector.followRedirectLink(url.host, linkIdOfRedirect(url.pathname));
      if (!followed) return HttpResponse.text(`No redirect link ${url.pathname} on ${url.host}`, { status: 404 });
      const landing = new URL(followed.link.landingUrl);
      landing.searchParams.set(LINK_PARAMS.cid, followed.click.cid);
      switch (followed.link.mode) {
        case '307':
          return new HttpResponse(null, { status: 307, headers: { location: landing.href } });
        case 'meta-refresh':
          return metaRefresh(landing.href);
        case 'double-meta-refresh':
          // Through the redirect domain once more, so the landing page sees no affiliate referrer.
          return metaRefresh(`${url.origin}${url.pathname}?to=${encodeURIComponent(landing.href)}`);
      }
    }),
    http.post(tenantRoute(TRACKING_API.unknownCommand), async ({ request }) => answer(collector.unknownCommand(host(request), (await request.json()) as UnknownCommandCall))),
    // Anything else on a Trackdesk host answers loudly with what the stand-in supports.
    http.all(tenantRoute('/.*'), ({ request }) =>
      HttpResponse.json(
        {
          error: `the mocked Trackdesk has no ${request.method} ${new URL(request.url).pathname}`,
          supported: [
            `GET ${TRACKING_SCRIPT_URL.slice(2)}`,
            `POST ${TRACKING_API.click}`,
            `POST ${TRACKING_API.externalCid}`,
            `POST ${TRACKING_API.conversion}`,
            'GET /r/<linkId> (redirect links)',
          ],
        },
        { status: 404 },
      ),
    ),
  ];
}

function metaRefresh(target: string): Response {
  return new HttpResponse(`<!doctype html><meta http-equiv="refresh" content="0;url=${target.replaceAll('"', '&quot;')}">`, {
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
}
