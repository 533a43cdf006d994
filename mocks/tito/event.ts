import { EVENT_PATH, SLUG } from './protocol.ts';

/** A Tito event as the widget shows it: the one typed description a test edits to get the event it needs. */
export interface TitoEvent {
  account: { slug: string; name: string };
  slug: string;
  title: string;
  /** Uppercase ISO code, as Tito writes it. */
  currency: string;
  currencySymbol: string;
  contactEmail: string;
  defaultLocale: string;
  releases: TitoRelease[];
  discountCodes: TitoDiscountCode[];
  /** The stand-in made it up for an event no test described: it sells whatever release a page names. */
  madeUp?: boolean;
  /** When set, the buyer must tick "I accept the terms" (and `registration:terms_accepted` fires). */
  termsUrl?: string;
}

export interface TitoRelease {
  slug: string;
  title: string;
  /** Decimal string in major units, as Tito writes money ("49.00"; "0.00" for a free ticket). */
  price: string;
}

export interface TitoDiscountCode {
  code: string;
  /** `percent`: `amount` percent off; `fixed`: `amount` off each ticket, in major units. */
  type: 'percent' | 'fixed';
  amount: string;
}

/** Locales the widget can show; any other breaks the widget, as an unsupported locale does in production. */
export const SUPPORTED_LOCALES = ['en', 'en-GB', 'en-US', 'de', 'es', 'fr', 'it', 'nl', 'pt', 'pt-BR', 'sv', 'da', 'nb', 'fi', 'pl', 'ja'];

/** The fixture event: a paid release, a second paid release and a free one, priced in pounds. */
export function titoEvent(slug: string, overrides: Partial<Omit<TitoEvent, 'account' | 'slug'>> = {}): TitoEvent {
  const [account, event] = slug.split('/') as [string, string];
  return {
    account: { slug: account, name: titleCase(account) },
    slug: event,
    title: titleCase(event),
    currency: 'GBP',
    currencySymbol: '£',
    contactEmail: `tickets@${account}.example`,
    defaultLocale: 'en',
    releases: [
      { slug: 'general-admission', title: 'General Admission', price: '49.00' },
      { slug: 'workshop', title: 'Workshop Day', price: '120.00' },
      { slug: 'community', title: 'Community (free)', price: '0.00' },
    ],
    discountCodes: [{ code: 'EARLYBIRD', type: 'percent', amount: '20' }],
    ...overrides,
  };
}

/**
 * What the mocked Tito sells for `account/event`: the event a test described, else one made up from
 * the slug alone (`titoEvent(slug)`, so its first release is General Admission at 49.00). Real sites
 * sell several events, so any event a page embeds must sell. Undefined when `slug` is not an
 * `account/event` path: the widget then shows that Tito has no such event.
 */
export function eventFor(slug: string, described: readonly TitoEvent[] = []): TitoEvent | undefined {
  if (!EVENT_PATH.test(slug)) return undefined;
  return described.find((e) => `${e.account.slug}/${e.slug}` === slug) ?? { ...titoEvent(slug), madeUp: true };
}

/**
 * A release of `event` by slug. An event the stand-in made up has whatever releases a page asks for
 * (a storefront's `releases="early-bird,standard"`), each titled after its slug at {@link MADE_UP_PRICE}:
 * the page knows the organiser's releases, the stand-in does not.
 */
export function releaseOf(event: TitoEvent, slug: string): TitoRelease | undefined {
  return event.releases.find((r) => r.slug === slug) ?? (event.madeUp && SLUG.test(slug) ? { slug, title: titleCase(slug), price: MADE_UP_PRICE } : undefined);
}

export const MADE_UP_PRICE = '49.00';

function titleCase(slug: string): string {
  return slug.replace(/[-_]+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
}
