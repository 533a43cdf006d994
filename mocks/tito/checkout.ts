import { randomBytes } from 'node:crypto';
import { toMinorUnits, type StripeLedger } from '../stripe/index.ts';
import type { TitoEvent } from './event.ts';
import type { LineItem, OrderRequest, RegistrationFinished, Ticket } from './payloads.ts';

export class OrderProblem extends Error {}

/**
 * Tito's checkout: prices the order from the event (never from the page), charges a paid order through
 * the organiser's Stripe account with Tito's `tito_*` metadata, and returns the finished registration.
 */
export async function completeOrder(event: TitoEvent, order: OrderRequest, stripe: StripeLedger): Promise<RegistrationFinished> {
  const lineItems = priceLineItems(event, order);
  if (!order.name?.trim()) throw new OrderProblem('Name is required');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(order.email ?? '')) throw new OrderProblem('Email is invalid');

  const totalMinor = lineItems.reduce((sum, item) => sum + toMinorUnits(item.total, event.currency), 0);
  const total = money(lineItems.reduce((sum, item) => sum + Number(item.total), 0));
  const reference = code(4);
  const slug = `reg_${code(12).toLowerCase()}`;
  const eventPath = `${event.account.slug}/${event.slug}`;

  if (totalMinor > 0) {
    const metadata = {
      tito_registration_email: order.email,
      tito_registration_name: order.name,
      tito_registration_reference: reference,
      tito_registration_slug: slug,
      tito_registration_id: String(Date.now()),
      tito_payment_id: `pay_${code(10).toLowerCase()}`,
      tito_event_title: event.title,
      tito_release_slugs: lineItems.map((i) => i.release_slug).join(','),
      tito_release_titles: lineItems.map((i) => i.title).join(','),
      tito_release_quantities: lineItems.map((i) => i.quantity).join(','),
    };
    const customer = await stripe.createCustomer({ email: order.email, name: order.name, metadata });
    await stripe.chargeCustomer({
      amount: totalMinor,
      currency: event.currency.toLowerCase(),
      customer: customer.id,
      payment_method: 'pm_card_visa',
      description: `${event.title} ${reference}`,
      receipt_email: order.email,
      metadata,
    });
  }

  const tickets: Ticket[] = lineItems.flatMap((item) =>
    Array.from({ length: item.quantity }, (_, n) => ({
      reference: `${reference}-${n + 1}`,
      slug: `ti_${code(10).toLowerCase()}`,
      price: item.price,
      release_slug: item.release_slug,
      release_title: item.title,
      name: order.name,
      email: order.email,
      answers: [],
    })),
  );
  return {
    name: order.name,
    email: order.email,
    total: totalMinor > 0 ? total : '0.0',
    currency: event.currency,
    slug,
    reference,
    discount_code: null,
    receipt_url: `https://ti.to/${eventPath}/receipts/${slug}`,
    registration_url: `https://ti.to/${eventPath}/registrations/${slug}`,
    line_items: lineItems,
    tickets,
    receipt: { total: totalMinor > 0 ? total : '0.0', tax: '0.00', payment_provider: totalMinor > 0 ? 'Stripe' : null },
    account: { name: event.account.name, slug: event.account.slug },
    event: { title: event.title, slug: event.slug },
    source: order.source ?? null,
  };
}

export function priceLineItems(event: TitoEvent, order: Pick<OrderRequest, 'line_items'>): LineItem[] {
  const items = (order.line_items ?? []).filter((i) => i.quantity > 0);
  if (items.length === 0) throw new OrderProblem('Choose at least one ticket');
  return items.map(({ release_slug, quantity }) => {
    const release = event.releases.find((r) => r.slug === release_slug);
    if (!release) throw new OrderProblem(`No release ${release_slug} on ${event.title}`);
    if (!Number.isInteger(quantity) || quantity > 50) throw new OrderProblem(`Quantity ${quantity} is not allowed`);
    return {
      release_slug,
      title: release.title,
      price: release.price,
      quantity,
      total: money(Number(release.price) * quantity),
      currency: event.currency,
    };
  });
}

function money(value: number): string {
  return value.toFixed(2);
}

function code(length: number): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  return Array.from(randomBytes(length), (b) => letters[b % letters.length]).join('');
}
