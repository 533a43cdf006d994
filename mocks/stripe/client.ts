import Stripe from 'stripe';

/**
 * The real Stripe SDK pointed at stripe-mock. No retries: a request stripe-mock rejects is a request
 * Stripe would reject, and must fail the test at once.
 */
export function stripeClient(stripeMockUrl: string, secretKey: string): Stripe {
  const url = new URL(stripeMockUrl);
  return new Stripe(secretKey, {
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
}
