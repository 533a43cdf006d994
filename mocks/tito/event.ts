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
}

export interface TitoRelease {
  slug: string;
  title: string;
  /** Decimal string in major units, as Tito writes money ("49.00"; "0.00" for a free ticket). */
  price: string;
}

/** The fixture event: one paid and one free release, priced in pounds. */
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
      { slug: 'community', title: 'Community (free)', price: '0.00' },
    ],
    ...overrides,
  };
}

function titleCase(slug: string): string {
  return slug.replace(/[-_]+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
}
