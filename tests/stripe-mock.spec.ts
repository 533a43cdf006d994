import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { getContainerRuntimeClient } from 'testcontainers';
import { harnessConfig, stripeMockRuntime } from '../fixtures/config.ts';
import { findBinary } from '../fixtures/stripe-mock/binary.ts';
import { STRIPE_MOCK_IMAGE } from '../fixtures/stripe-mock/release.ts';
import { startStripeMock } from '../fixtures/stripe-mock/start.ts';

test.describe('stripe-mock, started once per run', () => {
  test('the run was served the way it was asked for, and that way is really running', async () => {
    const served = stripeMockRuntime.read();
    const forced = harnessConfig().stripeMock.way;
    test.info().annotations.push({ type: 'stripe-mock', description: `${served.servedBy} ${served.identity} at ${served.url}` });
    if (forced) expect(served.servedBy).toBe(forced);
    expect(new URL(served.url).hostname).toBe('127.0.0.1');

    if (served.servedBy === 'container') {
      const docker = await getContainerRuntimeClient();
      const info = await docker.container.inspect(docker.container.getById(served.identity));
      expect(info.State.Running).toBe(true);
      expect(info.Config.Image).toBe(STRIPE_MOCK_IMAGE);
    } else if (served.servedBy === 'binary') {
      const commandLine = await readFile(`/proc/${served.identity}/cmdline`, 'utf8');
      expect(commandLine).toContain('stripe-mock');
    } else {
      expect(served.identity).toBe(harnessConfig().stripeMock.url);
    }
  });

  test('when no Docker engine answers, the harness says so in one line and uses a binary', async () => {
    const bin = await findBinary(harnessConfig().stripeMock.bin);
    test.skip(!bin, 'no stripe-mock binary on this machine (npm run setup installs one where Go exists)');
    const said: string[] = [];
    const noEngine = async () => ({ ok: false as const, reason: 'connect ENOENT /var/run/docker.sock' });

    const stripeMock = await startStripeMock({ network: 'host', bin }, (line) => said.push(line), noEngine);
    await stripeMock.stop();

    expect(stripeMock.servedBy).toBe('binary');
    expect(said).toEqual(['stripe-mock: no Docker engine answers (connect ENOENT /var/run/docker.sock); using a stripe-mock binary instead.']);
  });

  test('with no way at all, one error names the three ways', async () => {
    const noEngine = async () => ({ ok: false as const, reason: 'no socket' });
    const attempt = startStripeMock({ network: 'host', way: 'binary', bin: '/nonexistent/stripe-mock' }, () => {}, noEngine);
    await expect(attempt).rejects.toThrow('STRIPE_MOCK_BIN points to /nonexistent/stripe-mock, which does not exist.');
    const forcedContainer = startStripeMock({ network: 'host', way: 'container' }, () => {}, noEngine);
    await expect(forcedContainer).rejects.toThrow(
      /STRIPE_MOCK=container, but no Docker engine answers \(no socket\)\.\nGive the harness a stripe-mock in one of three ways:\n {2}1\. STRIPE_MOCK_URL.*\n {2}2\. a running Docker engine.*\n {2}3\. a stripe-mock binary/,
    );
  });
});
