/** Formats the stand-ins, the configuration and the gate check alike, each written once. */

/** A UUID, in either case: a Trackdesk Revenue Origin ID, a click id (CID). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An email address as Tito's checkout and Trackdesk's external CID take one: `name@host.tld`, no spaces. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `text` as a regular expression that matches it literally, for patterns built from a protocol's URLs. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
