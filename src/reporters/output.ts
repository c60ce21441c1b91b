// Where reports go: `--format NAME[=FILE]` (repeatable) picks printers and destinations; the
// `github` format also writes the Markdown summary to $GITHUB_STEP_SUMMARY when the runner sets it.
// Shared by every command that prints a check result.
import { appendFile, open, writeFile } from 'node:fs/promises';
import { makeDirectory, writeText } from '../io/atomic.ts';
import path from 'node:path';
import type { CommandContext } from '../commands/context.ts';
import { UsageError } from '../commands/context.ts';
import type { CheckResult, RuleMeta } from '../engine/types.ts';
import { FORMAT_NAMES, isFormatName, reporters, type FormatName, type ReporterOptions } from './index.ts';
import { textChunks } from './text.ts';
import { jsonChunks } from './json.ts';
import { SARIF_MAX_RESULTS, sarifOmitted } from './sarif.ts';

export interface FormatSpec {
  format: FormatName;
  /** Output file as given (relative to the working directory); undefined for stdout. */
  file?: string;
}

/** parseFormatSpecs reads the values of `--format NAME[=FILE]`; none means text on stdout. */
export function parseFormatSpecs(values: readonly string[] | undefined): FormatSpec[] {
  if (!values || values.length === 0) return [{ format: 'text' }];
  return values.map((v) => {
    const eq = v.indexOf('=');
    const name = (eq < 0 ? v : v.slice(0, eq)).trim();
    const file = eq < 0 ? undefined : v.slice(eq + 1);
    if (!isFormatName(name)) throw new UsageError(`--format ${v}: unknown format ${JSON.stringify(name)} (one of ${FORMAT_NAMES.join(', ')})`);
    if (file !== undefined && file.trim() === '') throw new UsageError(`--format ${v}: the file name after = is empty`);
    return file === undefined ? { format: name } : { format: name, file };
  });
}

/** useColor decides colour for stdout: a TTY, and neither NO_COLOR nor FORCE_COLOR=0; FORCE_COLOR forces it. */
export function useColor(ctx: Pick<CommandContext, 'env' | 'stdout'>): boolean {
  const force = ctx.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (ctx.env.NO_COLOR !== undefined && ctx.env.NO_COLOR !== '') return false;
  return ctx.stdout.isTTY === true;
}

export interface WriteReportsOptions {
  rules: RuleMeta[];
  docsUrl?: (ruleId: string) => string;
}

/**
 * writeReports prints a result in every requested format: to stdout, or to the named files (their
 * folders created). Files never get colour. With the `github` format and $GITHUB_STEP_SUMMARY set,
 * the Markdown report is appended to the step summary.
 */
export async function writeReports(result: CheckResult, specs: FormatSpec[], ctx: CommandContext, options: WriteReportsOptions): Promise<void> {
  const base: Omit<ReporterOptions, 'color'> = { rules: options.rules, root: result.root, ...(options.docsUrl ? { docsUrl: options.docsUrl } : {}) };
  for (const spec of specs) {
    const reporterOptions = { ...base, color: spec.file === undefined && useColor(ctx) };
    // The text and JSON reports go out in pieces as they are made: a large one is never held whole.
    const output: string | Iterable<string> = spec.format === 'text' ? textChunks(result, reporterOptions)
      : spec.format === 'json' ? jsonChunks(result)
        : reporters[spec.format](result, reporterOptions);
    // Told where it is seen too: a SARIF file is read by code scanning, not by whoever runs the job.
    if (spec.format === 'sarif' && result.findings.length > SARIF_MAX_RESULTS) {
      ctx.stderr.write(`modguard: --format sarif${spec.file === undefined ? '' : `=${spec.file}`}: ${sarifOmitted(result.findings, SARIF_MAX_RESULTS)}\n`);
    }
    if (spec.file === undefined) {
      if (typeof output === 'string') ctx.stdout.write(output);
      else for (const chunk of output) ctx.stdout.write(chunk);
      continue;
    }
    const target = path.resolve(ctx.cwd, spec.file);
    try {
      await makeDirectory(path.dirname(target));
      if (typeof output === 'string') await writeFile(target, output);
      else await writeChunks(target, output);
    } catch (err) {
      throw new UsageError(`--format ${spec.format}=${spec.file}: cannot write ${target}: ${(err as Error).message}`);
    }
  }
  const summaryFile = ctx.env.GITHUB_STEP_SUMMARY;
  if (summaryFile && specs.some((s) => s.format === 'github')) {
    try {
      await appendFile(summaryFile, reporters.markdown(result, { ...base, color: false }));
    } catch (err) {
      ctx.stderr.write(`modguard: cannot append to GITHUB_STEP_SUMMARY (${summaryFile}): ${(err as Error).message}\n`);
    }
  }
}

/** writeChunks writes the pieces of a report to a file, one after the other. */
async function writeChunks(target: string, chunks: Iterable<string>): Promise<void> {
  const file = await open(target, 'w');
  try {
    await writeText(file, chunks);
  } finally {
    await file.close();
  }
}

/** exitCodeFor is 1 when the result has error-severity findings, else 0. */
export function exitCodeFor(result: CheckResult): number {
  return result.summary.errors > 0 || result.findings.some((f) => f.severity === 'error') ? 1 : 0;
}
