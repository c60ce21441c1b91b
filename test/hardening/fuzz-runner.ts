// The fuzz driver shared by the test suite and `npm run fuzz`: inputs are generated in batches from
// (seed, batch number), so any case is reproducible from its index alone; they run in worker
// threads watched for hangs (a case that stops making progress is reported with its input, not
// waited on forever).
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { arbFor, serializeCase, type Content, type RepoCase, type SizeOptions, type Target } from './fuzz-support.ts';

/** BATCH is the number of inputs generated from one batch seed. */
export const BATCH = 50;

export interface FuzzOptions {
  /** Number of inputs. */
  count: number;
  seed: number;
  /** Targets with weights; batches cycle through the expanded list. Default: every target once. */
  schedule?: Target[];
  workers?: number;
  /**
   * A case running longer than this is a hang (default 120 s). A real hang never ends, so the bound
   * only has to be far above the slowest honest case on a loaded machine (a megabyte of `(` in a
   * go.mod takes seconds).
   */
  hangMs?: number;
  size?: SizeOptions;
  /** Render every output format for one repository case in this many (default 1: all). */
  reportersEvery?: number;
  /** Stop starting new inputs after this long (the summary says how many ran). */
  timeLimitMs?: number;
  /** Stop after this many failures (default 1). */
  maxFailures?: number;
  onProgress?: (done: number, failures: number, elapsedMs: number) => void;
  /** Called with each failure as it is found. */
  onFailure?: (failure: FuzzFailure) => void;
  progressEveryMs?: number;
}

export interface FuzzFailure {
  target: Target;
  index: number;
  problems: string[];
  hang: boolean;
  /** The input, as serializeCase writes it. */
  input: string;
}

export interface FuzzSummary {
  inputs: number;
  elapsedMs: number;
  failures: FuzzFailure[];
  byTarget: Partial<Record<Target, number>>;
}

export const DEFAULT_SCHEDULE: Target[] = ['gomod', 'gowork', 'gosum', 'graph', 'anchors', 'config', 'repo'];

/** batchSeed derives the seed of one batch, so batches are independent and reproducible. */
export function batchSeed(seed: number, batch: number): number {
  return (seed ^ Math.imul(batch + 1, 0x9e3779b1)) | 0;
}

/** targetOf tells which target case `index` exercises. */
export function targetOf(schedule: readonly Target[], index: number): Target {
  return schedule[Math.floor(index / BATCH) % schedule.length]!;
}

/** generateBatch returns the inputs of one batch (the same ones in the driver and in every worker). */
export function generateBatch(seed: number, batch: number, schedule: readonly Target[], size: SizeOptions = {}): Array<Content | RepoCase> {
  const target = schedule[batch % schedule.length]!;
  return fc.sample(arbFor(target, size), { seed: batchSeed(seed, batch), numRuns: BATCH });
}

/** caseAt regenerates input `index` (for a hang report or a replay). */
export function caseAt(seed: number, index: number, schedule: readonly Target[], size: SizeOptions = {}): Content | RepoCase {
  return generateBatch(seed, Math.floor(index / BATCH), schedule, size)[index % BATCH]!;
}

interface WorkerMessage {
  type: 'failure' | 'finished';
  index?: number;
  target?: Target;
  problems?: string[];
  input?: string;
}

/**
 * runFuzz runs `count` inputs in worker threads and resolves with a summary. It never rejects for a
 * failing input: failures (with their inputs) are in the summary.
 */
export async function runFuzz(opts: FuzzOptions): Promise<FuzzSummary> {
  const schedule = opts.schedule ?? DEFAULT_SCHEDULE;
  const size = opts.size ?? {};
  const hangMs = opts.hangMs ?? 120_000;
  const maxFailures = opts.maxFailures ?? 1;
  const batches = Math.ceil(opts.count / BATCH);
  const nWorkers = Math.max(1, Math.min(batches, opts.workers ?? availableParallelism()));
  const started = performance.now();
  const failures: FuzzFailure[] = [];
  const fail = (f: FuzzFailure) => { failures.push(f); opts.onFailure?.(f); };
  // Per worker: [index running now (-1 idle), inputs done]; then the stop flag.
  const shared = new Int32Array(new SharedArrayBuffer(8 * nWorkers + 4));
  const STOP = 2 * nWorkers;
  for (let w = 0; w < nWorkers; w++) shared[2 * w] = -1;
  const byTarget: Partial<Record<Target, number>> = {};
  for (let i = 0; i < opts.count; i++) {
    const t = targetOf(schedule, i);
    byTarget[t] = (byTarget[t] ?? 0) + 1;
  }
  const done = () => { let n = 0; for (let w = 0; w < nWorkers; w++) n += Atomics.load(shared, 2 * w + 1); return n; };
  // A worker does not inherit the TypeScript loader in time for its entry module: register it first.
  const bootstrap = `import(${JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href)}).then((m) => { m.register(); return import(${JSON.stringify(new URL('./support/fuzz-worker.ts', import.meta.url).href)}); })`;
  let stop = false;

  const runWorker = (w: number, firstIndex: number): Promise<void> => new Promise((resolve) => {
    const worker = new Worker(bootstrap, {
      eval: true,
      workerData: { stopSlot: STOP, w, nWorkers, firstIndex, count: opts.count, seed: opts.seed, schedule, size, reportersEvery: opts.reportersEvery ?? 1, shared },
    });
    let lastIndex = -1;
    let since = performance.now();
    let settled = false;
    const finish = (next?: number) => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      void worker.terminate();
      if (next !== undefined && !stop) void runWorker(w, next).then(resolve); else resolve();
    };
    const watch = setInterval(() => {
      const now = Atomics.load(shared, 2 * w);
      if (now !== lastIndex) { lastIndex = now; since = performance.now(); return; }
      if (now >= 0 && performance.now() - since > hangMs) {
        const target = targetOf(schedule, now);
        fail({ target, index: now, hang: true, problems: [`no result after ${hangMs} ms: a hang`], input: serializeCase(target, caseAt(opts.seed, now, schedule, size)) });
        if (failures.length >= maxFailures) stop = true;
        Atomics.store(shared, 2 * w, -1);
        finish(now + 1);
      }
    }, 200);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'failure') {
        fail({ target: m.target!, index: m.index!, hang: false, problems: m.problems!, input: m.input! });
        if (failures.length >= maxFailures) { stop = true; finish(); }
      } else if (m.type === 'finished') {
        finish();
      }
    });
    worker.on('error', (err) => {
      const now = Atomics.load(shared, 2 * w);
      const index = now >= 0 ? now : firstIndex;
      const target = targetOf(schedule, index);
      fail({ target, index, hang: false, problems: [`worker died: ${err?.stack ?? String(err)}`], input: serializeCase(target, caseAt(opts.seed, index, schedule, size)) });
      if (failures.length >= maxFailures) stop = true;
      finish(index + 1);
    });
  });

  const limit = opts.timeLimitMs !== undefined ? setTimeout(() => { Atomics.store(shared, STOP, 1); }, opts.timeLimitMs) : undefined;
  const progress = opts.onProgress ? setInterval(() => opts.onProgress!(done(), failures.length, performance.now() - started), opts.progressEveryMs ?? 5000) : undefined;
  await Promise.all(Array.from({ length: nWorkers }, (_, w) => runWorker(w, 0)));
  if (progress) clearInterval(progress);
  if (limit) clearTimeout(limit);
  failures.sort((a, b) => a.index - b.index);
  return { inputs: done(), elapsedMs: performance.now() - started, failures, byTarget };
}
