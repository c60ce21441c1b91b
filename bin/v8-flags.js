// V8 settings for a short-lived command that parses a lot once: a smaller inlining budget, and
// twice V8's interrupt budget before a function is considered for optimizing.
// modguard's hot functions (the go.mod, go.sum and graph readers, the rules) run once per process,
// much of the time while the optimizing compiler works on them on another core; with a smaller
// inlining budget each compilation is smaller and optimized code arrives sooner. Measured on 2
// cores (BENCHMARKS.md): 8-15% less wall and CPU time for the check of 1,000 modules, the same or
// better at 10,000, and no cost for a small repository. The larger interrupt budget spares
// compiling functions that a run of a second or less leaves before their optimized code would pay
// (PR mode spent some 40 ms of CPU on the optimizing compiler's threads in a 100 ms run): 1,000
// modules 2% less wall and 5% less CPU, PR mode 4-5% less wall and 10% less CPU, 10,000 modules
// the same.
// MODGUARD_V8_FLAGS replaces these flags (an empty value sets none).
import v8 from 'node:v8';

export const DEFAULT_V8_FLAGS = '--max-inlined-bytecode-size-cumulative=200 --interrupt-budget=135168';

/**
 * The V8 settings that can change once node runs: the compilers' (tiers, inlining budgets) and how
 * fast the young generation grows. Others are read only when V8 starts (the young generation's
 * sizes among them: set here, they changed no collection of a run, where the growth factor did),
 * or change the collector's threads under a running heap, which stops the process with a fatal
 * error (`--single-threaded-gc` does).
 */
const SAFE_FLAGS = new Set([
  'opt', 'turbofan', 'maglev', 'sparkplug', 'always-sparkplug', 'lazy-feedback-allocation',
  'max-inlined-bytecode-size', 'max-inlined-bytecode-size-cumulative', 'max-inlined-bytecode-size-small',
  'max-inlined-bytecode-size-absolute', 'interrupt-budget',
  'semi-space-growth-factor',
]);

const flags = process.env.MODGUARD_V8_FLAGS ?? DEFAULT_V8_FLAGS;
for (const flag of flags.split(/\s+/)) {
  if (flag === '') continue;
  // Only plain flags (`--name` or `--name=value`) of SAFE_FLAGS: nothing else is passed on.
  const plain = /^--(?:no-)?([a-z0-9-]+)(?:=[a-z0-9.]+)?$/.exec(flag);
  if (!plain) {
    process.stderr.write(`modguard: MODGUARD_V8_FLAGS: ignored ${JSON.stringify(flag)} (give V8 flags as --name or --name=value, separated by spaces)\n`);
  } else if (!SAFE_FLAGS.has(plain[1])) {
    process.stderr.write(`modguard: MODGUARD_V8_FLAGS: ignored ${JSON.stringify(flag)} (only the compilers' settings and the young generation's growth can change once node runs; give others to node itself, e.g. in NODE_OPTIONS)\n`);
  } else {
    v8.setFlagsFromString(flag);
  }
}
