/**
 * Browser checks at once, by default. Each mostly waits (a page going quiet, a checkout), so more than
 * the cores; on two cores, more than this only queue behind each other.
 */
export const DEFAULT_WORKERS = 6;
