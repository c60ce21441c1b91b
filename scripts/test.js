#!/usr/bin/env node
// The test command: type-check, build the CLI (the modules, then the bundle), then the mocha suite (which ends with `N passed, N failed`).
// Every step runs even when an earlier one fails, so one run shows everything; the exit code is the worst.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const mocha = require.resolve('mocha/bin/mocha.js');
const run = (args) => spawnSync(process.execPath, args, { stdio: 'inherit' }).status ?? 1;

let status = 0;
const typecheck = run([tsc, '--noEmit', '-p', 'tsconfig.json']);
if (typecheck !== 0) { console.error('type check failed (tsc --noEmit)'); status = typecheck; }
const compiled = run([tsc, '-p', 'tsconfig.build.json']);
if (compiled !== 0) { console.error('build failed (tsc -p tsconfig.build.json)'); status = status || compiled; }
// The command's bundle (scripts/bundle.js), from which bin/modguard.js runs commands.
const bundled = compiled === 0 ? run([fileURLToPath(new URL('./bundle.js', import.meta.url))]) : 1;
if (compiled === 0 && bundled !== 0) { console.error('build failed (scripts/bundle.js)'); status = status || bundled; }
const build = compiled || bundled;
const specs = process.argv.length > 2 ? process.argv.slice(2) : ['test/**/*.test.{ts,tsx}'];
// With a fresh build, tests that spawn the CLI run the compiled one: as users run it, and faster.
if (build === 0) process.env.MODGUARD_TEST_BUILT = '1';
const tests = run([mocha, ...specs]);
process.exit(tests || status);
