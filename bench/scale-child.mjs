// One measurement of bench/scale.bench.ts, in a fresh process so that its peak memory (maxRSS) is
// its own: `node bench/scale-child.mjs MODE DIR [FILE...]`, MODE one of
//   floor  read every input file once (the cat-equivalent floor);
//   check  `modguard check --graph-file graph.txt` in process, the report printed to a sink;
//   pr     the same with `--base HEAD` (the caller has changed some go.mod files);
//   shard  `check --shard 1/4 --format json`, one of four shards (what each CI job of a matrix runs).
// MODGUARD_BENCH_WORKERS=N passes `--workers N`; MODGUARD_BENCH_CACHE_DIR=DIR passes `--cache-dir DIR`
// (without it PR mode and shards run with `--no-cache`). MODGUARD_V8_FLAGS as for the command.
// Prints one JSON line: { wallMs, cpuMs, maxRssMB, exitCode, out, code }.
//
// The code is the command's: the bundle (dist/modguard.cjs, which the caller builds first), loaded
// as bin/modguard.js loads it, with the compiled code kept in the cache directory the environment
// names (MODGUARD_CACHE_DIR; MODGUARD_CODE_CACHE=off for none), and written there after the
// measured work as the command writes it when it ends. `code` says what became of the kept code.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// The V8 settings of the modguard command (bin/modguard.js), before any measured code is compiled.
import '../bin/v8-flags.js';

const { loadBundle, codeCacheDir } = await import('../dist/src/code-cache.js');

const [mode, dir, ...files] = process.argv.slice(2);
if (!mode || !dir) throw new Error('usage: scale-child.mjs floor|check|pr|shard DIR [FILE...]');
// Loaded outside the measured work, as the command loads it before it starts; of the kind of run
// the command's line would name (src/code-cache.ts runKind).
const kind = mode === 'pr' ? 'check --base' : mode === 'shard' ? 'check --shard' : 'check';
const bundle = mode === 'floor'
  ? undefined
  : loadBundle(fileURLToPath(new URL('../dist/modguard.cjs', import.meta.url)), kind, codeCacheDir(process.env));

let out = 0;
/** @type {import('../src/commands/context.ts').CommandContext} */
const ctx = {
  cwd: dir,
  env: { PATH: process.env.PATH ?? '' },
  stdout: { write: (s) => { out += s.length; return true; } },
  stderr: { write: (s) => { out += s.length; return true; } },
  stdinIsTTY: false,
  exitCode: 0,
};

const c0 = process.cpuUsage();
const t0 = performance.now();
let exitCode = 0;
if (mode === 'floor') {
  for (const f of files) out += readFileSync(path.join(dir, f)).length;
} else {
  exitCode = await bundle.exports.runCheck({
    root: dir, graphFile: 'graph.txt',
    // PR mode and shards use kept facts only with MODGUARD_BENCH_CACHE_DIR; a full check given it fills them.
    ...(process.env.MODGUARD_BENCH_CACHE_DIR ? { cacheDir: process.env.MODGUARD_BENCH_CACHE_DIR } : mode === 'check' ? {} : { cache: false }),
    ...(mode === 'pr' ? { base: 'HEAD' } : {}),
    ...(mode === 'shard' ? { shard: '1/4', format: ['json'] } : {}),
    ...(process.env.MODGUARD_BENCH_WORKERS ? { workers: process.env.MODGUARD_BENCH_WORKERS } : {}),
  }, ctx);
}
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(c0);
const code = bundle ? `${bundle.state}: ${bundle.save()}` : undefined;
process.stdout.write(JSON.stringify({
  wallMs, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024, exitCode, out, ...(code ? { code } : {}),
}) + '\n');
