import { toMajorUnits, type StripeLedger } from '../stripe/index.ts';
import type { TrackdeskCollector } from './collector.ts';
import type { Conversion, ConversionStatus } from './records.ts';

/** Why a payment the Stripe app saw did not become a conversion. */
export interface UnattributedPayment {
  chargeId: string;
  email: string | null;
  amount: string;
  currency: string;
  reason: string;
}

export interface SyncReport {
  conversions: Conversion[];
  unattributed: UnattributedPayment[];
}

/**
 * Trackdesk's Stripe app: on each sync ("Check Now", or every 15 minutes) it reads the Stripe account's
 * payments, matches each customer's email with an external CID sent earlier, and records a sale for
 * that click's affiliate, keyed by the charge id.
 */
export class TrackdeskStripeApp {
  #lastReport: SyncReport = { conversions: [], unattributed: [] };

  constructor(
    private readonly trackdesk: TrackdeskCollector,
    private readonly stripe: StripeLedger,
    private readonly conversionStatus: ConversionStatus = 'CONVERSION_STATUS_PENDING',
  ) {}

  async checkNow(): Promise<SyncReport> {
    const report: SyncReport = { conversions: [], unattributed: [] };
    for (const charge of await this.stripe.listCharges()) {
      if (charge.status !== 'succeeded') continue;
      const customer = await this.stripe.retrieveCustomer(charge.customerId);
      const amount = toMajorUnits(charge.amount, charge.currency);
      const currency = charge.currency.toUpperCase();
      const unattributed = (reason: string) =>
        report.unattributed.push({ chargeId: charge.id, email: customer.email, amount, currency, reason });

      if (!customer.email) {
        unattributed('the Stripe customer has no email to match');
        continue;
      }
      const pairing = this.trackdesk.externalCidFor(customer.email);
      if (!pairing) {
        unattributed(`no accepted external CID for ${customer.email}, so no click can be matched`);
        continue;
      }
      const click = this.trackdesk.clickFor(pairing.cid);
      if (!click) {
        unattributed(`the external CID for ${customer.email} points to cid ${pairing.cid}, which has no click`);
        continue;
      }
      report.conversions.push(
        this.trackdesk.addConversion({
          tenantId: this.trackdesk.account.tenantId,
          conversionType: 'sale',
          cid: click.cid,
          affiliate: click.affiliate,
          email: customer.email,
          revenueOriginId: pairing.revenueOriginId,
          amount,
          currency,
          externalId: charge.id,
          status: this.conversionStatus,
          source: 'stripe-app',
        }),
      );
    }
    this.#lastReport = report;
    return report;
  }

  /** What the last sync did, for failure messages. */
  get lastReport(): SyncReport {
    return this.#lastReport;
  }
}
