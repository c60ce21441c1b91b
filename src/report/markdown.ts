// report.md: a summary short enough for a chat message or an issue comment.
import type { Snapshot, SnapshotFinding } from './snapshot.ts';
import type { SnapshotDelta } from './delta.ts';
import { suggestActions } from './actions.ts';
import { dayOf, groupFindings, type FindingGroup } from './delta.ts';

export interface MarkdownOptions {
  /** How many new / resolved findings to list before "and N more". */
  listLimit?: number;
  /** How many actions to list. */
  actionLimit?: number;
}

/** mdText escapes text from module paths and messages so it cannot turn into Markdown or HTML. */
export function mdText(s: string): string {
  return s.replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** mdCode puts text in a code span, choosing a fence longer than any backtick run inside it. */
export function mdCode(s: string): string {
  const text = s.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '±0';
}

function groupLine(g: FindingGroup): string {
  const first = g.findings[0]!;
  if (g.findings.length === 1) return `- ${g.severity} ${mdCode(g.rule)} ${mdCode(`${first.file}:${first.line}`)}: ${mdText(first.message)}`;
  const files = g.findings.slice(0, 3).map((f) => mdCode(`${f.file}:${f.line}`)).join(', ') + (g.findings.length > 3 ? ', …' : '');
  return `- ${g.severity} ${mdCode(g.rule)}${g.dependency ? ` ${mdText(g.dependency)}` : ''} × ${g.findings.length} (${files}): ${mdText(first.message)}`;
}

function findingList(title: string, list: SnapshotFinding[], limit: number): string[] {
  if (list.length === 0) return [];
  const groups = groupFindings(list);
  const out = [`### ${title} (${list.length})`, ''];
  for (const g of groups.slice(0, limit)) out.push(groupLine(g));
  if (groups.length > limit) {
    const rest = groups.slice(limit).reduce((n, g) => n + g.findings.length, 0);
    out.push(`- … and ${rest} more`);
  }
  out.push('');
  return out;
}

/** renderMarkdown writes the summary: headline, what changed since the previous snapshot, next steps. */
export function renderMarkdown(current: Snapshot, delta: SnapshotDelta, options: MarkdownOptions = {}): string {
  const limit = options.listLimit ?? 5;
  const h = current.headline;
  const out: string[] = [];
  out.push(`## modguard drift report, ${dayOf(current.date)}${current.commit ? ` (${mdCode(current.commit.slice(0, 12))})` : ''}`, '');
  out.push(`**${plural(h.modules, 'module')}** · **${plural(h.findings, 'finding')}** `
    + `(${plural(h.errors, 'error')}, ${plural(h.warnings, 'warning')}, ${h.infos} info) · `
    + `**${h.anchorsConverged}/${h.anchors} anchors converged** · ${plural(h.modulesOffPin, 'module')} off pin`, '');

  if (delta.previous) {
    const n = delta.newFindings.length;
    const r = delta.resolvedFindings.length;
    out.push(`Since ${dayOf(delta.previous.date)}: **${n} new**, **${r} resolved** `
      + `(findings ${signed(delta.change.findings)}, errors ${signed(delta.change.errors)}, `
      + `anchors converged ${signed(delta.change.anchorsConverged)}).`, '');
    out.push(...findingList('New', delta.newFindings, limit));
    out.push(...findingList('Resolved', delta.resolvedFindings, limit));
  } else {
    out.push('First snapshot: no earlier one to compare with.', '');
  }

  const actions = suggestActions(current).slice(0, options.actionLimit ?? 5);
  out.push('### Top actions', '');
  if (actions.length === 0) out.push('Nothing to do: every anchor is converged and no finding is open.');
  actions.forEach((a, i) => out.push(`${i + 1}. ${mdText(a.text)}`));
  out.push('');
  return out.join('\n');
}
