/**
 * A preview deployment (SITE_URL off this machine, SITE_URL_REMOTE=1), played by an https server of our
 * own on loopback that the gate must treat as remote: an IPv4-mapped IPv6 address, with its own
 * certificate that only this test trusts. Nothing here leaves the machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import serveHandler from 'serve-handler';
import { projectRoot } from '../fixtures/config.ts';
import { runGate } from '../fixtures/nested-run.ts';
import type { GateVerdict } from '../gate/judge.ts';

const SITE = path.join(projectRoot, 'gate', 'corpus', 'folder-urls', 'site');

test('a preview deployment over https, with its own certificate, is gated like a local site', async () => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'preview-tls-'));
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=preview', '-addext', 'subjectAltName=IP:::ffff:7f00:1'], { stdio: 'ignore' });
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (request, response) => void serveHandler(request, response, { public: SITE, cleanUrls: true }));
  await new Promise<void>((resolve) => server.listen(0, '::ffff:127.0.0.1', resolve));
  const url = `https://[::ffff:7f00:1]:${(server.address() as AddressInfo).port}`;
  try {
    const refused = await runGate(['--static'], { SITE_URL: url, TITO_EVENT: 'acme-events/summit-2026' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('set SITE_URL_REMOTE=1');

    const run = await runGate([], { SITE_URL: url, SITE_URL_REMOTE: '1', NODE_EXTRA_CA_CERTS: cert, TITO_EVENT: 'acme-events/summit-2026' });
    const report = JSON.parse(readFileSync(path.join(run.reportDir, 'gate.json'), 'utf8')) as GateVerdict;
    expect(report.findings.filter((f) => f.severity !== 'warning')).toEqual([]);
    expect(report.pages.map((p) => p.path).sort()).toEqual(['/', '/about/', '/tickets/']);
    expect(run.code).toBe(0);
  } finally {
    server.close();
  }
});
