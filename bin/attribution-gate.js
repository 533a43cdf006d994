#!/usr/bin/env node
// `npx attribution-gate`: the gate's CLI (gate/cli.ts), its TypeScript run by tsx in this very process,
// so that an interrupt reaches the gate itself and its exit code is this process's.
import { register } from 'tsx/esm/api';

register();
await import('../gate/cli.ts');
