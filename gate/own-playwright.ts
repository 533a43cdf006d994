import { createRequire } from 'node:module';
import type { BrowserType } from '@playwright/test';

/**
 * The Chromium launcher of a Playwright instance of the gate's own. Inside a Playwright test run (a user's
 * suite calling `attributionGate()` or `openGate()`, or this project's), the runner listens to the process's
 * Playwright and would reach the gate's browser too: it traces every context the gate opens (screenshots
 * and DOM snapshots of every check, a fifth of a check's CPU), records a step per call, and gives the gate's
 * contexts the options of the caller's `use` that the gate leaves unset (`storageState`,
 * `javaScriptEnabled`, `extraHTTPHeaders`…), so the visitor would no longer be a fresh one. Playwright
 * makes such an instance for itself (`playwright-core`'s in-process factory) but exports no way to ask
 * for one: where its internals differ from the version this was written for, the process's is used.
 */
export async function ownChromium(): Promise<BrowserType> {
  const { chromium } = await import('@playwright/test');
  try {
    // Resolved as Playwright resolves it, so that a strict layout (pnpm) finds the copy @playwright/test uses.
    const fromTest = createRequire(createRequire(import.meta.url).resolve('@playwright/test'));
    const fromPlaywright = createRequire(fromTest.resolve('playwright'));
    const core = fromPlaywright('playwright-core/lib/coreBundle') as { inprocess?: { createInProcessPlaywright?: () => { chromium?: BrowserType } } };
    const own = core.inprocess?.createInProcessPlaywright?.().chromium;
    return own && typeof own.launch === 'function' ? own : chromium;
  } catch {
    return chromium;
  }
}
