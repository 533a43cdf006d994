/**
 * The mocked Tito: its widget script, its checkout (which charges through the Stripe stand-in), and
 * the typed event a test describes.
 *
 * @example
 * network.use(...titoHandlers({ events: [titoEvent('acme-events/summit-2026')], stripe: ledger }));
 */
export { titoHandlers, type TitoOptions } from './handlers.ts';
export { titoEvent, type TitoEvent, type TitoRelease } from './event.ts';
export type * from './payloads.ts';
