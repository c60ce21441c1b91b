// `modguard modules`: the in-repository module graph — which sibling modules each module depends on
// and which depend on it (through requirements, directory replaces and go.work), and cycles.
import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from './context.ts';

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('modules')
    .description('list the modules of the repository with the sibling modules they depend on and that depend on them')
    .option('--root <dir>', 'repository root (default: the git top level, else the current directory)')
    .option('--dependents <dir>', 'only the modules that depend on DIR (or module path), transitively: what a change to it affects')
    .option('--json', 'print JSON instead of text')
    .action(async (opts) => {
      const { runModules } = await import('./modules-run.ts');
      ctx.exitCode = await runModules(opts, ctx);
    });
}
