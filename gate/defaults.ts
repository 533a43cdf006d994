import os from 'node:os';

/** The run's defaults that the CLI, the library and the checks share. */

/**
 * Browser checks at once, by default. Each mostly waits (a page going quiet, a checkout), so more than
 * the cores; on two cores, more than this only queue behind each other.
 */
export const DEFAULT_WORKERS = 6;

/** How many failed checks of a run are run once more to record a trace: a site failing everywhere is not checked twice over. */
export const TRACED_RERUNS = 10;

/** GATE_WORKERS as checks at once: a number, or a share of the cores (`50%`); DEFAULT_WORKERS when unset. */
export function checksAtOnce(workers: string | undefined): number {
  if (!workers) return DEFAULT_WORKERS;
  if (workers.endsWith('%')) return Math.max(1, Math.round((os.availableParallelism() * Number(workers.slice(0, -1))) / 100));
  return Math.max(1, Number(workers));
}
