/**
 * A site that runs the click tracker only once the visitor accepts cookies (the snippet kept as
 * `type="text/plain"` until its own banner lets it run, as vanilla-cookieconsent and Klaro do, or Cookiebot
 * and OneTrust loaded from their vendors' hosts, which have stand-ins): the gate's visitor accepts, as
 * most visitors do, and is tracked if the site tracks them then.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harnessConfig } from '../fixtures/config.ts';
import { expect, ownersSettings, test } from '../fixtures/gate-run.ts';
import { configuredSite, renderFixtureSite } from '../fixtures/site.ts';
import type { GateVerdict } from '../gate/judge.ts';

const fixture = renderFixtureSite(configuredSite(harnessConfig()));
const story = (verdict: GateVerdict) => verdict.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');

/** The page with its click tracker held for consent: `marks` are the attributes that hold it, `type="text/plain"` and the consent manager's. */
function withHeldTracker(html: string, marks: string): string {
  const held = html.replace(/<!-- Trackdesk tracker begin -->\n<script async src=/, `<!-- Trackdesk tracker begin -->\n<script ${marks} src=`).replace(/<\/script> <script>\n\(function/, `</script> <script ${marks}>\n(function`);
  expect(held.split(marks), 'both scripts of the click tracker held').toHaveLength(3);
  return held;
}

/** Every page with its click tracker held by `marks` for the consent manager that `loader` (a script in the head) loads from its vendor's host. */
function behindAHostedManager(loader: string, marks: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'consent-site-'));
  for (const [at, html] of Object.entries(fixture)) writeFileSync(path.join(dir, at === '/' ? 'index.html' : `${at.slice(1)}.html`), withHeldTracker(html, marks).replace('<head>', `<head>${loader}`));
  return dir;
}

/** Every page with its click tracker held for consent, and a banner whose "Accept all" (beside "Accept necessary") runs it now (`atOnce`) or only from the next page on. */
function behindABanner(atOnce: boolean): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'consent-site-'));
  const banner = `<div id="cookie-consent" style="position:fixed;bottom:0;left:0;right:0;background:#fff;padding:1rem">We use cookies.
<button type="button" id="necessary">Accept necessary</button> <button type="button" id="accept">Accept all</button> <button type="button" id="reject">Reject all</button></div>
<script>
function runConsented() {
  document.querySelectorAll('script[type="text/plain"][data-consent="marketing"]').forEach(function (held) {
    var s = document.createElement('script'); if (held.src) { s.src = held.src; s.async = true; } else s.text = held.text; held.replaceWith(s);
  });
  document.getElementById('cookie-consent').remove();
}
document.getElementById('accept').onclick = function () { localStorage.setItem('consent', 'marketing'); ${atOnce ? 'runConsented();' : "document.getElementById('cookie-consent').remove();"} };
document.getElementById('necessary').onclick = function () { localStorage.setItem('consent', 'necessary'); document.getElementById('cookie-consent').remove(); };
document.getElementById('reject').onclick = function () { localStorage.setItem('consent', 'none'); document.getElementById('cookie-consent').remove(); };
if (localStorage.getItem('consent') === 'marketing') runConsented(); else if (localStorage.getItem('consent')) document.getElementById('cookie-consent').remove();
</script>`;
  for (const [at, html] of Object.entries(fixture)) {
    writeFileSync(path.join(dir, at === '/' ? 'index.html' : `${at.slice(1)}.html`), withHeldTracker(html, 'type="text/plain" data-consent="marketing"').replace('</body>', `${banner}</body>`));
  }
  return dir;
}

test('a click tracker that runs once the visitor accepts the cookie banner tracks the visitor who accepts: it passes', async ({ gateSite }) => {
  const { verdict } = await gateSite({ siteDir: behindABanner(true), env: ownersSettings() });
  expect(verdict.findings.filter((f) => f.severity !== 'warning').map((f) => `${f.code} ${f.page}`), story(verdict)).toEqual([]);
  expect(verdict.exitCode, story(verdict)).toBe(0);
});

test('a click tracker that runs only from the page after consent loses the affiliate click on the landing page: it fails, saying the visitor accepted', async ({ gateSite }) => {
  const { verdict } = await gateSite({ siteDir: behindABanner(false), env: ownersSettings() });
  const lost = verdict.findings.filter((f) => f.code === 'CLICK_NOT_TRACKED');
  expect([...new Set(lost.map((f) => f.page))].sort(), story(verdict)).toEqual(['/', '/tickets']);
  for (const f of lost) expect(f.message, story(verdict)).toContain('(the visitor accepted the cookie banner: "Accept all")');
  expect(verdict.exitCode, story(verdict)).toBe(1);
});

const COOKIEBOT = '<script id="Cookiebot" src="https://consent.cookiebot.com/uc.js" data-cbid="3f0c4a52-1b7e-4d2a-9a44-0c5e6f7a8b9c" data-blockingmode="manual" type="text/javascript"></script>';
const ONETRUST = '<script src="https://cdn.cookielaw.org/scripttemplates/otSDKStub.js" type="text/javascript" charset="UTF-8" data-domain-script="3f0c4a52-1b7e-4d2a-9a44-0c5e6f7a8b9c"></script><script type="text/javascript">function OptanonWrapper() { }</script>';

for (const [manager, loader, marks] of [
  ['Cookiebot', COOKIEBOT, 'type="text/plain" data-cookieconsent="marketing"'],
  ['OneTrust', ONETRUST, 'type="text/plain" class="optanon-category-C0004"'],
] as const) {
  test(`a click tracker held for ${manager}, loaded from its vendor's host, runs once the visitor accepts its banner: it passes`, async ({ gateSite }) => {
    const { verdict } = await gateSite({ siteDir: behindAHostedManager(loader, marks), env: ownersSettings() });
    expect(verdict.findings.filter((f) => f.severity !== 'warning').map((f) => `${f.code} ${f.page}`), story(verdict)).toEqual([]);
    expect(verdict.exitCode, story(verdict)).toBe(0);
    // The journey's second page runs it at once: the visitor's consent is in the manager's cookie.
    expect(verdict.pages.find((p) => p.path === '/tickets')?.checks.map((c) => `${c.kind} ${c.status}`), story(verdict)).toEqual(expect.arrayContaining(['journey passed']));
  });
}

test("a click tracker held for a consent category the manager never has (OneTrust's old group 4 for C0004) runs for no visitor: it fails, saying the visitor accepted", async ({ gateSite }) => {
  const { verdict } = await gateSite({ siteDir: behindAHostedManager(ONETRUST, 'type="text/plain" class="optanon-category-4"'), env: ownersSettings() });
  const lost = verdict.findings.filter((f) => f.severity === 'error');
  expect([...new Set(lost.map((f) => f.page))].sort(), story(verdict)).toEqual(['/', '/tickets']);
  expect(lost.some((f) => f.message.includes('(the visitor accepted the cookie banner: "Accept all cookies")')), story(verdict)).toBe(true);
  expect(verdict.exitCode, story(verdict)).toBe(1);
});
