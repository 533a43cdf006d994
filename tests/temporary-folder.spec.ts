/**
 * The suite's temporary files go to a folder of the run (fixtures/temporary-folder-setup.ts), removed
 * once the run passed and kept, named, when it failed (fixtures/temporary-folder-reporter.ts).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import TemporaryFolderReporter, { RUN_TEMPORARY_ENV } from '../fixtures/temporary-folder-reporter.ts';

test('this run writes its temporary files in a folder of its own', () => {
  expect(os.tmpdir()).toBe(process.env[RUN_TEMPORARY_ENV]);
  expect(path.basename(os.tmpdir())).toMatch(/^attribution-gate-tests-/);
});

test.describe('the run ends', () => {
  // The reporter reads the folder from the environment: each test names one of its own, and puts the run's back.
  const run = process.env[RUN_TEMPORARY_ENV];

  test.afterEach(() => void (process.env[RUN_TEMPORARY_ENV] = run));

  test('passed: the folder goes', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ended-'));
    process.env[RUN_TEMPORARY_ENV] = folder;
    new TemporaryFolderReporter().onEnd({ status: 'passed', startTime: new Date(), duration: 0 });
    expect(existsSync(folder)).toBe(false);
  });

  test('failed: the folder stays, and the run says where, for the paths its failures quote', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ended-'));
    process.env[RUN_TEMPORARY_ENV] = folder;
    const said: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (text: string | Uint8Array) => said.push(String(text)) > 0;
    try {
      new TemporaryFolderReporter().onEnd({ status: 'failed', startTime: new Date(), duration: 0 });
    } finally {
      process.stderr.write = write;
    }
    expect(existsSync(folder)).toBe(true);
    expect(said.join('')).toContain(`the run's temporary files (the sites and reports its failures name) are kept in ${folder}`);
  });
});
