import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { FullConfig } from '@playwright/test/reporter';
import { zipSync } from 'fflate';
import mainConfig from '../playwright.config.ts';
import { parseConfig, projectRoot } from '../fixtures/config.ts';
import { runGate, runPlaywright } from '../fixtures/nested-run.ts';
import SecretScanReporter from '../fixtures/secret-scan-reporter.ts';
import { configuredSecrets, findingLine, scanForSecrets, type SecretFinding } from '../fixtures/secret-scan.ts';

// Spaces, a slash and quotes make every encoding differ from the plain value; `?>~` puts `+` and `/` in
// its base64 at each alignment, so base64url differs from base64 too.
const token = { name: 'TRACKDESK_PERSONAL_TOKEN', value: 'td planted/"?>~' };
const bytes = (text: string) => Buffer.from(text);
/** The token inside a longer base64 body, starting `offset` bytes in. */
const encodedAt = (offset: number, encoding: 'base64' | 'base64url') => Buffer.from(`${'x'.repeat(offset)}{"token":${token.value}}`).toString(encoding);
const sorted = (findings: SecretFinding[]) => findings.map((f) => JSON.stringify(f)).sort();
const finding = (root: string, file: string, encoding: SecretFinding['encoding'], entry?: string): SecretFinding => ({
  file: path.join(root, file),
  ...(entry === undefined ? {} : { entry }),
  secretName: token.name,
  encoding,
});

function plantedFolder(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'secret-scan-'));
  const write = (file: string, content: Uint8Array | string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  };
  write('plain.txt', `Personal Token: ${token.value}\n`);
  write('clean.txt', 'nothing to see: td planted, "?>~" apart\n');
  write('a/b/url.log', `GET /settings?token=${encodeURIComponent(token.value)}&x=1\n`);
  write('a/report.json', JSON.stringify({ error: `refused ${token.value}` }));
  const inner = zipSync({ 'at-0.b64': bytes(encodedAt(0, 'base64')), 'at-1.b64': bytes(encodedAt(1, 'base64')), 'at-2.b64': bytes(encodedAt(2, 'base64url')) });
  write('a/b/c/trace.zip', zipSync({ 'test.trace': bytes('{"type":"before"}'), 'resources/bodies.zip': inner }));
  return root;
}

test.describe('the secret scan', () => {
  test('finds a planted token plain, URL-encoded, JSON-escaped and base64 in a zip in a trace, in nested folders', async () => {
    const root = plantedFolder();
    const found = (file: string, encoding: SecretFinding['encoding'], entry?: string) => finding(root, file, encoding, entry);
    expect(sorted(await scanForSecrets([token], [root]))).toEqual(
      sorted([
        found('plain.txt', 'plain'),
        found('a/b/url.log', 'url-encoded'),
        found('a/report.json', 'json-escaped'),
        found('a/b/c/trace.zip', 'base64', 'resources/bodies.zip!at-0.b64'),
        found('a/b/c/trace.zip', 'base64', 'resources/bodies.zip!at-1.b64'),
        found('a/b/c/trace.zip', 'base64url', 'resources/bodies.zip!at-2.b64'),
      ]),
    );
  });

  test('finds nothing in a file without the token, and nothing for a value under 8 characters', async () => {
    const root = plantedFolder();
    expect(await scanForSecrets([token], [path.join(root, 'clean.txt')])).toEqual([]);
    expect(await scanForSecrets([{ name: 'SHORT', value: 'Persona' }], [root])).toEqual([]);
    expect(await scanForSecrets([{ name: 'LONG_ENOUGH', value: 'Personal' }], [root])).toEqual([{ file: path.join(root, 'plain.txt'), secretName: 'LONG_ENOUGH', encoding: 'plain' }]);
  });

  test('its messages name the secret, the file and the entry, never the value in any form', async () => {
    const findings = await scanForSecrets([token], [plantedFolder()]);
    const said = findings.map(findingLine).join('\n') + JSON.stringify(findings);
    expect(findings.map(findingLine)[0]).toMatch(/^secret scan: TRACKDESK_PERSONAL_TOKEN found in \/.+\/a\/b\/c\/trace\.zip!resources\/bodies\.zip!at-0\.b64 \(base64\)$/);
    for (const form of [token.value, encodeURIComponent(token.value), JSON.stringify(token.value).slice(1, -1), 'RkIHBsYW50ZWQvIj8', 'dGQgcGxhbnRlZC8']) expect(said).not.toContain(form);
  });

  test('a zip it cannot read fails the scan, naming the file', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'secret-scan-'));
    writeFileSync(path.join(root, 'trace.zip'), Buffer.from('PK\x03\x04 cut short', 'latin1'));
    await expect(scanForSecrets([token], [root])).rejects.toThrow(`secret scan: cannot read ${path.join(root, 'trace.zip')}: it is not a readable zip (`);
  });

  test("in the gate, a secret found turns gate.json into a harness fault (exit code 2) that no longer holds it", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'secret-scan-gate-'));
    const gateJson = path.join(root, 'gate.json');
    const config = { configFile: path.join(root, 'playwright.config.ts'), reporter: [['html', { outputFolder: 'html' }]], projects: [{ outputDir: path.join(root, 'out') }] };
    const reporter = new SecretScanReporter({ paths: [gateJson], faultReport: gateJson }, () => [token]);
    reporter.onBegin(config as unknown as FullConfig);
    writeFileSync(gateJson, JSON.stringify({ ok: true, verdict: 'passed', exitCode: 0 }));
    expect(await reporter.onEnd()).toBeUndefined();
    mkdirSync(path.join(root, 'html'));
    writeFileSync(path.join(root, 'html', 'index.html'), `<p>${token.value}</p>`);
    writeFileSync(gateJson, JSON.stringify({ ok: true, verdict: 'passed', exitCode: 0, seen: `${token.value}` }));
    const printed: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (chunk: string | Uint8Array) => printed.push(String(chunk)) > 0;
    const ended = await reporter.onEnd().finally(() => (process.stderr.write = write));
    expect(ended).toEqual({ status: 'failed' });
    expect(printed.join('')).toBe(`\nsecret scan: TRACKDESK_PERSONAL_TOKEN found in ${gateJson} (json-escaped)\nsecret scan: TRACKDESK_PERSONAL_TOKEN found in ${path.join(root, 'html', 'index.html')} (plain)\nsecret scan: ${gateJson} now records a harness fault (exit code 2)\n\n`);
    expect(JSON.parse(readFileSync(gateJson, 'utf8'))).toEqual({
      ok: false,
      verdict: 'harness fault',
      exitCode: 2,
      error: `a secret reached an artifact of the run (a fault of the harness, not of the site): secret scan: TRACKDESK_PERSONAL_TOKEN found in ${gateJson} (json-escaped); secret scan: TRACKDESK_PERSONAL_TOKEN found in ${path.join(root, 'html', 'index.html')} (plain)`,
    });
  });

  test('the example values of .env.example are public, so not secrets; any other value is', () => {
    const example = parseConfig({}, [path.join(projectRoot, '.env.example')]);
    expect(configuredSecrets(example)).toEqual([]);
    const own = parseConfig({ TRACKDESK_PERSONAL_TOKEN: 'td_own_token_0123', STRIPE_SECRET_KEY: 'sk_test_Own0123' }, [path.join(projectRoot, '.env.example')]);
    expect(configuredSecrets(own)).toEqual([
      { name: 'TRACKDESK_PERSONAL_TOKEN', value: 'td_own_token_0123' },
      { name: 'STRIPE_SECRET_KEY', value: 'sk_test_Own0123' },
    ]);
  });

  test('the main configuration lists the scan last, and never runs the planted spec', () => {
    expect(mainConfig.reporter!.at(-1)).toEqual(['./fixtures/secret-scan-reporter.ts']);
    const fromTestDir = path.relative(path.resolve(projectRoot, mainConfig.testDir!), path.join(projectRoot, 'fixtures', 'secret-scan', 'leak.spec.ts'));
    expect(fromTestDir.startsWith('..')).toBe(true);
  });

  for (const [how, args, artifacts] of [
    ['its own run', [], ['secret scan: TRACKDESK_PERSONAL_TOKEN found in <report>/gate.json (plain)']],
    [
      'a Playwright run (--html)',
      ['--html'],
      [
        'secret scan: TRACKDESK_PERSONAL_TOKEN found in <report>/gate.json (plain)',
        // The findings the gate's reporter gathers: a file of the report, never shown in it.
        'secret scan: TRACKDESK_PERSONAL_TOKEN found in <report>/html/data/<file>.bin (plain)',
        'secret scan: TRACKDESK_PERSONAL_TOKEN found in <report>/html/index.html!(embedded zip)!<hash>.json (plain)',
        'secret scan: TRACKDESK_PERSONAL_TOKEN found in <report>/html/index.html!(embedded zip)!report.json (plain)',
      ],
    ],
  ] as const) {
    test(`a gate whose report shows the token ends with exit code 2, a harness fault, and gate.json says so: ${how}`, async () => {
      test.setTimeout(120_000);
      // The token is the event's slug, so the gate's own report (and Playwright's HTML report) must show it.
      const run = await runGate(['--workers', '1', ...args], { TITO_EVENT: 'acme-events/secret-summit-2026', TRACKDESK_PERSONAL_TOKEN: 'secret-summit-2026' });
      expect(run.stdout).toMatch(/^gate: passed — /m);
      const gateJson = path.join(run.reportDir, 'gate.json');
      const lines = run.stderr.split('\n').filter((l) => l.startsWith('secret scan:')).map((l) => l.replaceAll(run.reportDir, '<report>').replace(/[0-9a-f]{20}\.json/, '<hash>.json').replace(/[0-9a-f]{40}\.bin/, '<file>.bin'));
      expect(lines.sort()).toEqual(['secret scan: <report>/gate.json now records a harness fault (exit code 2)', ...artifacts]);
      expect(run.code).toBe(2);
      expect(JSON.parse(readFileSync(gateJson, 'utf8'))).toMatchObject({ ok: false, verdict: 'harness fault', exitCode: 2 });
    });
  }

  test('a run whose test types the token into a page ends non-zero, naming its trace and its HTML report', async () => {
    test.setTimeout(90_000);
    const planted = `td_planted_${randomUUID().replaceAll('-', '')}`;
    const html = mkdtempSync(path.join(os.tmpdir(), 'secret-scan-html-'));
    const run = await runPlaywright(['-c', 'fixtures/secret-scan/playwright.config.ts'], { TRACKDESK_PERSONAL_TOKEN: planted, PLAYWRIGHT_HTML_OUTPUT_DIR: html });
    expect(run.stdout).toContain('1 passed');
    expect(run.code).toBe(1);
    const output = new RegExp(`${os.tmpdir()}/nested-run-\\w+/leak-types-the-Trackdesk-p-\\w+-to-a-page-with-the-trace-on`, 'g');
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('secret scan:')).map((l) => l.replaceAll(html, '<html>').replace(output, '<output>').replace(/[0-9a-f]{20,40}/g, '<hash>'));
    expect(lines.sort()).toEqual([
      'secret scan: TRACKDESK_PERSONAL_TOKEN found in <html>/data/<hash>.zip!1-trace.trace (plain)',
      'secret scan: TRACKDESK_PERSONAL_TOKEN found in <html>/data/<hash>.zip!test.trace (plain)',
      'secret scan: TRACKDESK_PERSONAL_TOKEN found in <html>/index.html!(embedded zip)!<hash>.json (plain)',
      'secret scan: TRACKDESK_PERSONAL_TOKEN found in <output>/trace.zip!1-trace.trace (plain)',
      'secret scan: TRACKDESK_PERSONAL_TOKEN found in <output>/trace.zip!test.trace (plain)',
    ]);
    expect(run.stdout + run.stderr).not.toContain(planted);
  });
});
