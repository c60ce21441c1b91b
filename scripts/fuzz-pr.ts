// `npm run fuzz:pr`: differential testing of PR mode and shards against the cache, over generated
// monorepos in git (test/hardening/pr-differential.ts says which runs are compared).
//
//   npm run fuzz:pr -- [--seeds FROM..TO] [--keep] [--out DIR]
//
// Runs the CLI as built (`npm run build` first). Prints a line per seed and a summary line; writes
// each failing seed's differences and generated case to DIR (default test-output/fuzz-pr/) and
// exits 1 when there is one. `--keep` keeps a failing seed's repository and cache directories
// (with every run's output in runs.json) and prints where. A seed is its whole case:
// `--seeds 42..42` runs it again.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCase, runCase, type CaseResult } from '../test/hardening/pr-differential.ts';

function usage(message: string): never {
  console.error(`fuzz:pr: ${message}\nusage: npm run fuzz:pr -- [--seeds FROM..TO] [--keep] [--out DIR]`);
  process.exit(2);
}

let values: { seeds: string; keep: boolean; out: string };
try {
  ({ values } = parseArgs({
    options: {
      seeds: { type: 'string', default: '1..100' },
      keep: { type: 'boolean', default: false },
      out: { type: 'string', default: 'test-output/fuzz-pr' },
    },
  }));
} catch (err) {
  usage((err as Error).message);
}

const range = /^(\d+)\.\.(\d+)$/.exec(values.seeds);
if (!range) usage(`--seeds wants FROM..TO (whole numbers), got ${values.seeds}`);
const from = Number(range[1]);
const to = Number(range[2]);
// The generator takes a 32-bit seed: a larger one would repeat a smaller one's case.
if (from > to || to > 0xffffffff) usage(`--seeds ${values.seeds}: FROM must be at most TO, and TO below 2^32`);
const outDir = path.resolve(values.out);

let comparisons = 0;
let differences = 0;
const started = performance.now();
for (let seed = from; seed <= to; seed++) {
  const t0 = performance.now();
  let result: CaseResult;
  try {
    result = runCase(seed, { keep: values.keep ? 'failing' : false });
  } catch (err) {
    // A case that cannot even be set up (git failing, say) is a failure of its own.
    result = { seed, comparisons: 0, differences: [{ what: 'the case could not be run', a: '', b: '', diff: String((err as Error).stack ?? err) }] };
  }
  comparisons += result.comparisons;
  differences += result.differences.length;
  const c = generateCase(seed);
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`seed ${seed}: ${c.modules} modules, ${c.kinds.join(' ') || 'no change'}${c.graph ? ', graph files' : ''}; ${result.comparisons} comparisons, ${result.differences.length} differences (${secs} s)`);
  if (result.differences.length === 0) continue;
  // The first lines of each, cut short: the written file has them whole.
  const short = (line: string) => (line.length > 200 ? `${line.slice(0, 200)}...` : line);
  for (const d of result.differences) console.log(`  ${d.what}\n    ${d.diff.split('\n').slice(0, 6).map(short).join('\n    ')}`);
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `seed${seed}.json`);
  writeFileSync(file, `${JSON.stringify({ seed, comparisons: result.comparisons, differences: result.differences, case: c }, null, 2)}\n`);
  console.log(`  written: ${path.relative(process.cwd(), file)}`);
  if (result.dir) console.log(`  kept: ${result.dir}`);
}

const seeds = to - from + 1;
console.log(`fuzz:pr: ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`${seeds} seeds, ${comparisons} comparisons, ${differences} differences`);
process.exit(differences > 0 ? 1 : 0);
