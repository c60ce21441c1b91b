// Where reports go: `--format NAME[=FILE]` (repeatable) picks printers and destinations; the
// `github` format also writes the Markdown summary to $GITHUB_STEP_SUMMARY when the runner sets it.
// Shared by every command that prints a check result.
import { appendFile, open, writeFile } from 'node:fs/promises';
import { makeDirectory, WRITE_BATCH, writeText } from '../io/atomic.ts';
import { batched } from '../util/json-pieces.ts';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
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
      else await writeOut(ctx.stdout, output);
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

/** A stream as writeOut uses it: node's writable streams (stdout), duck-typed. */
interface Drainable {
  write(chunk: string): unknown;
  destroyed?: boolean;
  on?(event: string, listener: () => void): unknown;
  once?(event: string, listener: () => void): unknown;
  off?(event: string, listener: () => void): unknown;
}

/**
 * writeOut writes a report in pieces to stdout, waiting for the stream to drain when it asks to: a
 * pipe to a slower reader (`modguard check --format json | jq`) would otherwise queue the whole
 * report in memory (4.5 GB at 10,000 modules). Once a write fails (the reader stopped reading:
 * EPIPE, which node reports after the write returns, and for stdout without closing the stream)
 * nothing more is made or written.
 */
export async function writeOut(stream: Drainable, chunks: Iterable<string>): Promise<void> {
  let failed = false;
  const fail = () => { failed = true; };
  stream.on?.('error', fail);
  try {
    for (const batch of batched(chunks, WRITE_BATCH)) {
      if (failed || stream.destroyed) return;
      if (stream.write(batch) === false && stream.once && stream.off) await drained(stream as Drainable & Required<Pick<Drainable, 'once' | 'off'>>);
      // A failed write says so in an event: let it arrive before the next piece is made.
      else if (stream.on) await yieldToEvents();
    }
  } finally {
    stream.off?.('error', fail);
  }
}

/** drained settles when the stream drains, closes or fails, whichever comes first. */
function drained(stream: Drainable & Required<Pick<Drainable, 'once' | 'off'>>): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      for (const event of ['drain', 'close', 'error']) stream.off(event, done);
      resolve();
    };
    for (const event of ['drain', 'close', 'error']) stream.once(event, done);
  });
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
