/**
 * Whose a host is. Trackdesk, Tito and Stripe have stand-ins or neutral answers; a host that only looks
 * like theirs (a typo such as cdn.trackdesk.co) is a mistake in a snippet that would break attribution
 * in production, so the gate names it as an error; any other host is a third party, answered neutrally
 * and listed.
 */
import { EVENT_PAGE_HOST, TITO_DOMAIN, TITO_SCRIPT_HOST } from '../mocks/tito/protocol.ts';
import { TRACKDESK_DOMAIN, TRACKING_SCRIPT_HOST } from '../mocks/trackdesk/protocol.ts';

/** The https origin the gate serves the site under test on (Tito's widget needs https, as in production). */
export const SITE_UNDER_TEST_ORIGIN = 'https://site-under-test.test';

/**
 * Why `value` cannot be the origin the gate serves the site on (SITE_ORIGIN), or null when it can: an
 * https origin (Tito's widget needs https) on a host name of letters, digits and hyphens, without a
 * port, and none of Trackdesk's, Tito's or Stripe's hosts (their stand-ins answer there). A name that
 * only looks like theirs (stride.org) is the owner's to choose.
 */
export function siteOriginProblem(value: string): string | null {
  const example = 'e.g. https://events.example.com';
  if (!URL.canParse(value)) return `is not a URL: give your site's production origin, ${example}.`;
  const url = new URL(value);
  if (url.protocol !== 'https:') return `is not https: give the https origin your visitors see (Tito's widget needs https), ${example}.`;
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash || url.port) return `is not an origin: give the scheme and host alone, no port, ${example}.`;
  const labels = url.hostname.split('.');
  const named = labels.length > 1 && labels.every((label) => /^(?!-)[a-z0-9-]{1,63}(?<!-)$/.test(label)) && !/^\d+$/.test(labels.at(-1)!) && labels.at(-1) !== 'localhost';
  if (!named) return `is not a public host name: give the host your visitors see, ${example}.`;
  const kind = hostKind(url.host);
  if (kind === 'trackdesk' || kind === 'tito' || kind === 'stripe') return `is a host of ${{ trackdesk: 'Trackdesk', tito: 'Tito', stripe: 'Stripe' }[kind]}, whose stand-in the gate serves there: give your own site's origin, ${example}.`;
  return null;
}

export type HostKind = 'trackdesk' | 'tito' | 'stripe' | 'posing' | 'third-party';

/** A domain, or any host under it. */
const within = (domain: string) => (host: string) => host === domain || host.endsWith(`.${domain}`);

const OWN_DOMAINS: [(host: string) => boolean, HostKind][] = [
  [within(TRACKDESK_DOMAIN), 'trackdesk'],
  [(host) => within(TITO_DOMAIN)(host) || host === EVENT_PAGE_HOST, 'tito'],
  [(host) => ['stripe.com', 'stripe.network', 'stripecdn.com'].some((domain) => within(domain)(host)), 'stripe'],
];

const LOOKS_LIKE: { name: string; distance: number }[] = [
  { name: 'trackdesk', distance: 2 },
  { name: 'trakdesk', distance: 1 },
  { name: 'tito', distance: 1 },
  { name: 'stripe', distance: 1 },
];

export function hostKind(host: string): HostKind {
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  for (const [owns, kind] of OWN_DOMAINS) if (owns(name)) return kind;
  const labels = name.split('.').slice(0, -1);
  const poses = labels.some((label) => label.includes('trackdesk') || LOOKS_LIKE.some((l) => editDistance(label, l.name) <= l.distance));
  return poses ? 'posing' : 'third-party';
}

/** Which real service a posing host imitates, for messages. */
export function imitated(host: string): string {
  const labels = host.toLowerCase().split('.');
  const best = LOOKS_LIKE.map((l) => ({ l, d: Math.min(...labels.map((x) => (x.includes(l.name) ? 0 : editDistance(x, l.name)))) })).sort((a, b) => a.d - b.d)[0]!;
  const trackdesk = `Trackdesk (${TRACKING_SCRIPT_HOST})`;
  return { trackdesk, trakdesk: trackdesk, tito: `Tito (${TITO_SCRIPT_HOST})`, stripe: 'Stripe' }[best.l.name]!;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The host a production host's name pairs with, `www.` added or taken off: hosts send one to the other
 * (`acme-summit.com/workshop` to `www.acme-summit.com/workshop`), so a link on either is the site's.
 */
export function siblingHost(host: string): string {
  return host.startsWith('www.') ? host.slice(4) : `www.${host}`;
}
