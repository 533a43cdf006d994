import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ConfigError, defaultEnvFiles, parseConfig, projectRoot } from '../fixtures/config.ts';
import { runPlaywright } from '../fixtures/nested-run.ts';

const valid = {
  TRACKDESK_TENANT_ID: 'acme-events',
  TRACKDESK_REVENUE_ORIGIN_ID: '3f2b8c1e-5d4a-4b7e-9c21-6a0d8e4f1b37',
  TRACKDESK_PERSONAL_TOKEN: 'td_personal_example_token',
  TITO_EVENT: 'acme-events/summit-2026',
  STRIPE_SECRET_KEY: 'sk_test_123',
};

// Fake live-mode keys, assembled at run time so no secret scanner mistakes this file for a leak.
const fakeLiveKey = (prefix: 'sk' | 'rk') => [prefix, 'live', 'NotARealKeyHxAbCdEfGhIjKl'].join('_');

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env, []);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

test.describe('configuration', () => {
  test('valid values become a typed configuration', () => {
    const config = parseConfig({ ...valid, STRIPE_MOCK: 'binary' }, []);
    expect(config.trackdesk).toEqual({ tenantId: 'acme-events', revenueOriginId: valid.TRACKDESK_REVENUE_ORIGIN_ID, personalToken: valid.TRACKDESK_PERSONAL_TOKEN });
    expect(config.tito).toEqual({ account: 'acme-events', event: 'summit-2026', slug: 'acme-events/summit-2026', events: ['acme-events/summit-2026'] });
    expect(config.stripeMock.way).toBe('binary');
  });

  test('with no .env, the .env.example values are the defaults', () => {
    const config = parseConfig({}, [path.join(projectRoot, '.env.example')]);
    expect(config.trackdesk.tenantId).toBe('acme-events');
    expect(config.stripe.secretKey).toBe('sk_test_123');
  });

  test("in this repository a missing .env is stood in for by .env.example; in a site owner's folder their .env.example (sample values for others) never is", () => {
    expect(defaultEnvFiles(projectRoot)).toEqual([path.join(projectRoot, existsSync(path.join(projectRoot, '.env')) ? '.env' : '.env.example')]);
    const owner = mkdtempSync(path.join(os.tmpdir(), 'owner-env-'));
    writeFileSync(path.join(owner, '.env.example'), 'TRACKDESK_TENANT_ID=my-tenant\n');
    expect(defaultEnvFiles(owner)).toEqual([]);
    writeFileSync(path.join(owner, '.env'), 'TRACKDESK_TENANT_ID=acme-events\n');
    expect(defaultEnvFiles(owner)).toEqual([path.join(owner, '.env')]);
  });

  test('an empty variable in the environment (a CI input left blank) does not hide the value in .env', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'env-')), '.env');
    writeFileSync(file, `TRACKDESK_TENANT_ID=acme-events\n`);
    expect(parseConfig({ ...valid, TRACKDESK_TENANT_ID: '' }, [file]).trackdesk.tenantId).toBe('acme-events');
    expect(parseConfig({ ...valid, TRACKDESK_TENANT_ID: 'other-tenant' }, [file]).trackdesk.tenantId).toBe('other-tenant');
  });

  test('every bad field is listed in one error, each with how to fix it', () => {
    const problems = problemsOf({
      TRACKDESK_TENANT_ID: 'Acme Events',
      TRACKDESK_REVENUE_ORIGIN_ID: 'YOUR_REVENUE_ORIGIN_ID',
      TITO_EVENT: 'summit-2026',
      STRIPE_SECRET_KEY: 'pk_test_123',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^TRACKDESK_TENANT_ID "Acme Events" is not a tenant slug: use the lowercase name/),
      expect.stringMatching(/^TRACKDESK_REVENUE_ORIGIN_ID is still the placeholder YOUR_REVENUE_ORIGIN_ID/),
      expect.stringMatching(/^TRACKDESK_PERSONAL_TOKEN is missing: make one in Trackdesk under Settings > Personal tokens/),
      expect.stringMatching(/^TITO_EVENT "summit-2026" is not account\/event/),
      expect.stringMatching(/^STRIPE_SECRET_KEY is not a Stripe secret key: use a test key/),
    ]);
  });

  test('a live Stripe key is refused, and the message does not repeat it', () => {
    const liveKey = fakeLiveKey('sk');
    const problems = problemsOf({ ...valid, STRIPE_SECRET_KEY: liveKey });
    expect(problems).toEqual([expect.stringMatching(/^STRIPE_SECRET_KEY is a live-mode key \(sk_live_…\): the harness refuses live keys and never sends them anywhere/)]);
    expect(problems.join('\n')).not.toContain(liveKey.slice(8));
    expect(problemsOf({ ...valid, STRIPE_SECRET_KEY: fakeLiveKey('rk') })).toEqual([expect.stringContaining('live-mode key')]);
  });

  test('stripe-mock must be on this machine', () => {
    expect(problemsOf({ ...valid, STRIPE_MOCK_URL: 'http://10.0.0.5:12111' })).toEqual([
      expect.stringMatching(/^STRIPE_MOCK_URL "http:\/\/10\.0\.0\.5:12111" is not on this machine: the harness talks to loopback only/),
    ]);
    expect(parseConfig({ ...valid, STRIPE_MOCK_URL: 'http://127.0.0.1:12111' }, []).stripeMock.url).toBe('http://127.0.0.1:12111');
  });

  test('a malformed .env is named by file and line, and its secrets are never echoed', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bad-env-'));
    const token = 'td_secret_token_that_must_not_leak';
    const file = path.join(dir, '.env');
    writeFileSync(file, `# settings\nTRACKDESK_TENANT_ID="acme-events\nTRACKDESK_PERSONAL_TOKEN=${token}\nSTRIPE_SECRET_KEY=${fakeLiveKey('sk')}\nthis is not a setting\n`);
    let message = '';
    try {
      parseConfig({}, [file]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('.env line 2 (TRACKDESK_TENANT_ID) opens a " quote that it does not close');
    expect(message).toContain('.env line 5 is not KEY=value');
    expect(message).not.toContain(token);
    expect(message).not.toContain('NotARealKey');
  });

  test('a run with bad configuration stops before any browser starts, with one message and no stack trace', async () => {
    const run = await runPlaywright(['--list'], { TRACKDESK_TENANT_ID: 'YOUR_TENANT_ID', STRIPE_SECRET_KEY: fakeLiveKey('sk') });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('has 2 problems:');
    expect(run.stderr).toContain('TRACKDESK_TENANT_ID is still the placeholder YOUR_TENANT_ID');
    expect(run.stderr).toContain('STRIPE_SECRET_KEY is a live-mode key');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr + run.stdout).not.toContain('NotARealKey');
    expect(run.stdout).not.toContain('Listing tests');
  });
});
