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
export { dashboardHandlers, STRIPE_APP_SETTINGS_URL, TRACKDESK_REPORT_URL } from './dashboard.ts';
export { TrackdeskCollector, type RedirectLink, type Verdict } from './collector.ts';
export { VirtualClock, type Clock } from './clock.ts';
export { SYNC_INTERVAL_MS, TrackdeskStripeApp, type StripeAppSettings, type SyncReport, type UnattributedPayment } from './stripe-app.ts';
export type * from './records.ts';
