// The entry of the command's bundle (dist/modguard.cjs, made by scripts/bundle.js): the command
// line, and the check for the benchmarks to measure as the command runs it. The review screen and
// Ink are not in it: bin/modguard.js runs `review` from the modules (code-cache.ts tells).
export { runCli } from './cli.ts';
export { runCheck } from './commands/check-run.ts';
