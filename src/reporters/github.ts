// github: GitHub Actions workflow commands, one annotation per finding, escaped the way the actions
// toolkit escapes them (a message with `%`, a newline or, in properties, `:` or `,` would otherwise
// be cut or misread by the runner).
import type { CheckResult, Finding, Severity } from '../engine/types.ts';
import type { ReporterOptions } from './index.ts';
import { sortFindings, summaryLine } from './common.ts';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export function github(result: CheckResult, _options: ReporterOptions): string {
  const out = sortFindings(result.findings).map(annotation);
  for (const notice of result.notices) out.push(`::notice title=modguard::${escapeData(notice)}`);
  out.push(summaryLine(result.summary));
  return `${out.join('\n')}\n`;
}

function annotation(f: Finding): string {
  const props: string[] = [];
  if (f.file) {
    props.push(`file=${escapeProperty(f.file)}`);
    if (f.line > 0) props.push(`line=${f.line}`);
    if (f.line > 0 && f.column > 0) props.push(`col=${f.column}`);
  }
  props.push(`title=${escapeProperty(`modguard ${f.rule}`)}`);
  return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(f.message)}`;
}

/** escapeData escapes a workflow command's message. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** escapeProperty escapes a workflow command property value. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
