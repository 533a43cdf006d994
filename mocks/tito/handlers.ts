import { http, HttpResponse, type HttpHandler } from 'msw';
import { browserScript, scriptLiteral } from '../browser-script.ts';
import { escapeRegExp } from '../patterns.ts';
import { CheckoutProblem, type TitoCheckout } from './checkout.ts';
import { eventFor, MADE_UP_PRICE, SUPPORTED_LOCALES, type TitoEvent } from './event.ts';
import type { CompleteRequest, StartRequest, WidgetLoaded } from './payloads.ts';
import { CHECKOUT_ORIGIN, STOREFRONT_ELEMENTS, TITO_V1_REQUEST, TITO_V1_STYLESHEET_REQUEST, TITO_V2_REQUEST, titoJsProtocol } from './protocol.ts';

// The stand-in's scripts, with the protocol filled in: the checkout UI is served in the page (v2's
// `inline` plugin, v1) and in the default embed's iframe.
const script = (...files: string[]) => browserScript(import.meta.url, files, { __TITO_PROTOCOL__: titoJsProtocol(MADE_UP_PRICE) });
const CHECKOUT_UI = script('./checkout-ui.js');
const TITO_V2_JS = script('./checkout-ui.js', './embed.js', './tito.js');
const TITO_V1_JS = script('./checkout-ui.js', './embed.js', './tito-v1.js');
const javascript = (body: string) => new HttpResponse(body, { headers: { 'content-type': 'application/javascript' } });
const html = (body: string, status = 200) => new HttpResponse(body, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });

// The checkout page inside the default embed's iframe: the same UI, served with the event's data
// (one round trip fewer, as a server-rendered page), reporting its events and whether it shows
// tickets to the page by postMessage.
const embedHtml = (loaded: WidgetLoaded) => `<!doctype html><html><head><meta charset="utf-8"><title>Tito checkout</title></head><body>
<div id="tito-checkout"></div>
<script>${CHECKOUT_UI}</script>
<script>
  var options = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  options.preloaded = ${scriptLiteral(loaded)};
  window.__titoMountCheckout(document.getElementById('tito-checkout'), options, function (name, payload) {
    parent.postMessage({ tito: 'event', name: name, payload: payload }, '*');
  }, function (state, message) {
    parent.postMessage({ tito: 'state', state: state, message: message }, '*');
  });
</script></body></html>`;

const brokenEmbedHtml = (message: string) =>
  `<!doctype html><html><head><meta charset="utf-8"></head><body><div class="tito-widget-form"><p class="tito-error" role="alert">${message.replaceAll('<', '&lt;')}</p></div>
<script>parent.postMessage({ tito: 'state', state: 'error', message: ${scriptLiteral(message)} }, '*');</script></body></html>`;

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
    http.get(TITO_V2_REQUEST, () => javascript(TITO_V2_JS)),
    http.get(TITO_V1_REQUEST, () => javascript(TITO_V1_JS)),
    http.get(TITO_V1_STYLESHEET_REQUEST, () => new HttpResponse(`${STOREFRONT_ELEMENTS.widget} { display: block; }`, { headers: { 'content-type': 'text/css' } })),
    http.get(`${CHECKOUT_ORIGIN}/:account/:event/embed`, ({ params, request }) => {
      const event = find(params);
      if (!event) return html(brokenEmbedHtml(noEvent(request.url)), 404);
      const problem = localeProblem(new URL(request.url).searchParams.get('locale'));
      return html(problem ? brokenEmbedHtml(problem) : embedHtml(widgetLoaded(event)));
    }),
    http.get(`${CHECKOUT_ORIGIN}/:account/:event/widget`, ({ params, request }) => {
      const event = find(params);
      if (!event) return HttpResponse.json({ error: noEvent(request.url) }, { status: 404 });
      const problem = localeProblem(new URL(request.url).searchParams.get('locale'));
      return problem ? HttpResponse.json({ error: problem }, { status: 400 }) : HttpResponse.json(widgetLoaded(event));
    }),
    http.post(`${CHECKOUT_ORIGIN}/:account/:event/registrations`, async ({ params, request }) => {
      const event = find(params);
      if (!event) return HttpResponse.json({ error: noEvent(request.url) }, { status: 404 });
      try {
        return HttpResponse.json(checkout.start(event, (await request.json()) as StartRequest));
      } catch (error) {
        return problem(error);
      }
    }),
    http.post(`${CHECKOUT_ORIGIN}/:account/:event/registrations/:slug/complete`, async ({ params, request }) => {
      try {
        return HttpResponse.json(await checkout.complete(String(params.slug), (await request.json()) as CompleteRequest));
      } catch (error) {
        return problem(error);
      }
    }),
    // Any other checkout path (a slug that is not `account/event`) is "not found", as Tito answers.
    http.get(new RegExp(`^${escapeRegExp(CHECKOUT_ORIGIN)}\\/.*\\/embed$`), ({ request }) => html(brokenEmbedHtml(noEvent(request.url)), 404)),
    http.all(new RegExp(`^${escapeRegExp(CHECKOUT_ORIGIN)}\\/`), ({ request }) => HttpResponse.json({ error: noEvent(request.url) }, { status: 404 })),
  ];
}

/** "Tito has no event account/event" for a checkout URL, whatever its path holds. */
function noEvent(url: string): string {
  const path = decodeURIComponent(new URL(url).pathname).replace(/^\/|\/(embed|widget|registrations.*)$/g, '');
  return `Tito has no event ${path}`;
}
