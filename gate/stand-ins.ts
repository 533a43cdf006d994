import type { HttpHandler } from 'msw';
import type { HarnessConfig } from '../fixtures/config.ts';
import { consentManagerHandlers } from '../mocks/consent/index.ts';
import { stripeClient, StripeLedger } from '../mocks/stripe/index.ts';
import { TitoCheckout, titoHandlers } from '../mocks/tito/index.ts';
import { TrackdeskCollector, trackdeskHandlers, VirtualClock } from '../mocks/trackdesk/index.ts';
import { siteHandlers, type ProxyOptions } from './site-proxy.ts';

/**
 * The world a page is rendered in during discovery: the site, and the Trackdesk and Tito stand-ins so
 * that the page's scripts run as they would in production. Nothing is bought here, so the Stripe
 * client is never called (no stripe-mock is needed before the checks).
 */
export function discoveryHandlers(config: HarnessConfig, siteUrl: string, site: Pick<ProxyOptions, 'origin' | 'clientRoutes' | 'ownHosts'>): HttpHandler[] {
  const unused = new StripeLedger(stripeClient('http://127.0.0.1:9', config.stripe.secretKey));
  const checkout = new TitoCheckout(unused);
  const collector = new TrackdeskCollector(config.trackdesk, new VirtualClock(), checkout);
  return [...siteHandlers(siteUrl, site), ...trackdeskHandlers(collector), ...titoHandlers({ checkout }), ...consentManagerHandlers()];
}
