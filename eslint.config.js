// npm run lint: ESLint's recommended rules everywhere; typescript-eslint's type-checked rules on the
// TypeScript (a promise nobody awaits is a test that asserts nothing); eslint-plugin-playwright's on the
// specs and bench scenarios. The stand-ins' browser scripts (mocks/**/*.js) are plain scripts, read
// without type information. CI runs it with --max-warnings 0.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import playwright from 'eslint-plugin-playwright';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores([
    'node_modules/',
    'test-results/',
    'playwright-report/',
    'blob-report/',
    'all-blob-reports/',
    'gate-report/',
    '.tools/',
    'dist/',
    'examples/site-repo/',
    // Real third-party builds and their sources: the gate's subjects, not our code.
    'gate/corpus/',
    'fixtures/framework-sites/',
  ]),
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,

  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // In recommendedTypeChecked already; named so that no later preset can turn them off.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // `const { KEY: _, ...rest } = values` is how a spec drops one key.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // Playwright reads a fixture's dependencies from its first parameter, which must be a pattern:
      // a fixture that needs none is `async ({}, use) => …`.
      'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }],
    },
  },

  // Node scripts: the watchdog, the bench driver, the CLI's launcher, this file.
  {
    files: ['**/*.mjs', 'bin/*.js', 'eslint.config.js'],
    languageOptions: { globals: globals.node },
  },

  // The stand-ins' browser scripts: served to Chromium as classic scripts (an IIFE each), with the
  // protocol placeholders that browserScript() (mocks/browser-script.ts) replaces by literals.
  {
    files: ['mocks/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { ...globals.browser, __TITO_PROTOCOL__: 'readonly', __TRACKDESK_PROTOCOL__: 'readonly', __TRACKDESK_SCRIPT_KEYS__: 'readonly' },
    },
  },

  {
    files: ['tests/**/*.ts', '**/*.spec.ts', 'bench/*.bench.ts'],
    extends: [playwright.configs['flat/recommended']],
    rules: {
      // Titles built from data (a page, a site, a load order) are strings: TypeScript already says so.
      'playwright/valid-title': ['error', { ignoreTypeOfTestName: true }],
      // Warnings in the preset; errors here, so that an editor shows them as CI fails them.
      'playwright/no-conditional-in-test': 'error',
      'playwright/no-conditional-expect': 'error',
      'playwright/no-skipped-test': 'error',
      'playwright/no-wait-for-timeout': 'error',
    },
  },
  {
    // The gate's checks assert through report(), which attaches the findings and expects no error.
    files: ['gate/checks.spec.ts'],
    rules: { 'playwright/expect-expect': ['warn', { assertFunctionNames: ['report'] }] },
  },
]);
