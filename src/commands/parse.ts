// `modguard parse [--lax] FILE...`: one JSON line per file with x/mod's typed parse.
import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from './context.ts';

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('parse')
    .description('print the parse of go.mod / go.work files as JSON lines')
    .option('--lax', 'parse as a dependency go.mod (unknown directives ignored)')
    .argument('<files...>')
    .action(async (files, opts) => {
      const { runParse } = await import('./parse-run.ts');
      ctx.exitCode = await runParse(files, { lax: Boolean(opts.lax) }, ctx);
    });
}
