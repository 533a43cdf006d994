import { randomBytes } from 'node:crypto';
import { EMAIL } from '../patterns.ts';
import { CardDeclined, type StripeLedger } from '../stripe/ledger.ts';
import { toMinorUnits } from '../stripe/money.ts';
import { releaseOf, type TitoEvent } from './event.ts';
import type { CompleteRequest, LineItem, RegistrationFinished, RegistrationStarted, StartRequest, Ticket } from './payloads.ts';
import { EVENT_PAGE_ORIGIN } from './protocol.ts';

/** A checkout step the buyer got wrong, or a declined card: shown in the widget, never a crash. */
export class CheckoutProblem extends Error {}

// Stripe's test card numbers and the payment methods they stand for.
const TEST_CARDS: Record<string, string> = {
  '4242424242424242': 'pm_card_visa',
  '5555555555554444': 'pm_card_mastercard',
  '4000000000000002': 'pm_card_chargeDeclined',
};

interface Pending {
  event: TitoEvent;
  started: RegistrationStarted;
  source: string | null;
}

/**
 * Tito's checkout for one test: a registration starts when tickets are chosen (priced from the event,
 * never from the page) and finishes when the buyer's details are in and, for a paid order, the
 * organiser's Stripe account charged the card with Tito's `tito_*` metadata.
 */
export class TitoCheckout {
  readonly #pending = new Map<string, Pending>();
  readonly #finished: RegistrationFinished[] = [];

  constructor(private readonly stripe: StripeLedger) {}

  start(event: TitoEvent, request: StartRequest): RegistrationStarted {
    const lineItems = priceLineItems(event, request);
    const discount = request.discount_code ? event.discountCodes.find((d) => d.code === request.discount_code) : undefined;
    if (request.discount_code && !discount) throw new CheckoutProblem(`The discount code ${request.discount_code} is not valid`);
    const gross = lineItems.reduce((sum, item) => sum + Number(item.total), 0);
    const tickets = lineItems.reduce((sum, item) => sum + item.quantity, 0);
    const off = !discount ? 0 : discount.type === 'percent' ? (gross * Number(discount.amount)) / 100 : Number(discount.amount) * tickets;
    const started: RegistrationStarted = {
      slug: `reg_${code(12).toLowerCase()}`,
      line_items: lineItems,
      total: money(Math.max(0, gross - off)),
      currency: event.currency,
      discount_code: discount?.code ?? null,
      event: { title: event.title, slug: event.slug },
    };
    this.#pending.set(started.slug, { event, started, source: request.source ?? null });
    return started;
  }

  async complete(slug: string, request: CompleteRequest): Promise<RegistrationFinished> {
    const pending = this.#pending.get(slug);
    if (!pending) throw new CheckoutProblem('This registration has expired; choose your tickets again');
    const { event, started } = pending;
    if (!request.name?.trim()) throw new CheckoutProblem('Name is required');
    if (!EMAIL.test(request.email ?? '')) throw new CheckoutProblem('Email is invalid');

    const reference = code(4);
    const paid = toMinorUnits(started.total, event.currency) > 0;
    if (paid) await this.#charge(event, started, reference, request);
    this.#pending.delete(slug);

    const eventPath = `${event.account.slug}/${event.slug}`;
    // Tickets belong to attendees, not to the buyer: at registration:finished none is assigned yet, so
    // a snippet that sends `tickets[0].email` instead of the registration's `email` pairs nothing.
    const tickets: Ticket[] = started.line_items
      .flatMap((item) => Array.from({ length: item.quantity }, () => item))
      .map((item, n) => ({
        reference: `${reference}-${n + 1}`,
        slug: `ti_${code(10).toLowerCase()}`,
        price: item.price,
        release_slug: item.release_slug,
        release_title: item.title,
        name: '',
        email: '',
        answers: [],
      }));
    const total = paid ? started.total : '0.0';
    const finished: RegistrationFinished = {
      name: request.name,
      email: request.email,
      total,
      currency: event.currency,
      slug,
      reference,
      discount_code: started.discount_code,
      receipt_url: `${EVENT_PAGE_ORIGIN}/${eventPath}/receipts/${slug}`,
      registration_url: `${EVENT_PAGE_ORIGIN}/${eventPath}/registrations/${slug}`,
      line_items: started.line_items,
      tickets,
      receipt: { total, tax: '0.00', payment_provider: paid ? 'Stripe' : null },
      account: { name: event.account.name, slug: event.account.slug },
      event: { title: event.title, slug: event.slug },
      source: pending.source,
    };
    this.#finished.push(finished);
    return finished;
  }

  /** Registrations that finished, newest last: what the organiser's Tito dashboard would list. */
  get registrations(): readonly RegistrationFinished[] {
    return this.#finished;
  }

  async #charge(event: TitoEvent, started: RegistrationStarted, reference: string, request: CompleteRequest): Promise<void> {
    const paymentMethod = TEST_CARDS[(request.card ?? '').replace(/\s+/g, '')];
    if (!paymentMethod) throw new CheckoutProblem('Your card number is incomplete or not a Stripe test card');
    const metadata = {
      tito_registration_email: request.email,
      tito_registration_name: request.name,
      tito_registration_reference: reference,
      tito_registration_slug: started.slug,
      tito_registration_id: String(Date.now()),
      tito_payment_id: `pay_${code(10).toLowerCase()}`,
      tito_event_title: event.title,
      tito_release_slugs: started.line_items.map((i) => i.release_slug).join(','),
      tito_release_titles: started.line_items.map((i) => i.title).join(','),
      tito_release_quantities: started.line_items.map((i) => i.quantity).join(','),
      ...(started.discount_code ? { tito_discount_code: started.discount_code } : {}),
      ...request.metadata,
    };
    const customer = await this.stripe.createCustomer({ email: request.email, name: request.name, metadata });
    try {
      await this.stripe.chargeCustomer({
        amount: toMinorUnits(started.total, event.currency),
        currency: event.currency.toLowerCase(),
        customer: customer.id,
        payment_method: paymentMethod,
        description: `${event.title} ${reference}`,
        receipt_email: request.email,
        metadata,
      });
    } catch (error) {
      if (error instanceof CardDeclined) throw new CheckoutProblem(error.message);
      throw error;
    }
  }
}

function priceLineItems(event: TitoEvent, request: Pick<StartRequest, 'line_items'>): LineItem[] {
  const items = (request.line_items ?? []).filter((i) => i.quantity > 0);
  if (items.length === 0) throw new CheckoutProblem('Choose at least one ticket');
  return items.map(({ release_slug, quantity }) => {
    const release = releaseOf(event, release_slug);
    if (!release) throw new CheckoutProblem(`No release ${release_slug} on ${event.title}`);
    if (!Number.isInteger(quantity) || quantity > 50) throw new CheckoutProblem(`Quantity ${quantity} is not allowed`);
    return { release_slug, title: release.title, price: release.price, quantity, total: money(Number(release.price) * quantity), currency: event.currency };
  });
}

function money(value: number): string {
  return value.toFixed(2);
}

function code(length: number): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  return Array.from(randomBytes(length), (b) => letters[b % letters.length]).join('');
}
