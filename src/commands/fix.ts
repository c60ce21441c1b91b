// `modguard fix`: bring go.mod files to the anchors, changing only the tokens each fix targets.
import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from './context.ts';

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('fix')
    .description('fix go.mod files: anchor-mismatch, anchor-drift, go-version-drift (and replace-directive when named)')
    .option('--rule <id>', 'fix only findings of this rule (repeatable); replace-directive is fixed only when named', collect)
    .option('--module <dir>', 'fix only the module in this directory (repeatable)', collect)
    .option('--dry-run', 'print a unified diff per file and change nothing')
    .option('--tidy', 'run the follow-up go commands (go get / go mod tidy) where go is on PATH')
    .option('--root <dir>', 'repository root (default: the git top level, else the current directory)')
    .option('--anchors <file>', 'anchor.lock to use (default: anchor.lock at the root)')
    .option('--config <file>', 'modguard.json to use (default: modguard.json at the root)')
    .option('--graph-file <name>', 'captured `go mod graph` output beside each go.mod')
    .option('--go', 'run `go mod graph` in each module (cached)')
    .action(async (opts) => {
      const { runFix } = await import('./fix-run.ts');
      ctx.exitCode = await runFix({
        rules: opts.rule ?? [], modules: opts.module ?? [], dryRun: Boolean(opts.dryRun), tidy: Boolean(opts.tidy),
        root: opts.root, anchors: opts.anchors, config: opts.config, graphFile: opts.graphFile, go: Boolean(opts.go),
      }, ctx);
    });
}
