import Stripe from 'stripe';

const addresses = new WeakMap<Stripe, string>();

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
  addresses.set(stripe, url.origin);
  return stripe;
}

/** The stripe-mock address a client made by {@link stripeClient} talks to. */
export function stripeMockAddress(stripe: Stripe): string | undefined {
  return addresses.get(stripe);
}

/**
 * Why a request got no answer at all (refused, reset, timed out), or undefined when stripe-mock answered,
 * even with an error: an answer is Stripe's verdict, no answer is the harness's fault.
 */
export function connectionFailure(error: unknown): string | undefined {
  if (!(error instanceof Stripe.errors.StripeConnectionError)) return undefined;
  return (error.detail as { message?: string } | undefined)?.message ?? error.message;
}
