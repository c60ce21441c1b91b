// markdown: for `$GITHUB_STEP_SUMMARY` and pull-request comments. A table of counts by rule and
// severity, then the findings grouped by file. Long lists are cut (GitHub caps a step summary at
// 1 MiB and a comment at 65,536 characters); SARIF and JSON carry the full list.
import type { CheckResult, Finding, Severity } from '../engine/types.ts';
import type { ReporterOptions } from './index.ts';
import { defaultDocsUrl, groupByFile, plural, showControls, sortFindings, summaryLine } from './common.ts';

/** MARKDOWN_MAX_FINDINGS is how many findings the Markdown report lists before cutting. */
export const MARKDOWN_MAX_FINDINGS = 300;

const SEVERITIES: Severity[] = ['error', 'warning', 'info'];

export function markdown(result: CheckResult, options: ReporterOptions): string {
  const docsUrl = options.docsUrl ?? defaultDocsUrl;
  const findings = sortFindings(result.findings);
  const out: string[] = ['## modguard', '', `**${summaryLine(result.summary)}**`, ''];
  if (findings.length > 0) {
    const counts = new Map<string, Record<Severity, number>>();
    for (const f of findings) {
      const c = counts.get(f.rule) ?? { error: 0, warning: 0, info: 0 };
      c[f.severity]++;
      counts.set(f.rule, c);
    }
    out.push('| rule | errors | warnings | infos |', '| --- | ---: | ---: | ---: |');
    for (const rule of [...counts.keys()].sort()) {
      const c = counts.get(rule)!;
      out.push(`| [\`${rule}\`](${docsUrl(rule)}) | ${SEVERITIES.map((s) => c[s]).join(' | ')} |`);
    }
    out.push(`| **total** | ${result.summary.errors} | ${result.summary.warnings} | ${result.summary.infos} |`, '');
    const shown = findings.slice(0, MARKDOWN_MAX_FINDINGS);
    const showNew = shown.some((f) => f.isNew !== undefined);
    for (const [file, list] of groupByFile(shown)) {
      out.push(`### ${cell(file || '(repository)')}`, '');
      out.push(showNew ? '| line | severity | rule | new | message |' : '| line | severity | rule | message |');
      out.push(showNew ? '| ---: | --- | --- | --- | --- |' : '| ---: | --- | --- | --- |');
      for (const f of list) out.push(row(f, showNew));
      out.push('');
    }
    if (findings.length > shown.length) {
      out.push(`… and ${plural(findings.length - shown.length, 'more finding')} (the JSON output lists them all).`, '');
    }
  }
  if (result.notices.length > 0) {
    for (const n of result.notices) out.push(`> ${cell(n)}`);
    out.push('');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function row(f: Finding, showNew: boolean): string {
  const cells = [`${f.line}:${f.column}`, f.severity, f.rule];
  if (showNew) cells.push(f.isNew ? 'new' : '');
  cells.push(f.message);
  return `| ${cells.map(cell).join(' | ')} |`;
}

/**
 * cell makes text safe inside a Markdown table cell: `|` would end the cell, a backtick could open
 * a code span that swallows the rest of the row, `<` could start HTML, and a newline ends the row.
 */
export function cell(s: string): string {
  return showControls(s)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n|\r/g, '<br>');
}
