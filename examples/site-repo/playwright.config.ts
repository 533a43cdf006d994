import { defineConfig } from '@playwright/test';
import { attributionGate } from 'tito-trackdesk-gate';

export default defineConfig({
  reporter: [['list'], ['html', { open: 'never' }]],
  projects: [
    // Our own specs (tests/), with the gate's fixtures.
    { name: 'site', testDir: 'tests' },
    // The gate's checks of every page of dist/, beside them.
    attributionGate({ siteDir: 'dist' }),
  ],
});
