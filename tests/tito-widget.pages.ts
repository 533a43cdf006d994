/**
 * The test pages the Tito widget specs serve, and what those pages record: every Tito event, through
 * the page's own handlers, and the stand-in's record of its storefronts.
 */
import type { Page } from '@playwright/test';
import { TITO_SCRIPT_ORIGIN, type TitoStandIn } from '../mocks/tito/index.ts';

export const buyer = { name: 'Katherine Johnson', email: 'katherine@example.com' };
export const EVENTS = ['widget:loaded', 'registration:started', 'registration:finished', 'registration:terms_accepted'];

/** One of Tito's events as a test page's handler recorded it (`window.titoEvents`, `window.v1Events`). */
export interface RecordedEvent {
  name: string;
  /** Whatever Tito handed the handler: the typed payloads are in mocks/tito/payloads.ts. */
  data: unknown;
}

// A page's own handlers for every Tito event, registered through the stub before tito.js loads.
const EVENT_RECORDER = `<script>
window.titoEvents = [];
window.tito = window.tito || function () { (tito.q = tito.q || []).push(arguments); };
${JSON.stringify(EVENTS)}.forEach(function (name) {
  tito('on:' + name, function (data) { titoEvents.push({ name: name, data: data }); });
});
</script>`;

/** A page that records Tito's events: the click tracker, the recorder, `head`, then `body`. */
export const html = (body: string, head = '') =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Tickets</title>{{CLICK_TRACKER}}${EVENT_RECORDER}${head}</head><body>${body}</body></html>`;

/** Tito's script, async, at `path` on its host (`/v2`, `/v2/with/inline`, `/v1`). */
export const titoScript = (path = '/v2') => `<script src="${TITO_SCRIPT_ORIGIN}${path}" async></script>`;

/** A page as a site serves it: the click tracker, `body`, then `tail` (the conversion snippet). */
export const sitePage = (body: string, tail = '{{CONVERSION_TRACKER}}', head = '') =>
  `<!doctype html><html><head><meta charset="utf-8">{{CLICK_TRACKER}}${head}</head><body>${body}${tail}</body></html>`;

export const eventsOn = (page: Page): Promise<RecordedEvent[]> => page.evaluate(() => window.titoEvents ?? []);

export const firedEvent = (page: Page, name: string, times = 1) =>
  page.waitForFunction(([n, t]) => (window.titoEvents ?? []).filter((e) => e.name === n).length >= t, [name, times] as const);

export const standIn = (page: Page): Promise<TitoStandIn> => page.evaluate(() => window.__titoStandIn ?? { loaded: [], storefronts: [], finished: [] });
