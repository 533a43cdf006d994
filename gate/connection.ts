/**
 * The connection a visitor's browser reports. Playwright's routing answers every request, so a page
 * would see no network at all (`navigator.connection.rtt` 0, the fastest link there is); a snippet that
 * runs only on fast connections ("rtt under 50 ms: third-party trackers only on fast links") would pass
 * here and lose most visitors' clicks in production. Each page the gate opens reports a connection many
 * visitors have (a round trip of 150 ms, about 5 Mbit/s down: "4g"), and nothing is slowed down: the
 * protocol's override sets what `navigator.connection` reports, not how requests go.
 */
import type { Page } from '@playwright/test';
import { sessionOf } from '../fixtures/in-page.ts';

/** `latency` in ms, throughputs in bytes a second (Chrome adds its own noise to what `downlink` reports). */
export const VISITOR_CONNECTION = { offline: false, latency: 150, downloadThroughput: 625_000, uploadThroughput: 187_500 } as const;

/**
 * Makes `page` report {@link VISITOR_CONNECTION}, for every document it loads from now on. A Chromium
 * without the override (an experimental command of its protocol) reports what it always did, and the
 * process says so once.
 */
export async function emulateVisitorConnection(page: Page): Promise<void> {
  const session = await sessionOf(page);
  await session.send('Network.overrideNetworkState', VISITOR_CONNECTION).catch((error: Error) => {
    if (!/wasn't found|not found/i.test(error.message)) throw error;
    if (told) return;
    told = true;
    process.emitWarning("this Chromium cannot report a visitor's connection (no Network.overrideNetworkState): its pages see none, navigator.connection.rtt 0", { code: 'GATE_NO_VISITOR_CONNECTION' });
  });
}

let told = false;
