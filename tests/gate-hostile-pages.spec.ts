/**
 * The site under test is untrusted: pages built to exhaust the gate (popups without end, frames that load
 * themselves, a redirect ping-pong, a main thread that never frees, a DOM that never stops changing)
 * beside the fixture site's correct pages. The run must end in a verdict within three minutes, with each
 * limit named on its page, and never as a fault of the harness.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as gateTest } from '../fixtures/gate-run.ts';
import { expect, test } from '@playwright/test';
import { harnessConfig } from '../fixtures/config.ts';
import { runGate } from '../fixtures/nested-run.ts';
import { configuredSite, renderFixtureSite } from '../fixtures/site.ts';
import type { GateVerdict } from '../gate/judge.ts';

const config = harnessConfig();
const page = (body: string) => `<!doctype html><html><head><meta charset="utf-8"><title>x</title></head><body>${body}</body></html>`;

const HOSTILE: Record<string, string> = {
  popups: page('<script>for (let i = 0; i < 300; i++) window.open("/popups?" + i);</script>'),
  frames: page('<script>for (let i = 0; i < 3000; i++) { const f = document.createElement("iframe"); f.src = "/frames?" + i; document.body.append(f); }</script>'),
  ping: page('<script>location.replace("/pong")</script>'),
  pong: page('<script>location.replace("/ping")</script>'),
  busy: page('<script>setTimeout(() => { for (;;) {} }, 0)</script>'),
  churn: page('<p id="n">0</p><script>setInterval(() => { document.getElementById("n").textContent = String(Date.now()) }, 5)</script>'),
};

test('a site of pages built to hang the gate ends in a verdict within three minutes, each limit named', async () => {
  test.setTimeout(200_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hostile-site-'));
  const fixture = renderFixtureSite(configuredSite(config));
  const links = Object.keys(HOSTILE).filter((name) => name !== 'pong').map((name) => `<a href="/${name}">${name}</a>`).join(' ');
  writeFileSync(path.join(dir, 'index.html'), fixture['/']!.replace('</main>', `<nav>${links}</nav></main>`));
  writeFileSync(path.join(dir, 'tickets.html'), fixture['/tickets']!);
  for (const [name, html] of Object.entries(HOSTILE)) writeFileSync(path.join(dir, `${name}.html`), html);

  const started = Date.now();
  const run = await runGate([], { SITE_DIR: dir, GATE_PAGE_TIMEOUT: '45' });
  const seconds = (Date.now() - started) / 1000;
  const report = JSON.parse(readFileSync(path.join(run.reportDir, 'gate.json'), 'utf8')) as GateVerdict;
  const story = report.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');

  expect(seconds, story).toBeLessThan(180);
  expect(report.findings.filter((f) => f.severity === 'fault'), story).toEqual([]);
  expect(run.code, story).toBe(1);
  const limited = (code: string) => [...new Set(report.findings.filter((f) => f.code === code).map((f) => f.page))].sort();
  expect(limited('GATE_LIMIT_REACHED'), story).toEqual(expect.arrayContaining(['/frames', '/popups']));
  expect(limited('CHECK_CUT_OFF'), story).toEqual(expect.arrayContaining(['/busy', '/frames', '/popups']));
  // The correct pages are judged as they are: clicked, bought on, and credited.
  expect(report.findings.filter((f) => f.severity === 'error' && ['/', '/tickets'].includes(f.page)), story).toEqual([]);
});

test("past the run's deadline no further page or check starts: a page left unread that runs scripts fails the run, one of HTML alone is named", async ({}, testInfo) => {
  testInfo.setTimeout(120_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'late-site-'));
  const fixture = renderFixtureSite(configuredSite(config));
  // Pages whose main thread never frees: each holds its check to GATE_PAGE_TIMEOUT. Any of them could draw
  // a storefront once read; the pages of HTML alone they link to (found after them, checked after them) cannot.
  const busy = ['busy-1', 'busy-2', 'busy-3', 'busy-4'];
  const plain = ['plain-1', 'plain-2'];
  // A page without a <script> whose picture's error handler runs one may draw a storefront as well.
  const handler = 'handler-1';
  const nav = (names: string[]) => `<nav>${names.map((b) => `<a href="/${b}">${b}</a>`).join(' ')}</nav>`;
  writeFileSync(path.join(dir, 'index.html'), fixture['/']!.replace('</main>', `${nav(busy)}</main>`));
  writeFileSync(path.join(dir, 'tickets.html'), fixture['/tickets']!);
  for (const name of busy) writeFileSync(path.join(dir, `${name}.html`), HOSTILE.busy!.replace('</body>', `${nav([...plain, handler])}</body>`));
  for (const name of plain) writeFileSync(path.join(dir, `${name}.html`), page(`<p>${name}</p>`));
  writeFileSync(path.join(dir, `${handler}.html`), page('<img src="/missing.png" alt="" onerror="document.body.append(document.createElement(\'tito-widget\'))">'));

  const run = await runGate(['--workers', '1'], { SITE_DIR: dir, GATE_PAGE_TIMEOUT: '10', GATE_RUN_TIMEOUT: '15' });
  const report = JSON.parse(readFileSync(path.join(run.reportDir, 'gate.json'), 'utf8')) as GateVerdict;
  const story = report.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
  expect(report.findings.filter((f) => f.severity === 'fault'), story).toEqual([]);
  const notStarted = (name: string) => report.findings.filter((f) => f.page === `/${name}` && / did not start: the run reached its deadline \(GATE_RUN_TIMEOUT, 15 s\)/.test(f.message));
  // One worker, each busy page held 10 s, a 15 s deadline: at most two busy pages start, whichever go first.
  const unread = busy.filter((name) => notStarted(name).length > 0);
  expect(unread.length, story).toBeGreaterThanOrEqual(2);
  for (const name of unread) {
    expect(notStarted(name).map((f) => [f.severity, f.code, f.message.slice(f.message.indexOf(', so '))]), story).toEqual([['error', 'CHECK_CUT_OFF', ', so attribution on it (its scripts may draw a storefront) could not be proven']]);
  }
  for (const name of busy.filter((b) => !unread.includes(b))) {
    expect(report.findings.filter((f) => f.page === `/${name}` && f.code === 'CHECK_CUT_OFF' && f.severity === 'error'), story).toHaveLength(1);
  }
  for (const name of plain) expect(notStarted(name).map((f) => [f.severity, f.code]), story).toEqual([['warning', 'GATE_LIMIT_REACHED']]);
  expect(notStarted(handler).map((f) => [f.severity, f.code, f.message.slice(f.message.indexOf(', so '))]), story).toEqual([['error', 'CHECK_CUT_OFF', ', so attribution on it (its scripts may draw a storefront) could not be proven']]);
  expect(run.code, story).toBe(1);
});

const HOLDING = [
  {
    how: 'keeps its main thread busy a moment after it loads: the journey there runs to its deadline',
    script: '<script>setTimeout(() => { for (;;) {} }, 200)</script>',
    deadline: '10',
    error: ['CHECK_CUT_OFF', 'the check of /busy-tickets was cut off: it did not end within 10 s'],
  },
  {
    how: 'keeps its main thread busy a moment after it loads: the journey there ends once the page answered nothing for 20 s, well before its deadline',
    script: '<script>setTimeout(() => { for (;;) {} }, 200)</script>',
    deadline: '60',
    error: ['CHECK_CUT_OFF', 'the check of /busy-tickets was cut off: its main thread answered nothing for 20 s'],
  },
  {
    how: 'stops answering once the buyer starts registering: the journey there fails at the checkout',
    script: '<script>window.tito = window.tito || function () { (tito.q = tito.q || []).push(arguments); }; tito("on:registration:started", function () { for (;;) {} });</script>',
    deadline: '120',
    error: ['CHECKOUT_FAILED', 'did not finish'],
  },
];

for (const { how, script, deadline, error } of HOLDING) {
  test(`a ticket page that held one check holds no other: one that ${how}; its own visit does not start, and fails naming the check it held and why`, async ({}, testInfo) => {
    testInfo.setTimeout(180_000);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'held-site-'));
    const fixture = renderFixtureSite(configuredSite(config));
    writeFileSync(path.join(dir, 'index.html'), fixture['/']!.replace('</main>', '<p><a href="/busy-tickets">More tickets</a></p></main>'));
    writeFileSync(path.join(dir, 'tickets.html'), fixture['/tickets']!);
    writeFileSync(path.join(dir, 'busy-tickets.html'), fixture['/tickets']!.replace('</body>', `${script}</body>`));

    // One worker: the journeys to the ticket pages go before the ticket pages' own visits.
    const run = await runGate(['--workers', '1'], { SITE_DIR: dir, GATE_PAGE_TIMEOUT: deadline });
    const report = JSON.parse(readFileSync(path.join(run.reportDir, 'gate.json'), 'utf8')) as GateVerdict;
    const story = report.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
    expect(report.findings.filter((f) => f.severity === 'fault'), story).toEqual([]);
    // Whichever check there went first (the journey, or the page's own visit) fails the run; the others do not
    // start, and fail as it did, each naming it and its error.
    const [code, why] = error as [string, string];
    const checks = report.pages.find((p) => p.path === '/busy-tickets')!.checks.filter((c) => c.kind !== 'static audit');
    const notStarted = (c: (typeof checks)[number]) => c.findings.some((f) => / did not start: /.test(f.message));
    const ran = checks.filter((c) => !notStarted(c));
    // (Its own error is told once: by the visit's record where the journey's says the same of the page.)
    expect(ran.map((c) => c.status), story).toEqual(['failed']);
    expect(ran[0]!.findings.filter((f) => f.severity === 'error' && f.code !== code), story).toEqual([]);
    const skipped = checks.filter(notStarted);
    expect(skipped.length, story).toBeGreaterThan(0);
    for (const c of skipped) {
      expect([c.status, c.findings.map((f) => [f.severity, f.code])], story).toEqual(['failed', [['error', 'CHECK_CUT_OFF']]]);
      expect(c.findings[0]!.message, story).toContain(`${c.title} did not start: /busy-tickets held "${ran[0]!.title}" (${code}: `);
      expect(c.findings[0]!.message, story).toContain(why);
    }
    expect(checks.map((c) => c.title), story).toContain(`affiliate visit and registration on /busy-tickets (${config.tito.slug})`);
    // The check held there keeps its journey, and says why it has no screenshot: a page that never answers is not waited on for one.
    const kept = readdirSync(run.reportDir).filter((name) => name.includes('busy-tickets') && existsSync(path.join(run.reportDir, name, 'journey.txt')));
    expect(kept, story).toHaveLength(1);
    expect(readFileSync(path.join(run.reportDir, kept[0]!, 'journey.txt'), 'utf8')).toMatch(/^screenshot\.png: none, the page no longer answered/);
    expect(existsSync(path.join(run.reportDir, kept[0]!, 'screenshot.png'))).toBe(false);
    // The correct pages are judged as they are.
    expect(report.findings.filter((f) => f.severity === 'error' && ['/', '/tickets'].includes(f.page)), story).toEqual([]);
    expect(run.code, story).toBe(1);
  });
}

test("a page cannot get another page's checks skipped: a 404 page that moves its address to the broken ticket page before it is cut off holds only itself", async ({}, testInfo) => {
  testInfo.setTimeout(180_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'held-elsewhere-site-'));
  const fixture = renderFixtureSite(configuredSite(config));
  // Links to missing pages, answered by a 404 page that says it is /tickets and then attaches frames past the limit;
  // the ticket page itself, found last (through a page whose link a script draws), deletes the click's cookie.
  const missing = Array.from({ length: 12 }, (_, i) => `n${i + 1}`).map((n) => `<a href="/${n}">${n}</a>`).join(' ');
  const drawn = (href: string) => `<p id="x">About</p><script>document.getElementById("x").innerHTML = '<a href="${href}">About</a>';</script>`;
  writeFileSync(path.join(dir, 'index.html'), fixture['/']!.replace('<p><a href="/tickets">Get tickets</a></p>', `<p>${missing}</p>${drawn('/c')}`));
  writeFileSync(path.join(dir, 'c.html'), fixture['/']!.replace('<p><a href="/tickets">Get tickets</a></p>', drawn('/tickets')));
  writeFileSync(path.join(dir, 'tickets.html'), fixture['/tickets']!.replace('</body>', "<script>setInterval(() => { document.cookie = 'trakdesk_cid=; path=/; max-age=0'; }, 30);</script></body>"));
  writeFileSync(path.join(dir, '404.html'), page("<h1>Not found</h1><script>history.replaceState(null, '', '/tickets'); setTimeout(() => { for (let i = 0; i < 150; i++) document.body.append(document.createElement('iframe')); }, 300);</script>"));
  expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toContain('/n12');

  const run = await runGate([], { SITE_DIR: dir });
  const report = JSON.parse(readFileSync(path.join(run.reportDir, 'gate.json'), 'utf8')) as GateVerdict;
  const story = report.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
  expect(report.findings.filter((f) => f.severity === 'fault'), story).toEqual([]);
  // The ticket page is checked as it is, and fails for what it does.
  expect(report.findings.filter((f) => f.page === '/tickets' && f.severity === 'error').map((f) => f.code), story).toContain('CLICK_COOKIE_MISSING');
  expect(report.findings.filter((f) => f.page === '/tickets' && / did not start: /.test(f.message)), story).toEqual([]);
  expect(run.code, story).toBe(1);
});

gateTest("a page's limits count what it does, not the gate's own loads of it: a correct page of seven events with two trailers each passes", async ({ gateSite }) => {
  const fixture = renderFixtureSite(configuredSite(config));
  const trailers = (n: number) => [1, 2].map((t) => `<iframe title="trailer" src="https://www.youtube-nocookie.com/embed/trailer${n}${t}"></iframe>`).join('');
  const workshops = [1, 2, 3, 4, 5, 6].map((n) => `<section>${trailers(n)}<tito-widget event="${config.tito.account}/workshop-${n}"></tito-widget></section>`).join('');
  const tickets = fixture['/tickets']!.replace(/(<tito-widget event="[^"]+"><\/tito-widget>)/, `${trailers(0)}$1${workshops}`);
  expect(tickets).toContain('workshop-6');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'workshops-site-'));
  writeFileSync(path.join(dir, 'index.html'), fixture['/']!);
  writeFileSync(path.join(dir, 'tickets.html'), tickets);
  gateTest.setTimeout(180_000);
  const { verdict } = await gateSite({ siteDir: dir });
  const story = verdict.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
  expect(verdict.exitCode, story).toBe(0);
  expect(verdict.pages.find((p) => p.path === '/tickets')?.storefronts, story).toHaveLength(7);
});
