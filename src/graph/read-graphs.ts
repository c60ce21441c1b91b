// Reading the graph files of a repository: most of a monorepo's bytes (115 MB of `go mod graph`
// output for 1,000 modules), so they are read one at a time and parsed at once (never all in
// memory together), and on a machine with more than one core by worker threads, while the main
// thread reads and parses go.mod and go.sum. A graph comes back from a worker as typed arrays
// (moved, not copied) and node indexes into keys the worker sends once.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { realpath } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { GraphNode, ModGraph, ParseError } from '../engine/types.ts';
import { MAX_FILE_BYTES, readOne } from '../io/read.ts';
import { parseModGraphBytes, parseNodeKey } from './parse.ts';

/** GraphRead is the outcome for one graph file: a graph, an error, or neither (no such file). */
export interface GraphRead {
  graph?: ModGraph;
  error?: ParseError;
}

export interface ReadGraphsOptions {
  /**
   * Worker threads to use: 0 or 1 reads in this thread; undefined picks one per core beyond the
   * first (the main thread has go.mod and go.sum to read meanwhile), when there are enough files.
   */
  workers?: number;
  maxBytes?: number;
  /** Called when the worker threads fail and the files are read in this thread instead. */
  onWorkerError?: (err: unknown) => void;
}

/** @internal The task of one worker. */
export interface GraphTask {
  rootReal: string;
  files: string[];
  maxBytes: number;
  /** Graphs per message. */
  batch: number;
}

/** @internal One graph as a worker sends it. */
export interface WorkerGraph {
  file: string;
  error?: ParseError;
  nodeIds?: Uint32Array;
  edges?: Uint32Array;
  edgeLines?: Uint32Array;
  errors?: ParseError[];
  main?: number;
}

/** @internal A message from a worker: the node keys first seen since its last message, then graphs. */
export interface WorkerMessage {
  keys: string[];
  graphs: WorkerGraph[];
  done: boolean;
}

/** Below this many files a worker's start-up costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 48;

/** defaultWorkers is the number of graph workers used when none is asked for. */
export function defaultWorkers(files: number): number {
  if (files < MIN_FILES_FOR_WORKERS) return 0;
  return Math.max(0, Math.min(4, availableParallelism() - 1)) || (availableParallelism() > 1 ? 1 : 0);
}

/**
 * readGraphs reads and parses the given graph files (paths relative to root, POSIX). It never
 * throws for a file: one that cannot be read gets an error, a missing one neither graph nor error.
 * When worker threads cannot be started, the files are read in this thread.
 */
export async function readGraphs(root: string, files: readonly string[], opts: ReadGraphsOptions = {}): Promise<Map<string, GraphRead>> {
  const rootReal = await realpath(root);
  const maxBytes = opts.maxBytes ?? MAX_FILE_BYTES;
  const workers = Math.min(opts.workers ?? defaultWorkers(files.length), files.length);
  if (workers >= 1) {
    try {
      return await readInWorkers(rootReal, files, maxBytes, workers);
    } catch (err) {
      // Worker threads unavailable (or one failed): read here instead.
      opts.onWorkerError?.(err);
    }
  }
  return readHere(rootReal, files, maxBytes);
}

async function readHere(rootReal: string, files: readonly string[], maxBytes: number): Promise<Map<string, GraphRead>> {
  const out = new Map<string, GraphRead>();
  for (let i = 0; i < files.length; i++) {
    if (i > 0 && i % 64 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const file = files[i]!;
    const read = readOne(rootReal, { file, optional: true, bytes: true }, { maxBytes });
    if (read.error) out.set(file, { error: read.error });
    else if (read.bytes) {
      const graph = parseModGraphBytes(read.bytes, file);
      // The key index is the parser's own; graphs from workers come without one, so these do too.
      delete graph.index;
      out.set(file, { graph });
    }
    else out.set(file, {});
  }
  return out;
}

function workerUrl(): URL {
  // Built code runs graph-worker.js beside this file; the sources run graph-worker.ts.
  return new URL(import.meta.url.endsWith('.ts') ? './graph-worker.ts' : './graph-worker.js', import.meta.url);
}

/**
 * startWorker starts a graph worker. Built code runs graph-worker.js; run from the TypeScript
 * sources (development, tests) the worker first registers the same TypeScript loader.
 */
function startWorker(task: GraphTask): Worker {
  const url = workerUrl();
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: task });
  // The ESM entry of tsx's loader API (`tsx/esm/api` under the import condition).
  const tsx = path.dirname(createRequire(url).resolve('tsx/package.json'));
  const api = pathToFileURL(path.join(tsx, 'dist/esm/api/index.mjs')).href;
  const boot = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(url.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: task });
}

function readInWorkers(rootReal: string, files: readonly string[], maxBytes: number, count: number): Promise<Map<string, GraphRead>> {
  // Interleaved shares: neighbouring directories are often alike in size.
  const shares: string[][] = Array.from({ length: count }, () => []);
  files.forEach((f, i) => shares[i % count]!.push(f));
  const results = new Map<string, GraphRead>();
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
    for (const share of shares) {
      const task: GraphTask = { rootReal, files: share, maxBytes, batch: 16 };
      let worker: Worker;
      try {
        worker = startWorker(task);
      } catch (err) {
        fail(err);
        return;
      }
      started.push(worker);
      const nodes: GraphNode[] = [];
      let finished = false;
      worker.on('message', (m: WorkerMessage) => {
        for (const key of m.keys) nodes.push(toNode(key));
        for (const g of m.graphs) {
          if (g.error) results.set(g.file, { error: g.error });
          else if (!g.nodeIds) results.set(g.file, {});
          else {
            const graphNodes = new Array<GraphNode>(g.nodeIds.length);
            for (let i = 0; i < g.nodeIds.length; i++) graphNodes[i] = nodes[g.nodeIds[i]!]!;
            results.set(g.file, { graph: { file: g.file, nodes: graphNodes, edges: g.edges!, edgeLines: g.edgeLines!, errors: g.errors ?? [], main: g.main ?? -1 } });
          }
        }
        if (m.done && !finished) {
          finished = true;
          if (--running === 0 && !failed) {
            // Keep the callers' order of files.
            const ordered = new Map<string, GraphRead>();
            for (const f of files) ordered.set(f, results.get(f) ?? {});
            resolve(ordered);
          }
        }
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!finished) fail(new Error(`graph worker exited with code ${code} before finishing`));
      });
    }
  });
}
