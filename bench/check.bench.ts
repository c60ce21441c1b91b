// The 1,000-module benchmark monorepo (bench/generate.ts, seed 1): the physical floor (reading every
// input file once), the go.sum and graph parsers over all of it, one graph of a million edges, and
// the full `check` (load + rules) with and without graphs. The monorepo is generated once and kept
// under bench/out/.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchSection } from './run.ts';
import { generateMonorepo, type GenerateOptions } from './generate.ts';
import { parseGoSum } from '../src/gosum/parse.ts';
import { parseModGraph, createModGraphParser } from '../src/graph/parse.ts';
import { selectVersions } from '../src/graph/select.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const BENCH_OPTIONS: GenerateOptions = { modules: 1000, seed: 1, git: true };
/** GENERATOR_STAMP changes whenever the generator's output changes, so a stale cache is rebuilt. */
const GENERATOR_STAMP = 'v1';

/** benchRepo returns the generated monorepo's directory, generating it when absent or stale. */
export async function benchRepo(opts: GenerateOptions = BENCH_OPTIONS): Promise<{ dir: string; generatedMs?: number; bytes: number; files: number }> {
  const dir = path.join(here, 'out', `monorepo-${opts.modules}-s${opts.seed ?? 1}`);
  const stampFile = path.join(dir, '.bench-stamp.json');
  const stamp = JSON.stringify({ GENERATOR_STAMP, opts });
  if (existsSync(stampFile)) {
    const saved = JSON.parse(readFileSync(stampFile, 'utf8')) as { stamp: string; bytes: number; files: number };
    if (saved.stamp === stamp) return { dir, bytes: saved.bytes, files: saved.files };
  }
  rmSync(dir, { recursive: true, force: true });
  const t0 = performance.now();
  const r = await generateMonorepo(dir, opts);
  const generatedMs = performance.now() - t0;
  writeFileSync(stampFile, JSON.stringify({ stamp, bytes: r.bytes, files: r.files }));
  settleWrites();
  return { dir, generatedMs, bytes: r.bytes, files: r.files };
}

/**
 * settleWrites has the kernel write what generation left in memory before anything is measured: a
 * repository of 10,000 modules is some 2 GB with its git objects, and the kernel writes such an
 * amount back some 30 seconds later, in the middle of the next figures (a full check measured
 * 9.3 s right after generation, 5.3 s once the disk was quiet). Where `sync` cannot run (Windows),
 * nothing is waited for.
 */
function settleWrites(): void {
  if (process.platform === 'win32') return;
  try {
    execFileSync('sync', [], { stdio: 'ignore' });
  } catch {
    // Measured as before.
  }
}

function listFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out);
    else out.push(p);
  }
  return out;
}

/** lastCpu is the median CPU time (user + system, all threads) of the last `timed` call, in ms. */
let lastCpu = 0;

/**
 * timed returns the median wall time of n runs of fn, in milliseconds. The CPU time is kept too:
 * on a shared machine it is the steadier figure.
 */
async function timed(n: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  lastCpu = cpu[Math.floor(cpu.length / 2)]!;
  return times[Math.floor(times.length / 2)]!;
}

async function readAll(files: string[], concurrency = 64): Promise<number> {
  let bytes = 0;
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < files.length) {
      const data = await readFile(files[next++]!);
      bytes += data.length;
    }
  }));
  return bytes;
}

const ms = (x: number) => `${x.toFixed(0)} ms`;
const cpuNote = () => ` [CPU ${lastCpu.toFixed(0)} ms]`;
const mbs = (bytes: number, t: number) => `${(bytes / 1e6 / (t / 1000)).toFixed(0)} MB/s`;

/**
 * millionEdgeGraph builds `go mod graph` text of a million edges over 20,000 module versions, each
 * node's edges together as the go command prints them.
 */
function millionEdgeGraph(): string {
  const parts: string[] = [];
  const node = (i: number) => `github.com/org${i % 97}/module-${i}@v1.${i % 40}.${i % 7}`;
  for (let i = 0; i < 200; i++) parts.push(`corp.example.com/mono/services/main ${node(i)}`);
  for (let from = 0; parts.length < 1_000_000; from = (from + 1) % 20_000) {
    for (let k = 0; k < 50 && parts.length < 1_000_000; k++) parts.push(`${node(from)} ${node((from * 7919 + k * 131) % 20_000)}`);
  }
  return parts.join('\n') + '\n';
}

export async function bench(): Promise<BenchSection[]> {
  const repo = await benchRepo();
  const all = listFiles(repo.dir);
  const inputs = all.filter((f) => /(?:^|[\\/])(?:go\.mod|go\.sum|graph\.txt|anchor\.lock|go\.work)$/.test(f));
  const graphs = inputs.filter((f) => f.endsWith('graph.txt'));
  const sums = inputs.filter((f) => f.endsWith('go.sum'));

  // The floor: every input read once (warm page cache, parallel reads as the loader does).
  await readAll(inputs);
  let inputBytes = 0;
  const floorMs = await timed(5, async () => { inputBytes = await readAll(inputs); });
  const floorNoGraphs = await timed(5, () => readAll(inputs.filter((f) => !f.endsWith('graph.txt'))));

  const graphTexts = graphs.map((f) => readFileSync(f, 'utf8'));
  const graphBytes = graphTexts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  let edges = 0;
  const graphMs = await timed(3, () => {
    edges = 0;
    for (let i = 0; i < graphTexts.length; i++) edges += parseModGraph(graphTexts[i]!, graphs[i]!).edges.length / 2;
  });
  const graphCpu = cpuNote();
  const parsedGraphs = graphTexts.map((t, i) => parseModGraph(t, graphs[i]!));
  const selectMs = await timed(3, () => { for (const g of parsedGraphs) selectVersions(g); });
  const selectCpu = cpuNote();
  const sumTexts = sums.map((f) => readFileSync(f, 'utf8'));
  const sumBytes = sumTexts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  let sumLines = 0;
  const sumMs = await timed(3, () => {
    sumLines = 0;
    for (let i = 0; i < sumTexts.length; i++) sumLines += parseGoSum(sumTexts[i]!, sums[i]!).entries.length;
  });
  const sumCpu = cpuNote();

  // One graph of a million edges, whole and streamed in 64 KiB chunks.
  const big = millionEdgeGraph();
  const bigBytes = Buffer.byteLength(big);
  let bigGraph = parseModGraph(big, 'big.txt');
  const bigMs = await timed(3, () => { bigGraph = parseModGraph(big, 'big.txt'); });
  const bigCpu = cpuNote();
  const streamMs = await timed(3, () => {
    const p = createModGraphParser('big.txt');
    for (let i = 0; i < big.length; i += 65536) p.push(big.slice(i, i + 65536));
    bigGraph = p.end();
  });
  const streamCpu = cpuNote();
  const edgeStore = (bigGraph.edges as Uint32Array).byteLength + ((bigGraph.edgeLines as Uint32Array | undefined)?.byteLength ?? 0);

  const sections: BenchSection[] = [{
    title: `Benchmark monorepo: ${BENCH_OPTIONS.modules} modules (bench/generate.ts, seed ${BENCH_OPTIONS.seed})`,
    rows: [
      ['input files (go.mod, go.sum, graph.txt, anchor.lock)', `${inputs.length} files, ${(inputBytes / 1e6).toFixed(1)} MB`],
      ...(repo.generatedMs !== undefined ? [['generation (once, cached in bench/out/)', ms(repo.generatedMs)] as [string, string]] : []),
      ['read every input once (floor)', `${ms(floorMs)} (${mbs(inputBytes, floorMs)})`],
      ['read every input but graphs once', ms(floorNoGraphs)],
      ['go.sum parse, all modules', `${ms(sumMs)}: ${sumLines} entries, ${(sumBytes / 1e6).toFixed(1)} MB, ${mbs(sumBytes, sumMs)}${sumCpu}`],
      ['graph parse, all modules', `${ms(graphMs)}: ${edges} edges (${(edges / graphs.length).toFixed(0)}/module), ${(graphBytes / 1e6).toFixed(1)} MB, ${mbs(graphBytes, graphMs)}${graphCpu}`],
      ['minimal version selection, all modules (full build lists)', ms(selectMs) + selectCpu],
      [`graph parse, one graph of ${(bigGraph.edges.length / 2 / 1e6).toFixed(2)}M edges (${(bigBytes / 1e6).toFixed(0)} MB)`, `${ms(bigMs)} (${mbs(bigBytes, bigMs)})${bigCpu}`],
      ['same, streamed in 64 KiB chunks', `${ms(streamMs)} (${mbs(bigBytes, streamMs)}), ${bigGraph.nodes.length} nodes${streamCpu}`],
      ['1M-edge graph: edge storage (typed arrays, edges + lines)', `${(edgeStore / 1e6).toFixed(0)} MB for ${bigGraph.nodes.length} interned nodes`],
    ],
    notes: ['Single thread, warm page cache; wall times are medians of 3-5 runs; [CPU] is user+system time of all threads (GC included), steadier than wall time on a busy machine.'],
  }];

  // The full check: only when the loader and the engine are there.
  const loadPath = path.join(here, '..', 'src', 'engine', 'load.ts');
  const runPath = path.join(here, '..', 'src', 'engine', 'run.ts');
  if (existsSync(loadPath) && existsSync(runPath)) {
    const { loadRepository } = await import(pathToFileURL(loadPath).href) as typeof import('../src/engine/load.ts');
    const { check } = await import(pathToFileURL(runPath).href) as typeof import('../src/engine/run.ts');
    const rows: Array<[string, string]> = [];
    for (const graphFile of [undefined, 'graph.txt']) {
      let findings = 0;
      let loadMs = 0;
      let checkMs = 0;
      const total = await timed(3, async () => {
        const t0 = performance.now();
        const r = await loadRepository({ root: repo.dir, cwd: repo.dir, env: { PATH: process.env.PATH ?? '' }, ...(graphFile ? { graphFile } : {}) });
        const t1 = performance.now();
        findings = check(r).findings.length;
        loadMs = t1 - t0;
        checkMs = performance.now() - t1;
      });
      const label = graphFile ? 'with graphs (--graph-file graph.txt)' : 'without graphs';
      const floor = graphFile ? floorMs : floorNoGraphs;
      rows.push([`full check ${label}`, `${ms(total)} (load ${ms(loadMs)}, rules ${ms(checkMs)}), ${findings} findings, ${(total / floor).toFixed(1)}× the read floor${cpuNote()}`]);
    }
    sections.push({ title: `Full check of the ${BENCH_OPTIONS.modules}-module monorepo (in process)`, rows, notes: ['Median of 3; load includes discovery (git ls-files), reading and parsing.'] });
  } else {
    sections.push({ title: 'Full check', rows: [['full check', 'not measured: src/engine/load.ts or run.ts missing']] });
  }
  return sections;
}
