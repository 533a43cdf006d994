/**
 * The static audit reads a stranger's scripts synchronously: no timer can interrupt it. Scripts built to
 * make it work without end, or to overflow its stack, must end in a finding about the script, never in
 * a hung run, a crash (a "harness fault") or an error that the browser check contradicts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { harnessConfig, projectRoot } from '../fixtures/config.ts';
import { configuredSite, renderFixtureSite } from '../fixtures/site.ts';
import { auditPage } from '../gate/audit/index.ts';
import { parseScript, walkOf } from '../gate/audit/script.ts';
import { isListedAccount, isListedEvent } from '../gate/config.ts';
import type { Finding } from '../gate/findings.ts';

const config = harnessConfig();
const home = renderFixtureSite(configuredSite(config))['/']!;
const settings = {
  tenantId: config.trackdesk.tenantId,
  revenueOriginId: config.trackdesk.revenueOriginId,
  titoEvents: config.tito.events,
  isListedEvent: (e: string) => isListedEvent(e, config.tito.events),
  isListedAccount: (e: string) => isListedAccount(e, config.tito.events),
};
const audit = (html: string): Finding[] => auditPage({ page: '/', html, scriptFiles: new Map() }, settings);
const codes = (findings: Finding[]) => findings.map((f) => f.code).sort();

async function auditElsewhere(html: string, deadlineMs: number): Promise<Finding[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'audit-bomb-'));
  writeFileSync(path.join(dir, 'page.html'), html);
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings));
  const code = `
    import { readFileSync } from 'node:fs';
    import { auditPage } from ${JSON.stringify(path.join(projectRoot, 'gate', 'audit', 'index.ts'))};
    import { isListedAccount, isListedEvent } from ${JSON.stringify(path.join(projectRoot, 'gate', 'config.ts'))};
    const settings = JSON.parse(readFileSync(${JSON.stringify(path.join(dir, 'settings.json'))}, 'utf8'));
    settings.isListedEvent = (e) => isListedEvent(e, settings.titoEvents);
    settings.isListedAccount = (e) => isListedAccount(e, settings.titoEvents);
    const html = readFileSync(${JSON.stringify(path.join(dir, 'page.html'))}, 'utf8');
    process.stdout.write(JSON.stringify(auditPage({ page: '/', html, scriptFiles: new Map() }, settings)));`;
  const run = promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: projectRoot, timeout: deadlineMs, killSignal: 'SIGKILL', maxBuffer: 8 * 1024 * 1024 });
  const done = await run.catch((failed: { killed?: boolean; stderr?: string }) => {
    throw new Error(failed.killed ? `the audit of the page did not end within ${deadlineMs / 1000} s` : `the audit failed: ${failed.stderr}`);
  });
  return JSON.parse(done.stdout) as Finding[];
}

const CLICK = `trackdesk('${config.trackdesk.tenantId}', 'click');`;

test('constants that refer to each other thirty times over, eight deep, are given up on, not followed for days', async () => {
  // Followed naively this is 30^8 resolutions; each level only doubles the page's size.
  const levels = Array.from({ length: 8 }, (_, i) => `const T${i} = \`${`\${T${i + 1}}`.repeat(30)}\`;`).reverse();
  const bomb = `<script>const T8 = '${config.trackdesk.tenantId}';\n${levels.join('\n')}\nif (false) trackdesk(T0, 'click');</script>`;
  // The audit cannot be interrupted once it runs, so it runs in a process of its own that a deadline can end.
  const findings = await auditElsewhere(home.replace('</head>', `${bomb}</head>`), 30_000);
  expect(codes(findings)).toEqual(['VALUE_UNRESOLVED']);
  expect(findings[0]!.message).toMatch(/^the Tenant ID is `(\$\{T1\}){30}`, and a part of it is computed$/);
});

test('a harmless script nested thousands deep is walked without overflowing the stack', () => {
  const banner = `<script>var banner = ${Array(3000).fill("'a'").join(' + ')};</script>`;
  expect(codes(audit(home.replace('</body>', `${banner}</body>`)))).toEqual([]);
});

test("a click tracker nested deeper than the audit's parser goes is a warning that it was not read, not a syntax error", () => {
  const deep = home.replace(CLICK, `${CLICK}\nvar banner = ${Array(8000).fill("'a'").join(' + ')};`);
  expect(deep).not.toBe(home);
  const findings = audit(deep);
  expect(codes(findings)).toEqual(['CLICK_SNIPPET_MISSING', 'SCRIPT_NOT_READ']);
  expect(findings.find((f) => f.code === 'SCRIPT_NOT_READ')!.message).toContain("nested deeper than the audit's parser can follow");
});

test('a site-wide script shared by many pages is walked once, not once a page: each page reads the same walk of the same program', () => {
  const bundle = `${Array.from({ length: 2000 }, (_, i) => `function f${i}(a, b) { return [a + ${i}, b * 2]; }`).join('\n')}\nwindow.trackdeskCfg = {};`;
  const [first, second] = ['/a.js', '/b.js'].map((file, index) => parseScript({ code: bundle, file, firstLine: 1, index, blocking: false, inHead: true }));
  expect(first!.program).toBe(second!.program);
  expect(walkOf(first!.program!)).toBe(walkOf(second!.program!));
  // Each page's bindings are its own, read off that one walk.
  expect(first!.bindings).toHaveLength(2001);
  expect(first!.bindings[0]!.script).toBe(first);
  expect(second!.bindings[0]!.script).toBe(second);
});
