/**
 * The gate's settings: the harness's own (tenant, revenue origin, Tito events, Stripe) plus the site
 * under test. Read and checked here, once, with every bad field in one message; the rest of the gate
 * receives a typed {@link GateConfig} and never reads `process.env`.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { siblingHost, SITE_UNDER_TEST_ORIGIN, siteOriginProblem } from './hosts.ts';
import { DEFAULT_RUN_TIMEOUT_MS } from './limits.ts';
import { ConfigError, defaultEnvFiles, harnessSchema, LOOPBACK, loadEnv, problemsByField, STAND_IN_SECRETS, toHarnessConfig, withDefaults, type HarnessConfig } from '../fixtures/config.ts';

const isDirectory = (dir: string) => {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
};

/** The site's settings; a relative SITE_DIR starts at `dirBase`. */
/** A setting in whole seconds, from `min` to `max`; `example` is what the message suggests. */
const seconds = (name: string, example: number, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: (i) => `${name} "${String(i.input)}" is not a whole number of seconds, e.g. ${example}.` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: `${name} is ${min} to ${max} seconds.` })
    .optional();

const siteSchema = (dirBase: string) => z.object({
  SITE_URL: z
    .url({ protocol: /^https?$/, error: (i) => `SITE_URL "${String(i.input)}" is not an http(s) URL: use the address your preview server listens on.` })
    .optional(),
  SITE_ORIGIN: z
    .string()
    .superRefine((v, ctx) => {
      const problem = siteOriginProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: `SITE_ORIGIN "${v}" ${problem}` });
    })
    .optional(),
  SITE_URL_REMOTE: z.enum(['1', 'true'], { error: (i) => `SITE_URL_REMOTE "${String(i.input)}" is not 1: set SITE_URL_REMOTE=1 to let the gate fetch a site that is not on this machine.` }).optional(),
  SITE_DIR: z
    .string()
    .refine((v) => isDirectory(path.resolve(dirBase, v)), {
      error: (i) => `SITE_DIR "${String(i.input)}" is not a folder: point it at the folder of your built HTML (e.g. dist/ or out/).`,
    })
    .optional(),
  SITE_PAGES: z
    .string()
    .regex(/^\/[^,\s]*(,\s*\/[^,\s]*)*$/, { error: (i) => `SITE_PAGES "${String(i.input)}" is not a comma-separated list of paths such as /,/tickets.` })
    .optional(),
  SITE_LANDING_PAGES: z
    .string()
    .regex(/^\/[^,\s]*(,\s*\/[^,\s]*)*$/, { error: (i) => `SITE_LANDING_PAGES "${String(i.input)}" is not a comma-separated list of paths such as /,/speakers.` })
    .optional(),
  SITE_BASE_PATH: z
    .string()
    .regex(/^\/([\w.~-]+\/)+$/, { error: (i) => `SITE_BASE_PATH "${String(i.input)}" is not a path of folders such as /summit-2026/: set the base path your site is built for (Vite's base, Astro's base, a GitHub Pages project site's repository name).` })
    .optional(),
  SITE_START_COMMAND: z.string().min(1).optional(),
  SITE_FOLDER_REDIRECT: z
    .enum(['on', 'off'], {
      error: (i) => `SITE_FOLDER_REDIRECT "${String(i.input)}" is not on or off: set off if your host serves a folder's index.html at /x without redirecting to /x/ (Vercel with cleanUrls, serve), else leave it unset.`,
    })
    .optional(),
  GATE_PAGE_TIMEOUT: seconds('GATE_PAGE_TIMEOUT', 60, 10, 600),
  GATE_RUN_TIMEOUT: seconds('GATE_RUN_TIMEOUT', 600, 10, 86_400),
  GATE_MAX_PAGES: z
    .string()
    .regex(/^\d+$/, { error: (i) => `GATE_MAX_PAGES "${String(i.input)}" is not a whole number of pages, e.g. 200.` })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 5000, { error: 'GATE_MAX_PAGES is 1 to 5000.' })
    .optional(),
  GATE_REPORT: z.string().min(1).optional(),
  GATE_SHARD: z
    .string()
    .regex(/^\d+\/\d+$/, { error: (i) => `GATE_SHARD "${String(i.input)}" is not N/M, e.g. 1/3 (the first of three shards).` })
    .refine((v) => { const [n, m] = v.split('/').map(Number) as [number, number]; return n >= 1 && n <= m; }, { error: (i) => `GATE_SHARD "${String(i.input)}" is not a shard: N/M counts from 1/M to M/M.` })
    .optional(),
  GATE_WORKERS: z
    .string()
    .regex(/^[1-9]\d*%?$/, { error: (i) => `GATE_WORKERS "${String(i.input)}" is not a number of browser checks at once (e.g. 2) or a share of the cores (e.g. 50%).` })
    .optional(),
});

export interface SiteSettings {
  /**
   * The origin the gate serves the site on in its browser (SITE_ORIGIN, your production origin; else
   * {@link SITE_UNDER_TEST_ORIGIN}): the host a page sees is the one it will see in production.
   * Unset, the run takes the production origin the site names (served-origin.ts).
   */
  origin: string;
  /** Whether SITE_ORIGIN was given: the origin is then the one it names, whatever the site names. */
  originSet: boolean;
  /** A running site, fetched by Node and handed to the browser: on loopback, or anywhere with SITE_URL_REMOTE=1. */
  url?: string;
  /** A folder of built HTML, served by the gate. */
  dir?: string;
  /** Pages named by the user, checked whatever discovery finds. */
  pages?: string[];
  /** Where affiliates' visitors land, besides the home page: each journey to a ticket page starts there too. */
  landingPages: string[];
  /**
   * The path the site is built to be served under (`/summit-2026/`: Vite's or Astro's `base`, a GitHub Pages
   * project site), where SITE_DIR's folder is served and its home page is; SITE_BASE_PATH, else the one
   * its home page's canonical URL names (served-origin.ts).
   */
  basePath?: string;
  /** How long one page's browser check may take (its render in discovery gets a third of it). */
  pageTimeoutMs: number;
  /** After this long, the run starts no further page or check (those in flight end by their own deadlines). */
  runTimeoutMs: number;
  startCommand?: string;
  maxPages: number;
  /**
   * How the gate serves SITE_DIR's folders: `/x`, for a folder x/ with an index.html and no x.html, is
   * redirected to `/x/` (GitHub Pages, Netlify, S3, nginx, Apache); false serves x/index.html at `/x` too
   * (Vercel with cleanUrls, `serve`). SITE_FOLDER_REDIRECT=off.
   */
  folderRedirect: boolean;
}

/** Settings from the command line, by the environment variable each stands for (see gate/cli-args.ts). */
export interface CommandLine {
  /** `value` undefined clears the setting: a folder on the command line replaces the environment's SITE_URL. */
  settings: Partial<Record<string, { value: string | undefined; flag: string }>>;
  /** Where the command line's relative paths start: the current directory. */
  cwd: string;
  /** What the settings are called in messages, when they are not a command line's flags: a library's options. */
  given?: { source: string; fixWhere: string };
}

/** The browser checks' Playwright run. */
export interface CheckRun {
  /** `N/M`: this run checks the Nth of M parts of the pages. */
  shard?: string;
  workers?: string;
}

export interface GateConfig {
  harness: HarnessConfig;
  /**
   * The Tito events the user named in TITO_EVENT (environment or .env); null when they named none and
   * .env.example's example event stands in: then no storefront's event is held against the site.
   */
  titoEvents: string[] | null;
  site: SiteSettings;
  checks: CheckRun;
  /** Where gate.json goes. */
  report: string;
  /** The env files not read, as the run is on a pull request ({@link PULL_REQUEST_EVENTS}). */
  unreadEnvFiles: string[];
}

/**
 * GitHub Actions events whose workspace is, or is often made, a pull request's: its `.env` (or
 * `.env.example`) is then the pull request's to change, and could make the run check fewer pages, give up
 * sooner, or hold the site to other IDs. (`pull_request_target` checks out the base branch by default,
 * but a workflow that gates the pull request checks out its head.) On them the gate reads settings from
 * the environment only (the action's inputs, the workflow's `env`), unless GATE_TRUST_DOTENV=1 says the
 * files are the owner's.
 */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']);

/**
 * Whether the run builds a pull request (or merge request), by its CI's own variables: GitHub Actions'
 * events, GitLab's merge request pipelines, Netlify's and Vercel's deploy previews, Bitbucket, CircleCI, Azure.
 */
function onPullRequest(env: Record<string, string | undefined>): boolean {
  return (
    (env.GITHUB_ACTIONS === 'true' && PULL_REQUEST_EVENTS.has(env.GITHUB_EVENT_NAME ?? '')) ||
    (env.GITLAB_CI === 'true' && (env.CI_PIPELINE_SOURCE === 'merge_request_event' || Boolean(env.CI_MERGE_REQUEST_IID))) ||
    (env.NETLIFY === 'true' && env.PULL_REQUEST === 'true') ||
    Boolean(env.VERCEL_GIT_PULL_REQUEST_ID || env.BITBUCKET_PR_ID || env.CIRCLE_PULL_REQUEST || env.SYSTEM_PULLREQUEST_PULLREQUESTID)
  );
}

/**
 * Reads and checks the gate's settings: the command line's over the environment over the env files'.
 * A relative SITE_DIR or GATE_REPORT starts at the current directory (from the command line, at its
 * `cwd`); a problem with a flag names the flag.
 */
export function parseGateConfig(env: Record<string, string | undefined>, envFiles?: string[], commandLine?: CommandLine): GateConfig {
  const untrusted = onPullRequest(env) && env.GATE_TRUST_DOTENV !== '1';
  const unreadEnvFiles = envFiles === undefined && untrusted ? defaultEnvFiles() : [];
  const files = envFiles ?? (untrusted ? [] : defaultEnvFiles());
  const loaded = loadEnv(env, files);
  const given = commandLine?.settings ?? {};
  // The gate's Trackdesk and Stripe are stand-ins: it needs no credentials of the user's, only values of the right form.
  const values = { ...withDefaults(loaded.values, STAND_IN_SECRETS), ...Object.fromEntries(Object.entries(given).map(([name, s]) => [name, s?.value?.trim() || undefined])) };
  const source = commandLine && Object.keys(given).length > 0 ? `${commandLine.given?.source ?? 'command line'}, ${loaded.source}` : loaded.source;
  const baseOf = (name: string, otherwise: string) => (given[name]?.value !== undefined ? commandLine!.cwd : otherwise);
  const named = Boolean(env.TITO_EVENT?.trim()) || files.some((f) => path.basename(f) === '.env' && /^\s*(export\s+)?TITO_EVENT\s*=\s*\S/m.test(readFileSync(f, 'utf8')));
  const harness = harnessSchema.safeParse(values);
  const site = siteSchema(baseOf('SITE_DIR', process.cwd())).safeParse(values);
  const problems = problemsByField([...(harness.error?.issues ?? []), ...(site.error?.issues ?? [])]);
  if (values.SITE_URL && values.SITE_DIR) {
    problems.set('SITE_URL+SITE_DIR', 'SITE_URL and SITE_DIR are both set: the gate checks one site, a running one (SITE_URL) or a folder of HTML (SITE_DIR).');
  }
  const remote = URL.canParse(values.SITE_URL ?? '') && !LOOPBACK.test(new URL(values.SITE_URL!).hostname);
  if (remote && !values.SITE_URL_REMOTE) {
    problems.set(
      'SITE_URL',
      `SITE_URL "${values.SITE_URL}" is not on this machine: start a preview server on localhost, or, to gate a preview deployment, set SITE_URL_REMOTE=1 (the gate then fetches that one origin, from Node, and nothing else).`,
    );
  }
  if (values.SITE_FOLDER_REDIRECT && values.SITE_URL) {
    problems.set('SITE_FOLDER_REDIRECT', 'SITE_FOLDER_REDIRECT is set with SITE_URL: it says how the gate serves a folder (SITE_DIR); your own server at SITE_URL answers as it does. Unset one of them.');
  }
  if (values.SITE_START_COMMAND && !values.SITE_URL) {
    problems.set('SITE_START_COMMAND', 'SITE_START_COMMAND is set without SITE_URL: name the URL the command serves the site on.');
  }
  if (!harness.success || !site.success || problems.size > 0) {
    const messages = [...problems].map(([field, message]) => asWritten(message, field, given[field]?.flag));
    const fixWhere =
      unreadEnvFiles.length > 0
        ? `in the environment (the action's inputs, or the workflow's env from repository variables): on a pull request the gate does not read ${unreadEnvFiles.map((f) => path.basename(f)).join(', ')}, which the pull request can change (GATE_TRUST_DOTENV=1 reads it anyway)`
        : commandLine
          ? (commandLine.given?.fixWhere ?? 'on the command line (attribution-gate --help), in .env or in the environment')
          : undefined;
    throw new ConfigError(messages, source, fixWhere);
  }
  const s = site.data;
  const harnessConfig = toHarnessConfig(harness.data, source);
  return {
    harness: harnessConfig,
    titoEvents: named ? harnessConfig.tito.events : null,
    site: {
      origin: s.SITE_ORIGIN ? new URL(s.SITE_ORIGIN).origin : SITE_UNDER_TEST_ORIGIN,
      originSet: Boolean(s.SITE_ORIGIN),
      url: s.SITE_URL?.replace(/\/$/, ''),
      dir: s.SITE_DIR && path.resolve(baseOf('SITE_DIR', process.cwd()), s.SITE_DIR),
      pages: s.SITE_PAGES?.split(',').map((p) => p.trim()),
      landingPages: s.SITE_LANDING_PAGES?.split(',').map((p) => p.trim()) ?? [],
      basePath: s.SITE_BASE_PATH,
      pageTimeoutMs: (s.GATE_PAGE_TIMEOUT ?? 60) * 1000,
      runTimeoutMs: s.GATE_RUN_TIMEOUT ? s.GATE_RUN_TIMEOUT * 1000 : DEFAULT_RUN_TIMEOUT_MS,
      startCommand: s.SITE_START_COMMAND,
      maxPages: s.GATE_MAX_PAGES ?? 200,
      folderRedirect: s.SITE_FOLDER_REDIRECT !== 'off',
    },
    checks: { shard: s.GATE_SHARD, workers: s.GATE_WORKERS },
    report: path.resolve(baseOf('GATE_REPORT', process.cwd()), s.GATE_REPORT ?? path.join('gate-report', 'gate.json')),
    unreadEnvFiles,
  };
}

/** The hosts that are the site's own from its settings: SITE_URL's, and SITE_ORIGIN's when it is set. */
export function siteHosts(config: Pick<GateConfig, 'site'>): Set<string> {
  const hosts = new Set<string>(config.site.url ? [new URL(config.site.url).host] : []);
  const production = productionHostOf(config);
  if (production) hosts.add(production).add(siblingHost(production));
  return hosts;
}

/** The host of the production origin the site is served on (SITE_ORIGIN, or the one the site names), when it is not site-under-test.test. */
export function productionHostOf(config: Pick<GateConfig, 'site'>): string | undefined {
  return config.site.origin === SITE_UNDER_TEST_ORIGIN ? undefined : new URL(config.site.origin).host;
}

/** A problem as the user wrote the setting: `--max-pages "0" …` for a flag, the bare value for the site on the command line. */
function asWritten(message: string, field: string, flag: string | undefined): string {
  if (flag === undefined || !message.startsWith(field)) return message;
  return flag ? `${flag}${message.slice(field.length)}` : message.slice(field.length).trimStart();
}

/** Whether `event` (account/event) is one TITO_EVENT names, directly or through `account/*` (any, when none is named). */
export function isListedEvent(event: string, listed: readonly string[] | null): boolean {
  return !listed || listed.some((l) => l === event || (l.endsWith('/*') && event.startsWith(l.slice(0, -1))));
}

/** Whether `event` belongs to a Tito account TITO_EVENT names (any, when none is named). */
export function isListedAccount(event: string, listed: readonly string[] | null): boolean {
  const account = event.split('/')[0];
  return !listed || listed.some((l) => l.split('/')[0] === account);
}

/** The site's home page: its base path's index, else `/`. */
export function homePath(config: Pick<GateConfig, 'site'>): string {
  return config.site.basePath ?? '/';
}
