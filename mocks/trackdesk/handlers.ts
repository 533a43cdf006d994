import { readFileSync } from 'node:fs';
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { ClickCall, ExternalCidCall, TrackdeskCollector, Verdict } from './collector.ts';

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
      const verdict = collector.click(new URL(request.url).host, (await request.json()) as ClickCall);
      return answer(verdict, (click: { cid: string; expiredAt: Date }) => ({ cid: click.cid, expiredAt: click.expiredAt }));
    }),
    http.post(tenantEndpoint('/tracking/external-cid/v1'), async ({ request }) =>
      answer(collector.externalCid(new URL(request.url).host, (await request.json()) as ExternalCidCall)),
    ),
    http.post(tenantEndpoint('/tracking/unknown-command'), async ({ request }) =>
      answer(collector.unknownCommand(new URL(request.url).host, (await request.json()) as { command?: unknown })),
    ),
    // Anything else on a Trackdesk host answers loudly with what the stand-in supports.
    http.all(/^https:\/\/([^./]+)\.trackdesk\.com\/.*$/, ({ request }) =>
      HttpResponse.json(
        {
          error: `the mocked Trackdesk has no ${request.method} ${new URL(request.url).pathname}`,
          supported: ['GET cdn.trackdesk.com/tracking.js', 'POST /tracking/click/v1', 'POST /tracking/external-cid/v1'],
        },
        { status: 404 },
      ),
    ),
  ];
}
