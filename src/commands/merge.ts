// `modguard merge FILE... [--format NAME[=FILE]]...`: combine the JSON results of sharded runs
// (`check --shard K/N --format json=FILE`) into one result, printed in any format. Exit code 1 when
// the merged result has error-severity findings, as `check` would have.
import path from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { UsageError, type CommandContext } from './context.ts';

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('merge')
    .description('merge JSON results of sharded runs (check --shard K/N --format json=FILE) into one result')
    .argument('<files...>', 'JSON results written by check --format json=FILE')
    .option('--format <name[=file]>', 'output format, to stdout or FILE: text, json, sarif, github, junit, markdown (repeatable)', collect, [] as string[])
    .action(async (files, opts) => {
      try {
        ctx.exitCode = await runMerge(files, opts.format, ctx);
      } catch (err) {
        throw sameRealmUsageError(err);
      }
    });
}

/**
 * sameRealmUsageError keeps a UsageError thrown by a lazily imported module a UsageError for the
 * CLI: where a loader gives that module its own copy of context.ts (CommonJS and ESM side by side,
 * as under a test runner), `instanceof` against the CLI's copy would fail and a known user error
 * would print as an internal one.
 */
function sameRealmUsageError(err: unknown): unknown {
  if (err instanceof UsageError || !(err instanceof Error) || err.name !== 'UsageError') return err;
  return new UsageError(err.message);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** runMerge reads, validates and merges the files, prints the reports and returns the exit code. */
export async function runMerge(files: string[], formats: string[], ctx: CommandContext): Promise<number> {
  // Loaded here, not at the top, so other commands do not pay for the reporters and rules.
  const [{ readResultFile, mergeResults, SharedLists }, { describeReadError }, { parseFormatSpecs, writeReports, exitCodeFor }, { rules }] = await Promise.all([
    import('../engine/merge.ts'),
    import('../io/read.ts'),
    import('../reporters/output.ts'),
    import('../../rules/index.ts'),
  ]);
  const specs = parseFormatSpecs(formats);
  const results = [];
  // Lists the findings of all results repeat are made one object as each result is read.
  const shared = new SharedLists();
  for (const file of files) {
    try {
      // A large result is read from its file as it is parsed, never held whole.
      results.push(readResultFile(path.resolve(ctx.cwd, file), file, shared));
    } catch (err) {
      // What the file holds is judged by the reader (a UsageError); anything else is the file system's.
      if ((err as Error)?.name === 'UsageError') throw err;
      throw new UsageError(`${file}: cannot read: ${describeReadError(err)}`);
    }
  }
  const merged = mergeResults(results, files);
  await writeReports(merged, specs, ctx, { rules: rules.map((r) => r.meta) });
  return exitCodeFor(merged);
}
