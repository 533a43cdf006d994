/**
 * A page cannot crash the gate through the DevTools pipe. Playwright joins each message from Chromium
 * into one string; a page that throws or logs a string near V8's limit (or one that JSON escaping makes
 * six times longer) made that impossible and killed the run in Playwright's transport (exit 2, a
 * "harness fault" caused by the site). fixtures/chromium-guard/guard.mjs stands on the pipe: proved here
 * on its own, with a stand-in for Chromium, and in the Chromium that the harness and the gate start.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from '../fixtures/browser.ts';
import { projectRoot } from '../fixtures/config.ts';

const GUARD = path.join(projectRoot, 'fixtures', 'chromium-guard', 'guard.mjs');
const MB = 1024 * 1024;

/** A stand-in for Chromium: answers the one command it reads on fd 3 with the messages a page could cause. */
const FAKE_CHROMIUM = `
const fs = require('node:fs');
fs.createReadStream('', { fd: 3 }).once('data', () => {
  const big = 'x'.repeat(70 * ${MB});
  const messages = [
    '{"method":"Runtime.executionContextCreated","params":{"context":{"id":1}}}',
    '{"id":7,"result":{"result":{"type":"string","value":"' + big + '"}},"sessionId":"A1B2"}',
    '{"method":"Runtime.consoleAPICalled","params":{"type":"log","args":[{"type":"string","value":"' + big + '"}]},"sessionId":"A1B2"}',
    '{"id":8,"result":{}}',
  ];
  // Written in pieces that do not follow the messages' ends, as a pipe delivers them.
  const all = Buffer.from(messages.join('\\0') + '\\0');
  for (let at = 0; at < all.length; at += 1000003) fs.writeSync(4, all.subarray(at, at + 1000003));
  fs.writeSync(2, '[INFO:CONSOLE] "' + 'y'.repeat(100000) + '"\\nnext line\\n');
  process.exit(0);
});
`;

test('the guard passes every message within its limit, turns an oversized answer into an error answer, drops an oversized event and cuts a long log line', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chromium-guard-'));
  writeFileSync(path.join(dir, 'fake-chromium.cjs'), FAKE_CHROMIUM);
  const guard = spawn(process.execPath, [GUARD, process.execPath, path.join(dir, 'fake-chromium.cjs')], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  const [, , stderr, toChromium, fromChromium] = guard.stdio as unknown as [null, null, NodeJS.ReadableStream, NodeJS.WritableStream, NodeJS.ReadableStream];
  const received: Buffer[] = [];
  const logged: Buffer[] = [];
  fromChromium.on('data', (chunk: Buffer) => received.push(chunk));
  stderr.on('data', (chunk: Buffer) => logged.push(chunk));
  const exited = new Promise<number | null>((resolve) => guard.on('exit', resolve));
  toChromium.write('{"id":7,"method":"Runtime.evaluate"}\0');

  expect(await exited).toBe(0);
  const messages = Buffer.concat(received).toString().split('\0');
  expect(messages.pop(), 'every message ends in the pipe\'s separator').toBe('');
  // A message that got through whole is named by its size, so that a failure does not print 70 MB.
  expect(messages.map((m) => (m.length > 1000 ? `${m.length} bytes` : (JSON.parse(m) as unknown)))).toEqual([
    { method: 'Runtime.executionContextCreated', params: { context: { id: 1 } } },
    { id: 7, error: { code: -32000, message: expect.stringContaining('more than 64 MB') }, sessionId: 'A1B2' },
    { id: 8, result: {} },
  ]);
  const log = Buffer.concat(logged).toString().split('\n');
  const consoleLine = log.find((line) => line.startsWith('[INFO:CONSOLE]'));
  expect(consoleLine?.length).toBeLessThan(17 * 1024);
  expect(consoleLine).toContain('cut');
  expect(log).toContain('next line');
});

test("the harness's and the gate's Chromium runs behind the guard: a page's oversized console message never reaches Playwright", async () => {
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const page = await browser.newPage();
    const sizes: number[] = [];
    page.on('console', (message) => sizes.push(message.text().length));
    await page.setContent('<p>loud</p>');
    await page.evaluate((length) => {
      console.log('x'.repeat(length));
      console.log('after');
    }, 65 * MB);
    await expect.poll(() => sizes).toContain('after'.length);
    expect(sizes).toEqual(['after'.length]);
    expect(await page.evaluate(() => 1 + 1), 'the page answers after the cut').toBe(2);
  } finally {
    await browser.close();
  }
});
