// V8 settings for a short-lived command that parses a lot once: less inlining and baseline code
// from the first call. modguard's hot functions (the go.mod, go.sum and graph readers, the rules)
// run once per process, much of the time while the optimizing compiler works on them on the other
// core; with a smaller inlining budget that compiler does less, and baseline (Sparkplug) code runs
// faster than the interpreter meanwhile. Measured on 2 cores (BENCHMARKS.md): 12-15% less wall
// and CPU time for the check of 1,000 modules, the same or better at 10,000.
// MODGUARD_V8_FLAGS replaces these flags (an empty value sets none).
import v8 from 'node:v8';

export const DEFAULT_V8_FLAGS = '--max-inlined-bytecode-size-cumulative=200 --always-sparkplug';

const flags = process.env.MODGUARD_V8_FLAGS ?? DEFAULT_V8_FLAGS;
for (const flag of flags.split(/\s+/)) {
  // Only V8's tuning flags: a flag of this form cannot run code or read files.
  if (/^--[a-z0-9-]+(=[a-z0-9.]+)?$/.test(flag)) v8.setFlagsFromString(flag);
}
