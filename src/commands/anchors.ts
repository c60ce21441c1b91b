// `modguard anchors ...`: create, sync, edit and validate anchor.lock.
import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from './context.ts';

export function register(program: Command, ctx: CommandContext): void {
  const anchors = program
    .command('anchors')
    .description('manage anchor.lock, the versions every module must use');

  const where = <T extends Command<any, any, any>>(cmd: T): T => cmd
    .option('--root <dir>', 'repository root (default: the git top level, else the current directory)')
    .option('--anchors <file>', 'anchor.lock to use (default: anchor.lock at the root)') as T;

  where(anchors
    .command('init')
    .description('propose an anchor.lock from the versions the repository uses')
    .option('--min-modules <n>', 'anchor dependencies used by at least N modules', '2')
    .option('--strategy <name>', 'most-used (the version most modules use) or highest', 'most-used')
    .option('--dry-run', 'print the file instead of writing it')
    .option('--force', 'replace an existing anchor.lock')
    .option('--config <file>', 'modguard.json to use (default: modguard.json at the root)')
    .option('--graph-file <name>', 'captured `go mod graph` output beside each go.mod (count selected versions)')
    .option('--go', 'run `go mod graph` in each module (cached)'))
    .action(async (opts) => {
      const { runAnchorsInit } = await import('./anchors-run.ts');
      ctx.exitCode = await runAnchorsInit(opts as Parameters<typeof runAnchorsInit>[0], ctx);
    });

  where(anchors
    .command('sync')
    .description('copy the requirements marked `// anchor` in the root go.mod into anchor.lock (with a graph: their dependency trees too)')
    .option('--dry-run', 'print the diff instead of writing')
    .option('--config <file>', 'modguard.json to use (default: modguard.json at the root)')
    .option('--graph-file <name>', 'captured `go mod graph` output beside each go.mod')
    .option('--go', 'run `go mod graph` in the root module (cached)'))
    .action(async (opts) => {
      const { runAnchorsSync } = await import('./anchors-run.ts');
      ctx.exitCode = await runAnchorsSync(opts as Parameters<typeof runAnchorsSync>[0], ctx);
    });

  where(anchors
    .command('set')
    .description('add or move a pin, keeping comments and layout')
    .argument('<module@version>')
    .option('--reason <text>', 'end-of-line comment for the pin'))
    .action(async (spec, opts) => {
      const { runAnchorsSet } = await import('./anchors-run.ts');
      ctx.exitCode = await runAnchorsSet(spec, opts as Parameters<typeof runAnchorsSet>[1], ctx);
    });

  where(anchors
    .command('rm')
    .description('remove a pin')
    .argument('<module>'))
    .action(async (path, opts) => {
      const { runAnchorsRm } = await import('./anchors-run.ts');
      ctx.exitCode = await runAnchorsRm(path, opts as Parameters<typeof runAnchorsRm>[1], ctx);
    });

  where(anchors
    .command('check')
    .description('validate anchor.lock: versions, major suffixes, duplicates, replace targets, root go.mod anchors'))
    .action(async (opts) => {
      const { runAnchorsCheck } = await import('./anchors-run.ts');
      ctx.exitCode = await runAnchorsCheck(opts as Parameters<typeof runAnchorsCheck>[0], ctx);
    });
}
