/**
 * The floor of `npm run bench:gate`: the bare browser work of checking a site, as one whole process.
 * The folder served on loopback as the gate serves it, one Chromium started as the gate starts it, each
 * page opened once until its load event, nothing else (third-party scripts fail at once, unanswered).
 *
 *   node bench/floor.mjs <folder> /page /other …                    the compiled modules (dist/), as the package runs
 *   FLOOR_FROM=source node --import tsx bench/floor.mjs <folder> …   the TypeScript, as `npm run gate` runs
 */
import { chromium } from '@playwright/test';

const [from, ext] = process.env.FLOOR_FROM === 'source' ? ['..', 'ts'] : ['../dist', 'js'];
const [{ chromiumLaunchOptions }, { serveFolder }] = await Promise.all([import(`${from}/fixtures/browser.${ext}`), import(`${from}/gate/site.${ext}`)]);

const [dir, ...pages] = process.argv.slice(2);
const site = await serveFolder(dir);
// The gate's browser, but reaching the folder's server on loopback directly (the gate routes it through
// Playwright instead); every other name still fails at once.
const args = chromiumLaunchOptions.args.map((arg) => (arg.startsWith('--host-resolver-rules=') ? '--host-resolver-rules=MAP * ^NOTFOUND, EXCLUDE 127.0.0.1' : arg));
const browser = await chromium.launch({ ...chromiumLaunchOptions, args });
const page = await browser.newPage();
for (const path of pages) await page.goto(`${site.url}${path}`, { waitUntil: 'load' });
await browser.close();
await site.close();
