// Scale: the full check of generated monorepos of 1,000 and 10,000 modules (bench/generate.ts,
// go.sum and graph files of realistic size), each measured in a fresh child process
// (bench/scale-child.mjs) for wall time, CPU time and peak memory; the cat-equivalent floor (every
// input read once); and PR mode on a change touching 3 go.mod files. Repositories are generated
// once and cached under bench/out/; generation is never part of a figure.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSection } from './run.ts';
import { benchRepo } from './check.bench.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Sample { wallMs: number; cpuMs: number; maxRssMB: number; exitCode: number; out: number; code?: string }

/**
 * The cache directory of the children's compiled code (the command's MODGUARD_CACHE_DIR: its
 * `code/` folder; facts are kept only where MODGUARD_BENCH_CACHE_DIR says). One per bench process,
 * filled by the first runs of each kind as a user's first runs fill it.
 */
let codeCache: string | undefined;
function codeCacheEnv(): Record<string, string> {
  if (codeCache === undefined) {
    const dir = mkdtempSync(path.join(tmpdir(), 'modguard-bench-code-'));
    codeCache = dir;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return { MODGUARD_CACHE_DIR: codeCache };
}

/** NO_KEPT_CODE runs a child without the kept compiled code: every function compiled when first called. */
export const NO_KEPT_CODE: Record<string, string> = { MODGUARD_CODE_CACHE: 'off' };

/**
 * buildCommand builds what the children run, as `npm run build` does: the modules (tsc) and the
 * command's bundle (scripts/bundle.js).
 */
export function buildCommand(root: string): void {
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(root, 'scripts/bundle.js')], { cwd: root, stdio: 'inherit' });
}

/** child runs one measurement in a fresh process (argument array, no shell). */
export function child(mode: string, dir: string, files: string[] = [], env: Record<string, string> = {}): Sample {
  const args = [path.join(here, 'scale-child.mjs'), mode, dir];
  // The file list of the floor can be long: pass it on stdin-free argv in one go (10,000 modules
  // make about 30,000 paths, well under the argument limit).
  const text = execFileSync(process.execPath, [...args, ...files], {
    cwd: path.join(here, '..'), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ...codeCacheEnv(), ...env },
  });
  return JSON.parse(text.trim().split('\n').pop()!) as Sample;
}

export function median(samples: Sample[]): Sample {
  const by = <K extends keyof Sample>(k: K) => samples.map((s) => s[k] as number).sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
  return { wallMs: by('wallMs'), cpuMs: by('cpuMs'), maxRssMB: by('maxRssMB'), exitCode: samples[0]!.exitCode, out: samples[0]!.out };
}

export function inputFiles(dir: string): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\0')
    .filter((f) => /(?:^|\/)(?:go\.mod|go\.sum|graph\.txt|anchor\.lock|go\.work)$/.test(f));
}

/** leafModules picks n service modules (no sibling requires a service), spread over the repository. */
export function leafModules(files: string[], n: number): string[] {
  const mods = files.filter((f) => f.startsWith('services/') && f.endsWith('/go.mod')).sort();
  return Array.from({ length: n }, (_, i) => mods[Math.floor(((i + 0.5) * mods.length) / n)]!);
}

interface PrSamples {
  /** `--no-cache`: every go.mod read and parsed. */
  none: Sample;
  /** The first run with an empty cache directory (it reads every file and writes the pack). */
  cold: Sample;
  /** Later runs, with the pack of the first. */
  warm: Sample;
  /**
   * With what a full check of the base kept (the default branch's CI job): the pack, and the
   * base's findings, so the base is not checked again.
   */
  kept: Sample;
  /** As `kept`, without the compiled code kept by earlier runs (MODGUARD_CODE_CACHE=off). */
  keptNoCode: Sample;
  /**
   * The same, each run next to a full check of the same tree: the host's speed drifts over minutes
   * on a shared machine, so a ratio of neighbouring runs says more than one of medians taken
   * minutes apart. The order alternates (the check first, then PR mode first), so that what a run
   * leaves behind for the next (the host's state, caches) counts against neither side in every pair.
   */
  pairs: Array<{ check: Sample; pr: Sample }>;
}

/**
 * prMode changes n go.mod files in the working tree (one new requirement each, so rules have
 * something to compare), runs `check --base HEAD` without kept facts, then with an empty cache
 * directory (cold, once), with the pack that run wrote (warm), and with what a full check before
 * the change kept (its pack and findings), and restores the files whatever happens.
 */
function prMode(dir: string, files: string[], runs: number, keptRuns: number, pairRuns: number): PrSamples {
  // The change is made on top of the committed tree: a tree changed by hand before (an experiment
  // left behind) would be measured as a different change, and restored to that state afterwards.
  const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: dir, encoding: 'utf8' }).trim();
  if (dirty !== '') throw new Error(`${dir} differs from its commit (${dirty.split('\n').length} files); restore it first: git -C ${dir} checkout -- .`);
  const changed = leafModules(files, 3);
  const saved = changed.map((f) => [f, readFileSync(path.join(dir, f), 'utf8')] as const);
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'modguard-bench-cache-'));
  const keptDir = mkdtempSync(path.join(tmpdir(), 'modguard-bench-cache-'));
  try {
    // The base's full check, before the change (not measured).
    child('check', dir, [], { MODGUARD_BENCH_CACHE_DIR: keptDir });
    for (const [f, text] of saved) writeFileSync(path.join(dir, f), `${text}\nrequire github.com/bench/pr-change v1.0.0\n`);
    // The first PR run of the bench keeps its compiled code (not measured), as a user's first does.
    child('pr', dir, [], { MODGUARD_BENCH_CACHE_DIR: keptDir });
    const none = median(Array.from({ length: runs }, () => child('pr', dir)));
    const cold = child('pr', dir, [], { MODGUARD_BENCH_CACHE_DIR: cacheDir });
    const warm = median(Array.from({ length: runs }, () => child('pr', dir, [], { MODGUARD_BENCH_CACHE_DIR: cacheDir })));
    const kept = median(Array.from({ length: keptRuns }, () => child('pr', dir, [], { MODGUARD_BENCH_CACHE_DIR: keptDir })));
    const keptNoCode = median(Array.from({ length: runs }, () => child('pr', dir, [], { MODGUARD_BENCH_CACHE_DIR: keptDir, ...NO_KEPT_CODE })));
    const prRun = () => child('pr', dir, [], { MODGUARD_BENCH_CACHE_DIR: keptDir });
    const pairs = Array.from({ length: pairRuns }, (_, i) => {
      if (i % 2 === 0) {
        const check = child('check', dir);
        return { check, pr: prRun() };
      }
      const pr = prRun();
      return { check: child('check', dir), pr };
    });
    return { none, cold, warm, kept, keptNoCode, pairs };
  } finally {
    for (const [f, text] of saved) writeFileSync(path.join(dir, f), text);
    rmSync(cacheDir, { recursive: true, force: true });
    rmSync(keptDir, { recursive: true, force: true });
  }
}

/**
 * shardWithFacts fills an empty cache directory with a full check (as the nightly job does; not
 * measured), then runs shard 1/4 with it.
 */
function shardWithFacts(dir: string, runs: number): Sample {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'modguard-bench-cache-'));
  try {
    child('check', dir, [], { MODGUARD_BENCH_CACHE_DIR: cacheDir });
    return median(Array.from({ length: runs }, () => child('shard', dir, [], { MODGUARD_BENCH_CACHE_DIR: cacheDir })));
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

const ms = (x: number) => `${x.toFixed(0)} ms`;
const share = (s: Sample, of: Sample) => `${((s.wallMs / of.wallMs) * 100).toFixed(1)}% of the full check wall, ${((s.cpuMs / of.cpuMs) * 100).toFixed(1)}% CPU`;
const figure = (s: Sample) => `${ms(s.wallMs)} wall, ${ms(s.cpuMs)} CPU, peak RSS ${s.maxRssMB.toFixed(0)} MB`;

export async function bench(): Promise<BenchSection[]> {
  const sizes = (process.env.MODGUARD_BENCH_SIZES ?? '1000,10000').split(',').map(Number).filter((n) => n > 0);
  // Measure the built code, as the modguard command runs it (and its worker threads load it).
  const root = path.join(here, '..');
  buildCommand(root);
  const sections: BenchSection[] = [];
  const full: Record<number, Sample> = {};
  for (const modules of sizes) {
    const repo = await benchRepo({ modules, seed: 1, git: true });
    const files = inputFiles(repo.dir);
    const runs = modules >= 5000 ? 1 : 3;
    child('floor', repo.dir, files); // warm the page cache
    const floor = median(Array.from({ length: runs }, () => child('floor', repo.dir, files)));
    // The first full check of the bench keeps its compiled code (not measured), as a user's first does.
    if (modules === sizes[0]) child('check', repo.dir);
    // The full check is what the other figures are shares of, and the 10,000/1,000 ratio is of two
    // of them: more runs than the others (5 and 3), so that one slow run moves no target.
    const checkRuns = modules >= 5000 ? 3 : 5;
    const check = median(Array.from({ length: checkRuns }, () => child('check', repo.dir)));
    const checkNoCode = median(Array.from({ length: runs }, () => child('check', repo.dir, [], NO_KEPT_CODE)));
    full[modules] = check;
    // PR mode with what the base's check kept is the figure of the PR target: as many runs as the
    // full check it is a share of.
    // The pairs are the target's figure (a ratio of neighbouring runs, which the host's drift over
    // minutes moves least): 9 at 1,000 modules, so that the median stands on more than two or
    // three runs either side of it.
    const pr = prMode(repo.dir, files, runs, checkRuns, modules >= 5000 ? 2 : 9);
    const ratios = pr.pairs.map((p) => p.pr.wallMs / p.check.wallMs).sort((a, b) => a - b);
    const quartile = (q: number) => ratios[Math.min(ratios.length - 1, Math.floor(q * ratios.length))]!;
    // One decimal: the target is a bound (< 15%), which a whole number would round across.
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const shard = median(Array.from({ length: runs }, () => child('shard', repo.dir)));
    const shardKept = shardWithFacts(repo.dir, runs);
    const withWorkers = modules <= 1000
      ? median(Array.from({ length: runs }, () => child('check', repo.dir, [], { MODGUARD_BENCH_WORKERS: '2' })))
      : undefined;
    // From 10,000 files a worker thread reads beside the main thread by default on 2 cores too.
    const withoutWorkers = modules >= 5000
      ? median(Array.from({ length: runs }, () => child('check', repo.dir, [], { MODGUARD_BENCH_WORKERS: '0' })))
      : undefined;
    const rows: Array<[string, string]> = [
      ['input files', `${files.length} files, ${(floor.out / 1e6).toFixed(0)} MB`],
      ['read every input once (cat-equivalent floor)', figure(floor)],
      ['full check (`check --graph-file graph.txt`)', `${figure(check)}, exit ${check.exitCode}`],
      ['full check / floor', `${(check.wallMs / floor.wallMs).toFixed(1)}× wall, ${(check.cpuMs / floor.cpuMs).toFixed(1)}× CPU`],
      ['full check without the kept compiled code (`MODGUARD_CODE_CACHE=off`)', figure(checkNoCode)],
      ['PR mode, 3 changed go.mod files (`--base HEAD --no-cache`)', `${figure(pr.none)} (${share(pr.none, check)})`],
      ['PR mode, first run with an empty cache (writes the pack)', `${figure(pr.cold)} (${share(pr.cold, check)})`],
      ['PR mode with the kept facts (`--base HEAD`, the pack of the run before)', `${figure(pr.warm)} (${share(pr.warm, check)})`],
      ['PR mode with what a full check of the base kept (its pack and findings: the base is not checked again)', `${figure(pr.kept)} (${share(pr.kept, check)}: medians of runs minutes apart)`],
      ['the same without the kept compiled code (`MODGUARD_CODE_CACHE=off`)', `${figure(pr.keptNoCode)} (${share(pr.keptNoCode, checkNoCode)} of the same)`],
      [`the same, each run next to a full check of the changed tree (${pr.pairs.length} pairs, the check first and last by turns)`,
        `${pr.pairs.map((p) => `${ms(p.pr.wallMs)} / ${ms(p.check.wallMs)}`).join(', ')}: ${ratios.map(pct).join(', ')} (median ${pct(quartile(0.5))}${ratios.length >= 8 ? `, quartiles ${pct(quartile(0.25))} and ${pct(quartile(0.75))}` : ''}; target < 15%)`],
      ['one of 4 shards (`--shard 1/4 --format json --no-cache`)', `${figure(shard)} (${share(shard, check)})`],
      ['one of 4 shards with the facts a full check kept (`--cache-dir`)', `${figure(shardKept)} (${share(shardKept, check)})`],
      ...(withWorkers ? [['full check with 2 worker threads (`--workers 2`)', `${figure(withWorkers)}`] as [string, string]] : []),
      ...(withoutWorkers ? [['full check without worker threads (`--workers 0`)', `${figure(withoutWorkers)}`] as [string, string]] : []),
    ];
    sections.push({
      title: `Scale: ${modules.toLocaleString('en-US')} modules`,
      rows,
      notes: [`Each figure is a fresh child process (bench/scale-child.mjs): median of ${runs} run${runs === 1 ? '' : 's'} (the full check and PR mode with what it kept: of ${checkRuns}); wall and CPU of the work only (process start and module loading excluded; the code compiled with what the earlier runs kept, as the command does, unless said), peak RSS of the whole process. Targets: full check of 1,000 modules < 1 s wall; 10,000 modules ≤ 10× that with peak RSS < 1 GB.`],
    });
  }
  if (full[1000] && full[10000]) {
    sections.push({
      title: 'Scale: linearity',
      rows: [['10,000 / 1,000 modules', `${(full[10000].wallMs / full[1000].wallMs).toFixed(1)}× wall, ${(full[10000].cpuMs / full[1000].cpuMs).toFixed(1)}× CPU (target ≤ 10×)`]],
    });
  }
  return sections;
}
