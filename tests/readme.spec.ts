import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { projectRoot } from '../fixtures/config.ts';
import { FINDING_CODES } from '../gate/findings.ts';

test("the README's table of finding codes is the gate's own: every code, with its severity", () => {
  const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const documented = [...readme.matchAll(/^\| `([A-Z0-9_]+)` \| (error|warning|fault) \|/gm)].map((m) => [m[1], m[2]]);
  expect(documented).toEqual(Object.entries(FINDING_CODES).map(([code, [severity]]) => [code, severity]));
});
