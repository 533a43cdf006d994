/**
 * Nothing leaves, beneath Playwright's routing too: Chromium, as the harness and the gate start it,
 * resolves no name and opens no socket outside loopback, whatever a page tries. Proved from Chromium's
 * own net log, read once the browser has closed, and by canary listeners on loopback: with a resolver
 * that refuses every name, an address literal on this machine is the one thing a socket could reach.
 */
import dgram from 'node:dgram';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { http, HttpResponse } from 'msw';
import { chromiumLaunchOptions, NET_LOG_ENV } from '../fixtures/browser.ts';
import { projectRoot } from '../fixtures/config.ts';
import { buyTickets } from '../fixtures/journeys.ts';
import { runGate } from '../fixtures/nested-run.ts';
import { outsideTraffic, readNetLogs, withNetLog, type NetLogTraffic } from '../fixtures/net-log.ts';
import { FIXTURE_SITE_ORIGIN } from '../fixtures/site.ts';
import { expect, test as harness } from '../fixtures/test.ts';
import type { GateVerdict } from '../gate/judge.ts';

const OUTSIDE_TRAFFIC = path.join(projectRoot, 'fixtures', 'outside-traffic');
const buyer = { name: 'Ada Lovelace', email: 'ada@example.com' };

/** Fails, naming every host and address, when Chromium reached past loopback; a log with no events proves nothing. */
function expectNothingLeft(traffic: NetLogTraffic): void {
  expect(traffic.events, `the net log ${traffic.files.join(', ')} holds Chromium's events`).toBeGreaterThan(0);
  expect(traffic.resolutions, outsideTraffic(traffic)).toEqual([]);
  expect(traffic.connections, outsideTraffic(traffic)).toEqual([]);
}

/**
 * The harness's own fixtures, on a Chromium of the test's own, started with the harness's launch
 * options plus a net log. When the test ends, it closes (so Chromium finishes the log), and the log is
 * judged: this runs after every other fixture has let go of the context.
 */
const test = harness.extend<{ netLog: string; canaries: Canaries }>({
  canaries: async ({}, use) => {
    const canaries = await startCanaries();
    await use(canaries);
    await canaries.close();
  },
  netLog: async ({}, use, testInfo) => use(testInfo.outputPath('chromium-net-log.json')),
  context: async ({ playwright, netLog, baseURL, serviceWorkers, viewport, userAgent, deviceScaleFactor, isMobile, hasTouch }, use, testInfo) => {
    const browser = await playwright.chromium.launch(withNetLog(chromiumLaunchOptions, netLog));
    const context = await browser.newContext({ baseURL, serviceWorkers, viewport, userAgent, deviceScaleFactor, isMobile, hasTouch });
    await use(context);
    await context.close();
    await browser.close();
    const traffic = readNetLogs([netLog]);
    await testInfo.attach('requests Chromium started by itself', { body: JSON.stringify(traffic.requests, null, 2), contentType: 'application/json' });
    expectNothingLeft(traffic);
  },
});

test.describe('Chromium as the harness starts it', () => {
  test('a whole attribution journey resolves no name and opens no socket outside loopback', async ({ site, tito, trackdesk, stripeApp, affiliateLink }) => {
    await buyTickets({ site, tito, trackdesk, stripeApp }, affiliateLink, { tickets: { 'General Admission': 1 }, ...buyer });
    await expect(trackdesk).toHaveConversion({ affiliate: 'jane-doe', email: buyer.email });
    // The net log is judged when the test ends, once Chromium has closed and finished writing it.
  });

  test('a page that tries every way out reaches nothing: each request is blocked and named, WebRTC and mDNS reach no canary', async ({ page, network, networkGuard, canaries }) => {
    const html = readFileSync(path.join(OUTSIDE_TRAFFIC, 'canary.html'), 'utf8').replaceAll('{{UDP_CANARY}}', String(canaries.udpPort)).replaceAll('{{TCP_CANARY}}', String(canaries.tcpPort));
    network.use(http.get(`${FIXTURE_SITE_ORIGIN}/outside-traffic`, () => HttpResponse.html(html)));

    await page.goto('/outside-traffic');
    type Tried = { outsideTraffic: Promise<Record<string, string>>; webrtc: Promise<{ candidates: string[]; errors: string[] }> };

    expect(await page.evaluate(() => (window as unknown as Tried).outsideTraffic)).toEqual({
      webSocket: 'closed 1008',
      eventSource: 'error',
      beacon: 'queued',
      serviceWorker: 'no registration',
    });
    // Each request is named by the guard (the beacon may go out after the page has its answer: wait for it).
    await expect.poll(() => networkGuard.blocked.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      'GET https://events.canary.example/stream',
      'POST https://beacon.canary.example/collect',
      'WEBSOCKET wss://realtime.canary.example/live',
    ]);
    for (const host of ['events.canary.example', 'beacon.canary.example', 'realtime.canary.example']) networkGuard.forget(host);

    // WebRTC is below HTTP: no route sees it, so the guard cannot name it; the canaries and the net log
    // can. Wait until ICE gathering ends, or until something reaches a canary, whichever comes first.
    const gathered = await Promise.race([page.evaluate(() => (window as unknown as Tried).webrtc), canaries.reached]);
    expect(canaries.received, 'what reached the canaries on 127.0.0.1 and the mDNS group').toEqual([]);
    // No candidate at all: no host address, no mDNS name, nothing from STUN or TURN.
    expect(gathered).toEqual({ candidates: [], errors: [`turn:127.0.0.1:${canaries.tcpPort}?transport=tcp`] });
    // DNS prefetch and preconnect make no request: the net log, judged when the test ends, shows whether they resolved.
  });
});

test.describe('Chromium as the gate starts it', () => {
  test('a gate run on a site with analytics, fonts, an embed, resource hints and WebRTC resolves no name and opens no socket outside loopback', async ({}, testInfo) => {
    test.setTimeout(120_000);
    const logs = testInfo.outputPath('gate-net-logs');
    mkdirSync(logs, { recursive: true });
    const run = await runGate(['--workers', '1'], {
      SITE_DIR: path.join(OUTSIDE_TRAFFIC, 'site'),
      TITO_EVENT: 'acme-events/summit-2026',
      TRACKDESK_TENANT_ID: 'acme-events',
      TRACKDESK_REVENUE_ORIGIN_ID: '3f2b8c1e-5d4a-4b7e-9c21-6a0d8e4f1b37',
      [NET_LOG_ENV]: logs,
    });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const report = JSON.parse(readFileSync(path.join(run.reportDir, 'gate.json'), 'utf8')) as GateVerdict;
    expect(report.thirdParties.map((t) => t.host).sort()).toEqual(['fonts.googleapis.com', 'www.googletagmanager.com', 'www.youtube-nocookie.com']);

    // One log per Chromium: the gate's one browser, for discovery and the checks.
    const files = readdirSync(logs).map((name) => path.join(logs, name));
    expect(files, 'one net log: one browser for discovery and the checks').toHaveLength(1);
    expectNothingLeft(readNetLogs(files));
  });
});

interface Canaries {
  udpPort: number;
  tcpPort: number;
  /** Everything that reached a canary: a TCP connection, a UDP datagram, an mDNS packet from this machine. */
  received: string[];
  /** Resolves when the first thing reaches a canary. */
  reached: Promise<void>;
  close(): Promise<void>;
}

/** A TCP and a UDP listener on 127.0.0.1 (WebRTC's STUN and TURN servers), and a listener on the mDNS group. */
async function startCanaries(): Promise<Canaries> {
  const received: string[] = [];
  let reach = () => {};
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const note = (what: string) => {
    received.push(what);
    reach();
  };
  const ownAddresses = new Set(Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address)));
  const tcp = net.createServer((socket) => {
    note(`TCP connection to 127.0.0.1:${port(tcp)}`);
    socket.destroy();
  });
  const udp = dgram.createSocket('udp4').on('message', (_, from) => note(`UDP datagram to 127.0.0.1 from port ${from.port}`));
  const mdns = dgram.createSocket({ type: 'udp4', reuseAddr: true }).on('message', (_, from) => {
    if (ownAddresses.has(from.address)) note(`mDNS packet from ${from.address}`);
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => mdns.bind(5353, resolve));
  mdns.addMembership('224.0.0.251');
  return {
    tcpPort: port(tcp),
    udpPort: udp.address().port,
    received,
    reached,
    close: async () => {
      udp.close();
      mdns.close();
      await new Promise((resolve) => tcp.close(resolve));
    },
  };
}

function port(server: net.Server): number {
  return (server.address() as net.AddressInfo).port;
}
