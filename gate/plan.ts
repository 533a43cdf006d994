/**
 * What discovery and the static audit hand to the browser checks: the pages, how each was found, the
 * storefronts each showed, and the findings so far. Made once by the CLI before any check starts; for
 * a Playwright run (--html, --shard) written to a file every worker reads, so every shard sees the same
 * pages in the same order.
 */
import { readFileSync } from 'node:fs';
import type { CheckoutLink } from './audit/checkout-links.ts';
import type { Finding } from './findings.ts';
import type { PlannedJourney } from './navigation.ts';

export interface PlannedPage {
  path: string;
  foundBy: string[];
  status: number;
  /** Pages of the site it links to, as the links name them. */
  links: string[];
  /** Pages a `<select>` of it leads to. */
  selects?: string[];
  /** Of its links, those in its navigation and those in its content. */
  linksIn?: { navigation: string[]; content: string[] };
  /** `account/event` of each storefront the page showed once its scripts ran. */
  storefronts: string[];
  /** Links and buttons that send the buyer to Tito's hosted checkout instead. */
  checkoutLinks: CheckoutLink[];
  /** What decides how its links are followed (navigation.ts's linkFollowing): journeys take the last step from pages that follow them otherwise. */
  scripts?: string[];
  findings: Finding[];
}

export interface GatePlan {
  /** How the site was given, for people: "the built site in ./dist". */
  description: string;
  /** Where the gate's proxy fetches the site: a loopback server. */
  siteUrl: string;
  /** The origin the browser asks for the site on (SITE_ORIGIN, else the one the site names, else site-under-test.test: served-origin.ts). */
  origin: string;
  clientRoutes: string[];
  /** Hosts the site names as its own (sitemap, canonical URL, SITE_URL): served from the site too. */
  ownHosts: string[];
  /** The Tito events TITO_EVENT names; null when the user named none (no storefront's event is held against the site). */
  titoEvents: string[] | null;
  pages: PlannedPage[];
  /** The ways by links from the landing page to each page that sells tickets, followed by clicking. */
  journeys: PlannedJourney[];
  /** How long one page's browser check may take (GATE_PAGE_TIMEOUT). */
  pageTimeoutMs: number;
  /** Findings about the whole site (sitemap, page limit, no storefront, what it sells), each on the page it names or `*`. */
  findings: Finding[];
}

export const PLAN_ENV = 'GATE_PLAN';

export function readPlan(env: NodeJS.ProcessEnv = process.env): GatePlan {
  const file = env[PLAN_ENV];
  if (!file) throw new Error('The gate\'s browser checks need a plan: run them through `npx attribution-gate`, which discovers the pages first.');
  return JSON.parse(readFileSync(file, 'utf8')) as GatePlan;
}
