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
  /** The attendee's name and email, not the buyer's: empty until the ticket is assigned. */
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

/** `on:widget:loaded` */
export interface WidgetLoaded {
  title: string;
  currency: string;
  currency_symbol: string;
  contact_email: string;
  default_locale: string;
  path: string;
  releases: { slug: string; title: string; price: string }[];
  terms_url: string | null;
  /** The stand-in's own flag (not Tito's): an event no test described, whose releases follow the page. */
  made_up?: true;
}

/** `on:registration:started`: the registration Tito creates when tickets are chosen. */
export interface RegistrationStarted {
  slug: string;
  line_items: LineItem[];
  total: string;
  currency: string;
  discount_code: string | null;
  event: { title: string; slug: string };
}

/** What the widget posts to start a registration (the endpoint is the stand-in's own). */
export interface StartRequest {
  line_items: { release_slug: string; quantity: number }[];
  discount_code?: string | null;
  source?: string | null;
}

/** What the widget posts to complete it. */
export interface CompleteRequest {
  name: string;
  email: string;
  /** The card number typed in a paid checkout (Stripe test cards). */
  card?: string | null;
  /** URL parameters copied by `save-metadata-parameters`. */
  metadata?: Record<string, string>;
}
