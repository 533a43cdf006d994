import { randomUUID } from 'node:crypto';
import type { Click, Conversion, ExternalCid, RejectedCall, TrackdeskAccount, TrackingCommand } from './records.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

export type Verdict<T> = { accepted: true; record: T } | { accepted: false; reasons: string[] };

/** The clock the collector stamps records with; a test may swap in a virtual one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The mocked Trackdesk's memory for one test: every tracking call, accepted or rejected with reasons.
 * Modelled on Snowplow Micro: validate everything, keep everything, answer precise questions.
 */
export class TrackdeskCollector {
  readonly #clicks: Click[] = [];
  readonly #externalCids: ExternalCid[] = [];
  readonly #conversions: Conversion[] = [];
  readonly #rejected: RejectedCall[] = [];
  #trackingScriptLoads = 0;

  constructor(
    readonly account: TrackdeskAccount,
    readonly clock: Clock = systemClock,
    readonly cookieDays = 30,
  ) {}

  /** A `click` from tracking.js: the landing URL's affiliate parameters, answered with a CID. */
  click(host: string, body: ClickCall): Verdict<Click> {
    const reasons = [...this.#tenantProblems(host, body.tenantId)];
    const redirectCid = body.cid ?? undefined;
    if (!redirectCid && (!body.linkId || !body.sourceId)) {
      reasons.push('the landing URL has no affiliate link parameters: a direct link needs linkId and sourceId (and tenantId)');
    }
    if (!redirectCid && body.linkTenantId && body.linkTenantId !== body.tenantId) {
      reasons.push(`the affiliate link is for tenant "${body.linkTenantId}" but the click snippet tracks for "${String(body.tenantId)}"`);
    }
    if (redirectCid && !this.#clicks.some((c) => c.cid === redirectCid)) {
      reasons.push(`the landing URL carries cid ${redirectCid}, which no Trackdesk redirect link issued`);
    }
    if (reasons.length > 0) return this.#reject('click', host, body, reasons);

    const now = this.clock.now();
    const repeat = this.#clicks.find(
      (c) =>
        (c.cid === body.previousCid || c.cid === redirectCid) &&
        now.getTime() - c.at.getTime() < HOUR &&
        (redirectCid || (c.linkId === body.linkId && c.affiliate === body.sourceId)),
    );
    if (repeat) return { accepted: true, record: repeat };

    const click: Click = {
      cid: randomUUID(),
      tenantId: this.account.tenantId,
      affiliate: body.sourceId!,
      linkId: body.linkId!,
      landingUrl: body.landingUrl,
      at: now,
      expiredAt: new Date(now.getTime() + this.cookieDays * DAY),
    };
    this.#clicks.push(click);
    return { accepted: true, record: click };
  }

  /** An `externalCid`: pairs the buyer's email with the click in the visitor's `trakdesk_cid` cookie. */
  externalCid(host: string, body: ExternalCidCall): Verdict<ExternalCid> {
    const reasons = [...this.#tenantProblems(host, body.tenantId)];
    reasons.push(...this.#revenueOriginProblems(body.revenueOriginId));
    const externalCid = body.externalCid;
    if (typeof externalCid !== 'string' || externalCid === '') {
      reasons.push(`externalCid is ${JSON.stringify(externalCid) ?? 'undefined'}: the conversion snippet must send the buyer's email (data.email)`);
    } else if (!EMAIL.test(externalCid)) {
      reasons.push(`externalCid "${externalCid}" is not an email address: the Stripe app matches on the customer's email, so send data.email`);
    }
    if (!body.cid) {
      reasons.push('this browser has no trakdesk_cid cookie: the visitor did not arrive through an affiliate link, or the click snippet did not run on the landing page');
    } else if (body.cookieTenantId && body.cookieTenantId !== body.tenantId) {
      reasons.push(`the trakdesk_cid cookie belongs to tenant "${body.cookieTenantId}", not "${String(body.tenantId)}"`);
    } else if (!this.#clicks.some((c) => c.cid === body.cid)) {
      reasons.push(`the trakdesk_cid cookie holds cid ${body.cid}, which this tenant never issued`);
    }
    if (reasons.length > 0) return this.#reject('externalCid', host, body, reasons);

    const record: ExternalCid = {
      tenantId: this.account.tenantId,
      externalCid: externalCid as string,
      revenueOriginId: this.account.revenueOriginId,
      cid: body.cid!,
      at: this.clock.now(),
    };
    this.#externalCids.push(record);
    return { accepted: true, record };
  }

  /** A command tracking.js does not know (a typo such as `externalCID`). */
  unknownCommand(host: string, body: { tenantId?: unknown; command?: unknown }): Verdict<never> {
    return this.#reject(String(body.command), host, body, [
      `trackdesk(…, ${JSON.stringify(body.command)}) is not a Trackdesk command: use click, externalCid or conversion (mind the case)`,
    ]);
  }

  /** Records a conversion unless one with the same type and external id exists (Trackdesk's dedup key). */
  addConversion(conversion: Omit<Conversion, 'at'>): Conversion {
    const existing = this.#conversions.find(
      (c) => c.conversionType === conversion.conversionType && c.externalId === conversion.externalId,
    );
    if (existing) return existing;
    const record = { ...conversion, at: this.clock.now() };
    this.#conversions.push(record);
    return record;
  }

  noteTrackingScriptLoad(): void {
    this.#trackingScriptLoads += 1;
  }

  /** The latest accepted pairing for an email, as the Stripe app looks it up. */
  externalCidFor(email: string): ExternalCid | undefined {
    return this.#externalCids.findLast((p) => p.externalCid === email);
  }

  clickFor(cid: string): Click | undefined {
    return this.#clicks.find((c) => c.cid === cid);
  }

  get clicks(): readonly Click[] {
    return this.#clicks;
  }
  get externalCids(): readonly ExternalCid[] {
    return this.#externalCids;
  }
  get conversions(): readonly Conversion[] {
    return this.#conversions;
  }
  get rejected(): readonly RejectedCall[] {
    return this.#rejected;
  }
  get trackingScriptLoads(): number {
    return this.#trackingScriptLoads;
  }

  #tenantProblems(host: string, tenantId: unknown): string[] {
    const mine = this.account.tenantId;
    if (typeof tenantId !== 'string' || tenantId === '') {
      return [`the call names no tenant: trackdesk() takes your Tenant ID "${mine}" as its first argument`];
    }
    if (tenantId === 'YOUR_TENANT_ID') {
      return [`the snippet still has the placeholder YOUR_TENANT_ID: replace it with your Tenant ID "${mine}"`];
    }
    if (tenantId !== mine) {
      return [`tenant "${tenantId}" is not your Trackdesk tenant "${mine}": fix the Tenant ID in the snippet`];
    }
    if (host !== `${mine}.trackdesk.com`) {
      return [`the call went to ${host}, not to your tenant's host ${mine}.trackdesk.com`];
    }
    return [];
  }

  #revenueOriginProblems(revenueOriginId: unknown): string[] {
    const mine = this.account.revenueOriginId;
    if (typeof revenueOriginId !== 'string' || revenueOriginId === '') {
      return [`revenueOriginId is missing: the conversion snippet must pass your Revenue Origin ID "${mine}"`];
    }
    if (revenueOriginId === 'YOUR_REVENUE_ORIGIN_ID') {
      return [`the snippet still has the placeholder YOUR_REVENUE_ORIGIN_ID: replace it with your Revenue Origin ID "${mine}"`];
    }
    if (!UUID.test(revenueOriginId)) {
      return [`revenueOriginId "${revenueOriginId}" is not a UUID: copy the Revenue Origin ID from Trackdesk`];
    }
    if (revenueOriginId.toLowerCase() !== mine) {
      return [`revenue origin "${revenueOriginId}" is not your revenue origin "${mine}": fix the Revenue Origin ID in the snippet`];
    }
    return [];
  }

  #reject(command: TrackingCommand, host: string, body: unknown, reasons: string[]): Verdict<never> {
    this.#rejected.push({ command, host, body, reasons, at: this.clock.now() });
    return { accepted: false, reasons };
  }
}

/** The body tracking.js sends for `click` (the endpoint is the stand-in's own; Trackdesk's is not public). */
export interface ClickCall {
  tenantId: unknown;
  landingUrl: string;
  linkId?: string | null;
  sourceId?: string | null;
  linkTenantId?: string | null;
  /** A CID handed over by a redirect link. */
  cid?: string | null;
  /** The CID already in this browser's cookie, for Trackdesk's one-hour repeat rule. */
  previousCid?: string | null;
}

/** The body of `POST /tracking/external-cid/v1`, plus the cookie's tenant for a clearer message. */
export interface ExternalCidCall {
  tenantId: unknown;
  externalCid: unknown;
  revenueOriginId: unknown;
  cid?: string | null;
  cookieTenantId?: string | null;
}
