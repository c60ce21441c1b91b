// `modguard review`: the interactive review of findings in a terminal. The screen and Ink live in
// review-run.ts and src/tui/, imported only when the command runs.
import type { Command } from '@commander-js/extra-typings';
import { UsageError, type CommandContext } from './context.ts';

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('review')
    .description('triage findings interactively in the terminal (fix, ignore, open in $EDITOR)')
    .option('--root <dir>', 'repository root (default: the git top level, else the current directory)')
    .option('--anchors <file>', 'anchor.lock to use (default: anchor.lock at the root)')
    .option('--config <file>', 'modguard.json to use (default: modguard.json at the root)')
    .option('--graph-file <name>', 'captured `go mod graph` output beside each go.mod, e.g. graph.txt')
    .option('--go', 'run `go mod graph` in each module (cached under .modguard-cache/)')
    .option('--base <ref>', 'PR mode: review the modules a change since REF affects, new findings marked')
    .action(async (opts) => {
      try {
        const { runReview } = await import('./review-run.ts');
        ctx.exitCode = await runReview(opts, ctx);
      } catch (err) {
        // A UsageError from a lazily imported module may come from another copy of context.ts.
        if (err instanceof Error && !(err instanceof UsageError) && err.name === 'UsageError') throw new UsageError(err.message);
        throw err;
      }
    });
}
