// `npm run build` (and so `npm pack`): the package's JavaScript and types in dist/, from the TypeScript
// that tsconfig.build.json names, plus the files the compiled code reads beside itself at run time:
// the stand-ins' browser scripts, the fixture site's pages and snippets, stripe-mock's watchdog.
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
/** Folder → the ending of the files in it (and its subfolders) that are copied as they are. */
const ASSETS = [['mocks', '.js'], ['fixtures/site', '.html'], ['fixtures/snippets', '.html'], ['fixtures/stripe-mock', '.mjs'], ['fixtures/chromium-guard', '.mjs']];
const filesOf = ([dir, ending]) =>
  readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(ending))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));

rmSync(path.join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
for (const file of ASSETS.flatMap(filesOf)) cpSync(path.join(root, file), path.join(root, 'dist', file));
console.log(`build: dist/ from ${path.relative(process.cwd(), path.join(root, 'tsconfig.build.json')) || 'tsconfig.build.json'}`);
