import type Stripe from 'stripe';

/** A payment as the organiser's Stripe account holds it: a charge on a customer. */
export interface LedgerCharge {
  id: string;
  paymentIntentId: string;
  customerId: string;
  /** In the smallest currency unit, as Stripe counts. */
  amount: number;
  /** Lowercase ISO code, as Stripe writes it. */
  currency: string;
  status: 'succeeded' | 'failed';
  livemode: boolean;
  /** live, test, or a sandbox (a test-mode account of its own). */
  mode: StripeMode;
  refunded: boolean;
  metadata: Record<string, string>;
  created: number;
}

export type StripeMode = 'live' | 'test' | 'sandbox';

export interface LedgerCustomer {
  id: string;
  email: string | null;
  name: string | null;
  livemode: boolean;
  metadata: Record<string, string>;
}

const TEST_PAYMENT_METHODS: Record<string, LedgerCharge['status']> = {
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
 * keeps nothing, so the ledger records what each call created, with the values that were sent.
 * Reads go through stripe-mock too, then answer from the ledger.
 */
export class StripeLedger {
  readonly #customers = new Map<string, LedgerCustomer>();
  readonly #charges: LedgerCharge[] = [];

  constructor(
    private readonly stripe: Stripe,
    /** Which kind of Stripe account this is; stripe-mock itself only ever runs in test mode. */
    readonly mode: StripeMode = 'test',
  ) {}

  async createCustomer(params: Stripe.CustomerCreateParams & { email: string }): Promise<LedgerCustomer> {
    const created = await this.stripe.customers.create(params);
    const customer: LedgerCustomer = {
      id: created.id,
      email: params.email,
      name: params.name ?? null,
      livemode: created.livemode,
      metadata: stringRecord(params.metadata),
    };
    this.#customers.set(customer.id, customer);
    return customer;
  }

  /**
   * Charges a customer with a confirmed PaymentIntent. stripe-mock answers every confirm with the same
   * fixture state, so the outcome of Stripe's test payment methods is modelled here: `pm_card_visa`
   * succeeds, `pm_card_chargeDeclined` leaves a failed charge and throws {@link CardDeclined}. The charge
   * gets an id of its own (`ch_` + the PaymentIntent's suffix).
   */
  async chargeCustomer(
    params: Stripe.PaymentIntentCreateParams & { customer: string; payment_method: string },
  ): Promise<LedgerCharge> {
    if (!this.#customers.has(params.customer)) {
      throw new Error(`Stripe would reject this payment: no such customer ${params.customer} in this test's Stripe account.`);
    }
    const outcome = TEST_PAYMENT_METHODS[params.payment_method];
    if (!outcome) throw new Error(`The ledger models Stripe's test payment methods ${Object.keys(TEST_PAYMENT_METHODS).join(', ')}, not ${params.payment_method}.`);
    const intent = await this.stripe.paymentIntents.create({ ...params, confirm: true });
    const charge: LedgerCharge = {
      id: `ch_${intent.id.replace(/^pi_/, '')}`,
      paymentIntentId: intent.id,
      customerId: params.customer,
      amount: params.amount,
      currency: params.currency.toLowerCase(),
      status: outcome,
      livemode: intent.livemode,
      mode: this.mode,
      refunded: false,
      metadata: stringRecord(params.metadata),
      created: intent.created,
    };
    this.#charges.push(charge);
    if (outcome === 'failed') throw new CardDeclined(charge);
    return charge;
  }

  /** Refunds a charge in full, as the organiser would from the Stripe dashboard. */
  async refund(chargeId: string): Promise<void> {
    const charge = this.#charges.find((c) => c.id === chargeId);
    if (!charge) throw new Error(`No such charge: '${chargeId}' in this test's Stripe account.`);
    await this.stripe.refunds.create({ charge: chargeId });
    charge.refunded = true;
  }

  /** The account's charges, newest first, as `GET /v1/charges` would list them. */
  async listCharges(): Promise<LedgerCharge[]> {
    await this.stripe.charges.list({ limit: 100 });
    return [...this.#charges].reverse();
  }

  async retrieveCustomer(id: string): Promise<LedgerCustomer> {
    await this.stripe.customers.retrieve(id);
    const customer = this.#customers.get(id);
    if (!customer) throw new Error(`No such customer: '${id}' in this test's Stripe account.`);
    return customer;
  }

  /** What the ledger holds, without calling Stripe: for assertions. */
  get charges(): readonly LedgerCharge[] {
    return this.#charges;
  }

  get customers(): readonly LedgerCustomer[] {
    return [...this.#customers.values()];
  }
}

function stringRecord(metadata: Stripe.MetadataParam | '' | null | undefined): Record<string, string> {
  if (!metadata) return {};
  return Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, String(v)]));
}
