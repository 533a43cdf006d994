import type { StripeLedger, StripeMode } from '../stripe/ledger.ts';
import { toMajorUnits } from '../stripe/money.ts';
import type { VirtualClock } from './clock.ts';
import type { TrackdeskCollector } from './collector.ts';
import type { ConversionStatus } from './protocol.ts';
import type { Conversion } from './records.ts';

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
  refunded: Conversion[];
  unattributed: UnattributedPayment[];
}

export interface StripeAppSettings {
  tenantId: string;
  personalToken: string;
}

/** The app syncs by itself this often (the guide: every 15 minutes). */
export const SYNC_INTERVAL_MS = 15 * 60 * 1000;

/**
 * Trackdesk's Stripe app. Once its settings are saved (Tenant ID and a Personal Token that Trackdesk
 * accepts) it syncs every 15 minutes and on "Check Now": it reads the Stripe account's payments,
 * matches each customer's email with an external CID sent earlier, and records a sale for that click's
 * affiliate, keyed by the charge id; a refunded charge turns its conversion REFUNDED.
 */
export class TrackdeskStripeApp {
  #settings: StripeAppSettings | undefined;
  #lastReport: SyncReport = { conversions: [], refunded: [], unattributed: [] };
  #syncs = 0;

  constructor(
    private readonly trackdesk: TrackdeskCollector,
    private readonly stripe: StripeLedger,
    clock: VirtualClock,
    /** The Stripe mode the app was installed in; payments of another mode are not attributed. */
    readonly mode: StripeMode = 'test',
    private readonly conversionStatus: ConversionStatus = 'CONVERSION_STATUS_PENDING',
  ) {
    clock.every(SYNC_INTERVAL_MS, () => (this.#settings ? this.checkNow() : Promise.resolve()));
  }

  /** "Save changes": Trackdesk checks the token; on an error nothing is saved and nothing syncs. */
  saveSettings(settings: StripeAppSettings): { saved: true } | { saved: false; error: string } {
    const error = this.trackdesk.authenticate(settings.tenantId.trim(), settings.personalToken.trim());
    if (error) return { saved: false, error };
    this.#settings = { tenantId: settings.tenantId.trim(), personalToken: settings.personalToken.trim() };
    return { saved: true };
  }

  get connectedTenant(): string | undefined {
    return this.#settings?.tenantId;
  }

  /** How many syncs ran (by "Check Now" or by the 15-minute schedule). */
  get syncs(): number {
    return this.#syncs;
  }

  async checkNow(): Promise<SyncReport> {
    if (!this.#settings) {
      throw new Error('The Trackdesk Stripe app is not connected: enter your Tenant ID and Personal Token and Save changes first.');
    }
    this.#syncs += 1;
    const report: SyncReport = { conversions: [], refunded: [], unattributed: [] };
    for (const charge of await this.stripe.listCharges()) {
      if (charge.status !== 'succeeded') continue;
      const customer = await this.stripe.retrieveCustomer(charge.customerId);
      const amount = toMajorUnits(charge.amount, charge.currency);
      const currency = charge.currency.toUpperCase();
      const unattributed = (reason: string) =>
        report.unattributed.push({ chargeId: charge.id, email: customer.email, amount, currency, reason });

      const existing = this.trackdesk.conversions.find((c) => c.conversionType === 'sale' && c.externalId === charge.id);
      if (existing) {
        if (charge.refunded && existing.status !== 'CONVERSION_STATUS_REFUNDED') {
          this.trackdesk.setStatus(existing, 'CONVERSION_STATUS_REFUNDED');
          report.refunded.push(existing);
        }
        continue;
      }
      if (charge.mode !== this.mode) {
        unattributed(`the payment was made in Stripe ${charge.mode} mode, but the Trackdesk app is installed in ${this.mode} mode`);
        continue;
      }
      if (!customer.email) {
        unattributed('the Stripe customer has no email to match');
        continue;
      }
      const pairing = this.trackdesk.externalCidFor(customer.email);
      if (!pairing) {
        unattributed(`no accepted external CID for ${customer.email}, so no click can be matched`);
        continue;
      }
      const click = this.trackdesk.clickFor(pairing.cid)!;
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
          status: charge.refunded ? 'CONVERSION_STATUS_REFUNDED' : this.conversionStatus,
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
