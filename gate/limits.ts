/**
 * What one page may cost the gate. The site under test is untrusted: a page that opens popups without
 * end, adds frames that load themselves, redirects back and forth or never settles must not hold the
 * run. A page that reaches a limit is looked at as far as it got, and its limit is named in a warning.
 */
export interface PageLimits {
  /** The whole render of one page: load, quiet-wait and reading the DOM. */
  deadlineMs: number;
  /** Popups a page may open (each is closed at once). */
  popups: number;
  /** Frames a page may attach. */
  frames: number;
  /** Top-level navigations after the first (JS redirects). */
  navigations: number;
}

export const DEFAULT_PAGE_LIMITS: PageLimits = { deadlineMs: 20_000, popups: 20, frames: 100, navigations: 10 };

/** A page's script errors the gate keeps, and how much of each: a page may throw megabytes, thousands of times. */
export const PAGE_ERRORS_KEPT = 20;
export const PAGE_ERROR_CHARS = 1_000;

/** Keeps `message` among a page's `errors` within {@link PAGE_ERRORS_KEPT} and {@link PAGE_ERROR_CHARS}, once each. */
export function notePageError(errors: string[], message: string): void {
  const kept = message.length > PAGE_ERROR_CHARS ? `${message.slice(0, PAGE_ERROR_CHARS)}… (${message.length} characters)` : message;
  if (errors.length < PAGE_ERRORS_KEPT && !errors.includes(kept)) errors.push(kept);
}

/** Files the site answered 404 for that one check names; the rest are counted. */
export const MISSING_FILES_NAMED = 10;

/** How long a run may take before it starts no further page or check (GATE_RUN_TIMEOUT's default). */
export const DEFAULT_RUN_TIMEOUT_MS = 10 * 60_000;

/** A body read from the site may take this long; a slow endless stream is cut off here. */
export const READ_DEADLINE_MS = 20_000;

/** Resolves with `work`'s value, or with `fallback()` once `ms` have passed (the work is left to fail later). */
export async function within<T>(ms: number, work: Promise<T>, fallback: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback()), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
