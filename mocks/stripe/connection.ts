import type Stripe from 'stripe';

/**
 * What the ledger needs to know of a client's connection, without loading the Stripe SDK (the gate's
 * pages are visited while it loads; the SDK is needed only once a page is bought on).
 */

/** The stripe-mock address of each client `stripeClient()` made. */
export const stripeMockAddresses = new WeakMap<Stripe, string>();

/** The stripe-mock address a client made by `stripeClient()` talks to. */
export function stripeMockAddress(stripe: Stripe): string | undefined {
  return stripeMockAddresses.get(stripe);
}

/**
 * Why a request got no answer at all (refused, reset, timed out), or undefined when stripe-mock answered,
 * even with an error: an answer is Stripe's verdict, no answer is the harness's fault. The SDK's
 * `StripeConnectionError`, known by its documented `type`.
 */
export function connectionFailure(error: unknown): string | undefined {
  if (!(error instanceof Error) || (error as { type?: unknown }).type !== 'StripeConnectionError') return undefined;
  return ((error as { detail?: { message?: string } }).detail)?.message ?? error.message;
}
