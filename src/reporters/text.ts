// text: for people in a terminal. Findings grouped by file, columns aligned per file, colour only
// when the caller asks for it (picocolors' own detection turns colour on under CI, even in a pipe).
import pc from 'picocolors';
import type { CheckResult, Severity } from '../engine/types.ts';
import type { ReporterOptions } from './index.ts';
import { groupByFile, showControls, sortFindings, summaryLine } from './common.ts';

export function text(result: CheckResult, options: ReporterOptions): string {
  return [...textChunks(result, options)].join('');
}

/**
 * textChunks is the text report in pieces, one per file and one for the summary, so that a large
 * report (a hundred thousand findings in a repository of ten thousand modules) is written as it is
 * made rather than held whole as one string.
 */
export function* textChunks(result: CheckResult, options: ReporterOptions): Generator<string> {
  const c = pc.createColors(options.color);
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.cyan };
  // Findings share their message strings (thousands of findings say a few hundred things): each is
  // made safe to print once.
  const shown = new Map<string, string>();
  const show = (message: string) => {
    let v = shown.get(message);
    if (v === undefined) shown.set(message, (v = showControls(message)));
    return v;
  };
  for (const [file, findings] of groupByFile(sortFindings(result.findings))) {
    const out: string[] = [];
    out.push(c.underline(showControls(file) || '(repository)'));
    const rows = findings.map((f) => ({ pos: `${f.line}:${f.column}`, sev: f.severity, rule: f.rule, f }));
    // A loop, not Math.max(...spread): one file can carry more findings than a call has arguments.
    let posWidth = 0, sevWidth = 0, ruleWidth = 0;
    for (const r of rows) {
      posWidth = Math.max(posWidth, r.pos.length);
      sevWidth = Math.max(sevWidth, r.sev.length);
      ruleWidth = Math.max(ruleWidth, r.rule.length);
    }
    const indent = ' '.repeat(2 + posWidth + 2 + sevWidth + 2 + ruleWidth + 2);
    for (const r of rows) {
      let message = show(r.f.message);
      if (message.includes('\n') || message.includes('\r')) message = message.replace(/\r?\n/g, `\n${indent}`).replace(/\r/g, '\\r');
      if (r.f.isNew === true) message += ` ${c.green('[new]')}`;
      out.push(`  ${c.dim(r.pos.padEnd(posWidth))}  ${paint[r.sev](r.sev.padEnd(sevWidth))}  ${c.dim(r.rule.padEnd(ruleWidth))}  ${message}`);
    }
    out.push('');
    yield `${out.join('\n')}\n`;
  }
  const out: string[] = [];
  for (const notice of result.notices) out.push(`${c.dim('note:')} ${showControls(notice)}`);
  const line = summaryLine(result.summary);
  out.push(result.summary.errors > 0 ? c.bold(c.red(line)) : result.summary.warnings > 0 ? c.bold(c.yellow(line)) : line);
  yield `${out.join('\n')}\n`;
}
