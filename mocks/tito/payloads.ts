/** The data Tito's widget hands to `tito('on:…', fn)` handlers (shapes from tito.js v2). */

export interface LineItem {
  release_slug: string;
  title: string;
  price: string;
  quantity: number;
  total: string;
  currency: string;
}

export interface Ticket {
  reference: string;
  slug: string;
  price: string;
  release_slug: string;
  release_title: string;
  name: string;
  email: string;
  answers: unknown[];
}

export interface RegistrationFinished {
  name: string;
  email: string;
  total: string;
  currency: string;
  slug: string;
  reference: string;
  discount_code: string | null;
  receipt_url: string;
  registration_url: string;
  line_items: LineItem[];
  tickets: Ticket[];
  receipt: { total: string; tax: string; payment_provider: 'Stripe' | null };
  account: { name: string; slug: string };
  event: { title: string; slug: string };
  source: string | null;
}

/** What the widget posts to the stand-in's checkout to complete an order. */
export interface OrderRequest {
  line_items: { release_slug: string; quantity: number }[];
  name: string;
  email: string;
  source?: string | null;
}
