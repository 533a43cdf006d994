/**
 * The site under test is served from its own folder or origin alone, and a run that crashes never leaves
 * an earlier pass behind.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { getResponse } from 'msw';
import { runGate } from '../fixtures/nested-run.ts';
import { scanHtml } from '../gate/audit/html.ts';
import { siteHandlers } from '../gate/site-proxy.ts';
import { serveFolder, SITE_UNDER_TEST_ORIGIN } from '../gate/site.ts';

const folder = (files: Record<string, string>) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'site-'));
  for (const [file, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), body);
  }
  return dir;
};

test.describe('the site under test, and nothing else', () => {
  test('a path such as //other-host/x is fetched from the site itself, never from the other host', async () => {
    let canaryHits = 0;
    const canary = createServer((_, response) => {
      canaryHits += 1;
      response.end('leaked');
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    const site = await serveFolder(folder({ 'index.html': '<!doctype html><p>home</p>' }));
    try {
      const canaryHost = `127.0.0.1:${(canary.address() as AddressInfo).port}`;
      const response = await getResponse(siteHandlers(site.url), new Request(`${SITE_UNDER_TEST_ORIGIN}//${canaryHost}/secret`, { headers: { cookie: 'trakdesk_cid=x' } }));
      expect(response?.status).toBe(404);
      expect(canaryHits).toBe(0);
    } finally {
      await site.close();
      canary.close();
    }
  });

  test('a symlink to a file or a folder outside SITE_DIR is not served', async () => {
    const outside = folder({ 'secret.txt': 'outside the site', 'private/key.txt': 'outside too' });
    const dir = folder({ 'index.html': '<!doctype html><p>home</p>' });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'leak.txt'));
    symlinkSync(path.join(outside, 'private'), path.join(dir, 'assets'));
    const site = await serveFolder(dir);
    try {
      for (const leak of ['/leak.txt', '/assets/key.txt']) expect((await fetch(`${site.url}${leak}`)).status, leak).toBe(404);
      expect(await (await fetch(`${site.url}/`)).text()).toContain('home');
    } finally {
      await site.close();
    }
  });

  test('HEAD, conditional and range requests are answered as a static host does', async () => {
    const site = await serveFolder(folder({ 'index.html': '<!doctype html><p>home</p>', 'tickets/index.html': '<!doctype html><p>tickets</p>' }));
    try {
      const head = await fetch(`${site.url}/tickets/`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      const etag = head.headers.get('etag')!;
      expect((await fetch(`${site.url}/tickets/`, { headers: { 'if-none-match': etag } })).status).toBe(304);
      const range = await fetch(`${site.url}/`, { headers: { range: 'bytes=0-8' } });
      expect([range.status, await range.text()]).toEqual([206, '<!doctype']);
    } finally {
      await site.close();
    }
  });

  test('a page nested 100,000 elements deep is scanned without a stack overflow', () => {
    const deep = `<!doctype html><html><head></head><body>${'<div>'.repeat(100_000)}<a href="/tickets">t</a>${'</div>'.repeat(100_000)}</body></html>`;
    expect(scanHtml(deep).links).toEqual(['/tickets']);
  });
});

test.describe('the report of a run that cannot finish', () => {
  test.describe.configure({ timeout: 120_000 });

  test('an earlier pass is replaced at once: a site that does not answer leaves "ok": false, exit code 2', async () => {
    const first = await runGate(['--static'], { SITE_DIR: folder({ 'index.html': '<!doctype html><p>home</p>', 'tickets.html': '<tito-widget event="acme-events/summit-2026"></tito-widget>' }) });
    const report = path.join(first.reportDir, 'gate.json');
    writeFileSync(report, JSON.stringify({ ok: true, verdict: 'passed', exitCode: 0 }));
    const second = await runGate([], { SITE_URL: 'http://127.0.0.1:9', GATE_REPORT: report });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('The site at http://127.0.0.1:9 does not answer');
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ ok: false, verdict: 'harness fault', exitCode: 2 });
  });
});
