import Stripe from 'stripe';
import { stripeMockAddresses } from './connection.ts';

export { connectionFailure, stripeMockAddress } from './connection.ts';

/**
 * The real Stripe SDK pointed at stripe-mock. No retries: a request stripe-mock rejects is a request
 * Stripe would reject, and must fail the test at once.
 */
export function stripeClient(stripeMockUrl: string, secretKey: string, { timeout }: { timeout?: number } = {}): Stripe {
  const url = new URL(stripeMockUrl);
  const stripe = new Stripe(secretKey, {
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    maxNetworkRetries: 0,
    telemetry: false,
    ...(timeout ? { timeout } : {}),
  });
  stripeMockAddresses.set(stripe, url.origin);
  return stripe;
}
