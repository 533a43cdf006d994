import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.ts';
import type { Click, Conversion, ConversionStatus, ExternalCid, RejectedCall, SentArguments, TrackdeskAccount, TrackingCommand } from './records.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

export type Verdict<T> = { accepted: true; record: T } | { accepted: false; reasons: string[] };

const STATUSES: readonly ConversionStatus[] = [
  'CONVERSION_STATUS_APPROVED',
  'CONVERSION_STATUS_PENDING',
  'CONVERSION_STATUS_ON_HOLD',
  'CONVERSION_STATUS_REFUNDED',
  'CONVERSION_STATUS_TEST',
  'CONVERSION_STATUS_FRAUD',
  'CONVERSION_STATUS_BLOCKED',
  'CONVERSION_STATUS_NOT_ALLOWED',
  'CONVERSION_STATUS_QUALITY_CONTROL',
  'CONVERSION_STATUS_REJECTED',
];

const isBlank = (value: unknown) => value === undefined || value === null || value === '';

/** How the page wrote `field`: tracking.js's rendering, else the JSON value; undefined when the call has no such field. */
function asSent(sent: SentArguments | undefined, field: string, value: unknown): string | undefined {
  if (sent) return Object.hasOwn(sent, field) ? sent[field] : undefined;
  return value === undefined ? undefined : JSON.stringify(value);
}

/** A field's value as the page wrote it, for "… is not …" reasons: `"acme"`, `42`, `null`. */
const quote = (sent: SentArguments | undefined, field: string, value: unknown) => asSent(sent, field, value) ?? 'undefined';

/** Why a field counts as missing: "the page passed undefined" (or null, or ""), or "the call has no revenueOriginId". */
function passed(sent: SentArguments | undefined, field: string, value: unknown): string {
  const as = asSent(sent, field, value);
  return as === undefined ? `the call has no ${field}` : `the page passed ${as}`;
}

/** Names a wrong string a user may read past: text made from a value that was not set, or a template left unfilled. */
function slip(value: unknown): string {
  if (typeof value !== 'string') return '';
  if (/^(undefined|null|NaN)$/.test(value)) return ` (text made from a value that was not set, as "" + undefined makes "undefined")`;
  if (/\{\{.*\}\}|\$\{.*\}|^\{[^{}]*\}$|<%.*%>/.test(value)) return ' (a template placeholder that was never filled in)';
  return '';
}

/** A redirect link: the visitor passes a Trackdesk redirect first, which sends them on with the CID. */
export interface RedirectLink {
  linkId: string;
  affiliate: string;
  landingUrl: string;
  /** How the redirect sends the visitor on (Trackdesk's default is a double meta refresh). */
  mode: '307' | 'meta-refresh' | 'double-meta-refresh';
}

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

  readonly #redirectLinks: RedirectLink[] = [];

  constructor(
    readonly account: TrackdeskAccount,
    readonly clock: Clock,
    /** The `trakdesk_cid` cookie lifetime: 30 days by default, up to 365. */
    readonly cookieDays = 30,
  ) {
    if (!(cookieDays >= 1 && cookieDays <= 365)) throw new Error(`Trackdesk cookie lifetime is 1 to 365 days, not ${cookieDays}.`);
  }

  /** Checks a Personal Token the way Trackdesk's API would for the Stripe app's "Save changes". */
  authenticate(tenantId: string, personalToken: string): string | undefined {
    if (tenantId !== this.account.tenantId) return `Tenant ${tenantId} was not found in Trackdesk`;
    if (personalToken !== this.account.personalToken) return 'The Personal Token was not accepted by Trackdesk (check Settings > Personal tokens)';
    return undefined;
  }

  /** Sets up a redirect link; the returned path on `<tenant>.trackdesk.com` is what the affiliate shares. */
  addRedirectLink(link: RedirectLink): string {
    this.#redirectLinks.push(link);
    return `/r/${encodeURIComponent(link.linkId)}`;
  }

  /** A visit to a redirect link: Trackdesk makes the click server-side and hands the CID on. */
  followRedirectLink(host: string, linkId: string): { link: RedirectLink; click: Click } | undefined {
    const link = this.#redirectLinks.find((l) => l.linkId === linkId);
    if (!link || host !== `${this.account.tenantId}.trackdesk.com`) return undefined;
    return { link, click: this.#newClick(link.linkId, link.affiliate, link.landingUrl) };
  }

  /** A `click` from tracking.js: the landing URL's affiliate parameters, answered with a CID. */
  click(host: string, body: ClickCall): Verdict<Click> {
    const reasons = [...this.#tenantProblems(host, body.tenantId, body.sent)];
    const redirectCid = body.cid ?? undefined;
    if (!redirectCid && (!body.linkId || !body.sourceId)) {
      reasons.push('the landing URL has no affiliate link parameters: a direct link needs linkId and sourceId (and tenantId)');
    }
    if (!redirectCid && body.linkTenantId && body.linkTenantId !== body.tenantId) {
      reasons.push(`the affiliate link is for tenant "${body.linkTenantId}" but the click snippet tracks for ${quote(body.sent, 'tenantId', body.tenantId)}`);
    }
    if (redirectCid && !this.#clicks.some((c) => c.cid === redirectCid)) {
      reasons.push(`the landing URL carries cid ${redirectCid}, which no Trackdesk redirect link issued`);
    }
    if (reasons.length > 0) return this.#reject('click', host, body, reasons);

    const now = this.clock.now();
    // The same browser (its cookie, or its user agent for calls made before the cookie was set)
    // following the same link within the hour makes no new click.
    const repeat = this.#clicks.find(
      (c) =>
        now.getTime() - c.at.getTime() < HOUR &&
        (c.cid === redirectCid ||
          ((c.cid === body.previousCid || c.userAgent === body.userAgent) && c.linkId === body.linkId && c.affiliate === body.sourceId)),
    );
    if (repeat) return { accepted: true, record: repeat };

    if (redirectCid) return { accepted: true, record: this.clickFor(redirectCid)! };
    return { accepted: true, record: this.#newClick(body.linkId!, body.sourceId!, body.landingUrl, body.userAgent) };
  }

  #newClick(linkId: string, affiliate: string, landingUrl: string, userAgent?: string): Click {
    const now = this.clock.now();
    const click: Click = {
      cid: randomUUID(),
      tenantId: this.account.tenantId,
      affiliate,
      linkId,
      landingUrl,
      userAgent,
      at: now,
      expiredAt: new Date(now.getTime() + this.cookieDays * DAY),
    };
    this.#clicks.push(click);
    return click;
  }

  /** An `externalCid`: pairs the buyer's email with the click in the visitor's `trakdesk_cid` cookie. */
  externalCid(host: string, body: ExternalCidCall): Verdict<ExternalCid> {
    const reasons = [...this.#tenantProblems(host, body.tenantId, body.sent)];
    reasons.push(...this.#revenueOriginProblems(body.revenueOriginId, body.sent));
    const externalCid = body.externalCid;
    if (isBlank(externalCid)) {
      reasons.push(`externalCid is missing (${passed(body.sent, 'externalCid', externalCid)}): the conversion snippet must send the buyer's email (data.email)`);
    } else if (typeof externalCid !== 'string' || !EMAIL.test(externalCid)) {
      reasons.push(
        `externalCid ${quote(body.sent, 'externalCid', externalCid)} is not an email address: the Stripe app matches on the customer's email, so send data.email${slip(externalCid)}`,
      );
    }
    reasons.push(...this.#cookieProblems(body.cid, body.cookieTenantId, body.tenantId, body.sent));
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

  /** A `conversion` from the page: a sale or lead credited to the click in the visitor's cookie. */
  conversion(host: string, body: ConversionCall): Verdict<Conversion> {
    const { sent } = body;
    const reasons = [...this.#tenantProblems(host, body.tenantId, sent), ...this.#revenueOriginProblems(body.revenueOriginId, sent)];
    reasons.push(...this.#cookieProblems(body.cid, body.cookieTenantId, body.tenantId, sent));
    if (isBlank(body.conversionType)) {
      reasons.push(`conversionType is missing (${passed(sent, 'conversionType', body.conversionType)}): name the conversion type, e.g. "sale" or "lead"`);
    } else if (typeof body.conversionType !== 'string') {
      reasons.push(`conversionType ${quote(sent, 'conversionType', body.conversionType)} is not a string: name the conversion type, e.g. "sale" or "lead"`);
    }
    const value = body.amount?.value;
    if (value !== undefined && typeof value !== 'string') {
      reasons.push(`amount.value is the ${typeof value} ${JSON.stringify(value)}: Trackdesk takes amounts as strings, e.g. { value: "49.00" }`);
    } else if (value !== undefined && !/^\d+(\.\d+)?$/.test(value)) {
      reasons.push(`amount.value "${value}" is not a decimal amount such as "49.00"`);
    }
    if (body.status !== undefined && !STATUSES.includes(body.status as ConversionStatus)) {
      reasons.push(`status ${quote(sent, 'status', body.status)} is not a Trackdesk conversion status (${STATUSES.join(', ')})`);
    }
    if (body.couponCodes !== undefined && !(Array.isArray(body.couponCodes) && body.couponCodes.every((c) => typeof c === 'string'))) {
      reasons.push(`couponCodes must be an array of strings (the page passed ${quote(sent, 'couponCodes', body.couponCodes)})`);
    }
    if (reasons.length > 0) return this.#reject('conversion', host, body, reasons);

    const click = this.clickFor(body.cid!)!;
    const conversion = this.addConversion({
      tenantId: this.account.tenantId,
      conversionType: body.conversionType as string,
      cid: click.cid,
      affiliate: click.affiliate,
      email: body.customerId ?? '',
      revenueOriginId: this.account.revenueOriginId,
      amount: (value as string | undefined) ?? '0.00',
      currency: body.amount?.currency ?? '',
      externalId: body.externalId ?? randomUUID(),
      status: (body.status as ConversionStatus | undefined) ?? 'CONVERSION_STATUS_PENDING',
      couponCodes: (body.couponCodes as string[] | undefined) ?? [],
      customParams: body.customParams ?? {},
      source: 'tracking',
    });
    return { accepted: true, record: conversion };
  }

  /** A command tracking.js does not know (a typo such as `externalCID`). */
  unknownCommand(host: string, body: { tenantId?: unknown; command?: unknown; sent?: SentArguments }): Verdict<never> {
    return this.#reject(String(body.command), host, body, [
      `trackdesk(…, ${quote(body.sent, 'command', body.command)}) is not a Trackdesk command: use click, externalCid or conversion (mind the case)`,
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

  /** Sets a recorded conversion's status (the Stripe app does this on a refund). */
  setStatus(conversion: Conversion, status: ConversionStatus): void {
    conversion.status = status;
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

  #tenantProblems(host: string, tenantId: unknown, sent: SentArguments | undefined): string[] {
    const mine = this.account.tenantId;
    if (isBlank(tenantId)) {
      return [`the call names no tenant (${passed(sent, 'tenantId', tenantId)}): trackdesk() takes your Tenant ID "${mine}" as its first argument`];
    }
    if (typeof tenantId !== 'string') {
      return [`tenant ${quote(sent, 'tenantId', tenantId)} is not a Tenant ID: trackdesk() takes your Tenant ID "${mine}", a string, as its first argument`];
    }
    if (tenantId === 'YOUR_TENANT_ID') {
      return [`the snippet still has the placeholder YOUR_TENANT_ID: replace it with your Tenant ID "${mine}"`];
    }
    if (tenantId !== mine) {
      return [`tenant ${quote(sent, 'tenantId', tenantId)} is not your Trackdesk tenant "${mine}": fix the Tenant ID in the snippet${slip(tenantId)}`];
    }
    if (host !== `${mine}.trackdesk.com`) {
      return [`the call went to ${host}, not to your tenant's host ${mine}.trackdesk.com`];
    }
    return [];
  }

  #cookieProblems(cid: string | null | undefined, cookieTenantId: string | null | undefined, tenantId: unknown, sent: SentArguments | undefined): string[] {
    if (!cid) {
      return ['this browser has no trakdesk_cid cookie: the visitor did not arrive through an affiliate link, or the click snippet did not run on the landing page'];
    }
    if (cookieTenantId && cookieTenantId !== tenantId) return [`the trakdesk_cid cookie belongs to tenant "${cookieTenantId}", not ${quote(sent, 'tenantId', tenantId)}`];
    if (!this.#clicks.some((c) => c.cid === cid)) return [`the trakdesk_cid cookie holds cid ${cid}, which this tenant never issued`];
    const click = this.clickFor(cid)!;
    if (click.expiredAt <= this.clock.now()) return [`the click ${cid} expired on ${click.expiredAt.toISOString()} (cookie lifetime ${this.cookieDays} days)`];
    return [];
  }

  #revenueOriginProblems(revenueOriginId: unknown, sent: SentArguments | undefined): string[] {
    const mine = this.account.revenueOriginId;
    if (isBlank(revenueOriginId)) {
      return [`revenueOriginId is missing (${passed(sent, 'revenueOriginId', revenueOriginId)}): the conversion snippet must pass your Revenue Origin ID "${mine}"`];
    }
    if (revenueOriginId === 'YOUR_REVENUE_ORIGIN_ID') {
      return [`the snippet still has the placeholder YOUR_REVENUE_ORIGIN_ID: replace it with your Revenue Origin ID "${mine}"`];
    }
    if (typeof revenueOriginId !== 'string' || !UUID.test(revenueOriginId)) {
      return [`revenueOriginId ${quote(sent, 'revenueOriginId', revenueOriginId)} is not a UUID: copy the Revenue Origin ID from Trackdesk${slip(revenueOriginId)}`];
    }
    if (revenueOriginId.toLowerCase() !== mine) {
      return [`revenue origin ${quote(sent, 'revenueOriginId', revenueOriginId)} is not your revenue origin "${mine}": fix the Revenue Origin ID in the snippet`];
    }
    return [];
  }

  #reject(command: TrackingCommand, host: string, call: { sent?: SentArguments }, reasons: string[]): Verdict<never> {
    const { sent, ...body } = call;
    this.#rejected.push({ command, host, body, ...(sent && { sent }), reasons, at: this.clock.now() });
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
  /** Set by the handler from the request, not by the page. */
  userAgent?: string;
  /** The arguments as the page passed them (tracking.js's rendering, types kept). */
  sent?: SentArguments;
}

/** The `conversion` command's parameters as tracking.js sends them, with the cookie's CID. */
export interface ConversionCall {
  tenantId: unknown;
  revenueOriginId: unknown;
  conversionType: unknown;
  amount?: { value?: unknown; currency?: string };
  externalId?: string;
  customerId?: string;
  status?: unknown;
  couponCodes?: unknown[];
  customParams?: Record<string, string>;
  cid?: string | null;
  cookieTenantId?: string | null;
  /** The arguments as the page passed them (tracking.js's rendering, types kept). */
  sent?: SentArguments;
}

/** The body of `POST /tracking/external-cid/v1`, plus the cookie's tenant for a clearer message. */
export interface ExternalCidCall {
  tenantId: unknown;
  externalCid: unknown;
  revenueOriginId: unknown;
  cid?: string | null;
  cookieTenantId?: string | null;
  /** The arguments as the page passed them (tracking.js's rendering, types kept). */
  sent?: SentArguments;
}
