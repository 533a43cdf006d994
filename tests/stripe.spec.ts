import { expect, test } from '@playwright/test';
import { harnessConfig, stripeMockRuntime } from '../fixtures/config.ts';
import { stripeClient, StripeLedger } from '../mocks/stripe/index.ts';

test.describe('Stripe through stripe-mock', () => {
  const ledger = () => new StripeLedger(stripeClient(stripeMockRuntime.read().url, harnessConfig().stripe.secretKey));

  test('the ledger keeps what stripe-mock forgets: the customer email and the payment metadata', async () => {
    const stripe = ledger();
    const customer = await stripe.createCustomer({ email: 'ada@example.com', name: 'Ada' });
    const charge = await stripe.chargeCustomer({
      amount: 4900,
      currency: 'gbp',
      customer: customer.id,
      payment_method: 'pm_card_visa',
      metadata: { tito_registration_email: 'ada@example.com' },
    });

    expect(customer.id).toMatch(/^cus_/);
    expect(charge).toMatchObject({ id: expect.stringMatching(/^ch_/), amount: 4900, currency: 'gbp', livemode: false });
    expect(await stripe.listCharges()).toEqual([charge]);
    expect(await stripe.retrieveCustomer(customer.id)).toMatchObject({ email: 'ada@example.com', metadata: {} });
    expect(charge.metadata).toEqual({ tito_registration_email: 'ada@example.com' });
  });

  test('a call Stripe would reject fails, with Stripe\'s own error', async () => {
    const stripe = ledger();
    const customer = await stripe.createCustomer({ email: 'ada@example.com' });
    const bad = stripe.chargeCustomer({ amount: 4900, currency: 'gbp', customer: customer.id, payment_method: 'pm_card_visa', bogus_parameter: 1 } as never);
    await expect(bad).rejects.toThrow(/Request validation error: .*additional properties are not allowed/);
    expect(stripe.charges).toHaveLength(0);
  });

  test('each test has its own Stripe account', async () => {
    const [first, second] = [ledger(), ledger()];
    await first.createCustomer({ email: 'one@example.com' });
    expect(second.customers).toHaveLength(0);
    expect(await second.listCharges()).toEqual([]);
  });
});
