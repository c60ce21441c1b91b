#!/usr/bin/env node
// Thin shim: the compiled CLI when built (npm install builds it), else the TypeScript sources through
// tsx. Built, a command runs from the one-file bundle with the code V8 compiled of it in an earlier
// run (src/code-cache.ts), and the review screen from the compiled modules.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import './v8-flags.js';
const built = new URL('../dist/src/cli.js', import.meta.url);
const bundle = new URL('../dist/modguard.cjs', import.meta.url);
if (process.env.MODGUARD_FROM_SOURCE || !existsSync(built)) {
  (await import('tsx/esm/api')).register();
  await (await import('../src/cli.ts')).runCli();
} else {
  const { bundledCommand } = await import('../dist/src/code-cache.js');
  const argv = process.argv.slice(2);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  // A current directory that cannot be read is the command's to say (from the modules).
  let cwd;
  try { cwd = process.cwd(); } catch { cwd = undefined; }
  const loaded = cwd === undefined ? undefined : bundledCommand(fileURLToPath(bundle), argv, process.env, interactive, cwd);
  await (loaded?.exports ?? await import(built.href)).runCli();
  if (loaded) {
    const saved = loaded.save();
    if (argv.includes('--debug')) process.stderr.write(`modguard: compiled code: ${saved}\n`);
  }
}
