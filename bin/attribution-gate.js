#!/usr/bin/env node
// `npx attribution-gate`: the gate's CLI in this very process, so that an interrupt reaches the gate
// itself and its exit code is this process's. Installed, it runs the compiled dist/gate/cli.js; in a
// clone of the repository (where the TypeScript is), the source, through tsx.
import { existsSync } from 'node:fs';

const source = new URL('../gate/cli.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/gate/cli.js');
}
