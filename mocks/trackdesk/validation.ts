/**
 * Why the mocked Trackdesk refuses a tracking call: every reason in words a user can act on, quoting
 * each value as the page wrote it (tracking.js's rendering, types kept).
 */
import { EMAIL, UUID } from '../patterns.ts';
import {
  CID_COOKIE,
  COMMANDS_IN_WORDS,
  CONVERSION_STATUSES,
  PLACEHOLDERS,
  tenantHost,
  TRACKING_SCRIPT_URL,
  type ConversionCall,
  type ConversionStatus,
  type ExternalCidCall,
  type SentArguments,
  type UnknownCommandCall,
} from './protocol.ts';
import type { Click, TrackdeskAccount } from './records.ts';

export const isBlank = (value: unknown): boolean => value === undefined || value === null || value === '';

/** How the page wrote `field`: tracking.js's rendering, else the JSON value; undefined when the call has no such field. */
function asSent(sent: SentArguments | undefined, field: string, value: unknown): string | undefined {
  if (sent) return Object.hasOwn(sent, field) ? sent[field] : undefined;
  return value === undefined ? undefined : JSON.stringify(value);
}

/** A field's value as the page wrote it, for "… is not …" reasons: `"acme"`, `42`, `null`. */
export const quote = (sent: SentArguments | undefined, field: string, value: unknown): string => asSent(sent, field, value) ?? 'undefined';

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

/** The call's tenant, and the host it went to, against the account's. */
export function tenantProblems(account: TrackdeskAccount, host: string, tenantId: unknown, sent: SentArguments | undefined): string[] {
  const mine = account.tenantId;
  if (isBlank(tenantId)) {
    return [`the call names no tenant (${passed(sent, 'tenantId', tenantId)}): trackdesk() takes your Tenant ID "${mine}" as its first argument`];
  }
  if (typeof tenantId !== 'string') {
    return [`tenant ${quote(sent, 'tenantId', tenantId)} is not a Tenant ID: trackdesk() takes your Tenant ID "${mine}", a string, as its first argument`];
  }
  if (tenantId === PLACEHOLDERS.tenantId) {
    return [`the snippet still has the placeholder ${PLACEHOLDERS.tenantId}: replace it with your Tenant ID "${mine}"`];
  }
  if (tenantId !== mine) {
    return [`tenant ${quote(sent, 'tenantId', tenantId)} is not your Trackdesk tenant "${mine}": fix the Tenant ID in the snippet${slip(tenantId)}`];
  }
  if (host !== tenantHost(mine)) {
    return [`the call went to ${host}, not to your tenant's host ${tenantHost(mine)}`];
  }
  return [];
}

export function revenueOriginProblems(account: TrackdeskAccount, revenueOriginId: unknown, sent: SentArguments | undefined): string[] {
  const mine = account.revenueOriginId;
  if (isBlank(revenueOriginId)) {
    return [`revenueOriginId is missing (${passed(sent, 'revenueOriginId', revenueOriginId)}): the conversion snippet must pass your Revenue Origin ID "${mine}"`];
  }
  if (revenueOriginId === PLACEHOLDERS.revenueOriginId) {
    return [`the snippet still has the placeholder ${PLACEHOLDERS.revenueOriginId}: replace it with your Revenue Origin ID "${mine}"`];
  }
  if (typeof revenueOriginId !== 'string' || !UUID.test(revenueOriginId)) {
    return [`revenueOriginId ${quote(sent, 'revenueOriginId', revenueOriginId)} is not a UUID: copy the Revenue Origin ID from Trackdesk${slip(revenueOriginId)}`];
  }
  if (revenueOriginId.toLowerCase() !== mine) {
    return [`revenue origin ${quote(sent, 'revenueOriginId', revenueOriginId)} is not your revenue origin "${mine}": fix the Revenue Origin ID in the snippet`];
  }
  return [];
}

/** The visitor's click cookie: there, of this tenant, a click this tenant issued (`click`), not expired by `now`. */
export function cookieProblems(call: ExternalCidCall | ConversionCall, click: Click | undefined, now: Date, cookieDays: number): string[] {
  const { cid, cookieTenantId, tenantId, sent } = call;
  if (!cid) {
    return [`this browser has no ${CID_COOKIE} cookie: the visitor did not arrive through an affiliate link, or the click snippet did not run on the landing page`];
  }
  if (cookieTenantId && cookieTenantId !== tenantId) return [`the ${CID_COOKIE} cookie belongs to tenant "${cookieTenantId}", not ${quote(sent, 'tenantId', tenantId)}`];
  if (!click) return [`the ${CID_COOKIE} cookie holds cid ${cid}, which this tenant never issued`];
  if (click.expiredAt <= now) return [`the click ${cid} expired on ${click.expiredAt.toISOString()} (cookie lifetime ${cookieDays} days)`];
  return [];
}

/** The external CID must be the buyer's email: the Stripe app matches on the customer's email. */
export function externalCidProblems({ externalCid, sent }: ExternalCidCall): string[] {
  if (isBlank(externalCid)) {
    return [`externalCid is missing (${passed(sent, 'externalCid', externalCid)}): the conversion snippet must send the buyer's email (data.email)`];
  }
  if (typeof externalCid !== 'string' || !EMAIL.test(externalCid)) {
    return [`externalCid ${quote(sent, 'externalCid', externalCid)} is not an email address: the Stripe app matches on the customer's email, so send data.email${slip(externalCid)}`];
  }
  return [];
}

/** A conversion's own fields: its type, a decimal string amount, a known status, string coupon codes. */
export function conversionProblems(call: ConversionCall): string[] {
  const { sent } = call;
  const reasons: string[] = [];
  if (isBlank(call.conversionType)) {
    reasons.push(`conversionType is missing (${passed(sent, 'conversionType', call.conversionType)}): name the conversion type, e.g. "sale" or "lead"`);
  } else if (typeof call.conversionType !== 'string') {
    reasons.push(`conversionType ${quote(sent, 'conversionType', call.conversionType)} is not a string: name the conversion type, e.g. "sale" or "lead"`);
  }
  const value = call.amount?.value;
  if (value !== undefined && typeof value !== 'string') {
    reasons.push(`amount.value is the ${typeof value} ${JSON.stringify(value)}: Trackdesk takes amounts as strings, e.g. { value: "49.00" }`);
  } else if (value !== undefined && !/^\d+(\.\d+)?$/.test(value)) {
    reasons.push(`amount.value "${value}" is not a decimal amount such as "49.00"`);
  }
  if (call.status !== undefined && !CONVERSION_STATUSES.includes(call.status as ConversionStatus)) {
    reasons.push(`status ${quote(sent, 'status', call.status)} is not a Trackdesk conversion status (${CONVERSION_STATUSES.join(', ')})`);
  }
  if (call.couponCodes !== undefined && !(Array.isArray(call.couponCodes) && call.couponCodes.every((c) => typeof c === 'string'))) {
    reasons.push(`couponCodes must be an array of strings (the page passed ${quote(sent, 'couponCodes', call.couponCodes)})`);
  }
  return reasons;
}

/** A command tracking.js does not know (a typo such as `externalCID`). */
export function unknownCommandReason({ command, sent }: UnknownCommandCall): string {
  return `trackdesk(…, ${quote(sent, 'command', command)}) is not a Trackdesk command: use ${COMMANDS_IN_WORDS} (mind the case)`;
}

/** A call that no tracking.js the mocked Trackdesk served sent: the page called the endpoint itself. */
export function notSentByTrackingJsReason(command: string): string {
  return `not sent by tracking.js (${TRACKING_SCRIPT_URL}): the page called Trackdesk's ${command} endpoint itself, which in production records nothing; call trackdesk(…) with tracking.js loaded`;
}

/** An external CID pairs a buyer who registered: none can be sent before Tito finished a registration. */
export function registrationProblems(finishedRegistrations: number): string[] {
  if (finishedRegistrations > 0) return [];
  return ["no Tito registration finished before this external CID: send it from tito('on:registration:finished', …), once the buyer has paid"];
}
