/**
 * The mocked Trackdesk: tracking.js and the tracking API (handlers), the collector that records and
 * validates every call per test, and the Stripe app that turns Stripe payments into conversions.
 *
 * @example
 * const trackdesk = new TrackdeskCollector(account);
 * network.use(...trackdeskHandlers(trackdesk));
 * await new TrackdeskStripeApp(trackdesk, ledger).checkNow();
 */
export { trackdeskHandlers } from './handlers.ts';
export { TrackdeskCollector, systemClock, type Clock, type Verdict } from './collector.ts';
export { TrackdeskStripeApp, type SyncReport, type UnattributedPayment } from './stripe-app.ts';
export type * from './records.ts';
