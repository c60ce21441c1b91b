#!/usr/bin/env node
// Thin shim: the compiled CLI when built (npm install builds it), else the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import './v8-flags.js';
const built = new URL('../dist/src/cli.js', import.meta.url);
if (process.env.MODGUARD_FROM_SOURCE || !existsSync(built)) (await import('tsx/esm/api')).register();
await (await import(process.env.MODGUARD_FROM_SOURCE || !existsSync(built) ? '../src/cli.ts' : built.href)).runCli();
