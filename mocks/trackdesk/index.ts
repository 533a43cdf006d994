/**
 * The mocked Trackdesk: tracking.js and every tenant's tracking API (handlers), the collector that
 * validates and records every call per test, the Stripe app that turns Stripe payments into
 * conversions, the pages a person uses (the app's settings, a report), and the virtual clock they all
 * live by. Trackdesk's URLs, link format, cookie and call bodies are in protocol.ts, re-exported here;
 * modules that must stay light (the configuration, the static audit) import protocol.ts itself.
 *
 * @example
 * const clock = new VirtualClock();
 * const collector = new TrackdeskCollector(account, clock, titoCheckout); // account: { tenantId, revenueOriginId, personalToken }
 * const stripeApp = new TrackdeskStripeApp(collector, stripeLedger, clock);
 * network.use(...trackdeskHandlers(collector), ...dashboardHandlers(collector, stripeApp));
 * await markTrackingScriptRequests(context); // fixtures/mocked-trackdesk.ts: only a <script> load of tracking.js gets its key
 * stripeApp.saveSettings({ tenantId: account.tenantId, personalToken: account.personalToken });
 * // … a visit through an affiliate link, a registration …
 * await stripeApp.checkNow(); // or: await clock.advance(SYNC_INTERVAL_MS)
 * collector.conversions; // and collector.clicks, .externalCids, .rejected (each with its reasons, and whether tracking.js sent it)
 *
 * A redirect link instead of a direct one: `const path = collector.addRedirectLink({ linkId, affiliate, landingUrl, mode })`,
 * then visit `https://${tenantHost(tenantId)}${path}`.
 */
export { REQUESTED_AS_HEADER, trackdeskHandlers } from './handlers.ts';
export { dashboardHandlers, STRIPE_APP_SETTINGS_URL, TRACKDESK_REPORT_URL } from './dashboard.ts';
export { TrackdeskCollector, type RedirectLink, type Verdict } from './collector.ts';
export { VirtualClock, type Clock } from './clock.ts';
export { SYNC_INTERVAL_MS, TrackdeskStripeApp, type StripeAppSettings, type SyncReport, type UnattributedPayment } from './stripe-app.ts';
export * from './protocol.ts';
export type * from './records.ts';
