// One fuzz worker: runs the batches assigned to it (every nWorkers-th batch) and reports failing
// inputs. The driver watches `shared` for progress to tell a hang.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { BATCH, generateBatch, targetOf } from '../fuzz-runner.ts';
import { parserProblems, repoProblems, serializeCase, type Content, type RepoCase, type SizeOptions, type Target } from '../fuzz-support.ts';

interface Data {
  stopSlot: number; w: number; nWorkers: number; firstIndex: number; count: number; seed: number;
  schedule: Target[]; size: SizeOptions; reportersEvery: number; shared: Int32Array;
}

// Loaded as a plain module (e.g. by a test runner given the whole folder), there is nothing to do.
if (!isMainThread && workerData) run(workerData as Data);

function run(d: Data): void {
  const batches = Math.ceil(d.count / BATCH);
  const firstBatch = Math.floor(d.firstIndex / BATCH);
  let repoCases = 0;
  outer: for (let b = d.w; b < batches; b += d.nWorkers) {
    if (b < firstBatch) continue;
    if (Atomics.load(d.shared, d.stopSlot) !== 0) break;
    const values = generateBatch(d.seed, b, d.schedule, d.size);
    for (let k = 0; k < BATCH; k++) {
      const index = b * BATCH + k;
      if (index >= d.count) break;
      if (index < d.firstIndex) continue;
      if (Atomics.load(d.shared, d.stopSlot) !== 0) break outer;
      const target = targetOf(d.schedule, index);
      const value = values[k]!;
      Atomics.store(d.shared, 2 * d.w, index);
      let problems: string[];
      try {
        problems = target === 'repo'
          ? repoProblems(value as RepoCase, { reporters: repoCases++ % d.reportersEvery === 0 }).problems
          : parserProblems(target, value as Content);
      } catch (err) {
        problems = [`the invariant check itself threw: ${String((err as Error)?.stack ?? err)}`];
      }
      Atomics.add(d.shared, 2 * d.w + 1, 1);
      if (problems.length > 0) parentPort!.postMessage({ type: 'failure', index, target, problems, input: serializeCase(target, value) });
    }
  }
  Atomics.store(d.shared, 2 * d.w, -1);
  parentPort!.postMessage({ type: 'finished' });
}
