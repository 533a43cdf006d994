import { readFileSync } from 'node:fs';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { CheckoutProblem, type TitoCheckout } from './checkout.ts';
import { SUPPORTED_LOCALES, type TitoEvent } from './event.ts';
import type { CompleteRequest, StartRequest, WidgetLoaded } from './payloads.ts';

const read = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8');
const CHECKOUT_UI = read('./checkout-ui.js');
const TITO_JS = `${CHECKOUT_UI}\n${read('./tito.js')}`;
const javascript = (body: string) => new HttpResponse(body, { headers: { 'content-type': 'application/javascript' } });

// The checkout page inside the default embed's iframe: the same UI, served with the event's data
// (one round trip fewer, as a server-rendered page), reporting its events to the page by postMessage.
const embedHtml = (loaded: WidgetLoaded) => `<!doctype html><html><head><meta charset="utf-8"><title>Tito checkout</title></head><body>
<div id="tito-checkout"></div>
<script>${CHECKOUT_UI}</script>
<script>
  var options = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  options.preloaded = ${JSON.stringify(loaded).replaceAll('<', '\\u003c')};
  window.__titoMountCheckout(document.getElementById('tito-checkout'), options, function (name, payload) {
    parent.postMessage({ tito: 'event', name: name, payload: payload }, '*');
  });
</script></body></html>`;

const brokenEmbedHtml = (message: string) =>
  `<!doctype html><html><head><meta charset="utf-8"></head><body><div class="tito-widget-form"><p class="tito-error" role="alert">${message.replaceAll('<', '&lt;')}</p></div></body></html>`;

function widgetLoaded(event: TitoEvent): WidgetLoaded {
  return {
    title: event.title,
    currency: event.currency,
    currency_symbol: event.currencySymbol,
    contact_email: event.contactEmail,
    default_locale: event.defaultLocale,
    path: `${event.account.slug}/${event.slug}`,
    releases: event.releases.map((r) => ({ slug: r.slug, title: r.title, price: r.price })),
    terms_url: event.termsUrl ?? null,
  };
}

function localeProblem(locale: string | null): string | undefined {
  return locale && !SUPPORTED_LOCALES.includes(locale) ? `The Tito widget could not load: locale "${locale}" is not supported` : undefined;
}

export interface TitoOptions {
  /** The events this Tito account sells; the widget shows "not found" for any other. */
  events: TitoEvent[];
  /** The test's checkout, which charges paid orders through the organiser's Stripe account. */
  checkout: TitoCheckout;
}

/**
 * The mocked Tito: js.tito.io/v2 (with any plugin path), the checkout iframe, and the checkout API the
 * widget talks to. The checkout endpoints are the stand-in's own; Tito's are not public.
 */
export function titoHandlers({ events, checkout }: TitoOptions): HttpHandler[] {
  const find = (account: unknown, slug: unknown) => events.find((e) => e.account.slug === account && e.slug === slug);
  const notFound = (account: unknown, slug: unknown) =>
    HttpResponse.json({ error: `Tito has no event ${String(account)}/${String(slug)}` }, { status: 404 });
  const problem = (error: unknown) => {
    if (error instanceof CheckoutProblem) return HttpResponse.json({ error: error.message }, { status: 422 });
    throw error;
  };

  return [
    http.get(/^https:\/\/js\.tito\.io\/v2(\/(with|without)\/[a-z_-]+)*\/?$/, () => javascript(TITO_JS)),
    http.get('https://checkout.tito.io/:account/:event/embed', ({ params, request }) => {
      const event = find(params.account, params.event);
      if (!event) return notFound(params.account, params.event);
      const problem = localeProblem(new URL(request.url).searchParams.get('locale'));
      return new HttpResponse(problem ? brokenEmbedHtml(problem) : embedHtml(widgetLoaded(event)), {
        headers: { 'content-type': 'text/html; charset=utf-8' },
      });
    }),
    http.get('https://checkout.tito.io/:account/:event/widget', ({ params, request }) => {
      const event = find(params.account, params.event);
      if (!event) return notFound(params.account, params.event);
      const problem = localeProblem(new URL(request.url).searchParams.get('locale'));
      return problem ? HttpResponse.json({ error: problem }, { status: 400 }) : HttpResponse.json(widgetLoaded(event));
    }),
    http.post('https://checkout.tito.io/:account/:event/registrations', async ({ params, request }) => {
      const event = find(params.account, params.event);
      if (!event) return notFound(params.account, params.event);
      try {
        return HttpResponse.json(checkout.start(event, (await request.json()) as StartRequest));
      } catch (error) {
        return problem(error);
      }
    }),
    http.post('https://checkout.tito.io/:account/:event/registrations/:slug/complete', async ({ params, request }) => {
      try {
        return HttpResponse.json(await checkout.complete(String(params.slug), (await request.json()) as CompleteRequest));
      } catch (error) {
        return problem(error);
      }
    }),
  ];
}
