/**
 * What only the whole site shows, once every page is audited: no page with a storefront, ticket links
 * that leave the site for Tito's hosted checkout, and an owner's event (TITO_EVENT) that no page sells.
 */
import { checkoutEvent } from './audit/checkout-links.ts';
import { isListedAccount, isListedEvent } from './config.ts';
import { finding, type Finding } from './findings.ts';
import type { PlannedPage } from './plan.ts';

export interface SiteAuditSettings {
  /** The events TITO_EVENT names; null when the user named none. */
  titoEvents: readonly string[] | null;
  /** The static audit alone (--static): pages as served, no scripts run. */
  staticOnly: boolean;
}

/** One off-site checkout URL, where it first appears and the other pages that have it too. */
interface OffSiteLink {
  href: string;
  text: string;
  page: string;
  line?: number;
  alsoOn: string[];
}

export function siteFindings(pages: PlannedPage[], settings: SiteAuditSettings): Finding[] {
  const sold = soldOn(pages);
  const offSite = offSiteLinks(pages, settings.titoEvents);
  return [...noStorefront(pages, sold, offSite, settings), ...offSiteCheckouts(offSite, sold, settings.titoEvents), ...ownerEventNotSold(sold, settings.titoEvents)];
}

/** `account/event` → the pages that sell it, in page order. */
function soldOn(pages: PlannedPage[]): Map<string, string[]> {
  const sold = new Map<string, string[]>();
  for (const page of pages) for (const event of page.storefronts) sold.set(event, [...(sold.get(event) ?? []), page.path]);
  return sold;
}

/** Checkout links of the owner's accounts (another account's event is someone else's sale), once per URL. */
function offSiteLinks(pages: PlannedPage[], titoEvents: readonly string[] | null): OffSiteLink[] {
  const byHref = new Map<string, OffSiteLink>();
  for (const page of pages) {
    for (const link of page.checkoutLinks) {
      const event = checkoutEvent(link.href);
      if (event && !isListedAccount(event, titoEvents)) continue;
      const seen = byHref.get(link.href);
      if (!seen) byHref.set(link.href, { href: link.href, text: link.text, page: page.path, ...(link.line === undefined ? {} : { line: link.line }), alsoOn: [] });
      else if (seen.page !== page.path && !seen.alsoOn.includes(page.path)) seen.alsoOn.push(page.path);
    }
  }
  return [...byHref.values()];
}

function noStorefront(pages: PlannedPage[], sold: Map<string, string[]>, offSite: OffSiteLink[], settings: SiteAuditSettings): Finding[] {
  if (sold.size > 0) return [];
  const visited = pages.map((p) => `${p.path} (${p.foundBy.join(', ')})`).join('; ');
  const leaves = offSite.length > 0 ? `; its ticket links leave the site for Tito's hosted checkout (OFF_SITE_CHECKOUT)` : '';
  return [
    finding('NO_STOREFRONT_FOUND', '*', `no page showed a Tito storefront (<tito-widget>, <tito-button> or tito('widget.mount')) ${settings.staticOnly ? 'in its served HTML' : 'once its scripts had run'}, so no conversion was checked${leaves}. Pages visited: ${visited || 'none'}`, {
      fix:
        offSite.length > 0
          ? `${embedFix(eventToEmbed(offSite[0]!.href, settings.titoEvents))}; if a page of yours already does, name it in SITE_PAGES`
          : 'name your ticket page in SITE_PAGES (e.g. SITE_PAGES=/tickets), or link to it from a page the gate visits',
    }),
  ];
}

/** An error where the site sells nowhere else; a warning beside an embedded storefront, whose buyers are credited. */
function offSiteCheckouts(offSite: OffSiteLink[], sold: Map<string, string[]>, titoEvents: readonly string[] | null): Finding[] {
  const sellers = [...new Set([...sold.values()].flat())];
  return offSite.map((link) => {
    const label = link.text ? `"${link.text}"` : 'a link with no text';
    const also = link.alsoOn.length > 0 ? ` (also on ${link.alsoOn.join(', ')})` : '';
    const where = { file: link.page, ...(link.line === undefined ? {} : { line: link.line }) };
    const fix = embedFix(eventToEmbed(link.href, titoEvents));
    if (sellers.length === 0) {
      return finding('OFF_SITE_CHECKOUT', link.page, `${label} sends the buyer to ${link.href}, Tito's hosted checkout, where the conversion snippet never runs, and no page embeds a storefront: no buyer can be credited to an affiliate${also}`, { ...where, fix });
    }
    const elsewhere = sellers.find((p) => p !== link.page);
    return finding('OFF_SITE_CHECKOUT_LINK', link.page, `${label} sends the buyer to ${link.href}, Tito's hosted checkout, where the conversion snippet never runs: a buyer who registers there is not credited to the affiliate, as one on ${sellers.join(', ')} is${also}`, {
      ...where,
      fix: sellers.includes(link.page)
        ? `remove the link, or keep it only as a fallback that is hidden once Tito's widget loads (tito('on:widget:loaded', …)): buyers are credited on this page's storefront`
        : `${fix}, or link to ${elsewhere} instead`,
    });
  });
}

/** TITO_EVENT names events (not a whole account), and the site sells none of them. */
function ownerEventNotSold(sold: Map<string, string[]>, titoEvents: readonly string[] | null): Finding[] {
  const named = (titoEvents ?? []).filter((e) => !e.endsWith('/*'));
  if (named.length === 0 || sold.size === 0 || [...sold.keys()].some((e) => isListedEvent(e, titoEvents))) return [];
  const sells = [...sold].map(([event, paths]) => `${event} on ${paths.join(', ')}`).join('; ');
  return [
    finding('TITO_EVENT_NOT_SOLD', '*', `TITO_EVENT names ${named.join(', ')}, but no page sells ${named.length > 1 ? 'any of them' : 'it'}; the site sells ${sells}`, {
      fix: `embed your event on your ticket page (<tito-widget event="${named[0]}">), or, if the site sells the event you mean, set TITO_EVENT=${[...sold.keys()].join(',')}`,
    }),
  ];
}

function eventToEmbed(href: string, titoEvents: readonly string[] | null): string {
  return checkoutEvent(href) ?? titoEvents?.find((e) => !e.endsWith('/*')) ?? 'account/event';
}

const embedFix = (event: string) => `embed Tito's widget (<tito-widget event="${event}">) or <tito-button event="${event}"> on the site, so registration:finished fires on your page`;
