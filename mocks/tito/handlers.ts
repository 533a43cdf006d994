import { readFileSync } from 'node:fs';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { CheckoutProblem, type TitoCheckout } from './checkout.ts';
import { eventFor, SUPPORTED_LOCALES, type TitoEvent } from './event.ts';
import type { CompleteRequest, StartRequest, WidgetLoaded } from './payloads.ts';

const read = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8');
const CHECKOUT_UI = read('./checkout-ui.js');
const EMBED = `${CHECKOUT_UI}\n${read('./embed.js')}`;
const TITO_V2_JS = `${EMBED}\n${read('./tito.js')}`;
const TITO_V1_JS = `${EMBED}\n${read('./tito-v1.js')}`;
const javascript = (body: string) => new HttpResponse(body, { headers: { 'content-type': 'application/javascript' } });
const html = (body: string, status = 200) => new HttpResponse(body, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
const inScript = (value: unknown) => JSON.stringify(value).replaceAll('<', '\\u003c');

// js.tito.io/v2 with its plugins in the path, a comma-separated list per segment: /with/inline,ga4,
// /with/development_mode/without/widget-css, or a list a site joins at run time. Any plugin name
// loads. msw matches the URL without its query string, so a cache-busting ?v=… loads too.
const V2_SCRIPT = /^https:\/\/js\.tito\.io\/v2(\/(with|without)\/([\w-]|,|%2[Cc])+)*\/?$/;
const V1_SCRIPT = /^https:\/\/js\.tito\.io\/v1\/?$/;
// v1 sites link Tito's stylesheet beside the script.
const V1_STYLESHEET = /^https:\/\/css\.tito\.io\/v1(\.\d+)?\/?$/;

// The checkout page inside the default embed's iframe: the same UI, served with the event's data
// (one round trip fewer, as a server-rendered page), reporting its events and whether it shows
// tickets to the page by postMessage.
const embedHtml = (loaded: WidgetLoaded) => `<!doctype html><html><head><meta charset="utf-8"><title>Tito checkout</title></head><body>
<div id="tito-checkout"></div>
<script>${CHECKOUT_UI}</script>
<script>
  var options = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  options.preloaded = ${inScript(loaded)};
  window.__titoMountCheckout(document.getElementById('tito-checkout'), options, function (name, payload) {
    parent.postMessage({ tito: 'event', name: name, payload: payload }, '*');
  }, function (state, message) {
    parent.postMessage({ tito: 'state', state: state, message: message }, '*');
  });
</script></body></html>`;

const brokenEmbedHtml = (message: string) =>
  `<!doctype html><html><head><meta charset="utf-8"></head><body><div class="tito-widget-form"><p class="tito-error" role="alert">${message.replaceAll('<', '&lt;')}</p></div>
<script>parent.postMessage({ tito: 'state', state: 'error', message: ${inScript(message)} }, '*');</script></body></html>`;

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
    // Only for events the stand-in made up: their releases are whatever the storefront names.
    ...(event.madeUp ? { made_up: true } : {}),
  };
}

function localeProblem(locale: string | null): string | undefined {
  return locale && !SUPPORTED_LOCALES.includes(locale) ? `The Tito widget could not load: locale "${locale}" is not supported` : undefined;
}

export interface TitoOptions {
  /**
   * The events a test describes. Any other `account/event` a page embeds sells too, made up from its
   * slug (`eventFor`): real sites sell several events, of one account or of several.
   */
  events?: TitoEvent[];
  /** The test's checkout, which charges paid orders through the organiser's Stripe account. */
  checkout: TitoCheckout;
}

/**
 * The mocked Tito: js.tito.io/v2 (with any plugin path), the deprecated js.tito.io/v1, the checkout
 * iframe, and the checkout API the widget talks to. The checkout endpoints are the stand-in's own;
 * Tito's are not public.
 */
export function titoHandlers({ events = [], checkout }: TitoOptions): HttpHandler[] {
  const find = (params: Record<string, unknown>) => eventFor(`${String(params.account)}/${String(params.event)}`, events);
  const problem = (error: unknown) => {
    if (error instanceof CheckoutProblem) return HttpResponse.json({ error: error.message }, { status: 422 });
    throw error;
  };

  return [
    http.get(V2_SCRIPT, () => javascript(TITO_V2_JS)),
    http.get(V1_SCRIPT, () => javascript(TITO_V1_JS)),
    http.get(V1_STYLESHEET, () => new HttpResponse('tito-widget { display: block; }', { headers: { 'content-type': 'text/css' } })),
    http.get('https://checkout.tito.io/:account/:event/embed', ({ params, request }) => {
      const event = find(params);
      if (!event) return html(brokenEmbedHtml(noEvent(request.url)), 404);
      const problem = localeProblem(new URL(request.url).searchParams.get('locale'));
      return html(problem ? brokenEmbedHtml(problem) : embedHtml(widgetLoaded(event)));
    }),
    http.get('https://checkout.tito.io/:account/:event/widget', ({ params, request }) => {
      const event = find(params);
      if (!event) return HttpResponse.json({ error: noEvent(request.url) }, { status: 404 });
      const problem = localeProblem(new URL(request.url).searchParams.get('locale'));
      return problem ? HttpResponse.json({ error: problem }, { status: 400 }) : HttpResponse.json(widgetLoaded(event));
    }),
    http.post('https://checkout.tito.io/:account/:event/registrations', async ({ params, request }) => {
      const event = find(params);
      if (!event) return HttpResponse.json({ error: noEvent(request.url) }, { status: 404 });
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
    // Any other checkout path (a slug that is not `account/event`) is "not found", as Tito answers.
    http.get(/^https:\/\/checkout\.tito\.io\/.*\/embed$/, ({ request }) => html(brokenEmbedHtml(noEvent(request.url)), 404)),
    http.all(/^https:\/\/checkout\.tito\.io\//, ({ request }) => HttpResponse.json({ error: noEvent(request.url) }, { status: 404 })),
  ];
}

/** "Tito has no event account/event" for a checkout URL, whatever its path holds. */
function noEvent(url: string): string {
  const path = decodeURIComponent(new URL(url).pathname).replace(/^\/|\/(embed|widget|registrations.*)$/g, '');
  return `Tito has no event ${path}`;
}
