// `npm run fuzz`: the long fuzz run over every parser and over assemble + check + the reporters.
//
//   npm run fuzz -- [--count N] [--seed S] [--workers W] [--targets gomod,gosum,...] [--out DIR]
//                   [--hang-ms MS] [--huge-per-mille K] [--time-limit SECONDS] [--replay FILE]
//
// Prints progress every few seconds and a summary line (inputs, time, inputs/s, failures); writes
// each failing input to DIR (default test-output/fuzz/) and exits 1 when there is one. Any case is
// reproducible from the seed and its index; `--replay FILE` reruns a written counterexample.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runFuzz, DEFAULT_SCHEDULE, type FuzzFailure } from '../test/hardening/fuzz-runner.ts';
import { TARGETS, deserializeCase, problemsFor, type Target } from '../test/hardening/fuzz-support.ts';

/**
 * The long run's mix: parsers are cheap and each has its own grammar to explore; a whole repository
 * (six parsers, thirteen rules, six reporters) is one batch in eight.
 */
const LONG_SCHEDULE: Target[] = ['gomod', 'gosum', 'graph', 'anchors', 'gomod', 'gowork', 'config', 'repo'];

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    seed: { type: 'string' },
    workers: { type: 'string' },
    targets: { type: 'string' },
    out: { type: 'string', default: 'test-output/fuzz' },
    'hang-ms': { type: 'string', default: '120000' },
    'huge-per-mille': { type: 'string', default: '1' },
    'reporters-every': { type: 'string', default: '10' },
    'max-failures': { type: 'string', default: '10' },
    'time-limit': { type: 'string' },
    replay: { type: 'string' },
  },
});

function int(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) { console.error(`fuzz: --${name} wants a whole number, got ${v}`); process.exit(2); }
  return n;
}

if (values.replay) {
  const { target, value } = deserializeCase(readFileSync(values.replay, 'utf8'));
  const problems = problemsFor(target, value);
  console.log(problems.length === 0 ? `${values.replay}: ${target}: no problem` : `${values.replay}: ${target}:\n  ${problems.join('\n  ')}`);
  process.exit(problems.length === 0 ? 0 : 1);
}

const count = int('count', values.count);
const seed = values.seed !== undefined ? int('seed', values.seed) : Date.now() % 2147483647;
let schedule = LONG_SCHEDULE;
if (values.targets) {
  const asked = values.targets.split(',').map((t) => t.trim()) as Target[];
  const unknown = asked.filter((t) => !TARGETS.includes(t));
  if (unknown.length > 0) { console.error(`fuzz: unknown target ${unknown.join(', ')} (one of ${TARGETS.join(', ')})`); process.exit(2); }
  schedule = asked.length > 0 ? asked : DEFAULT_SCHEDULE;
}
const outDir = path.resolve(values.out);
console.log(`fuzz: ${count} inputs, seed ${seed}, targets ${schedule.join(',')}`);

function report(f: FuzzFailure): void {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `seed${seed}-case${f.index}-${f.target}.json`);
  writeFileSync(file, f.input);
  console.log(`fuzz: FAILURE #${f.index} (${f.target}${f.hang ? ', hang' : ''}): ${f.problems[0]?.split('\n')[0]}\n      input: ${file}\n      replay: npm run fuzz -- --replay ${path.relative(process.cwd(), file)}`);
}

const summary = await runFuzz({
  count, seed, schedule,
  ...(values.workers ? { workers: int('workers', values.workers) } : {}),
  hangMs: int('hang-ms', values['hang-ms']),
  size: { hugeLineWeight: int('huge-per-mille', values['huge-per-mille']) },
  reportersEvery: Math.max(1, int('reporters-every', values['reporters-every'])),
  maxFailures: Math.max(1, int('max-failures', values['max-failures'])),
  ...(values['time-limit'] ? { timeLimitMs: int('time-limit', values['time-limit']) * 1000 } : {}),
  progressEveryMs: 10_000,
  onFailure: report,
  onProgress: (done, failures, ms) => {
    console.log(`fuzz: ${done}/${count} inputs, ${(ms / 1000).toFixed(0)} s, ${(done / (ms / 1000)).toFixed(0)} inputs/s, ${failures} failures`);
  },
});

const secs = summary.elapsedMs / 1000;
const mix = summary.inputs === count ? ` [${Object.entries(summary.byTarget).map(([t, n]) => `${t} ${n}`).join(', ')}]` : '';
console.log(`fuzz: ${summary.inputs} inputs in ${secs.toFixed(1)} s (${(summary.inputs / secs).toFixed(0)} inputs/s), ${summary.failures.length} failures, seed ${seed}${mix}`);
if (summary.inputs < count && summary.failures.length === 0) console.log(`fuzz: stopped at the time limit after ${summary.inputs} of ${count} inputs`);
process.exit(summary.failures.length > 0 || (summary.inputs < count && !values['time-limit']) ? 1 : 0);
