import type Stripe from 'stripe';
import { HarnessFault } from '../../fixtures/harness-fault.ts';
import { connectionFailure, stripeMockAddress } from './connection.ts';

/**
 * A payment as the organiser's Stripe account holds it: the charge stripe-mock returned, with what a
 * stateless mock cannot know (this payment's id, amount, customer, metadata, outcome) overlaid.
 */
export interface LedgerCharge extends Stripe.Charge {
  /** `customer`, as an id (the ledger never expands it). */
  customerId: string;
  paymentIntentId: string;
  /** live, test, or a sandbox (a test-mode account of its own). */
  mode: StripeMode;
}

export type StripeMode = 'live' | 'test' | 'sandbox';

/** A customer as stripe-mock returned it, with the email, name and metadata that were sent. */
export type LedgerCustomer = Stripe.Customer;

const TEST_PAYMENT_METHODS: Record<string, 'succeeded' | 'failed'> = {
  pm_card_visa: 'succeeded',
  pm_card_mastercard: 'succeeded',
  pm_card_chargeDeclined: 'failed',
};

/** Stripe's `card_declined`: the charge exists, failed. */
export class CardDeclined extends Error {
  readonly code = 'card_declined';
  constructor(readonly charge: LedgerCharge) {
    super('Your card was declined.');
  }
}

/**
 * One test's Stripe account. stripe-mock validates every call (a call Stripe would reject throws) but
 * keeps nothing, so the ledger keeps the objects each call returned, with what stripe-mock could not
 * reflect overlaid. Reads go through stripe-mock too, then answer from the ledger. A call stripe-mock
 * never answers is a {@link HarnessFault}, never a verdict on the site.
 */
export class StripeLedger {
  readonly #customers = new Map<string, LedgerCustomer>();
  readonly #intents: Stripe.PaymentIntent[] = [];
  readonly #charges: LedgerCharge[] = [];

  constructor(
    /** The SDK client for stripe-mock; a promise of one while stripe-mock still starts (the gate checks pages meanwhile). */
    private readonly stripe: Stripe | Promise<Stripe>,
    /** Which kind of Stripe account this is; stripe-mock itself only ever runs in test mode. */
    readonly mode: StripeMode = 'test',
  ) {}

  async createCustomer(params: Stripe.CustomerCreateParams & { email: string }): Promise<LedgerCustomer> {
    const reply = await this.#ask((stripe) => stripe.customers.create(params));
    // stripe-mock answers every metadata with {}, and a later retrieve with its fixture's email and name.
    const customer: LedgerCustomer = { ...reply, email: params.email, name: params.name ?? null, metadata: stringRecord(params.metadata) };
    this.#customers.set(customer.id, customer);
    return customer;
  }

  /**
   * Charges a customer with a confirmed PaymentIntent. stripe-mock answers every confirm with the same
   * fixture state, so the outcome of Stripe's test payment methods is modelled here: `pm_card_visa`
   * succeeds, `pm_card_chargeDeclined` leaves a failed charge and throws {@link CardDeclined}.
   */
  async chargeCustomer(
    params: Stripe.PaymentIntentCreateParams & { customer: string; payment_method: string },
  ): Promise<LedgerCharge> {
    if (!this.#customers.has(params.customer)) {
      throw new Error(`Stripe would reject this payment: no such customer ${params.customer} in this test's Stripe account.`);
    }
    const outcome = TEST_PAYMENT_METHODS[params.payment_method];
    if (!outcome) throw new Error(`The ledger models Stripe's test payment methods ${Object.keys(TEST_PAYMENT_METHODS).join(', ')}, not ${params.payment_method}.`);
    const reply = await this.#ask((stripe) => stripe.paymentIntents.create({ ...params, confirm: true, expand: ['latest_charge'] }));
    const succeeded = outcome === 'succeeded';
    // stripe-mock's expanded charge is one fixture (one id, a refund already on it) for every payment.
    const chargeId = `ch_${reply.id.replace(/^pi_/, '')}`;
    const metadata = stringRecord(params.metadata);
    const intent: Stripe.PaymentIntent = {
      ...reply,
      metadata,
      status: succeeded ? 'succeeded' : 'requires_payment_method',
      amount_received: succeeded ? reply.amount : 0,
      latest_charge: chargeId,
    };
    const charge: LedgerCharge = {
      ...(reply.latest_charge as Stripe.Charge),
      id: chargeId,
      amount: reply.amount,
      amount_captured: succeeded ? reply.amount : 0,
      captured: succeeded,
      currency: reply.currency.toLowerCase(),
      customer: params.customer,
      payment_intent: reply.id,
      metadata,
      paid: succeeded,
      status: outcome,
      failure_code: succeeded ? null : 'card_declined',
      failure_message: succeeded ? null : 'Your card was declined.',
      refunded: false,
      refunds: { object: 'list', data: [], has_more: false, url: `/v1/charges/${chargeId}/refunds` },
      customerId: params.customer,
      paymentIntentId: reply.id,
      mode: this.mode,
    };
    this.#intents.push(intent);
    this.#charges.push(charge);
    if (!succeeded) throw new CardDeclined(charge);
    return charge;
  }

  /** Refunds a charge in full, as the organiser would from the Stripe dashboard. */
  async refund(chargeId: string): Promise<void> {
    const charge = this.#charges.find((c) => c.id === chargeId);
    if (!charge) throw new Error(`No such charge: '${chargeId}' in this test's Stripe account.`);
    const reply = await this.#ask((stripe) => stripe.refunds.create({ charge: chargeId }));
    const refund: Stripe.Refund = { ...reply, amount: charge.amount, currency: charge.currency, charge: charge.id, payment_intent: charge.paymentIntentId };
    charge.refunded = true;
    charge.amount_refunded = charge.amount;
    charge.refunds = { object: 'list', data: [refund], has_more: false, url: `/v1/charges/${charge.id}/refunds` };
  }

  /** The account's charges, newest first, as `GET /v1/charges` would list them. */
  async listCharges(): Promise<LedgerCharge[]> {
    await this.#ask((stripe) => stripe.charges.list({ limit: 100 }));
    return [...this.#charges].reverse();
  }

  async retrieveCustomer(id: string): Promise<LedgerCustomer> {
    await this.#ask((stripe) => stripe.customers.retrieve(id));
    const customer = this.#customers.get(id);
    if (!customer) throw new Error(`No such customer: '${id}' in this test's Stripe account.`);
    return customer;
  }

  /** What the ledger holds, without calling Stripe: for assertions. */
  get charges(): readonly LedgerCharge[] {
    return this.#charges;
  }

  get paymentIntents(): readonly Stripe.PaymentIntent[] {
    return this.#intents;
  }

  get customers(): readonly LedgerCustomer[] {
    return [...this.#customers.values()];
  }

  /** A Stripe call; one that stripe-mock never answered is the harness's fault, told as such. */
  async #ask<T>(call: (stripe: Stripe) => Promise<T>): Promise<T> {
    const stripe = await this.stripe;
    try {
      return await call(stripe);
    } catch (error) {
      const failure = connectionFailure(error);
      if (failure === undefined) throw error;
      throw new HarnessFault(`stripe-mock at ${stripeMockAddress(stripe) ?? '(an address the ledger was not told)'} stopped answering (${failure})`, { cause: error });
    }
  }
}

function stringRecord(metadata: Stripe.MetadataParam | '' | null | undefined): Record<string, string> {
  if (!metadata) return {};
  return Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, String(v)]));
}
