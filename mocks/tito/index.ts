/**
 * The mocked Tito: its widget scripts (v2, default iframe embed and the `inline` plugin; the deprecated
 * v1), its checkout (which charges paid orders through the Stripe stand-in), and the typed event a
 * test describes. It sells any `account/event` a page embeds: `eventFor(slug, events)` says what.
 * In the browser, `window.__titoStandIn` records every storefront it mounted (see embed.js). Tito's
 * hosts, script URLs and storefront elements are in protocol.ts, re-exported here; modules that must
 * stay light (the static audit) import protocol.ts itself.
 *
 * @example
 * const checkout = new TitoCheckout(stripeLedger);
 * network.use(...titoHandlers({ events: [titoEvent('acme-events/summit-2026')], checkout }));
 * // … a buyer registers on the page …
 * checkout.registrations; // every finished registration, as Tito recorded it
 */
export { titoHandlers, type TitoOptions } from './handlers.ts';
export { TitoCheckout, CheckoutProblem } from './checkout.ts';
export { titoEvent, eventFor, releaseOf, SUPPORTED_LOCALES, type TitoEvent, type TitoRelease, type TitoDiscountCode } from './event.ts';
export * from './protocol.ts';
export type * from './payloads.ts';
