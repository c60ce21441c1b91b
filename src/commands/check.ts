// `modguard check`: load the repository, run the rules, print the findings in every requested
// format. The work lives in check-run.ts, imported only when the command runs.
import type { Command } from '@commander-js/extra-typings';
import { UsageError, type CommandContext } from './context.ts';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('check')
    .description('check every Go module of the repository against anchor.lock and the rules')
    .option('--root <dir>', 'repository root (default: the git top level, else the current directory)')
    .option('--anchors <file>', 'anchor.lock to use (default: anchor.lock at the root)')
    .option('--config <file>', 'modguard.json to use (default: modguard.json at the root)')
    .option('--graph-file <name>', 'captured `go mod graph` output beside each go.mod, e.g. graph.txt')
    .option('--go', 'run `go mod graph` in each module (cached under .modguard-cache/)')
    .option('--workers <n>', 'worker threads that read go.sum and graph files beside the main thread (default: one per core but one, at most 4, from 4 cores; one on 2 or 3 cores for 10,000 files or more; 0: none)')
    .option('--base <ref>', 'PR mode: check only the modules the change since the merge base with REF affects')
    .option('--no-cache', 'neither use nor keep the facts of unchanged go.mod and go.sum files between runs (PR mode and shards read them; a full check with a cache directory writes them)')
    .option('--cache-dir <dir>', 'where PR mode and shards keep facts (default: $MODGUARD_CACHE_DIR, else $XDG_CACHE_HOME/modguard or ~/.cache/modguard); a full check given it writes them for later runs')
    .option('--new-only', 'with --base: report only findings the change introduced (pre-existing ones are counted, not failed)')
    .option('--baseline <file>', 'a JSON result of an earlier check: its findings are counted as pre-existing, not failed')
    .option('--shard <K/N>', 'check a deterministic K-th of N parts of the modules (merge the JSON results with modguard merge)')
    .option('--format <name[=file]>', 'output format, to stdout or FILE: text, json, sarif, github, junit, markdown (repeatable)', collect)
    .action(async (opts, command) => {
      const debug = Boolean((command.optsWithGlobals() as { debug?: boolean }).debug);
      try {
        const { runCheck } = await import('./check-run.ts');
        ctx.exitCode = await runCheck({ ...opts, debug }, ctx);
      } catch (err) {
        // A UsageError from a lazily imported module may come from another copy of context.ts
        // (as under a test runner); keep it a usage error for the CLI.
        if (err instanceof Error && !(err instanceof UsageError) && err.name === 'UsageError') throw new UsageError(err.message);
        throw err;
      }
    });
}
