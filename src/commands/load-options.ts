// The loading options every repository-reading command takes (check, fix, anchors, review, report,
// why), mapped onto the loader's options in one place.
import type { LoadOptions } from '../engine/load.ts';
import { UsageError, type CommandContext } from './context.ts';

/** parseWorkers reads `--workers N`: a whole number from 0 to 64. */
export function parseWorkers(value: string): number {
  const n = /^\d{1,2}$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isInteger(n) || n > 64) throw new UsageError(`--workers ${value}: want a whole number from 0 (read in the main thread) to 64`);
  return n;
}

export interface RepositoryOptions {
  root?: string;
  anchors?: string;
  config?: string;
  graphFile?: string;
  go?: boolean;
  /** `--workers N`: worker threads reading go.sum and graph files (0: none). */
  workers?: string;
}

/** toLoadOptions maps command-line loading options onto `loadRepository`'s. */
export function toLoadOptions(opts: RepositoryOptions, ctx: Pick<CommandContext, 'cwd' | 'env'>): LoadOptions {
  return {
    cwd: ctx.cwd,
    env: ctx.env,
    ...(opts.root !== undefined ? { root: opts.root } : {}),
    ...(opts.anchors !== undefined ? { anchorsFile: opts.anchors } : {}),
    ...(opts.config !== undefined ? { configFile: opts.config } : {}),
    ...(opts.graphFile !== undefined ? { graphFile: opts.graphFile } : {}),
    ...(opts.go ? { go: true } : {}),
    ...(opts.workers !== undefined ? { workers: parseWorkers(opts.workers) } : {}),
  };
}
