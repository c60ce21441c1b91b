// One measurement of bench/scale.bench.ts, in a fresh process so that its peak memory
// (maxRSS) is its own: `node --import tsx bench/scale-child.ts MODE DIR [FILE...]`, MODE one of
//   floor  read every input file once (the cat-equivalent floor);
//   check  `modguard check --graph-file graph.txt` in process, the report printed to a sink;
//   pr     the same with `--base HEAD` (the caller has changed some go.mod files);
//   shard  `check --shard 1/4 --format json`, one of four shards (what each CI job of a matrix runs).
// MODGUARD_BENCH_WORKERS=N passes `--workers N`.
// Prints one JSON line: { wallMs, cpuMs, maxRssMB, exitCode, out }.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandContext } from '../src/commands/context.ts';
import type { runCheck as RunCheck } from '../src/commands/check-run.ts';

// The built code (what `modguard` runs) when the caller has built it, else the sources.
const { runCheck } = (process.env.MODGUARD_BENCH_DIST === '1'
  ? await import('../dist/src/commands/check-run.js' as string)
  : await import('../src/commands/check-run.ts')) as { runCheck: typeof RunCheck };

const [mode, dir, ...files] = process.argv.slice(2);
if (!mode || !dir) throw new Error('usage: scale-child.ts floor|check|pr|shard DIR [FILE...]');

let out = 0;
const ctx: CommandContext = {
  cwd: dir,
  env: { PATH: process.env.PATH ?? '' },
  stdout: { write: (s: string) => { out += s.length; return true; } },
  stderr: { write: (s: string) => { out += s.length; return true; } },
  stdinIsTTY: false,
  exitCode: 0,
};

const c0 = process.cpuUsage();
const t0 = performance.now();
let exitCode = 0;
if (mode === 'floor') {
  for (const f of files) out += readFileSync(path.join(dir, f)).length;
} else {
  exitCode = await runCheck({
    root: dir, graphFile: 'graph.txt',
    ...(mode === 'pr' ? { base: 'HEAD' } : {}),
    ...(mode === 'shard' ? { shard: '1/4', format: ['json'] } : {}),
    ...(process.env.MODGUARD_BENCH_WORKERS ? { workers: process.env.MODGUARD_BENCH_WORKERS } : {}),
  }, ctx);
}
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({
  wallMs, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024, exitCode, out,
}) + '\n');
