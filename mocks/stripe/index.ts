/**
 * Stripe stand-in: the real `stripe` SDK talking to stripe-mock, plus a per-test ledger that keeps
 * what stripe-mock (stateless) forgets.
 */
export { connectionFailure, stripeClient, stripeMockAddress } from './client.ts';
export { CardDeclined, StripeLedger, type LedgerCharge, type LedgerCustomer, type StripeMode } from './ledger.ts';
export { toMinorUnits, toMajorUnits } from './money.ts';
