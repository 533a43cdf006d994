/**
 * The gate's one pass (gate/visit-site.ts): its checks take turns by priority in a few browser contexts,
 * and discovery tells the site in one order, however the pages' visits interleave.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { discover } from '../gate/discover.ts';
import type { RenderedPage } from '../gate/render.ts';
import { serveFolder } from '../gate/site.ts';
import { Slots } from '../gate/slots.ts';

test('at most N checks at once; the waiting one of highest priority starts next, first come first among equals', async () => {
  const slots = new Slots(2);
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  const run = (name: string, priority: number) =>
    slots.run(() => {
      started.push(name);
      return new Promise<void>((resolve) => finish.set(name, resolve));
    }, priority);
  const all = [run('a', 0), run('b', 0), run('page', 0), run('seller', 1), run('journey', 2), run('other page', 0)];
  expect(started).toEqual(['a', 'b']);
  finish.get('a')!();
  await expect.poll(() => started).toEqual(['a', 'b', 'journey']);
  finish.get('b')!();
  await expect.poll(() => started).toEqual(['a', 'b', 'journey', 'seller']);
  for (const name of ['journey', 'seller']) finish.get(name)!();
  await expect.poll(() => started).toEqual(['a', 'b', 'journey', 'seller', 'page', 'other page']);
  for (const name of ['page', 'other page']) finish.get(name)!();
  await Promise.all(all);
});

test('discovery tells the pages, how each was found and its links in one order, whichever visit ends first', async () => {
  const page = (links: string[]) => `<!doctype html><title>x</title>${links.map((l) => `<a href="${l}">${l}</a>`).join(' ')}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'one-order-'));
  const files: Record<string, string> = { index: page(['/b', '/a']), a: page(['/c', '/']), b: page(['/a', '/d']), c: page([]), d: page(['/c']) };
  for (const [name, html] of Object.entries(files)) writeFileSync(path.join(dir, `${name}.html`), html);
  const site = await serveFolder(dir);
  const blank = (status: number): RenderedPage => ({ status, links: [], ways: [], checkoutLinks: [], storefronts: [], inlineScripts: [], scriptUrls: [], errors: [], limits: [] });
  try {
    /** Discovery with the pages' renders ending in the order `ends` gives (the rest at once). */
    const told = async (ends: string[]) => {
      const waiting = new Map<string, () => void>();
      const result = discover({
        siteUrl: site.url,
        maxPages: 20,
        clientRoutes: new Set(),
        ownHosts: new Set(),
        render: (at) => (ends.includes(at) ? new Promise((resolve) => waiting.set(at, () => resolve(blank(200)))) : Promise.resolve(blank(200))),
      });
      for (const at of ends) {
        await expect.poll(() => waiting.has(at)).toBe(true);
        waiting.get(at)!();
      }
      const { pages, aliases } = await result;
      return { pages: pages.map((p) => [p.path, p.foundBy, p.links]), aliases: [...aliases] };
    };
    const expected = await told([]);
    expect(expected.pages).toEqual([
      ['/', ['the home page', 'link on /a'], ['/b', '/a']],
      ['/b', ['link on /'], ['/a', '/d']],
      ['/a', ['link on /', 'link on /b'], ['/c', '/']],
      ['/d', ['link on /b'], ['/c']],
      ['/c', ['link on /a', 'link on /d'], []],
    ]);
    expect(await told(['/d', '/a', '/b', '/'])).toEqual(expected);
    expect(await told(['/c', '/b', '/d', '/a', '/'])).toEqual(expected);
  } finally {
    await site.close();
  }
});

test("a page discovery finds past the run's deadline is not visited, and fails the run: it may sell", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'late-link-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title><script>document.body.append(Object.assign(document.createElement("a"), { href: "/tickets" }))</script>');
  writeFileSync(path.join(dir, 'tickets.html'), '<!doctype html><title>x</title><tito-widget event="acme-events/summit-2026"></tito-widget>');
  const site = await serveFolder(dir);
  const started = Date.now();
  const deadlineMs = 500;
  try {
    // The home page is read once the deadline has passed; only then is the link its script drew known.
    const { findings } = await discover({
      siteUrl: site.url,
      maxPages: 20,
      clientRoutes: new Set(),
      ownHosts: new Set(),
      deadlineMs,
      render: async () => {
        await expect.poll(() => Date.now() - started, { intervals: [100] }).toBeGreaterThan(deadlineMs);
        return { status: 200, links: ['/tickets'], ways: [], checkoutLinks: [], storefronts: [], inlineScripts: [], scriptUrls: [], errors: [], limits: [] };
      },
    });
    expect(findings.map((f) => [f.severity, f.code, f.page, f.message])).toEqual([
      ['error', 'CHECK_CUT_OFF', '*', expect.stringMatching(/^the run reached its deadline \(GATE_RUN_TIMEOUT, \d+ s\) while it discovered pages; 1 page it found was not visited, so attribution on it could not be proven$/)],
    ]);
  } finally {
    await site.close();
  }
});
