/**
 * The mocked Tito: its widget scripts (v2, default iframe embed and the `inline` plugin; the deprecated
 * v1), its checkout (which charges paid orders through the Stripe stand-in), and the typed event a
 * test describes. It sells any `account/event` a page embeds: `eventFor(slug, events)` says what.
 * In the browser, `window.__titoStandIn` records every storefront it mounted (see embed.js).
 *
 * @example
 * const checkout = new TitoCheckout(stripeLedger);
 * network.use(...titoHandlers({ events: [titoEvent('acme-events/summit-2026')], checkout }));
 */
export { titoHandlers, type TitoOptions } from './handlers.ts';
export { TitoCheckout, CheckoutProblem } from './checkout.ts';
export { titoEvent, eventFor, releaseOf, SUPPORTED_LOCALES, type TitoEvent, type TitoRelease, type TitoDiscountCode } from './event.ts';
export type * from './payloads.ts';
