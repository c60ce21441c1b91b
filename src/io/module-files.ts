// Reading the go.sum and graph files of a repository: nearly all of a monorepo's bytes (37 MB of
// go.sum and 115 MB of `go mod graph` output for 1,000 modules). They are read one at a time and
// parsed at once, never all in memory as text together, and on a machine with more than one core by
// worker threads while the main thread reads and parses go.mod. A worker sends a graph as typed
// arrays and a go.sum as (key, hash, line, column) ids, moved rather than copied, and
// the node keys, go.sum keys and hashes it meets once; the main thread maps those into its own
// graph nodes and go.sum table.
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { GoSum, GraphNode, ModGraph, ParseError } from '../engine/types.ts';
import { MAX_FILE_BYTES, readOne, realRoot } from './read.ts';
import { parseModGraph, parseModGraphBytes, parseNodeKey } from '../graph/parse.ts';
import { compactGoSum, parseGoSumBytes, SumTable, SUM_STRIDE } from '../gosum/parse.ts';

/** GraphRead is the outcome for one graph file: a graph, an error, or neither (no such file). */
export interface GraphRead {
  graph?: ModGraph;
  error?: ParseError;
}

/**
 * SumRead is the outcome for one go.sum: its parse (into the caller's table), an error, or neither.
 * The text is not kept: a monorepo's go.sum texts are tens of megabytes per thousand modules, and
 * what the rules need of them is in the parse.
 */
export interface SumRead {
  sum?: GoSum;
  error?: ParseError;
}

export interface ModuleFilesRead {
  sums: Map<string, SumRead>;
  graphs: Map<string, GraphRead>;
}

export interface ModuleFilesOptions {
  /** go.sum files to read (paths relative to the root, POSIX), parsed into `sumTable`. */
  sums?: readonly string[];
  /** Graph files to read. */
  graphs?: readonly string[];
  /** The table go.sum entries are interned in (required with `sums`). */
  sumTable?: SumTable;
  /**
   * Worker threads to use: 0 reads in this thread; undefined picks one per core, when there are
   * enough files for a worker's start-up to pay.
   */
  workers?: number;
  maxBytes?: number;
  /** Called when the worker threads fail and the files are read in this thread instead. */
  onWorkerError?: (err: unknown) => void;
  /**
   * Read the go.sum files for the keys already in `sumTable` below this id only (CompactOptions
   * keysBelow). The table is this thread's, so no workers are used.
   */
  sumKeysBelow?: number;
}

/** @internal The task of one worker. */
export interface ModuleFilesTask {
  rootReal: string;
  sums: string[];
  graphs: string[];
  maxBytes: number;
  /** Files per message. */
  batch: number;
}

/** @internal One graph as a worker sends it. */
export interface WorkerGraph {
  file: string;
  error?: ParseError;
  nodeIds?: Uint32Array;
  edges?: Uint16Array | Uint32Array;
  edgeLines?: Uint32Array;
  errors?: ParseError[];
  main?: number;
}

/** @internal One go.sum as a worker sends it: ids into the keys and hashes the worker has sent. */
export interface WorkerSum {
  file: string;
  error?: ParseError;
  data?: Uint32Array;
  errors?: ParseError[];
  warnings?: ParseError[];
}

/** @internal A message from a worker: what it met first since its last message, then files. */
export interface WorkerMessage {
  keys: string[];
  sumKeys: string[];
  sumPaths: string[];
  sumVersions: string[];
  sumGoMod: boolean[];
  sumHashes: string[];
  sumWellFormed: boolean[];
  graphs: WorkerGraph[];
  sums: WorkerSum[];
  done: boolean;
}

/** Below this many files a worker's start-up costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 48;

/**
 * MIN_CORES_FOR_WORKERS: on 2 cores, workers measured no faster than the main thread alone for a
 * repository of a thousand modules (reading these files is bound by memory bandwidth: two threads
 * read 157 MB in the time one does, and each worker warms its own JIT), and they cost CPU and
 * memory; see BENCHMARKS.md. Below it, workers are used for many files only (MANY_FILES).
 */
export const MIN_CORES_FOR_WORKERS = 4;

/**
 * MANY_FILES: from this many files, a worker pays on 2 cores too. Measured on 2 cores (full check,
 * one worker against none): 1,000 modules (2,000 go.sum and graph files) 12% slower; 3,000 modules
 * (6,000 files) the same; 10,000 modules (20,000 files) 17% quicker. A worker's fixed costs (its
 * start, its own JIT warming) are spread over more files, and the main thread's share of a large
 * repository (its rules, its collections of a larger heap) grows with it.
 */
export const MANY_FILES = 10_000;

/** defaultWorkers is the number of workers used when none is asked for. */
export function defaultWorkers(files: number, cores = availableParallelism()): number {
  if (files < MIN_FILES_FOR_WORKERS || cores < 2) return 0;
  // On 2 or 3 cores, the one worker measured.
  if (cores < MIN_CORES_FOR_WORKERS) return files >= MANY_FILES ? 1 : 0;
  return Math.min(4, cores - 1);
}

/**
 * readModuleFiles reads and parses the given go.sum and graph files. It never throws for a file:
 * one that cannot be read gets an error, a missing one neither value nor error. When worker
 * threads cannot be started, the files are read in this thread.
 */
export async function readModuleFiles(root: string, opts: ModuleFilesOptions): Promise<ModuleFilesRead> {
  const rootReal = realRoot(root);
  const maxBytes = opts.maxBytes ?? MAX_FILE_BYTES;
  const sums = opts.sums ?? [];
  const graphs = opts.graphs ?? [];
  const table = opts.sumTable ?? new SumTable();
  const count = sums.length + graphs.length;
  const workers = opts.sumKeysBelow !== undefined ? 0 : Math.min(opts.workers ?? defaultWorkers(count), count);
  if (workers >= 1) {
    try {
      return await readInWorkers(rootReal, sums, graphs, table, maxBytes, workers);
    } catch (err) {
      // Worker threads unavailable (or one failed): read here instead.
      opts.onWorkerError?.(err);
    }
  }
  return readHere(rootReal, sums, graphs, table, maxBytes, opts.sumKeysBelow);
}

/** readGraphs reads graph files only (see readModuleFiles). */
export async function readGraphs(root: string, files: readonly string[], opts: Omit<ModuleFilesOptions, 'sums' | 'graphs' | 'sumTable'> = {}): Promise<Map<string, GraphRead>> {
  return (await readModuleFiles(root, { ...opts, graphs: files })).graphs;
}

/**
 * FEW_GRAPHS: up to this many graph files, readHere reads them as text. The byte reader matches
 * lines against keys met in earlier files, code that pays once it has run over many files; the
 * text reader searches each line with the string functions, quicker for a first few files
 * (measured cold, 3 graphs of 1,500 lines: about half the time of the first file).
 */
export const FEW_GRAPHS = 8;

async function readHere(
  rootReal: string, sumFiles: readonly string[], graphFiles: readonly string[], table: SumTable, maxBytes: number, keysBelow?: number,
): Promise<ModuleFilesRead> {
  const only = keysBelow !== undefined ? { keysBelow } : {};
  const sums = new Map<string, SumRead>();
  const graphs = new Map<string, GraphRead>();
  let n = 0;
  const turn = async () => {
    if (++n % 64 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  };
  for (const file of sumFiles) {
    // Parsed at once and not kept: the bytes may share one buffer.
    const read = readOne(rootReal, { file, optional: true, bytes: true, scratch: true }, { maxBytes });
    if (read.error) sums.set(file, { error: read.error });
    else if (read.bytes) sums.set(file, { sum: parseGoSumBytes(read.bytes, file, table, only) });
    else sums.set(file, {});
    await turn();
  }
  for (const file of graphFiles) {
    const read = readOne(rootReal, { file, optional: true, bytes: true, scratch: true }, { maxBytes });
    if (read.error) graphs.set(file, { error: read.error });
    else if (read.bytes) {
      // Graphs from workers come without a key index, so these do too. A few graphs (PR mode's)
      // are read as text: the byte reader pays off once its code has run over many files.
      const graph = graphFiles.length <= FEW_GRAPHS
        ? parseModGraph(Buffer.from(read.bytes.buffer, read.bytes.byteOffset, read.bytes.byteLength).toString('utf8'), file, { index: false })
        : parseModGraphBytes(read.bytes, file, { index: false });
      graphs.set(file, { graph });
    } else graphs.set(file, {});
    await turn();
  }
  return { sums, graphs };
}

function workerUrl(): URL {
  // Built code runs module-files-worker.js beside this file; the sources run the .ts file.
  return new URL(import.meta.url.endsWith('.ts') ? './module-files-worker.ts' : './module-files-worker.js', import.meta.url);
}

/**
 * startWorker starts a worker. Built code runs module-files-worker.js; run from the TypeScript
 * sources (development, tests) the worker first registers the same TypeScript loader.
 */
function startWorker(task: ModuleFilesTask): Worker {
  const url = workerUrl();
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: task });
  // The ESM entry of tsx's loader API (`tsx/esm/api` under the import condition).
  const tsx = path.dirname(createRequire(url).resolve('tsx/package.json'));
  const api = pathToFileURL(path.join(tsx, 'dist/esm/api/index.mjs')).href;
  const boot = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(url.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: task });
}

/** share deals files out to `count` lists, in turn: neighbouring directories are often alike in size. */
function share(files: readonly string[], count: number): string[][] {
  const out: string[][] = Array.from({ length: count }, () => []);
  files.forEach((f, i) => out[i % count]!.push(f));
  return out;
}

function readInWorkers(
  rootReal: string, sumFiles: readonly string[], graphFiles: readonly string[], table: SumTable, maxBytes: number, count: number,
): Promise<ModuleFilesRead> {
  const sumShares = share(sumFiles, count);
  const graphShares = share(graphFiles, count);
  const sums = new Map<string, SumRead>();
  const graphs = new Map<string, GraphRead>();
  const nodeCache = new Map<string, GraphNode>();
  const toNode = (key: string): GraphNode => {
    let node = nodeCache.get(key);
    if (node === undefined) nodeCache.set(key, (node = parseNodeKey(key)));
    return node;
  };
  return new Promise((resolve, reject) => {
    let running = count;
    const started: Worker[] = [];
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      for (const w of started) void w.terminate();
      reject(err);
    };
    const finish = () => {
      // Keep the callers' order of files.
      const orderedSums = new Map<string, SumRead>();
      for (const f of sumFiles) orderedSums.set(f, sums.get(f) ?? {});
      const orderedGraphs = new Map<string, GraphRead>();
      for (const f of graphFiles) orderedGraphs.set(f, graphs.get(f) ?? {});
      resolve({ sums: orderedSums, graphs: orderedGraphs });
    };
    for (let w = 0; w < count; w++) {
      const task: ModuleFilesTask = { rootReal, sums: sumShares[w]!, graphs: graphShares[w]!, maxBytes, batch: 16 };
      let worker: Worker;
      try {
        worker = startWorker(task);
      } catch (err) {
        fail(err);
        return;
      }
      started.push(worker);
      // This worker's ids mapped to ours.
      const nodes: GraphNode[] = [];
      const keyIds: number[] = [];
      const hashIds: number[] = [];
      let finished = false;
      worker.on('message', (m: WorkerMessage) => {
        if (failed) return;
        for (const key of m.keys) nodes.push(toNode(key));
        for (let i = 0; i < m.sumKeys.length; i++) keyIds.push(table.addKey(m.sumKeys[i]!, m.sumPaths[i]!, m.sumVersions[i]!, m.sumGoMod[i]!));
        for (let i = 0; i < m.sumHashes.length; i++) {
          const id = table.addHash(m.sumHashes[i]!, m.sumWellFormed[i]!);
          if (m.sumWellFormed[i]) table.wellFormed[id] = true;
          hashIds.push(id);
        }
        for (const s of m.sums) {
          if (s.error) sums.set(s.file, { error: s.error });
          else if (!s.data) sums.set(s.file, {});
          else {
            const d = s.data;
            for (let i = 0; i < d.length; i += SUM_STRIDE) {
              d[i] = keyIds[d[i]!]!;
              d[i + 1] = hashIds[d[i + 1]!]!;
            }
            sums.set(s.file, { sum: compactGoSum(s.file, { table, data: d }, s.errors ?? [], s.warnings ?? []) });
          }
        }
        for (const g of m.graphs) {
          if (g.error) graphs.set(g.file, { error: g.error });
          else if (!g.nodeIds) graphs.set(g.file, {});
          else {
            const graphNodes = new Array<GraphNode>(g.nodeIds.length);
            for (let i = 0; i < g.nodeIds.length; i++) graphNodes[i] = nodes[g.nodeIds[i]!]!;
            graphs.set(g.file, { graph: { file: g.file, nodes: graphNodes, edges: g.edges!, ...(g.edgeLines ? { edgeLines: g.edgeLines } : {}), errors: g.errors ?? [], main: g.main ?? -1 } });
          }
        }
        if (m.done && !finished) {
          finished = true;
          if (--running === 0) finish();
        }
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!finished) fail(new Error(`module files worker exited with code ${code} before finishing`));
      });
    }
  });
}
