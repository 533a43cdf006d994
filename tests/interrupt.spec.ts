/**
 * An interrupt sent to the command that was typed, and to it alone (how CI cancels a job), stops the
 * whole run: npm hands it on to the script, and the project's .npmrc has npm run scripts with bash,
 * which hands itself over to the command instead of staying between npm and node and swallowing it
 * (Debian's sh does).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { projectRoot } from '../fixtures/config.ts';
import { actionStepEnv, outerStripeMock } from '../fixtures/nested-run.ts';
import { descendants, isRunning, type RunningProcess } from '../fixtures/process-tree.ts';

/** How long a run may take to end once interrupted, from the interrupt to its last process. */
const ENDS_WITHIN_MS = 10_000;
const BROWSER = /chrom(e|ium)|headless_shell/i;
const PLAYWRIGHT_WORKER = /workerProcessEntry/;

/**
 * When to interrupt: while the gate discovers pages (a browser, nothing checked yet), or once checks run:
 * a Playwright worker and its browser, or the gate's own browser checks (it says when they start).
 */
const WHILE = {
  discovering: (below: RunningProcess[], output: string) => below.some((p) => BROWSER.test(p.command)) && !below.some((p) => PLAYWRIGHT_WORKER.test(p.command)) && !output.includes('found and audited'),
  testing: (below: RunningProcess[], output: string) => below.some((p) => BROWSER.test(p.command)) && (below.some((p) => PLAYWRIGHT_WORKER.test(p.command)) || CHECKS_STARTED.test(output)),
};
const CHECKS_STARTED = /gate: checking .*: browser checks, \d+ at a time/;

interface Run {
  command: ChildProcess;
  output: () => string;
  /** What ran below the command when it was interrupted: the runner, workers, browsers, stripe-mock's watchdog. */
  processes: RunningProcess[];
}

let run: Run | undefined;

test.afterEach(() => {
  // Whatever the outcome, nothing of the nested run outlives the test (a browser has a process group of its own).
  for (const pid of [run?.command.pid, ...(run?.processes ?? []).map((p) => p.pid)]) {
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      // already ended
    }
  }
  run = undefined;
});

const tmp = (prefix: string) => mkdtempSync(path.join(os.tmpdir(), prefix));

/** Starts `program args` in a process group of its own, as a terminal or a CI runner would. */
function start(program: string, args: string[], env: Record<string, string>): Run {
  const command = spawn(program, args, { cwd: projectRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...outerStripeMock(), ...env } });
  let output = '';
  command.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  command.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  run = { command, output: () => output, processes: [] };
  return run;
}

/**
 * Once the run is `phase`, sends SIGINT to the command alone (as CI cancels a job), or to its whole
 * process group (as Ctrl+C in a terminal does); then expects the command and every process that ran
 * below it to end within ENDS_WITHIN_MS of the interrupt.
 */
async function interruptAndExpectTheEnd(started: Run, phase: keyof typeof WHILE, to: 'command' | 'group' = 'command'): Promise<void> {
  const pid = started.command.pid!;
  await expect.poll(() => WHILE[phase](descendants(pid), started.output()), { timeout: 60_000, message: `the run is ${phase}` }).toBe(true);
  started.processes = descendants(pid);
  const deadline = Date.now() + ENDS_WITHIN_MS;
  process.kill(to === 'group' ? -pid : pid, 'SIGINT');

  const ended = new Promise<string>((resolve) => {
    if (started.command.exitCode !== null || started.command.signalCode !== null) resolve('ended');
    started.command.once('exit', () => resolve('ended'));
    setTimeout(() => resolve('still running'), ENDS_WITHIN_MS).unref();
  });
  expect(await ended, 'the command ends').toBe('ended');
  await expect
    .poll(() => started.processes.filter((p) => isRunning(p.pid)), { timeout: Math.max(deadline - Date.now(), 0), message: 'every process of the run ends' })
    .toEqual([]);
}

// One browser check at a time: the checks run long enough to be interrupted while they run.
const gateSite = (report: string) => ({ SITE_DIR: 'gate/corpus/php-conference/site', TITO_EVENT: 'acme-events/summit-2026', GATE_REPORT: report });

test.describe('an interrupt stops the whole run', () => {
  test.describe.configure({ timeout: 120_000 });

  test(`\`npx playwright test\`, stopped by an interrupt sent to npx alone: the remaining tests do not run, and every process of the run ends within ${ENDS_WITHIN_MS / 1000} s`, async () => {
    // 100 scenarios one after another: far longer than the interrupt takes to end them.
    const started = start('npx', ['playwright', 'test', 'tests/attribution.spec.ts', '--repeat-each', '50', '--workers', '1', '--reporter', 'line', '--output', tmp('interrupted-')], {});
    await interruptAndExpectTheEnd(started, 'testing');

    expect(started.command.exitCode, "npx exits with Playwright's code for an interrupted run").toBe(130);
    expect(started.output()).toMatch(/\d+ did not run/);
    expect(started.output()).not.toContain('100 passed');
  });

  for (const [to, how] of [
    ['command', 'by an interrupt sent to npm alone'],
    ['group', 'by Ctrl+C in a terminal (the whole process group, so the gate gets it twice)'],
  ] as const) {
    test(`\`npm run gate\`, stopped ${how}: the gate reports a harness fault, not a verdict, and every process of the run ends within ${ENDS_WITHIN_MS / 1000} s`, async () => {
      const report = path.join(tmp('interrupted-gate-'), 'gate.json');
      const started = start('npm', ['run', 'gate', '--', '--workers', '1', '--output', tmp('interrupted-gate-results-')], gateSite(report));
      await interruptAndExpectTheEnd(started, 'testing', to);

      expect(started.command.exitCode, 'npm run gate exits with the "could not run" code').toBe(2);
      expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ ok: false, verdict: 'harness fault', exitCode: 2 });
      expect(started.output()).toContain('the run was interrupted before every check ended');
    });
  }

  test(`\`npm run gate -- --html\`, stopped while it discovers pages, before Playwright's run of the checks: a harness fault that says so, and every process of the run ends within ${ENDS_WITHIN_MS / 1000} s`, async () => {
    const report = path.join(tmp('interrupted-gate-'), 'gate.json');
    const started = start('npm', ['run', 'gate', '--', '--html', '--workers', '1', '--output', tmp('interrupted-gate-results-')], gateSite(report));
    await interruptAndExpectTheEnd(started, 'discovering');

    expect(started.command.exitCode, 'npm run gate exits with the "could not run" code').toBe(2);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ ok: false, verdict: 'harness fault', exitCode: 2, error: 'the gate was interrupted (SIGINT) before the browser checks ran' });
  });

  test(`the GitHub Action's gate step, stopped by an interrupt sent to its shell alone (a cancelled job): the step outputs say harness fault, and every process ends within ${ENDS_WITHIN_MS / 1000} s`, async () => {
    const github = tmp('interrupted-action-');
    const output = path.join(github, 'output.txt');
    writeFileSync(output, '');
    const started = start('bash', [path.join(projectRoot, 'gate', 'action.sh'), '--workers', '1', '--output', path.join(github, 'results')], {
      ...gateSite(path.join(github, 'gate.json')),
      ...actionStepEnv(github),
    });
    await interruptAndExpectTheEnd(started, 'testing');

    expect(readFileSync(output, 'utf8'), started.output()).toContain('exit-code=2');
    expect(JSON.parse(readFileSync(path.join(github, 'gate.json'), 'utf8'))).toMatchObject({ ok: false, verdict: 'harness fault' });
  });
});
