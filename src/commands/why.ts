// `modguard why <module>[@version]`: the shortest requirement chains from the repository's modules
// to a dependency, like `go mod why -m` across the whole monorepo. The work lives in why-run.ts.
import type { Command } from '@commander-js/extra-typings';
import { UsageError, type CommandContext } from './context.ts';

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('why')
    .description('show the shortest requirement chains from each module (or one) to a dependency, like `go mod why -m`')
    .argument('<module>', 'module path, optionally with @version')
    .option('--in <dir>', 'only the module in this directory')
    .option('--root <dir>', 'repository root (default: the git top level, else the current directory)')
    .option('--graph-file <name>', 'captured `go mod graph` output beside each go.mod, e.g. graph.txt')
    .option('--go', 'run `go mod graph` in each module (cached under .modguard-cache/)')
    .option('--json', 'print JSON')
    .action(async (target, opts) => {
      try {
        const { runWhy } = await import('./why-run.ts');
        ctx.exitCode = await runWhy(target, opts, ctx);
      } catch (err) {
        // Keep a UsageError from the lazily imported module a usage error for the CLI.
        if (err instanceof Error && !(err instanceof UsageError) && err.name === 'UsageError') throw new UsageError(err.message);
        throw err;
      }
    });
}
