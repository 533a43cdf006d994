import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.ts';
import {
  redirectLinkPath,
  TRACKING_API,
  tenantHost,
  type ClickCall,
  type ConversionCall,
  type ConversionStatus,
  type ExternalCidCall,
  type ScriptKeys,
  type SentArguments,
  type TrackingCommand,
  type UnknownCommandCall,
} from './protocol.ts';
import type { Click, Conversion, ExternalCid, RejectedCall, TitoRegistrations, TrackdeskAccount } from './records.ts';
import {
  conversionProblems,
  cookieProblems,
  externalCidProblems,
  notSentByTrackingJsReason,
  quote,
  registrationProblems,
  revenueOriginProblems,
  tenantProblems,
  unknownCommandReason,
} from './validation.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

export type Verdict<T> = { accepted: true; record: T } | { accepted: false; reasons: string[] };

/** A redirect link: the visitor passes a Trackdesk redirect first, which sends them on with the CID. */
export interface RedirectLink {
  linkId: string;
  affiliate: string;
  landingUrl: string;
  /** How the redirect sends the visitor on (Trackdesk's default is a double meta refresh). */
  mode: '307' | 'meta-refresh' | 'double-meta-refresh';
}

/** The endpoints as messages name them. */
const ENDPOINT_NAMES: Record<keyof typeof TRACKING_API, string> = { click: 'click', externalCid: 'external CID', conversion: 'conversion', unknownCommand: 'unknown-command' };
/**
 * The mocked Trackdesk's memory for one test: every tracking call, accepted or rejected with reasons
 * (validation.ts says why). Modelled on Snowplow Micro: validate everything, keep everything, answer
 * precise questions. It is no easier to pass than Trackdesk: only a call that a tracking.js it served
 * sent counts (protocol.ts: SCRIPT_KEY_PLACEHOLDER), and an external CID only once Tito finished a
 * registration in this test.
 */
export class TrackdeskCollector {
  readonly #clicks: Click[] = [];
  readonly #externalCids: ExternalCid[] = [];
  readonly #conversions: Conversion[] = [];
  readonly #rejected: RejectedCall[] = [];
  readonly #redirectLinks: RedirectLink[] = [];
  /** Each key tracking.js's copies were given, by the endpoint it is for. */
  readonly #scriptKeys = new Map<string, keyof typeof TRACKING_API>();
  #scriptLoads = 0;
  #redirectClicksTakenUp = 0;

  constructor(
    readonly account: TrackdeskAccount,
    readonly clock: Clock,
    /** The test's Tito checkout: an external CID pairs a buyer who registered. */
    private readonly tito: TitoRegistrations,
    /** The click cookie's lifetime: 30 days by default, up to 365. */
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
    return redirectLinkPath(link.linkId);
  }

  /** A visit to a redirect link: Trackdesk makes the click server-side and hands the CID on. */
  followRedirectLink(host: string, linkId: string): { link: RedirectLink; click: Click } | undefined {
    const link = this.#redirectLinks.find((l) => l.linkId === linkId);
    if (!link || host !== tenantHost(this.account.tenantId)) return undefined;
    return { link, click: this.#newClick(link.linkId, link.affiliate, link.landingUrl) };
  }

  /** A `click` from tracking.js: the landing URL's affiliate parameters, answered with a CID. */
  click(host: string, body: ClickCall): Verdict<Click> {
    const reasons = [...this.#trackingJsProblems('click', body), ...tenantProblems(this.account, host, body.tenantId, body.sent)];
    const redirectCid = body.cid ?? undefined;
    if (!redirectCid && (!body.linkId || !body.sourceId)) {
      reasons.push('the landing URL has no affiliate link parameters: a direct link needs linkId and sourceId (and tenantId)');
    }
    if (!redirectCid && body.linkTenantId && body.linkTenantId !== body.tenantId) {
      reasons.push(`the affiliate link is for tenant "${body.linkTenantId}" but the click snippet tracks for ${quote(body.sent, 'tenantId', body.tenantId)}`);
    }
    if (redirectCid && !this.clickFor(redirectCid)) {
      reasons.push(`the landing URL carries cid ${redirectCid}, which no Trackdesk redirect link issued`);
    }
    if (reasons.length > 0) return this.#reject('click', 'click', host, body, reasons);

    const now = this.clock.now();
    // The same browser (its cookie, or its user agent for calls made before the cookie was set)
    // following the same link within the hour makes no new click.
    const repeat = this.#clicks.find(
      (c) =>
        now.getTime() - c.at.getTime() < HOUR &&
        (c.cid === redirectCid ||
          ((c.cid === body.previousCid || c.userAgent === body.userAgent) && c.linkId === body.linkId && c.affiliate === body.sourceId)),
    );
    if (repeat) {
      if (redirectCid) this.#redirectClicksTakenUp += 1;
      return { accepted: true, record: repeat };
    }

    if (redirectCid) {
      this.#redirectClicksTakenUp += 1;
      return { accepted: true, record: this.clickFor(redirectCid)! };
    }
    return { accepted: true, record: this.#newClick(body.linkId!, body.sourceId!, body.landingUrl, body.userAgent) };
  }

  #newClick(linkId: string, affiliate: string, landingUrl: string, userAgent?: string): Click {
    const now = this.clock.now();
    const click: Click = { cid: randomUUID(), tenantId: this.account.tenantId, affiliate, linkId, landingUrl, userAgent, at: now, expiredAt: new Date(now.getTime() + this.cookieDays * DAY) };
    this.#clicks.push(click);
    return click;
  }

  /** An `externalCid`: pairs the buyer's email with the click in the visitor's cookie. */
  externalCid(host: string, body: ExternalCidCall): Verdict<ExternalCid> {
    const reasons = [
      ...this.#trackingJsProblems('externalCid', body),
      ...tenantProblems(this.account, host, body.tenantId, body.sent),
      ...revenueOriginProblems(this.account, body.revenueOriginId, body.sent),
      ...externalCidProblems(body),
      ...this.#cookieProblems(body),
      ...registrationProblems(this.tito.registrations.length),
    ];
    if (reasons.length > 0) return this.#reject('externalCid', 'externalCid', host, body, reasons);

    const record: ExternalCid = { tenantId: this.account.tenantId, externalCid: body.externalCid as string, revenueOriginId: this.account.revenueOriginId, cid: body.cid!, at: this.clock.now() };
    this.#externalCids.push(record);
    return { accepted: true, record };
  }

  /** A `conversion` from the page: a sale or lead credited to the click in the visitor's cookie. */
  conversion(host: string, body: ConversionCall): Verdict<Conversion> {
    const reasons = [
      ...this.#trackingJsProblems('conversion', body),
      ...tenantProblems(this.account, host, body.tenantId, body.sent),
      ...revenueOriginProblems(this.account, body.revenueOriginId, body.sent),
      ...this.#cookieProblems(body),
      ...conversionProblems(body),
    ];
    if (reasons.length > 0) return this.#reject('conversion', 'conversion', host, body, reasons);

    const click = this.clickFor(body.cid!)!;
    const conversion = this.addConversion({
      tenantId: this.account.tenantId,
      conversionType: body.conversionType as string,
      cid: click.cid,
      affiliate: click.affiliate,
      email: body.customerId ?? '',
      revenueOriginId: this.account.revenueOriginId,
      amount: (body.amount?.value as string | undefined) ?? '0.00',
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
  unknownCommand(host: string, body: UnknownCommandCall): Verdict<never> {
    return this.#reject('unknownCommand', String(body.command), host, body, [...this.#trackingJsProblems('unknownCommand', body), unknownCommandReason(body)]);
  }

  /** Records a conversion unless one with the same type and external id exists (Trackdesk's dedup key). */
  addConversion(conversion: Omit<Conversion, 'at'>): Conversion {
    const existing = this.#conversions.find((c) => c.conversionType === conversion.conversionType && c.externalId === conversion.externalId);
    if (existing) return existing;
    const record = { ...conversion, at: this.clock.now() };
    this.#conversions.push(record);
    return record;
  }

  /** Sets a recorded conversion's status (the Stripe app does this on a refund). */
  setStatus(conversion: Conversion, status: ConversionStatus): void {
    conversion.status = status;
  }

  /** tracking.js, loaded by the browser as a script: counted, and given the keys its calls carry, one per endpoint. */
  serveTrackingScript(): ScriptKeys {
    this.#scriptLoads += 1;
    const keys = Object.fromEntries(Object.keys(TRACKING_API).map((endpoint) => [endpoint, randomUUID()])) as ScriptKeys;
    for (const [endpoint, key] of Object.entries(keys)) this.#scriptKeys.set(key, endpoint as keyof typeof TRACKING_API);
    return keys;
  }

  /** The latest accepted pairing for an email, as the Stripe app looks it up. */
  externalCidFor(email: string): ExternalCid | undefined {
    return this.#externalCids.findLast((p) => p.externalCid === email);
  }

  clickFor(cid: string): Click | undefined {
    return this.#clicks.find((c) => c.cid === cid);
  }

  /** Calls of tracking.js that took up a redirect link's click (its `cid` in the landing URL), to store it in the cookie. */
  get redirectClicksTakenUp(): number {
    return this.#redirectClicksTakenUp;
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
  /** How many times the browser loaded tracking.js as a script (a page's fetch() of it does not count). */
  get trackingScriptLoads(): number {
    return this.#scriptLoads;
  }

  #cookieProblems(call: ExternalCidCall | ConversionCall): string[] {
    return cookieProblems(call, call.cid ? this.clickFor(call.cid) : undefined, this.clock.now(), this.cookieDays);
  }

  /** Whether tracking.js sent `call` to `endpoint`: with the key a copy of it was given for that endpoint. */
  #sentByTrackingJs(endpoint: keyof typeof TRACKING_API, call: { scriptKey?: unknown }): boolean {
    return typeof call.scriptKey === 'string' && this.#scriptKeys.get(call.scriptKey) === endpoint;
  }

  #trackingJsProblems(endpoint: keyof typeof TRACKING_API, call: { scriptKey?: unknown }): string[] {
    return this.#sentByTrackingJs(endpoint, call) ? [] : [notSentByTrackingJsReason(ENDPOINT_NAMES[endpoint])];
  }

  /** Records a call to `endpoint` Trackdesk refused, by the command it carried. */
  #reject(endpoint: keyof typeof TRACKING_API, command: TrackingCommand, host: string, call: { sent?: SentArguments; scriptKey?: unknown }, reasons: string[]): Verdict<never> {
    const { sent, scriptKey: _key, ...body } = call;
    const sentByTrackingJs = this.#sentByTrackingJs(endpoint, call);
    this.#rejected.push({ command, host, body, ...(sent && { sent }), sentByTrackingJs, reasons, at: this.clock.now() });
    return { accepted: false, reasons };
  }
}
