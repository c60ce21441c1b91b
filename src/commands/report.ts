// `modguard report --out DIR`: the nightly drift report (report.json, report.html, report.md).
import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from './context.ts';

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('report')
    .description('write the drift report: report.json (snapshot), report.html (page) and report.md (summary)')
    .requiredOption('--out <dir>', 'folder to write report.json, report.html and report.md into')
    .option('--history <dir>', 'folder of earlier snapshots (report-YYYY-MM-DD.json.gz); today\'s is added')
    .option('--since <spec>', 'build the history from git: 30d, a date (YYYY-MM-DD) or a ref')
    .option('--every <n>', 'with --since: one point every N commits instead of one per day')
    .option('--root <dir>', 'repository root (default: the git top level, else the current directory)')
    .option('--anchors <file>', 'anchor.lock to use (default: anchor.lock at the root)')
    .option('--config <file>', 'modguard.json to use (default: modguard.json at the root)')
    .option('--graph-file <name>', 'captured `go mod graph` output beside each go.mod')
    .option('--go', 'run `go mod graph` in each module (cached)')
    .option('--title <text>', 'a name for the repository in the page title')
    .action(async (opts) => {
      const { runReport } = await import('./report-run.ts');
      ctx.exitCode = await runReport(opts, ctx);
    });
}
