// The check command's work: load, check, report, exit code. Separate from check.ts so that
// `modguard --help` and other commands never load the rules, the parsers or the reporters.
import type { CommandContext } from './context.ts';
import { loadRepository, type LoadOptions } from '../engine/load.ts';
import { check, INTERNAL_ERROR } from '../engine/run.ts';
import { parseFormatSpecs, writeReports, exitCodeFor } from '../reporters/output.ts';
import { rules } from '../../rules/index.ts';
import type { CheckResult } from '../engine/types.ts';

export interface CheckCommandOptions {
  root?: string;
  anchors?: string;
  config?: string;
  graphFile?: string;
  go?: boolean;
  format?: string[];
  debug?: boolean;
}

/** progressWriter draws `go mod graph  12/340` on one stderr line, only for a terminal. */
function progressWriter(ctx: CommandContext): ((done: number, total: number) => void) | undefined {
  if (ctx.stderr.isTTY !== true) return undefined;
  return (done, total) => {
    const width = 24;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    ctx.stderr.write(`\r\x1b[2Kgo mod graph [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    if (done >= total) ctx.stderr.write('\r\x1b[2K');
  };
}

/** loadOptionsFrom maps the command's options onto the loader's. */
export function loadOptionsFrom(opts: CheckCommandOptions, ctx: CommandContext): LoadOptions {
  const progress = opts.go ? progressWriter(ctx) : undefined;
  return {
    cwd: ctx.cwd,
    env: ctx.env,
    ...(opts.root !== undefined ? { root: opts.root } : {}),
    ...(opts.anchors !== undefined ? { anchorsFile: opts.anchors } : {}),
    ...(opts.config !== undefined ? { configFile: opts.config } : {}),
    ...(opts.graphFile !== undefined ? { graphFile: opts.graphFile } : {}),
    ...(opts.go ? { go: true } : {}),
    ...(progress ? { onGoProgress: progress } : {}),
  };
}

/** checkExitCode is 2 when a rule failed internally (the result cannot be trusted), else 1 with errors, else 0. */
export function checkExitCode(result: CheckResult): number {
  if (result.findings.some((f) => f.messageId === INTERNAL_ERROR && f.data.internal === true)) return 2;
  return exitCodeFor(result);
}

/** runCheck runs `modguard check` and returns the exit code. */
export async function runCheck(opts: CheckCommandOptions, ctx: CommandContext): Promise<number> {
  // Formats are checked before the (possibly long) load, so a typo fails at once.
  const specs = parseFormatSpecs(opts.format);
  const started = performance.now();
  const repo = await loadRepository(loadOptionsFrom(opts, ctx));
  const loaded = performance.now();
  const result = check(repo, {
    onRuleError: (id, err) => {
      if (opts.debug) ctx.stderr.write(`modguard: rule ${id} failed:\n${(err as Error)?.stack ?? String(err)}\n`);
    },
  });
  const checked = performance.now();
  await writeReports(result, specs, ctx, { rules: rules.map((r) => r.meta) });
  if (opts.debug) {
    ctx.stderr.write(`modguard: ${repo.modules.length} modules; load ${(loaded - started).toFixed(0)} ms, check ${(checked - loaded).toFixed(0)} ms\n`);
  }
  return checkExitCode(result);
}
