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
import { outerStripeMock } from '../fixtures/nested-run.ts';
import { descendants, isRunning, type RunningProcess } from '../fixtures/process-tree.ts';

const PLAYWRIGHT_WORKER = /workerProcessEntry/;

interface Started {
  command: ChildProcess;
  output: () => string;
}

/** Starts `program args` in a process group of its own, as a terminal or a CI runner would. */
function start(program: string, args: string[], env: Record<string, string>): Started {
  const command = spawn(program, args, { cwd: projectRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...outerStripeMock(), ...env } });
  let output = '';
  command.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  command.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { command, output: () => output };
}

/**
 * Once a Playwright worker runs, sends SIGINT to the typed command alone (as CI cancels a job), or to
 * its whole process group (as Ctrl+C in a terminal does); returns what ran below the command then.
 */
async function interruptOnceTestsRun({ command }: Started, to: 'command' | 'group' = 'command'): Promise<RunningProcess[]> {
  await expect.poll(() => descendants(command.pid!).some((p) => PLAYWRIGHT_WORKER.test(p.command)), { timeout: 60_000 }).toBe(true);
  const running = descendants(command.pid!);
  process.kill(to === 'group' ? -command.pid! : command.pid!, 'SIGINT');
  return running;
}

function exited(command: ChildProcess): Promise<void> {
  return command.exitCode !== null || command.signalCode !== null ? Promise.resolve() : new Promise((resolve) => command.once('exit', () => resolve()));
}

test.describe('an interrupt stops the whole run', () => {
  test.describe.configure({ timeout: 120_000 });

  let started: Started | undefined;

  test.afterEach(() => {
    // Whatever the outcome, nothing of the nested run outlives the test.
    try {
      process.kill(-started!.command.pid!, 'SIGKILL');
    } catch {
      // the whole group has ended: nothing to stop
    }
  });

  test('`npx playwright test`, stopped by an interrupt sent to npx alone: the remaining tests do not run, and every process of the run ends within 10 s', async () => {
    // 50 scenarios one after another: far longer than the interrupt takes to end them.
    started = start('npx', ['playwright', 'test', 'tests/attribution.spec.ts', '--repeat-each', '50', '--workers', '1', '--reporter', 'line', '--output', mkdtempSync(path.join(os.tmpdir(), 'interrupted-'))], {});
    const running = await interruptOnceTestsRun(started);

    await expect(exited(started.command).then(() => 'ended'), 'npx ends').resolves.toBe('ended');
    expect(started.command.exitCode, "npx exits with Playwright's code for an interrupted run").toBe(130);
    expect(started.output()).toMatch(/\d+ did not run/);
    expect(started.output()).not.toMatch(/\d+ passed/);
    await expect.poll(() => running.filter((p) => isRunning(p.pid)), { timeout: 10_000, message: 'every process of the run ends' }).toEqual([]);
  });

  const gateSite = (report: string) => ({ SITE_DIR: 'fixtures/gate-sites/php-conference/site', TITO_EVENT: 'acme-events/summit-2026', GATE_REPORT: report });

  for (const [to, how] of [
    ['command', 'by an interrupt sent to npm alone'],
    ['group', 'by Ctrl+C in a terminal (the whole process group, so the gate gets it twice)'],
  ] as const) {
    test(`\`npm run gate\`, stopped ${how}: the gate reports a harness fault, not a verdict, and every process of the run ends within 10 s`, async () => {
      const report = path.join(mkdtempSync(path.join(os.tmpdir(), 'interrupted-gate-')), 'gate.json');
      started = start('npm', ['run', 'gate', '--', '--output', path.dirname(report)], gateSite(report));
      const running = await interruptOnceTestsRun(started, to);

      await exited(started.command);
      expect(started.command.exitCode, 'npm run gate exits with the "could not run" code').toBe(2);
      expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ ok: false, verdict: 'harness fault', exitCode: 2 });
      expect(started.output()).toContain('the run was interrupted before every check ended');
      await expect.poll(() => running.filter((p) => isRunning(p.pid)), { timeout: 10_000, message: 'every process of the run ends' }).toEqual([]);
    });
  }

  test('the GitHub Action\'s gate step, stopped by an interrupt sent to its shell alone (a cancelled job): the step outputs say harness fault, and every process ends within 10 s', async () => {
    const github = mkdtempSync(path.join(os.tmpdir(), 'interrupted-action-'));
    const output = path.join(github, 'output.txt');
    writeFileSync(output, '');
    started = start('bash', [path.join(projectRoot, 'gate', 'action.sh'), '--output', path.join(github, 'results')], {
      ...gateSite(path.join(github, 'gate.json')),
      GITHUB_WORKSPACE: projectRoot,
      GITHUB_STEP_SUMMARY: path.join(github, 'summary.md'),
      GITHUB_OUTPUT: output,
    });
    const running = await interruptOnceTestsRun(started);

    await exited(started.command);
    expect(readFileSync(output, 'utf8')).toContain('exit-code=2');
    expect(JSON.parse(readFileSync(path.join(github, 'gate.json'), 'utf8'))).toMatchObject({ ok: false, verdict: 'harness fault' });
    await expect.poll(() => running.filter((p) => isRunning(p.pid)), { timeout: 10_000, message: 'every process of the run ends' }).toEqual([]);
  });
});
