import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { getContainerRuntimeClient } from 'testcontainers';
import { harnessConfig, stripeMockRuntime, type StripeMockEndpoint, type StripeMockWay } from '../fixtures/config.ts';
import { HarnessFault } from '../fixtures/harness-fault.ts';
import { runPlaywright, startPlaywright } from '../fixtures/nested-run.ts';
import { stripeMockContainer } from '../fixtures/stripe-mock/container.ts';
import { fakeStripeMock } from '../fixtures/stripe-mock/fake-binary.ts';
import { READY_LINE, STRIPE_MOCK_ARGS, STRIPE_MOCK_IMAGE } from '../fixtures/stripe-mock/release.ts';
import { noDockerEngineHere, startStripeMock } from '../fixtures/stripe-mock/start.ts';

const secretKey = () => harnessConfig().stripe.secretKey;
// A whole nested run (config, TypeScript, global setup, a worker) takes tens of seconds on a busy machine.
const NESTED_RUN_TIMEOUT = 120_000;
const noEngine = () => Promise.resolve({ ok: false as const, reason: 'connect ENOENT /var/run/docker.sock' });

test.describe('stripe-mock, started once per run', () => {
  test('the run was served the way it was asked for, and that way is really running', async () => {
    const served = stripeMockRuntime.read();
    const asked = harnessConfig().stripeMock;
    test.info().annotations.push({ type: 'stripe-mock', description: `${served.servedBy} ${served.identity} at ${served.url}` });
    // STRIPE_MOCK=… forces one way; when it forces none, whichever way was found will do.
    expect(served.servedBy).toBe(asked.way ?? served.servedBy);
    expect(new URL(served.url).hostname).toBe('127.0.0.1');

    const expected: Record<StripeMockWay, RunningEvidence> = {
      container: { running: true, image: STRIPE_MOCK_IMAGE },
      binary: { program: 'stripe-mock' },
      url: { url: asked.url },
    };
    expect(await whatRuns(served)).toEqual(expected[served.servedBy]);
  });

  test('a stripe-mock binary runs with loopback ports the kernel picks, is identified by its own pid, answers at the address of its ready line, and is gone once stopped', async () => {
    const fake = fakeStripeMock();
    const stripeMock = await startStripeMock({ network: 'host', way: 'binary', bin: fake.bin }, { secretKey: secretKey() });
    const started = fake.started()!;
    expect(started.args).toEqual(STRIPE_MOCK_ARGS);
    expect(stripeMock).toMatchObject({ servedBy: 'binary', identity: String(started.pid), url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    expect(await refusesConnections(stripeMock.url)).toBe(false);

    await stripeMock.stop();
    expect(await refusesConnections(stripeMock.url)).toBe(true);
  });

  test('stripe-mock\'s ready line is recognised naming a loopback address, and naming [::] as the published image\'s entrypoint makes it', () => {
    expect(READY_LINE.exec('Listening for HTTP at address: 127.0.0.1:43210')?.slice(1)).toEqual(['127.0.0.1', '43210']);
    expect(READY_LINE.exec('Listening for HTTP at address: [::]:12111')?.slice(1)).toEqual(['[::]', '12111']);
  });

  test('when no Docker engine answers, the harness says so in one line and uses a binary', async () => {
    const said: string[] = [];
    const stripeMock = await startStripeMock({ network: 'host', bin: fakeStripeMock().bin }, { secretKey: secretKey(), say: (line) => said.push(line), engine: noEngine });
    await stripeMock.stop();

    expect(stripeMock.servedBy).toBe('binary');
    expect(said).toEqual(['stripe-mock: no Docker engine answers (connect ENOENT /var/run/docker.sock); using a stripe-mock binary instead.']);
  });

  test('with no DOCKER_HOST and no Docker socket anywhere testcontainers looks, no engine is asked for (testcontainers is not even loaded)', () => {
    const none = () => false;
    expect(noDockerEngineHere({}, none)).toBe('no DOCKER_HOST, and no Docker socket such as /var/run/docker.sock');
    expect(noDockerEngineHere({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }, none)).toBeUndefined();
    expect(noDockerEngineHere({}, (file) => file === '/var/run/docker.sock')).toBeUndefined();
    expect(noDockerEngineHere({ XDG_RUNTIME_DIR: '/run/user/1000' }, (file) => file === '/run/user/1000/docker.sock')).toBeUndefined();
    expect(noDockerEngineHere({}, (file) => file.endsWith('.testcontainers.properties'))).toBeUndefined();
  });

  test('a stripe-mock binary that exits before it is ready is reported with its exit code and its output', async () => {
    const fake = fakeStripeMock('exits');
    const attempt = startStripeMock({ network: 'host', way: 'binary', bin: fake.bin }, { secretKey: secretKey() });
    await expect(attempt).rejects.toThrow(`stripe-mock (${fake.bin}) exited with code 3 before it was ready:\nfake stripe-mock: giving up before listening`);
  });

  test('STRIPE_MOCK_BIN naming a missing file is refused, naming the path', async () => {
    const attempt = startStripeMock({ network: 'host', way: 'binary', bin: '/nonexistent/stripe-mock' }, { secretKey: secretKey() });
    await expect(attempt).rejects.toThrow('STRIPE_MOCK_BIN points to /nonexistent/stripe-mock, which does not exist.');
  });

  test('STRIPE_MOCK_BIN naming a folder is refused with a message that says to name the program itself', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'stripe-mock-folder-'));
    const attempt = startStripeMock({ network: 'host', way: 'binary', bin: folder }, { secretKey: secretKey() });
    await expect(attempt).rejects.toThrow(
      `STRIPE_MOCK_BIN points to ${folder}, which is a folder: name the stripe-mock program itself (e.g. ${path.join(folder, 'stripe-mock')}).`,
    );
  });

  test('STRIPE_MOCK=container with no Docker engine: one error names the three ways', async () => {
    const forcedContainer = startStripeMock({ network: 'host', way: 'container' }, { secretKey: secretKey(), engine: () => Promise.resolve({ ok: false as const, reason: 'no socket' }) });
    await expect(forcedContainer).rejects.toThrow(
      /STRIPE_MOCK=container, but no Docker engine answers \(no socket\)\.\nGive the harness a stripe-mock in one of three ways:\n {2}1\. STRIPE_MOCK_URL.*\n {2}2\. a running Docker engine.*\n {2}3\. a stripe-mock binary/,
    );
  });
});

test.describe('stripe-mock is checked before use: it must answer an authorised Stripe request', () => {
  test('STRIPE_MOCK_URL at a closed port is a HarnessFault: the harness could not reach stripe-mock there', async () => {
    const url = await closedPortUrl();
    const attempt = startStripeMock({ network: 'host', way: 'url', url }, { secretKey: secretKey() });
    await expect(attempt).rejects.toThrow(HarnessFault);
    await expect(attempt).rejects.toThrow(
      new RegExp(`^The harness could not reach stripe-mock at ${url} \\(connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+\\): this is a fault of the harness, not of your site\\.\\nSTRIPE_MOCK_URL names this address`),
    );
  });

  test('a binary that says it listens but does not answer is a HarnessFault, and the harness stops it', async () => {
    const fake = fakeStripeMock('deaf');
    const attempt = startStripeMock({ network: 'host', way: 'binary', bin: fake.bin }, { secretKey: secretKey() });
    await expect(attempt).rejects.toThrow(HarnessFault);
    await expect(attempt).rejects.toThrow(/^The harness could not reach stripe-mock at http:\/\/127\.0\.0\.1:\d+ \(connect ECONNREFUSED .*\): this is a fault of the harness, not of your site\./);
    await expect.poll(() => isRunning(fake.started()!.pid), { timeout: 5_000 }).toBe(false);
  });

  test('a run whose STRIPE_MOCK_URL answers nothing ends in global setup with exit code 2 and one message, before any test', async () => {
    test.setTimeout(NESTED_RUN_TIMEOUT);
    const url = await closedPortUrl();
    const run = await runPlaywright(['tests/stripe.spec.ts', '--reporter=list'], { STRIPE_MOCK: 'url', STRIPE_MOCK_URL: url });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`The harness could not reach stripe-mock at ${url} (connect ECONNREFUSED`);
    expect(run.stderr).toContain('this is a fault of the harness, not of your site.');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).not.toContain('Running ');
  });
});

test.describe('one stripe-mock per run, and it never outlives the run', () => {
  test('a nested run reuses the outer run\'s stripe-mock: its global setup names STRIPE_MOCK_URL at the same URL', async () => {
    test.setTimeout(NESTED_RUN_TIMEOUT);
    const outer = stripeMockRuntime.read();
    const run = await runPlaywright(['tests/stripe-mock.spec.ts', '--reporter=list', '-g', 'the run was served the way it was asked for']);
    expect(run.stdout).toContain(`stripe-mock: STRIPE_MOCK_URL ${outer.url} at ${outer.url}, ready in`);
    expect(run.code).toBe(0);
  });

  test('a runner killed with SIGKILL takes its stripe-mock with it: the port is refused within 5 s', async () => {
    test.setTimeout(NESTED_RUN_TIMEOUT);
    const fake = fakeStripeMock();
    const runner = startPlaywright(['tests/stripe.spec.ts', '--reporter=list'], { STRIPE_MOCK: 'binary', STRIPE_MOCK_BIN: fake.bin, STRIPE_MOCK_URL: '' });
    const url = await stripeMockUrlOf(runner);
    expect(await refusesConnections(url)).toBe(false);

    runner.kill('SIGKILL');
    await new Promise((resolve) => runner.once('exit', resolve));
    expect(runner.signalCode).toBe('SIGKILL');
    await expect.poll(() => refusesConnections(url), { timeout: 5_000 }).toBe(true);
  });
});

test.describe('stripe-mock in a container, as the harness asks Docker for it', () => {
  test('in bridge mode the container publishes stripe-mock\'s HTTP port on 127.0.0.1 only, on a port Docker picks', () => {
    const options = stripeMockContainer('bridge').createOptions;
    expect(options.ExposedPorts).toEqual({ '12111/tcp': {} });
    expect(options.HostConfig?.PortBindings).toEqual({ '12111/tcp': [{ HostIp: '127.0.0.1', HostPort: '0' }] });
  });

  test('in host mode the container publishes nothing and stripe-mock listens on loopback ports the kernel picks', () => {
    const options = stripeMockContainer('host').createOptions;
    expect(options.HostConfig?.PortBindings).toBeUndefined();
    expect(options.Entrypoint).toEqual(['/bin/stripe-mock', ...STRIPE_MOCK_ARGS]);
  });
});

/** What shows that a stripe-mock runs: its container, its program, or (given as a URL) that URL. */
type RunningEvidence = { running: boolean; image: string } | { program: string } | { url: string | undefined };

/** What really runs behind the stripe-mock a run was served: its container as Docker sees it, its pid's program, or the URL it was given. */
async function whatRuns({ servedBy, identity }: StripeMockEndpoint): Promise<RunningEvidence> {
  switch (servedBy) {
    case 'container': {
      const docker = await getContainerRuntimeClient();
      const info = await docker.container.inspect(docker.container.getById(identity));
      return { running: info.State.Running, image: info.Config.Image };
    }
    case 'binary': {
      const [program] = (await readFile(`/proc/${identity}/cmdline`, 'utf8')).split('\0');
      return { program: path.basename(program!) };
    }
    case 'url':
      return { url: identity };
  }
}

/** Whether nothing listens at the URL's port (a refused connection), as opposed to something answering. */
function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    // A reset is a listener that accepted the connection as it went away: not refused yet.
    socket.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? resolve(true) : error.code === 'ECONNRESET' ? resolve(false) : reject(error)));
  });
}

/** A loopback URL at which nothing listens: a port the kernel handed out, then closed. */
async function closedPortUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The stripe-mock URL a run's global setup announces on stdout. */
function stripeMockUrlOf(run: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    run.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    run.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = /^stripe-mock: .* at (http:\/\/127\.0\.0\.1:\d+), ready in/m.exec(stdout);
      if (ready) resolve(ready[1]!);
    });
    run.once('exit', (code) => reject(new Error(`the run ended (code ${code}) before stripe-mock was ready:\n${stdout}\n${stderr}`)));
  });
}
