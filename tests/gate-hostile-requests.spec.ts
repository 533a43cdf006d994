/**
 * The site under test is untrusted: requests a page makes that no stand-in, parser or server can take
 * must end as an answer the page sees, never as a crash of the run. Each of these ended the whole gate
 * with exit code 2 (a "harness fault" the site caused): a URL WHATWG's parser refuses, a path a
 * stand-in's pattern cannot decode, a body a stand-in cannot parse, a connection the site's loopback
 * server closed as a request went out on it (a page of a thousand images met one by chance).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { harnessConfig } from '../fixtures/config.ts';
import { expect, ownersSettings, test } from '../fixtures/gate-run.ts';
import { configuredSite, renderFixtureSite } from '../fixtures/site.ts';
import { fetchFromSite } from '../gate/site.ts';

/** The fixture site, with `extra` at the end of its home page. */
function siteWith(extra: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hostile-requests-'));
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  writeFileSync(path.join(dir, 'index.html'), fixture['/']!.replace('</body>', `${extra}</body>`));
  writeFileSync(path.join(dir, 'tickets.html'), fixture['/tickets']!);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

test.describe('requests a page makes that nothing can take', () => {
  test.describe.configure({ timeout: 120_000 });

  test('a URL the parser refuses, a path a stand-in cannot decode, a body it cannot parse: answered, and the correct site passes', async ({ gateSite }) => {
    const hostile = [
      '<img src="https://checkout.tito.io/%25zz%/x/embed" alt="">',
      '<img src="https://xn--a.com/1.png" alt="">',
      "<script>fetch('https://checkout.tito.io/%ZZ', { method: 'POST', body: '{}' }).catch(() => {});",
      "fetch('https://xn--a.com/f').catch(() => {});",
      "try { new WebSocket('wss://xn--a.com/ws') } catch {}",
      "fetch('https://checkout.tito.io/acme-events/summit-2026/registrations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' }).catch(() => {});</script>",
    ].join('\n');
    const { verdict } = await gateSite({ siteDir: siteWith(hostile), env: ownersSettings() });
    const story = verdict.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
    expect(verdict.findings.filter((f) => f.severity !== 'warning'), story).toEqual([]);
    expect(verdict.exitCode, story).toBe(0);
  });

  test("a body posted to Trackdesk's click endpoint that is no JSON object fails the page as a call not from tracking.js, never the run", async ({ gateSite }) => {
    const post = (body: string) => `fetch('https://acme-events.trackdesk.com/tracking/click/v1', { method: 'POST', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(body)} }).catch(() => {});`;
    const { verdict } = await gateSite({ siteDir: siteWith(`<script>${post('{not json')}${post('null')}</script>`), env: ownersSettings() });
    const story = verdict.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
    expect(verdict.findings.filter((f) => f.severity === 'fault'), story).toEqual([]);
    expect(verdict.exitCode, story).toBe(1);
    expect(verdict.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.page}`), story).toEqual(['NOT_FROM_TRACKING_JS /']);
  });

  test("a connection the site's server closes as a request goes out on it is tried once more for a GET; a POST is not sent twice", async () => {
    // A server that resets every first connection, as a loopback server closing a kept-alive one does at times.
    let connections = 0;
    const server = createServer((socket) => {
      connections += 1;
      if (connections % 2 === 1) socket.on('data', () => socket.resetAndDestroy());
      else socket.on('data', () => socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const answer = await fetchFromSite(origin, '/logo.svg', new Request(`${origin}/`), undefined);
      expect([answer.status, await answer.text()]).toEqual([200, 'ok']);
      // A POST is not sent twice: the site may have acted on it.
      await expect(fetchFromSite(origin, '/form', new Request(`${origin}/`, { method: 'POST' }), new ArrayBuffer(1))).rejects.toThrow();
    } finally {
      server.close();
    }
  });
});
