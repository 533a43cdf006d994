/**
 * The command line of `attribution-gate [folder | url] [flags]`: each flag stands for one of the gate's
 * settings (the environment variable it names), so the flags are checked by the same schema as the
 * environment (gate/config.ts) and win over it and over `.env`. Anything else is refused here, before
 * the gate starts anything.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../fixtures/config.ts';
import type { CommandLine } from './config.ts';

/** A command line the gate cannot read: one message, exit code 2, no stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}

interface SettingFlag {
  /** The environment variable the flag stands for. */
  env: string;
  /** What the value looks like, in --help. */
  value?: string;
  about: string;
}

/** The flags that set the gate's settings; `--remote` is a switch (SITE_URL_REMOTE=1). */
const SETTING_FLAGS = {
  pages: { env: 'SITE_PAGES', value: '/a,/b', about: 'pages to check besides those the gate finds' },
  'landing-pages': { env: 'SITE_LANDING_PAGES', value: '/x,/y', about: "where affiliates' visitors land besides /" },
  'base-path': { env: 'SITE_BASE_PATH', value: '/x/', about: 'the path the site is built to be served under (unset: the one it names)' },
  origin: { env: 'SITE_ORIGIN', value: 'https://host', about: 'your production origin (unset: the one the site names)' },
  start: { env: 'SITE_START_COMMAND', value: '"command"', about: 'starts the site that the url names' },
  remote: { env: 'SITE_URL_REMOTE', about: 'lets the url be a preview deployment off this machine' },
  'folder-redirect': { env: 'SITE_FOLDER_REDIRECT', value: 'on|off', about: 'off: a folder x/ is served at /x too, not redirected to /x/' },
  report: { env: 'GATE_REPORT', value: 'file', about: 'where gate.json goes (gate-report/gate.json)' },
  shard: { env: 'GATE_SHARD', value: 'N/M', about: 'checks the Nth of M parts of the pages (CI shards)' },
  workers: { env: 'GATE_WORKERS', value: 'N', about: 'browser checks run at once (N, or a share of the cores: 50%)' },
  'max-pages': { env: 'GATE_MAX_PAGES', value: 'N', about: 'pages the gate checks at most (200)' },
  'page-timeout': { env: 'GATE_PAGE_TIMEOUT', value: 'S', about: "seconds one page's check may take (60)" },
  'run-timeout': { env: 'GATE_RUN_TIMEOUT', value: 'S', about: 'seconds after which no further page or check starts (600)' },
} as const satisfies Record<string, SettingFlag>;

const OTHER_FLAGS = {
  static: { about: 'the static audit alone: no browser, no stripe-mock' },
  output: { value: 'folder', about: 'where failed checks keep their trace and screenshot (gate-report/checks)' },
  html: { about: "Playwright's HTML report too (gate-report/html), from a Playwright run of the checks" },
  merge: { value: 'folder', about: "merges CI shards' blob reports (gate-report/blob) into one verdict" },
  help: { about: 'this help' },
  version: { about: "the gate's version" },
} as const;

type SettingName = keyof typeof SETTING_FLAGS;

export interface GateArgs {
  help: boolean;
  version: boolean;
  staticOnly: boolean;
  /** The settings the command line gives, for parseGateConfig. */
  commandLine: CommandLine;
  /** Playwright's own `--output` for the browser checks, resolved against the current directory. */
  output?: string;
  /** A folder of the shards' blob reports to merge, instead of a run. */
  merge?: string;
  /** The checks run by Playwright's runner, for its HTML report (as `--shard` does, for its blob report). */
  html: boolean;
}

const isSwitch = (name: string) => ['remote', 'static', 'html', 'help', 'version'].includes(name);
const options = Object.fromEntries(
  [...Object.keys(SETTING_FLAGS), ...Object.keys(OTHER_FLAGS)].map((name) => [name, { type: isSwitch(name) ? ('boolean' as const) : ('string' as const) }]),
);

/** Reads the command line; relative paths on it start at `cwd`, as a shell user expects. */
export function parseGateArgs(argv: string[], cwd = process.cwd()): GateArgs {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof options; strict: true; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(usageProblem(error as Error & { code?: string }));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`one site at a time: ${positionals.map((p) => `"${p}"`).join(' and ')} are ${positionals.length} (a folder or a url): see attribution-gate --help.`);
  const settings: CommandLine['settings'] = {};
  const site = positionals[0];
  if (site !== undefined) {
    // The site on the command line replaces the environment's, of either kind.
    const isUrl = /^https?:\/\//i.test(site);
    settings.SITE_URL = { value: isUrl ? site : undefined, flag: '' };
    settings.SITE_DIR = { value: isUrl ? undefined : site, flag: '' };
  }
  for (const [name, flag] of Object.entries(SETTING_FLAGS) as [SettingName, SettingFlag][]) {
    const value = values[name];
    if (value === undefined || value === false) continue;
    settings[flag.env] = { value: value === true ? '1' : value, flag: `--${name}` };
  }
  return {
    help: values.help === true,
    version: values.version === true,
    staticOnly: values.static === true,
    html: values.html === true,
    commandLine: { settings, cwd },
    output: typeof values.output === 'string' ? path.resolve(cwd, values.output) : undefined,
    merge: typeof values.merge === 'string' ? path.resolve(cwd, values.merge) : undefined,
  };
}

function usageProblem(error: Error & { code?: string }): string {
  const flag = /'(-[^' ]+)/.exec(error.message)?.[1] ?? '';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown flag ${flag}: see attribution-gate --help for the flags it takes.`;
  if (/does not take an argument/.test(error.message)) return `${flag} takes no value: see attribution-gate --help.`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${flag} needs a value: see attribution-gate --help.`;
  return `${error.message}: see attribution-gate --help.`;
}

/** `package.json`'s version. */
export function version(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** `attribution-gate --help`. */
export function usage(): string {
  const row = (left: string, about: string, env = '') => `  ${left.padEnd(26)}${about.padEnd(62)}${env}`.trimEnd();
  return [
    'Usage: attribution-gate [folder | url] [flags]',
    '',
    "Proves that an affiliate's visitor who buys on your site is credited to the affiliate: Trackdesk's",
    "click tracker, Tito's widget and the Stripe sale, checked in Chromium. Flags win over the",
    'environment and .env; each names the environment variable it stands for. Your Trackdesk tenant,',
    'revenue origin and Tito event come from TRACKDESK_TENANT_ID, TRACKDESK_REVENUE_ORIGIN_ID, TITO_EVENT.',
    '',
    row('folder', 'a folder of built HTML (dist), served by the gate', 'SITE_DIR'),
    row('url', 'a running site (http://localhost:4321)', 'SITE_URL'),
    ...Object.entries(SETTING_FLAGS).map(([name, flag]: [string, SettingFlag]) => row(`--${name}${flag.value ? ` ${flag.value}` : ''}`, flag.about, flag.env)),
    ...Object.entries(OTHER_FLAGS).map(([name, flag]: [string, { value?: string; about: string }]) => row(`--${name}${flag.value ? ` ${flag.value}` : ''}`, flag.about)),
    '',
    'Exit codes: 0 passed, 1 attribution breaks (at least one error),',
    '            2 could not run (bad flags or settings, a site that does not answer, a fault of the gate).',
    '',
    'Examples:',
    '  npx attribution-gate dist --pages /tickets',
    '  npx attribution-gate http://localhost:4321 --start "npm run preview"',
    '  npx attribution-gate dist --shard 1/3        (each CI shard; then, with their gate-report/blob folders in one:)',
    '  npx attribution-gate --merge all-blobs',
  ].join('\n');
}
