import net from 'node:net';
import { expect, test } from '@playwright/test';
import Stripe from 'stripe';
import { harnessConfig, stripeMockRuntime } from '../fixtures/config.ts';
import { HarnessFault } from '../fixtures/harness-fault.ts';
import { CardDeclined, stripeClient, StripeLedger } from '../mocks/stripe/index.ts';

test.describe('Stripe through stripe-mock', () => {
  const sdk = (url = stripeMockRuntime.read().url) => stripeClient(url, harnessConfig().stripe.secretKey);
  const ledger = () => new StripeLedger(sdk());

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

  test('the ledger keeps stripe-mock\'s replies, overlaying only what a stateless mock cannot know', async () => {
    const client = sdk();
    const replies = recordReplies(client);
    const stripe = new StripeLedger(client);
    const customer = await stripe.createCustomer({ email: 'ada@example.com', name: 'Ada', metadata: { source: 'tito' } });
    const charge = await stripe.chargeCustomer({ amount: 4900, currency: 'gbp', customer: customer.id, payment_method: 'pm_card_visa', metadata: { ref: 'ABCD' } });
    const [customerReply, intentReply] = replies as [Stripe.Customer, Stripe.PaymentIntent];
    const chargeReply = intentReply.latest_charge as Stripe.Charge;

    // The customer: stripe-mock's object, with the metadata it answers as {}.
    expect(customer).toEqual({ ...customerReply, email: 'ada@example.com', name: 'Ada', metadata: { source: 'tito' } });
    // The payment intent: stripe-mock's, with the outcome of the test card and the charge it made.
    expect(stripe.paymentIntents).toEqual([{ ...intentReply, metadata: { ref: 'ABCD' }, status: 'succeeded', amount_received: 4900, latest_charge: charge.id }]);
    // The charge: stripe-mock's fixture charge, with an id of its own, this payment's facts and no refund yet.
    expect(chargeReply.object).toBe('charge');
    expect(charge).toEqual({
      ...chargeReply,
      id: `ch_${intentReply.id.slice('pi_'.length)}`,
      amount: 4900,
      amount_captured: 4900,
      captured: true,
      currency: 'gbp',
      customer: customer.id,
      payment_intent: intentReply.id,
      metadata: { ref: 'ABCD' },
      paid: true,
      status: 'succeeded',
      failure_code: null,
      failure_message: null,
      refunded: false,
      refunds: { object: 'list', data: [], has_more: false, url: `/v1/charges/ch_${intentReply.id.slice('pi_'.length)}/refunds` },
      customerId: customer.id,
      paymentIntentId: intentReply.id,
      mode: 'test',
    });
  });

  test('a declined test card throws CardDeclined, leaving stripe-mock\'s charge failed (card_declined) and its payment intent requiring a payment method', async () => {
    const stripe = ledger();
    const customer = await stripe.createCustomer({ email: 'ada@example.com' });
    const declined = stripe.chargeCustomer({ amount: 4900, currency: 'gbp', customer: customer.id, payment_method: 'pm_card_chargeDeclined' });
    await expect(declined).rejects.toThrow(CardDeclined);
    expect(stripe.charges).toEqual([expect.objectContaining({ object: 'charge', status: 'failed', paid: false, failure_code: 'card_declined', amount: 4900 })]);
    expect(stripe.paymentIntents).toEqual([expect.objectContaining({ object: 'payment_intent', status: 'requires_payment_method' })]);
  });

  test('a refund marks stripe-mock\'s charge refunded in full and keeps stripe-mock\'s refund on it', async () => {
    const stripe = ledger();
    const customer = await stripe.createCustomer({ email: 'ada@example.com' });
    const charge = await stripe.chargeCustomer({ amount: 4900, currency: 'gbp', customer: customer.id, payment_method: 'pm_card_visa' });
    await stripe.refund(charge.id);
    expect(charge).toMatchObject({ refunded: true, amount_refunded: 4900 });
    expect(charge.refunds?.data).toEqual([expect.objectContaining({ id: expect.stringMatching(/^re_/), object: 'refund', charge: charge.id, amount: 4900, currency: 'gbp' })]);
  });

  test('a call Stripe would reject fails with Stripe\'s own error, not a HarnessFault', async () => {
    const stripe = ledger();
    const customer = await stripe.createCustomer({ email: 'ada@example.com' });
    const bad = stripe.chargeCustomer({ amount: 4900, currency: 'gbp', customer: customer.id, payment_method: 'pm_card_visa', bogus_parameter: 1 } as never);
    await expect(bad).rejects.toThrow(Stripe.errors.StripeInvalidRequestError);
    await expect(bad).rejects.toThrow(/Request validation error: .*additional properties are not allowed/);
    expect(stripe.charges).toHaveLength(0);
  });

  test('when stripe-mock stops answering mid-test, a ledger call throws a HarnessFault naming stripe-mock\'s address, caused by the SDK\'s connection error', async () => {
    const stripeMock = await stoppableStripeMock();
    const stripe = new StripeLedger(sdk(stripeMock.url));
    const customer = await stripe.createCustomer({ email: 'ada@example.com' });
    await stripeMock.stop();

    const error = await stripe.chargeCustomer({ amount: 4900, currency: 'gbp', customer: customer.id, payment_method: 'pm_card_visa' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessFault);
    expect((error as HarnessFault).cause).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect((error as HarnessFault).message).toMatch(
      new RegExp(`^stripe-mock at ${stripeMock.url} stopped answering \\(.+\\): this is a fault of the harness, not of your site\\.$`),
    );
  });

  test('each test has its own Stripe account', async () => {
    const [first, second] = [ledger(), ledger()];
    await first.createCustomer({ email: 'one@example.com' });
    expect(second.customers).toHaveLength(0);
    expect(await second.listCharges()).toEqual([]);
  });
});

/** Copies of what stripe-mock answered to customers.create and paymentIntents.create, in order. */
function recordReplies(stripe: Stripe): unknown[] {
  const replies: unknown[] = [];
  for (const resource of [stripe.customers, stripe.paymentIntents] as unknown as { create: (...args: unknown[]) => Promise<unknown> }[]) {
    const create = resource.create.bind(resource);
    resource.create = async (...args) => {
      const reply = await create(...args);
      replies.push(structuredClone(reply));
      return reply;
    };
  }
  return replies;
}

/** The run's stripe-mock behind a loopback port that can be shut: stripe-mock dying mid-test. */
async function stoppableStripeMock(): Promise<{ url: string; stop(): Promise<void> }> {
  const target = new URL(stripeMockRuntime.read().url);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
