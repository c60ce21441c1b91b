// The review command's work: refuse without a terminal, then load, check and show the review
// screen. Ink is imported only past the terminal check, so nothing else pays for it.
import type { CommandContext } from './context.ts';
import type { LoadProgress } from '../tui/types.ts';

export interface ReviewOptions {
  root?: string;
  anchors?: string;
  config?: string;
  graphFile?: string;
  go?: boolean;
  /** PR mode: compare with this git ref. */
  base?: string;
}

/** ReviewContext is a CommandContext that may carry the terminal's streams (the process's own otherwise). */
export type ReviewContext = CommandContext & {
  stdin?: NodeJS.ReadStream;
  isRawModeSupported?: boolean;
};

export const NOT_A_TERMINAL = 'modguard review needs an interactive terminal (stdin and stdout must be TTYs); run `modguard check` for non-interactive output\n';

/** isInteractive tells whether the review can take the terminal: raw mode needs a TTY on stdin, drawing one on stdout. */
export function isInteractive(ctx: ReviewContext): boolean {
  const raw = ctx.isRawModeSupported ?? (ctx.stdin ? ctx.stdin.isTTY === true : ctx.stdinIsTTY);
  return raw === true && ctx.stdout.isTTY === true;
}

/**
 * runReview shows the interactive review and returns the exit code: 0 when the person quits, 2
 * without a terminal (with a message saying to use `modguard check`).
 */
export async function runReview(opts: ReviewOptions, ctx: ReviewContext): Promise<number> {
  if (!isInteractive(ctx)) {
    ctx.stderr.write(NOT_A_TERMINAL);
    return 2;
  }
  // React's development build times every component render (performance marks, extra checks):
  // several times the cost per frame. `ctx.env` is the process environment in the CLI, which React
  // reads when it is first imported, just below.
  if (ctx.env.NODE_ENV === undefined) ctx.env.NODE_ENV = 'production';
  const [{ loadRepository }, { check }, { loadOptionsFrom }, { createRepositoryServices }, { runReviewScreen }] = await Promise.all([
    import('../engine/load.ts'), import('../engine/run.ts'), import('./check-run.ts'),
    import('../tui/repo-services.ts'), import('../tui/mount.ts'),
  ]);
  const baseOptions = loadOptionsFrom(opts, ctx);
  const loadAndCheck = async (onProgress: (p: LoadProgress) => void) => {
    onProgress({ phase: 'reading go.mod, go.sum and anchor.lock' });
    const repo = await loadRepository({
      ...baseOptions,
      onGoProgress: (done: number, total: number) => onProgress({ phase: 'running go mod graph', graphsRead: done, modulesTotal: total }),
    });
    onProgress({ phase: `checking ${repo.modules.length} modules`, modulesParsed: repo.modules.length });
    if (opts.base !== undefined) {
      const { findPrChanges, checkPullRequest } = await import('../engine/pr-run.ts');
      const prOpts = {
        baseRef: opts.base, anchorsFile: repo.sources?.anchorsFile ?? 'anchor.lock', newOnly: false, env: ctx.env,
        ...(repo.sources?.configFile ? { configFile: repo.sources.configFile } : {}),
        ...(repo.sources?.graphFile ? { graphFile: repo.sources.graphFile } : {}),
      };
      const outcome = await checkPullRequest(repo, await findPrChanges(repo.root, prOpts), prOpts);
      if (outcome.kind === 'unchanged') {
        const empty = check({ ...repo, focus: new Set() });
        return { repo, result: { ...empty, findings: [], notices: [outcome.message] } };
      }
      return { repo, result: outcome.result };
    }
    return { repo, result: check(repo) };
  };
  let root: string | undefined;
  let loadError: unknown;
  const services = createRepositoryServices(async (onProgress) => {
    try {
      const loaded = await loadAndCheck(onProgress);
      root = loaded.repo.root;
      return loaded;
    } catch (err) {
      loadError ??= err;
      throw err;
    }
  });
  const outcome = await runReviewScreen({
    services, env: ctx.env, root: () => root ?? ctx.cwd,
    ...(ctx.stdin ? { stdin: ctx.stdin } : {}),
    ...(isWriteStream(ctx.stdout) ? { stdout: ctx.stdout } : {}),
    ...(isWriteStream(ctx.stderr) ? { stderr: ctx.stderr } : {}),
  });
  // A failed first load closes the screen; the error is then reported like any other command's.
  if (outcome === 'failed' && loadError !== undefined) throw loadError;
  return 0;
}

function isWriteStream(s: unknown): s is NodeJS.WriteStream {
  return typeof s === 'object' && s !== null && typeof (s as NodeJS.WriteStream).on === 'function' && (s as NodeJS.WriteStream).isTTY === true;
}
