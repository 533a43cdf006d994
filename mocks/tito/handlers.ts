import { readFileSync } from 'node:fs';
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { StripeLedger } from '../stripe/index.ts';
import { completeOrder, OrderProblem } from './checkout.ts';
import type { TitoEvent } from './event.ts';
import type { OrderRequest } from './payloads.ts';

const TITO_JS = readFileSync(new URL('./tito.js', import.meta.url), 'utf8');

export interface TitoOptions {
  /** The events this Tito account sells; the widget shows "not found" for any other. */
  events: TitoEvent[];
  /** The organiser's Stripe account, where paid orders are charged. */
  stripe: StripeLedger;
}

/**
 * The mocked Tito: js.tito.io/v2 (with any plugin path) and the checkout the widget talks to.
 * The checkout endpoints are the stand-in's own; Tito's are not public.
 */
export function titoHandlers({ events, stripe }: TitoOptions): HttpHandler[] {
  const find = (account: unknown, slug: unknown) => events.find((e) => e.account.slug === account && e.slug === slug);
  const notFound = (account: unknown, slug: unknown) =>
    HttpResponse.json({ error: `Tito has no event ${String(account)}/${String(slug)}` }, { status: 404 });

  return [
    http.get(/^https:\/\/js\.tito\.io\/v2(\/[a-z_/-]*)?$/, () => new HttpResponse(TITO_JS, { headers: { 'content-type': 'application/javascript' } })),
    http.get('https://checkout.tito.io/:account/:event/widget', ({ params }) => {
      const event = find(params.account, params.event);
      if (!event) return notFound(params.account, params.event);
      return HttpResponse.json({
        title: event.title,
        currency: event.currency,
        currency_symbol: event.currencySymbol,
        contact_email: event.contactEmail,
        default_locale: event.defaultLocale,
        path: `${event.account.slug}/${event.slug}`,
        releases: event.releases.map((r) => ({ slug: r.slug, title: r.title, price: r.price })),
      });
    }),
    http.post('https://checkout.tito.io/:account/:event/registrations', async ({ params, request }) => {
      const event = find(params.account, params.event);
      if (!event) return notFound(params.account, params.event);
      try {
        return HttpResponse.json(await completeOrder(event, (await request.json()) as OrderRequest, stripe));
      } catch (error) {
        if (error instanceof OrderProblem) return HttpResponse.json({ error: error.message }, { status: 422 });
        throw error;
      }
    }),
  ];
}
