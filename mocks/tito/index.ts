/**
 * The mocked Tito: its widget script (default iframe embed and the `inline` plugin), its checkout
 * (which charges paid orders through the Stripe stand-in), and the typed event a test describes.
 *
 * @example
 * const checkout = new TitoCheckout(stripeLedger);
 * network.use(...titoHandlers({ events: [titoEvent('acme-events/summit-2026')], checkout }));
 */
export { titoHandlers, type TitoOptions } from './handlers.ts';
export { TitoCheckout, CheckoutProblem } from './checkout.ts';
export { titoEvent, SUPPORTED_LOCALES, type TitoEvent, type TitoRelease, type TitoDiscountCode } from './event.ts';
export type * from './payloads.ts';
