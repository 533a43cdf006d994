/** What the mocked Trackdesk records, in Trackdesk's own vocabulary. */
import type { ConversionStatus, SentArguments, TrackingCommand } from './protocol.ts';

/** The tenant and revenue origin the organiser's Trackdesk account really has. */
export interface TrackdeskAccount {
  tenantId: string;
  revenueOriginId: string;
  personalToken: string;
}

/** A visit through an affiliate link that Trackdesk turned into a click id (CID). */
export interface Click {
  cid: string;
  tenantId: string;
  /** The affiliate: the link's `sourceId`. */
  affiliate: string;
  linkId: string;
  landingUrl: string;
  /** The browser that made it, for the one-hour repeat rule. */
  userAgent?: string;
  at: Date;
  expiredAt: Date;
}

/** An `externalCid` call: the buyer's email paired with the click in their cookie. */
export interface ExternalCid {
  tenantId: string;
  externalCid: string;
  revenueOriginId: string;
  cid: string;
  at: Date;
}

/** A sale credited to an affiliate. */
export interface Conversion {
  tenantId: string;
  conversionType: string;
  cid: string;
  affiliate: string;
  /** The external CID the conversion was matched on (the buyer's email). */
  email: string;
  revenueOriginId: string;
  /** A decimal string in major units, as Trackdesk writes it ("49.00"). */
  amount: string;
  currency: string;
  /** Deduplication key with the conversion type: the Stripe charge id for Stripe-app conversions. */
  externalId: string;
  status: ConversionStatus;
  couponCodes?: string[];
  /** advS1..advS5, with `{queryParam}` values already read from the landing URL. */
  customParams?: Record<string, string>;
  source: 'stripe-app' | 'tracking';
  at: Date;
}

/** Where the collector learns which registrations finished in this test (TitoCheckout has them). */
export interface TitoRegistrations {
  readonly registrations: readonly unknown[];
}

/** A tracking call the collector refused, with every reason a user needs to fix it. */
export interface RejectedCall {
  command: TrackingCommand;
  /** The host the page sent it to: `<tenant>.trackdesk.com` (protocol.ts: tenantHost). */
  host: string;
  /** The JSON body the call carried, without `sent` and the script's key. */
  body: unknown;
  /** Whether a tracking.js the mocked Trackdesk served sent it; false when the page called the endpoint itself. */
  sentByTrackingJs: boolean;
  /** The call's arguments as the page passed them, when tracking.js described them. */
  sent?: SentArguments;
  reasons: string[];
  at: Date;
}
