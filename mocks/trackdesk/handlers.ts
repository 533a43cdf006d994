import { readFileSync } from 'node:fs';
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { ClickCall, ConversionCall, ExternalCidCall, TrackdeskCollector, Verdict } from './collector.ts';

const TRACKING_JS = readFileSync(new URL('./tracking.js', import.meta.url), 'utf8');

// Any tenant's subdomain: a wrong Tenant ID in a snippet must reach the collector to be named.
const tenantEndpoint = (path: string) => new RegExp(`^https://([^./]+)\\.trackdesk\\.com${path.replace(/\//g, '\\/')}$`);

/** The mocked Trackdesk's network surface: tracking.js on its CDN, and every tenant's tracking API. */
export function trackdeskHandlers(collector: TrackdeskCollector): HttpHandler[] {
  const answer = (verdict: Verdict<unknown>, ok: (record: never) => object = () => ({})) =>
    verdict.accepted
      ? HttpResponse.json(ok(verdict.record as never))
      : HttpResponse.json({ error: 'rejected', reasons: verdict.reasons }, { status: 400 });

  return [
    // The snippet's protocol-relative URL becomes http:// on a plain-http page.
    http.get(/^https?:\/\/cdn\.trackdesk\.com\/tracking\.js$/, () => {
      collector.noteTrackingScriptLoad();
      return new HttpResponse(TRACKING_JS, { headers: { 'content-type': 'application/javascript' } });
    }),
    http.post(tenantEndpoint('/tracking/click/v1'), async ({ request }) => {
      const call = { ...((await request.json()) as ClickCall), userAgent: request.headers.get('user-agent') ?? undefined };
      const verdict = collector.click(new URL(request.url).host, call);
      return answer(verdict, (click: { cid: string; expiredAt: Date }) => ({ cid: click.cid, expiredAt: click.expiredAt }));
    }),
    http.post(tenantEndpoint('/tracking/external-cid/v1'), async ({ request }) =>
      answer(collector.externalCid(new URL(request.url).host, (await request.json()) as ExternalCidCall)),
    ),
    http.post(tenantEndpoint('/tracking/conversion/v1'), async ({ request }) =>
      answer(collector.conversion(new URL(request.url).host, (await request.json()) as ConversionCall)),
    ),
    // A redirect link: Trackdesk makes the click, then sends the visitor to the landing page with the CID.
    http.get(tenantEndpoint('/r/([^/?]+)'), ({ request }) => {
      const url = new URL(request.url);
      const secondHop = url.searchParams.get('to');
      if (secondHop) return metaRefresh(secondHop);
      const followed = collector.followRedirectLink(url.host, decodeURIComponent(url.pathname.split('/')[2]!));
      if (!followed) return HttpResponse.text(`No redirect link ${url.pathname} on ${url.host}`, { status: 404 });
      const landing = new URL(followed.link.landingUrl);
      landing.searchParams.set('cid', followed.click.cid);
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
    http.post(tenantEndpoint('/tracking/unknown-command'), async ({ request }) =>
      answer(collector.unknownCommand(new URL(request.url).host, (await request.json()) as { command?: unknown })),
    ),
    // Anything else on a Trackdesk host answers loudly with what the stand-in supports.
    http.all(/^https:\/\/([^./]+)\.trackdesk\.com\/.*$/, ({ request }) =>
      HttpResponse.json(
        {
          error: `the mocked Trackdesk has no ${request.method} ${new URL(request.url).pathname}`,
          supported: [
            'GET cdn.trackdesk.com/tracking.js',
            'POST /tracking/click/v1',
            'POST /tracking/external-cid/v1',
            'POST /tracking/conversion/v1',
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
