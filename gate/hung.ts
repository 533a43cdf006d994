/**
 * A page whose main thread answers nothing: no visitor can use it (Chromium itself then offers to leave
 * it, "Page unresponsive"), so a check on it ends there rather than at its deadline.
 */
import type { Page } from '@playwright/test';
import { sessionOf } from '../fixtures/in-page.ts';
import { within } from './limits.ts';

/** How long a page's main thread may answer nothing before the check on it is cut off. */
export const HUNG_AFTER_MS = 20_000;

/** How often a page that answers is asked again. */
const ASK_EVERY_MS = 1_000;

/** Whether the page's main thread answers a question within `ms`. */
export function answersWithin(page: Page, ms: number): Promise<boolean> {
  if (page.isClosed()) return Promise.resolve(false);
  return within(ms, ask(page).then(() => true, () => true), () => false);
}

/** One question to the page's main thread, through the browser's protocol. */
function ask(page: Page): Promise<unknown> {
  return sessionOf(page).then((session) => session.send('Runtime.evaluate', { expression: '0', returnByValue: true }));
}

/**
 * Resolves true once the page's main thread has left one question unanswered for `forMs`; false once
 * `stop` is aborted. A question the page cannot take (its document going away, the tab closed) is an
 * answer: only silence counts.
 */
export async function answersNothingFor(page: Page, forMs: number, stop: AbortSignal): Promise<boolean> {
  const stopped = new Promise<boolean>((resolve) => stop.addEventListener('abort', () => resolve(true), { once: true }));
  // Most checks end within seconds: the first question waits a moment.
  await within(ASK_EVERY_MS, stopped, () => false);
  while (!stop.aborted) {
    const answered = await within(forMs, Promise.race([ask(page).then(() => true, () => true), stopped]), () => false);
    if (stop.aborted) return false;
    if (!answered) return true;
    await within(ASK_EVERY_MS, stopped, () => false);
  }
  return false;
}
