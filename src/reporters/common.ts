// Helpers every printer shares: one finding order, one summary sentence, one docs link.
import type { CheckSummary, Finding, Severity } from '../engine/types.ts';

/** PROJECT_URL is where modguard lives; rule pages are under docs/rules/ there. */
export const PROJECT_URL = 'https://github.com/modguard/modguard';

/** MODGUARD_VERSION is the package version, named in SARIF output (a test keeps it equal to package.json). */
export const MODGUARD_VERSION = '0.1.0';

/** defaultDocsUrl is the documentation page of a rule (docs/rules/<id>.md). */
export function defaultDocsUrl(ruleId: string): string {
  return `${PROJECT_URL}/blob/main/docs/rules/${encodeURIComponent(ruleId)}.md`;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * compareFindings orders findings by file, position, rule, then the rest, so every printer and a
 * merge of shard results print the same order whatever order the rules reported in.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.rule, b.rule)
    || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || cmp(a.dependency, b.dependency)
    || cmp(a.module, b.module) || cmp(a.message, b.message);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** sortFindings returns a sorted copy. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/** plural phrases a count: `1 error`, `2 errors`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** fewOf names the first `shown` items of a list, and `...` for the rest: `a, b, c, ...`. */
export function fewOf(items: readonly string[], shown = 3): string {
  return items.slice(0, shown).join(', ') + (items.length > shown ? ', ...' : '');
}

/**
 * summaryLine is the closing sentence of a run: `2 errors, 1 warning, 0 infos in 12 modules`, or
 * `no findings in 12 modules`, with suppressed and pre-existing counts when there are any.
 */
export function summaryLine(summary: CheckSummary): string {
  const total = summary.errors + summary.warnings + summary.infos;
  const head = total === 0
    ? 'no findings'
    : `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${plural(summary.infos, 'info')}`;
  const extra: string[] = [];
  if (summary.suppressed > 0) extra.push(`${summary.suppressed} suppressed`);
  if (summary.preexisting) extra.push(`${summary.preexisting} pre-existing`);
  return `${head} in ${plural(summary.modules, 'module')}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

/** groupByFile groups sorted findings by file, keeping the order. */
export function groupByFile(findings: readonly Finding[]): Array<[file: string, findings: Finding[]]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = groups.get(f.file);
    if (list) list.push(f); else groups.set(f.file, [f]);
  }
  return [...groups];
}

/** toPosix turns a Windows-style relative path into the POSIX form every output uses. */
export function toPosix(file: string): string {
  return file.replace(/\\/g, '/');
}

/** formatFindingLine is the one-line form of a finding: `file:line:column: severity rule: message`. */
export function formatFindingLine(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${f.message}`;
}

// Control characters other than tab, LF and CR (C0, DEL, C1 with the 8-bit CSI), lone surrogates
// and the non-characters U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * showControls writes unprintable characters from go.mod contents as a visible `\uXXXX`: in a
 * terminal they could move the cursor or recolour the screen, and XML cannot carry them at all.
 */
export function showControls(s: string): string {
  return s.replace(UNPRINTABLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
