/**
 * The floor of `npm run bench:gate`: the bare browser work of checking a site, as one whole process.
 * The folder served on loopback as the gate serves it, one Chromium started as the gate starts it, each
 * page opened once until its load event, nothing else (third-party scripts fail at once, unanswered).
 *
 *   node --import tsx bench/floor.ts <folder> /page /other …
 */
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../fixtures/browser.ts';
import { serveFolder } from '../gate/site.ts';

const [dir, ...pages] = process.argv.slice(2);
const site = await serveFolder(dir!);
// The gate's browser, but reaching the folder's server on loopback directly (the gate routes it through
// Playwright instead); every other name still fails at once.
const args = chromiumLaunchOptions.args!.map((arg) => (arg.startsWith('--host-resolver-rules=') ? '--host-resolver-rules=MAP * ^NOTFOUND, EXCLUDE 127.0.0.1' : arg));
const browser = await chromium.launch({ ...chromiumLaunchOptions, args });
const page = await browser.newPage();
for (const path of pages) await page.goto(`${site.url}${path}`, { waitUntil: 'load' });
await browser.close();
await site.close();
