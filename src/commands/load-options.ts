// The loading options every repository-reading command takes (check, fix, anchors, review, report,
// why), mapped onto the loader's options in one place.
import path from 'node:path';
import type { LoadOptions } from '../engine/load.ts';
import { UsageError, type CommandContext } from './context.ts';

/**
 * parseGraphFile reads `--graph-file`: the file beside each go.mod that holds its `go mod graph`
 * output, a name or a path below the module's directory, written with / (or \\ on Windows). It
 * is kept in one form (`./graph.txt` is `graph.txt`), as every file modguard names is: PR mode and
 * the drift history compare it with git's paths. A path that leaves the module's directory, or
 * none at all, names no file of the module.
 */
export function parseGraphFile(value: string): string {
  const normal = path.posix.normalize(path.sep === '\\' ? value.replace(/\\/g, '/') : value);
  if (value.trim() === '' || normal === '.' || normal === '..' || normal.startsWith('../') || normal.startsWith('/') || normal.endsWith('/') || /^[A-Za-z]:/.test(normal) || normal.includes('\0')) {
    throw new UsageError(`--graph-file ${JSON.stringify(value)}: name the file beside each go.mod that holds its \`go mod graph\` output (graph.txt, or a path below the module's directory such as deps/graph.txt)`);
  }
  return normal;
}

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
    ...(opts.graphFile !== undefined ? { graphFile: parseGraphFile(opts.graphFile) } : {}),
    ...(opts.go ? { go: true } : {}),
    ...(opts.workers !== undefined ? { workers: parseWorkers(opts.workers) } : {}),
  };
}
