// The loading options every repository-reading command takes (check, fix, anchors, review, report,
// why), mapped onto the loader's options in one place.
import type { LoadOptions } from '../engine/load.ts';
import type { CommandContext } from './context.ts';

export interface RepositoryOptions {
  root?: string;
  anchors?: string;
  config?: string;
  graphFile?: string;
  go?: boolean;
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
  };
}
