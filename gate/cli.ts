/**
 * `npx attribution-gate [folder | url] [flags]` (bin/attribution-gate.js), `npm run gate` and
 * `npm run gate:static`: the gate a site owner runs before deploying a snippet
 * change. Phases: configuration → the site → discover pages → audit them (static) → check them in the
 * browser (in this process, in the browser discovery used; a Playwright run for --html and --shard) →
 * judge → report. Exit codes: 0 passed, 1 attribution breaks on the site,
 * 2 the gate could not run (bad configuration, a site that does not answer, a fault of the harness).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from '@playwright/test';
import { ConfigError, moduleExtension, NO_ENV_FILES } from '../fixtures/config.ts';
import { parseGateArgs, usage, UsageError, version, type GateArgs } from './cli-args.ts';
import { parseGateConfig, type GateConfig } from './config.ts';
import { checksAtOnce, TRACED_RERUNS } from './defaults.ts';
import { GateCannotRun } from './cannot-run.ts';
import { onGitHubActions, reportToGitHub } from './github.ts';
import { openSiteOnItsOrigin } from './served-origin.ts';
import { judge, summaryLines, type CheckRecord, type GateVerdict } from './judge.ts';
import { PLAN_ENV, type GatePlan } from './plan.ts';
import { shownReportPath, writeReportFile } from './report-file.ts';
import { shown, shownLines } from './untrusted.ts';


const EXIT = { passed: 0, failed: 1, cannotRun: 2 } as const;

/** The Playwright run of the browser checks, while it runs (`--shard`, `--html`, `--merge`). */
let checks: ChildProcess | undefined;
/** The browser checks in this process, while they run: aborting stops them. */
let checking: { abort: AbortController; browser: Promise<Browser | Error> } | undefined;
/** This run's report, once the configuration is read and it is written. */
let reportFile: string | undefined;
/** The folder of built HTML the run checked, however it was named (argument, flag or SITE_DIR): annotations point into it. */
let siteDir: string | undefined;
/** This run merges shards' reports (`--merge`) rather than checking a site. */
let merging = false;
/** Why the gate could not run, when it has no report to say so. */
let refused: string | undefined;
/** Seconds each phase took, in order (gate.json's `phases`, which `npm run bench:gate` profiles). */
const phases: Record<string, number> = {};
let phaseStarted = 0;
/** Ends the phase `name` now; the first one began when this process did. */
function phaseDone(name: string): void {
  const now = performance.now();
  phases[name] = Math.round(now - phaseStarted) / 1000;
  phaseStarted = now;
}

/**
 * An interrupt (Ctrl+C, or CI cancelling the job) never ends in a verdict. Before the browser checks
 * start, this process reports it itself and ends; exit hooks stop the site server, stripe-mock's
 * watchdog sees its pipe close, and Playwright closes the discovery browser. While the checks run, they
 * get a SIGINT (the one signal Playwright's runner stops on gracefully) and report the run as
 * interrupted, a harness fault; a runner that has not ended 5 s later is killed, and its watchdogs
 * take stripe-mock and the browsers with it. Once they have ended, the verdict stands and the run
 * finishes. Ctrl+C in a terminal arrives twice (from the terminal, and passed on by npm): a repeat is
 * ignored.
 */
let interrupted = false;
function onInterrupt(signal: NodeJS.Signals): void {
  if (interrupted) return;
  interrupted = true;
  if (checking) {
    // The checks in flight end as their browser closes; the run is then judged interrupted, a harness fault.
    checking.abort.abort();
    void checking.browser.then((browser) => (browser instanceof Error ? undefined : browser.close())).catch(() => undefined);
    setTimeout(() => process.exit(ended(cannotRun(`the gate was interrupted (${signal}) and its browser checks did not stop`, reportFile))), 5_000).unref();
    return;
  }
  if (!checks) process.exit(ended(cannotRun(`the gate was interrupted (${signal}) before the browser checks ran`, reportFile)));
  if (checks.exitCode === null && checks.signalCode === null) {
    checks.kill('SIGINT');
    setTimeout(() => checks?.kill('SIGKILL'), 5_000).unref();
  }
}

async function main(argv: string[]): Promise<number> {
  let args: GateArgs;
  try {
    args = parseGateArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return cannotRun(error.message);
    throw error;
  }
  if (args.help || args.version) {
    console.log(args.help ? usage() : version());
    return EXIT.passed;
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, onInterrupt);
  // A promise of a page or context that an interrupt closed may fail with nobody awaiting it: the run is
  // already reported as interrupted. Any other is a crash of the gate, never a verdict: exit code 2.
  process.on('unhandledRejection', (error: unknown) => {
    if (interrupted) return;
    process.exit(ended(cannotRun(`the gate crashed: ${(error as Error)?.stack ?? String(error)}`, reportFile)));
  });
  // Playwright's client throws from its message loop when the browser reports on an object the client
  // has already let go of (a context closed, by an interrupt or at a page's limit, while its events were
  // in flight): nothing of the run is lost. Any other uncaught exception is a crash of the gate.
  process.on('uncaughtException', (error: unknown) => {
    if (interrupted || isDisposedObjectRace(error)) return;
    process.exit(ended(cannotRun(`the gate crashed: ${(error as Error)?.stack ?? String(error)}`, reportFile)));
  });
  merging = Boolean(args.merge);
  if (args.merge) return mergeShards(args.merge, args.commandLine.settings.GATE_REPORT?.value ?? process.env.GATE_REPORT);
  const { staticOnly } = args;
  let config: GateConfig;
  try {
    config = parseGateConfig(process.env, undefined, args.commandLine);
  } catch (error) {
    if (error instanceof ConfigError) return cannotRun(error.message);
    throw error;
  }
  // Installed, there is no built-in fixture site to fall back on: a forgotten folder must never pass.
  if (!config.site.dir && !config.site.url && moduleExtension === '.js') {
    return cannotRun('no site to check: name it, e.g. npx attribution-gate dist (a folder of built HTML) or npx attribution-gate http://localhost:4321, or set SITE_DIR / SITE_URL in .env.');
  }
  // A crash from here on must never leave an earlier run's "ok": true behind.
  try {
    writeReportFile(config.report, { ok: false, verdict: 'running', exitCode: EXIT.cannotRun });
    reportFile = config.report;
    siteDir = config.site.dir;
  } catch (error) {
    return cannotRun(`GATE_REPORT ${config.report} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): point it at a file in a folder you can write to.`);
  }
  if (config.unreadEnvFiles.length > 0) {
    console.log(`gate: on a pull request, ${config.unreadEnvFiles.map((f) => path.basename(f)).join(', ')} is not read: the pull request can change it. Settings come from the environment (the action's inputs, the workflow's env); GATE_TRUST_DOTENV=1 reads it anyway.`);
  }
  phaseDone('start-up');
  try {
    if (staticOnly) return await checkStatically(config);
    // Playwright's runner, for its HTML report or a shard's blob report; else the checks run here, in one browser.
    if (config.checks.shard || args.html) return await checkInPlaywright(config, args);
    return await checkHere(config, args.output ?? freshFolder(path.join(path.dirname(config.report), 'checks')));
  } catch (error) {
    // A site that does not answer, a stripe-mock or Chromium that cannot start: one message, exit code 2.
    if (error instanceof GateCannotRun) return cannotRun(error.message, config.report);
    return cannotRun(`the gate crashed: ${(error as Error).stack ?? String(error)}`, config.report);
  } finally {
    phaseDone('stop');
  }
}

const isDisposedObjectRace = (error: unknown) => error instanceof Error && /^Object with guid \S+ was not bound in the connection$/.test(error.message);

/** `--static`: the site's pages found from its served HTML and audited, without a browser. */
async function checkStatically(config: GateConfig): Promise<number> {
  const { makePlan } = await import('./make-plan.ts');
  const { site, config: served } = await openSiteOnItsOrigin(config).catch((error: Error) => {
    throw new GateCannotRun(error.message);
  });
  try {
    const started = performance.now();
    const plan = await makePlan(served, site, true);
    phaseDone('discovery and audit');
    console.log(`gate: ${shown(site.description)}: ${plan.pages.length} page(s) found and audited in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return finish(config.report, judge(staticRecords(plan), [], 'passed'));
  } finally {
    await site.close();
  }
}

/** `--html`, `--shard`: the pages found and audited here, then checked by Playwright's runner. */
async function checkInPlaywright(config: GateConfig, args: GateArgs): Promise<number> {
  const [{ makePlan }, { missingChromium }] = await Promise.all([import('./make-plan.ts'), import('../fixtures/browser.ts')]);
  const noChromium = missingChromium();
  if (noChromium) return cannotRun(noChromium, config.report);
  const stripeMock = import('../fixtures/stripe-mock/start.ts').then(({ startStripeMock }) => startStripeMock(config.harness.stripeMock, { secretKey: config.harness.stripe.secretKey })).catch((error: Error) => error);
  const opened = await openSiteOnItsOrigin(config).catch((error: Error) => error);
  const site = opened instanceof Error ? opened : opened.site;
  try {
    if (opened instanceof Error) return cannotRun(opened.message, config.report);
    const started = performance.now();
    const plan = await makePlan(opened.config, opened.site, false);
    phaseDone('discovery and audit');
    console.log(`gate: ${shown(opened.site.description)}: ${plan.pages.length} page(s) found and audited in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const running = await stripeMock;
    if (running instanceof Error) return cannotRun(running.message, config.report);
    return await runPlaywright(config, plan, playwrightArgs(config, args), running.url).finally(() => phaseDone('checks'));
  } finally {
    const running = await stripeMock;
    if (!(running instanceof Error)) await running.stop();
    if (!(site instanceof Error)) await site.close();
  }
}

/**
 * The browser checks in this process, several at once in one browser, discovering the pages as they go;
 * a line per check as it ends, the verdict, and gate.json. A failed check keeps its trace and screenshot
 * in `outputDir`.
 */
async function checkHere(config: GateConfig, outputDir: string): Promise<number> {
  const { startGate } = await import('./gate.ts');
  // The browser and stripe-mock start now, beside the site and the rest of the gate's code.
  const gate = startGate(config.harness);
  const abort = new AbortController();
  checking = { abort, browser: gate.browser };
  const concurrency = checksAtOnce(config.checks.workers);
  const kept: string[] = [];
  const started = performance.now();
  try {
    console.log(`gate: checking ${shown(config.site.dir ? path.relative(process.cwd(), config.site.dir) || '.' : (config.site.url ?? 'the fixture site'))}: browser checks, ${concurrency} at a time, each page as it is found`);
    const { verdict } = await gate.checkConfigured(config, {
      output: outputDir,
      workers: concurrency,
      signal: abort.signal,
      onPlanned: (plan) => {
        phaseDone('pages found, visited and audited');
        console.log(`gate: ${shown(plan.description)}: ${plan.pages.length} page(s) found and audited in ${((performance.now() - started) / 1000).toFixed(1)} s; ${plan.pages.length + plan.journeys.length} browser checks`);
      },
      onCheck: ({ record, seconds, artifacts, started }) => {
        console.log(`  ${started === false ? '–' : record.status === 'passed' ? '✓' : '✘'} ${record.title} (${started === false ? 'not started' : `${seconds.toFixed(1)}s`})`);
        if (artifacts.trace) kept.push(`    trace: npx playwright show-trace ${shown(path.relative(process.cwd(), artifacts.trace))}`);
        else if (artifacts.journey) kept.push(`    screenshot and journey (no trace: only the first ${TRACED_RERUNS} failed checks record one): ${shown(path.relative(process.cwd(), path.dirname(artifacts.journey)))}`);
      },
    });
    phaseDone('checks left');
    if (kept.length > 0) console.log(['', 'failed checks kept their screenshot, journey and trace:', ...kept].join('\n'));
    const code = finish(config.report, verdict);
    // As the Playwright run's last reporter does: a secret in an artifact is the harness's fault, never a pass.
    const { configuredSecrets, findingLine, scanForSecrets } = await import('../fixtures/secret-scan.ts');
    const leaks = await scanForSecrets(configuredSecrets(config.harness), [config.report, ...(existsSync(outputDir) ? [outputDir] : [])]);
    if (leaks.length === 0) return code;
    const lines = leaks.map(findingLine);
    writeReportFile(config.report, { ok: false, verdict: 'harness fault', exitCode: EXIT.cannotRun, error: `a secret reached an artifact of the run (a fault of the harness, not of the site): ${lines.join('; ')}` });
    process.stderr.write(`\n${[...lines, `secret scan: ${config.report} now records a harness fault (exit code 2)`].join('\n')}\n\n`);
    return EXIT.cannotRun;
  } finally {
    checking = undefined;
    await gate.close();
  }
}

/** Marks a folder of failed checks as the gate's own: only such a folder is ever emptied. */
const OWN_FOLDER_MARK = '.attribution-gate-checks';

/**
 * The gate's own folder of failed checks, emptied: an earlier run's trace must not pass for this one's.
 * A folder the gate did not make (a user's own `checks/` beside `--report gate.json`) is never touched.
 */
function freshFolder(folder: string): string {
  if (existsSync(folder) && !existsSync(path.join(folder, OWN_FOLDER_MARK))) return folder;
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, OWN_FOLDER_MARK), 'failed checks of the attribution gate: emptied by each run\n');
  return folder;
}

function staticRecords(plan: GatePlan): CheckRecord[] {
  return [
    { title: 'the site', status: 'passed', page: '*', kind: 'site', findings: plan.findings, pages: plan.pages },
    ...plan.pages.map((p) => ({ title: `static audit of ${p.path}`, status: 'passed', page: p.path, kind: 'static audit', findings: p.findings })),
  ];
}

/** The browser checks' own Playwright flags, from the gate's settings. */
function playwrightArgs(config: GateConfig, args: GateArgs): string[] {
  const { shard, workers } = config.checks;
  return [...(shard ? ['--shard', shard] : []), ...(workers ? ['--workers', workers] : []), ...(args.output ? ['--output', args.output] : [])];
}

async function runPlaywright(config: GateConfig, plan: GatePlan, args: string[], stripeMockUrl: string): Promise<number> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'gate-plan-'));
  const file = path.join(folder, 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  // The config beside this file.
  const child = spawn(process.execPath, [playwrightCli(), 'test', '-c', path.join(import.meta.dirname, `playwright.config${moduleExtension}`), ...args], {
    stdio: 'inherit',
    // A shard also writes its blob report, for --merge.
    // On a pull request, where the gate read no .env, neither does the run of its checks.
    env: { ...process.env, [PLAN_ENV]: file, GATE_REPORT: config.report, STRIPE_MOCK: 'url', STRIPE_MOCK_URL: stripeMockUrl, ...(config.checks.shard ? { GATE_BLOB: '1' } : {}), ...(config.unreadEnvFiles.length > 0 ? { [NO_ENV_FILES]: '1' } : {}) },
  });
  checks = child;
  try {
    return await verdictOf(child, config.report);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The gate's Playwright (the one this package resolves: the user's own, where they have one). */
const playwrightCli = () => createRequire(import.meta.url).resolve('@playwright/test/cli');

/**
 * `--merge folder`: the shards' blob reports (each shard's gate-report/blob) merged by Playwright into one
 * HTML report, and by the gate's reporter into one gate.json and verdict, as one run would have made them.
 */
async function mergeShards(given: string, report = path.join('gate-report', 'gate.json')): Promise<number> {
  const zips = existsSync(given) && statSync(given).isDirectory() ? blobReports(given) : [];
  if (zips.length === 0) {
    return cannotRun(`--merge ${given} holds no blob report: give it the folder the shards' gate-report/blob folders were downloaded into.`);
  }
  // The shards' reports side by side, as Playwright merges them, wherever each was downloaded to (shard-1/blob/report-1.zip).
  let blobs = given;
  if (zips.some((zip) => path.dirname(zip) !== path.resolve(given))) {
    blobs = mkdtempSync(path.join(os.tmpdir(), 'gate-blobs-'));
    zips.forEach((zip, i) => copyFileSync(zip, path.join(blobs, `${i + 1}-${path.basename(zip)}`)));
    process.once('exit', () => rmSync(blobs, { recursive: true, force: true }));
  }
  report = path.resolve(report);
  writeReportFile(report, { ok: false, verdict: 'running', exitCode: EXIT.cannotRun });
  reportFile = report;
  const child = spawn(process.execPath, [playwrightCli(), 'merge-reports', '--reporter', `html,${path.join(import.meta.dirname, `reporter${moduleExtension}`)}`, blobs], {
    stdio: 'inherit',
    env: { ...process.env, GATE_REPORT: report, PLAYWRIGHT_HTML_OUTPUT_DIR: path.join(path.dirname(report), 'html'), PLAYWRIGHT_HTML_OPEN: 'never' },
  });
  checks = child;
  return verdictOf(child, report);
}

/** The blob reports in `folder` and the folders under it, three levels down at most. */
function blobReports(folder: string, depth = 0): string[] {
  const entries = readdirSync(folder, { withFileTypes: true });
  // Playwright names each shard's blob report report[-…].zip: a trace.zip or a zipped HTML report beside it is none.
  const here = entries.filter((e) => e.isFile() && /^report[\w-]*\.zip$/.test(e.name)).map((e) => path.resolve(folder, e.name));
  if (depth >= 3) return here;
  return [...here, ...entries.filter((e) => e.isDirectory()).flatMap((e) => blobReports(path.join(folder, e.name), depth + 1))];
}

/** The exit code of a Playwright run that ended, from the gate.json its reporter wrote. */
async function verdictOf(child: ChildProcess, report: string): Promise<number> {
  const code = await new Promise<string>((resolve) => child.on('exit', (c, signal) => resolve(c === null ? `signal ${signal}` : `exit code ${c}`)));
  const written = JSON.parse(readFileSync(report, 'utf8')) as { verdict?: string; exitCode?: number };
  if (written.verdict === 'running') return cannotRun(`the browser checks ended (${code}) without a verdict`, report);
  return written.exitCode ?? EXIT.cannotRun;
}

function finish(report: string, verdict: GateVerdict): number {
  writeReportFile(report, verdict);
  console.log(['', ...summaryLines(verdict), `  report: ${shown(shownReportPath(report))}`, ''].join('\n'));
  return verdict.exitCode;
}

function cannotRun(message: string, report?: string): number {
  if (report) writeReportFile(report, { ok: false, verdict: 'harness fault', exitCode: EXIT.cannotRun, error: message });
  else refused = message;
  // A crash's stack or a site's error may quote the site: each line shown escaped.
  process.stderr.write(`\n${shownLines(message)}\n\n`);
  return EXIT.cannotRun;
}

/** On GitHub Actions, the job summary, annotations and step outputs too, whatever the run's end. */
function ended(code: number): number {
  if (reportFile && Object.keys(phases).length > 0 && existsSync(reportFile)) {
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { verdict?: string };
    if (report.verdict !== 'running') writeReportFile(reportFile, { ...report, phases });
  }
  // --help and --version gate nothing, so they report nothing.
  // Merged shards annotated their findings already, with file and line: the merge adds the summary and outputs.
  if (onGitHubActions() && (reportFile || refused)) reportToGitHub(reportFile, refused, { annotate: !merging, siteDir });
  return code;
}

// A crash is the gate's fault, never a verdict on the site: exit code 2, and on GitHub the outputs say so.
process.exitCode = ended(await main(process.argv.slice(2)).catch((error: unknown) => cannotRun(`the gate crashed: ${(error as Error)?.stack ?? String(error)}`, reportFile)));
