// The findings list: grouping, filtering, collapsed groups, cursor and scrolling. Pure, so the whole
// behaviour is tested without a terminal. Groups are made again only when the data or the view
// changes (grouping, filter, severity), rows are laid out again when a group folds; moving the
// cursor is constant time, which keeps a hundred thousand findings responsive.
import type { Finding, Severity } from '../../engine/types.ts';

export type GroupBy = 'rule' | 'module' | 'dependency';
export const GROUP_BY_ORDER: readonly GroupBy[] = ['rule', 'module', 'dependency'];

/** Minimum severity shown, in the order `s` cycles through them. */
export const SEVERITY_CYCLE: readonly Severity[] = ['info', 'warning', 'error'];

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function severityRank(s: Severity): number {
  return RANK[s] ?? 2;
}

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
}

export interface GroupRow {
  kind: 'group';
  key: string;
  label: string;
  /** Findings of the group that pass the filter and the severity. */
  findings: Finding[];
  counts: SeverityCounts;
  worst: Severity;
  collapsed: boolean;
}

export interface FindingRow {
  kind: 'finding';
  key: string;
  finding: Finding;
  /** Key of the group row above it. */
  group: string;
}

export type Row = GroupRow | FindingRow;

/**
 * A group of the findings that pass the filter and the severity, with its finding rows: made when
 * the findings, grouping, filter or severity change, and kept while groups are folded and unfolded
 * (which only lays the rows out again).
 */
export interface Group {
  key: string;
  label: string;
  findings: Finding[];
  counts: SeverityCounts;
  worst: Severity;
  rows: FindingRow[];
}

export interface ListState {
  /** Every finding, sorted (severity, file, line); the filter never drops them from here. */
  findings: readonly Finding[];
  groupBy: GroupBy;
  /** Words that must all occur in the rule, module, dependency or file (case-insensitive). */
  filter: string;
  minSeverity: Severity;
  /** Keys of collapsed groups (they include the grouping, so each grouping remembers its own). */
  collapsed: ReadonlySet<string>;
  /** The groups the rows are laid out from, worst first. */
  groups: readonly Group[];
  rows: readonly Row[];
  /** Findings that pass the filter and the severity. */
  shown: number;
  cursor: number;
  /** Index of the first row in the viewport. */
  top: number;
  /** Rows the viewport holds. */
  height: number;
}

export type ListAction =
  | { type: 'set-findings'; findings: readonly Finding[] }
  | { type: 'remove-findings'; keys: readonly string[] }
  | { type: 'cycle-group' }
  | { type: 'set-group'; groupBy: GroupBy }
  | { type: 'set-filter'; filter: string }
  | { type: 'cycle-severity' }
  | { type: 'toggle-group' }
  | { type: 'collapse' }
  | { type: 'expand' }
  | { type: 'move'; delta: number }
  | { type: 'page'; direction: 1 | -1 }
  | { type: 'first' }
  | { type: 'last' }
  | { type: 'resize'; height: number };

const keys = new WeakMap<Finding, string>();

/** findingKey identifies a finding within one run (the list keeps the selection on it across rebuilds). */
export function findingKey(f: Finding): string {
  let k = keys.get(f);
  if (k === undefined) {
    k = `${f.rule}\u0000${f.file}\u0000${f.line}\u0000${f.column}\u0000${f.dependency}\u0000${f.messageId}`;
    keys.set(f, k);
  }
  return k;
}

const NO_VALUE = '(none)';

export function groupLabel(f: Finding, groupBy: GroupBy): string {
  switch (groupBy) {
    case 'rule': return f.rule;
    case 'module': return f.module || f.file || NO_VALUE;
    default: return f.dependency || NO_VALUE;
  }
}

function groupKey(groupBy: GroupBy, label: string): string {
  return `${groupBy}:${label}`;
}

const haystacks = new WeakMap<Finding, string>();

function haystack(f: Finding): string {
  let h = haystacks.get(f);
  if (h === undefined) {
    h = `${f.rule}\n${f.module}\n${f.dependency}\n${f.file}`.toLowerCase();
    haystacks.set(f, h);
  }
  return h;
}

function compareFindings(a: Finding, b: Finding): number {
  return severityRank(a.severity) - severityRank(b.severity)
    || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)
    || a.line - b.line
    || a.column - b.column
    || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/**
 * The row of a finding under each grouping: its group depends only on the finding and the
 * grouping, so one object serves every rebuild (a list of 140,000 findings made them anew on each
 * key).
 */
const rowsByGrouping: Record<GroupBy, WeakMap<Finding, FindingRow>> = { rule: new WeakMap(), module: new WeakMap(), dependency: new WeakMap() };

function rowOf(f: Finding, groupBy: GroupBy, group: string): FindingRow {
  const rows = rowsByGrouping[groupBy];
  let row = rows.get(f);
  if (row === undefined) rows.set(f, (row = { kind: 'finding', key: findingKey(f), finding: f, group }));
  return row;
}

/** filterWords are the lower-case words of a filter; a finding passes when it holds every one. */
function filterWords(filter: string): string[] {
  return filter.toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * groupFindings groups the findings that pass the filter and severity; groups with errors come
 * first. `findings` are in list order (sortFindings); so is `within`, when given: the groups of an
 * earlier call of the same grouping and severity whose filter every finding passing this one
 * passes too (a filter typed further), whose findings are then all that is looked at.
 */
export function groupFindings(
  findings: readonly Finding[], groupBy: GroupBy, filter: string, minSeverity: Severity, within?: readonly Group[],
): { groups: Group[]; shown: number } {
  const maxRank = severityRank(minSeverity);
  const words = filterWords(filter);
  const byLabel = new Map<string, Finding[]>();
  let shown = 0;
  const take = (f: Finding) => {
    if (severityRank(f.severity) > maxRank) return;
    if (words.length > 0) {
      const h = haystack(f);
      for (const w of words) if (!h.includes(w)) return;
    }
    shown++;
    const label = groupLabel(f, groupBy);
    let list = byLabel.get(label);
    if (!list) byLabel.set(label, (list = []));
    list.push(f);
  };
  // A group's findings keep list order, and a finding's group is the same as in the earlier groups.
  if (within) for (const g of within) for (const f of g.findings) take(f);
  else for (const f of findings) take(f);
  const groups: Group[] = [];
  for (const [label, list] of byLabel) {
    const counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
    for (const f of list) counts[f.severity]++;
    const worst: Severity = counts.error > 0 ? 'error' : counts.warning > 0 ? 'warning' : 'info';
    const key = groupKey(groupBy, label);
    const rows = list.map((f) => rowOf(f, groupBy, key));
    groups.push({ key, label, findings: list, counts, worst, rows });
  }
  groups.sort((a, b) => severityRank(a.worst) - severityRank(b.worst) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return { groups, shown };
}

/**
 * narrows tells whether every finding that passes filter `next` passes `previous` too: each word of
 * `previous` is then part of a word of `next` (it was typed further).
 */
export function narrows(previous: string, next: string): boolean {
  const before = previous.toLowerCase();
  return before.trim() !== '' && next.toLowerCase().startsWith(before);
}

/** layOut is the rows of the groups: each group's row, then its findings' rows unless it is collapsed. */
export function layOut(groups: readonly Group[], collapsed: ReadonlySet<string>): Row[] {
  const rows: Row[] = [];
  for (const g of groups) {
    const folded = collapsed.has(g.key);
    rows.push({ kind: 'group', key: g.key, label: g.label, findings: g.findings, counts: g.counts, worst: g.worst, collapsed: folded });
    if (!folded) for (const r of g.rows) rows.push(r);
  }
  return rows;
}

/** buildRows groups the findings that pass the filter and severity and lays them out (groupFindings, then layOut). */
export function buildRows(
  findings: readonly Finding[], groupBy: GroupBy, filter: string, minSeverity: Severity, collapsed: ReadonlySet<string>,
): { rows: Row[]; shown: number } {
  const { groups, shown } = groupFindings(findings, groupBy, filter, minSeverity);
  return { rows: layOut(groups, collapsed), shown };
}

export function createListState(findings: readonly Finding[] = [], height = 10): ListState {
  const sorted = sortFindings(findings);
  const base: ListState = {
    findings: sorted, groupBy: 'rule', filter: '', minSeverity: 'info', collapsed: new Set(),
    groups: [], rows: [], shown: 0, cursor: 0, top: 0, height: Math.max(1, height),
  };
  return rebuild(base, undefined);
}

/** scrollTo keeps the cursor inside the viewport, moving the viewport as little as possible. */
function scrollTo(state: ListState, cursor: number): ListState {
  const last = state.rows.length - 1;
  const c = Math.max(0, Math.min(cursor, last));
  let top = state.top;
  if (c < top) top = c;
  if (c >= top + state.height) top = c - state.height + 1;
  top = Math.max(0, Math.min(top, Math.max(0, state.rows.length - state.height)));
  if (c === state.cursor && top === state.top) return state;
  return { ...state, cursor: c, top };
}

/**
 * rebuild recomputes the rows (the groups too, unless only folding changed) and puts the cursor
 * back on the row it was on (by key), else on the group of the finding it was on, else at the same
 * position.
 */
function rebuild(state: ListState, keep: Row | undefined, regroup = true, within?: readonly Group[]): ListState {
  const { groups, shown } = regroup ? groupFindings(state.findings, state.groupBy, state.filter, state.minSeverity, within) : state;
  const rows = layOut(groups, state.collapsed);
  let cursor = Math.min(state.cursor, Math.max(0, rows.length - 1));
  if (keep) {
    let i = rows.findIndex((r) => r.key === keep.key);
    if (i < 0 && keep.kind === 'finding') {
      const group = groupKey(state.groupBy, groupLabel(keep.finding, state.groupBy));
      i = rows.findIndex((r) => r.key === group);
    }
    if (i >= 0) cursor = i;
  }
  return scrollTo({ ...state, groups, rows, shown, cursor: -1 }, cursor);
}

export function selectedRow(state: ListState): Row | undefined {
  return state.rows[state.cursor];
}

/** selectedFindings is what an action on the selection applies to: one finding, or every finding of a group. */
export function selectedFindings(state: ListState): Finding[] {
  const row = selectedRow(state);
  if (!row) return [];
  return row.kind === 'group' ? row.findings : [row.finding];
}

function groupIndexOf(state: ListState, index: number): number {
  for (let i = index; i >= 0; i--) if (state.rows[i]!.kind === 'group') return i;
  return -1;
}

function setCollapsed(state: ListState, key: string, collapse: boolean): ListState {
  if (state.collapsed.has(key) === collapse) return state;
  const collapsed = new Set(state.collapsed);
  if (collapse) collapsed.add(key); else collapsed.delete(key);
  const head = state.rows.find((r) => r.key === key);
  return rebuild({ ...state, collapsed }, head, false);
}

export function listReducer(state: ListState, action: ListAction): ListState {
  switch (action.type) {
    case 'set-findings':
      return rebuild({ ...state, findings: sortFindings(action.findings) }, selectedRow(state));
    case 'remove-findings': {
      if (action.keys.length === 0) return state;
      const gone = new Set(action.keys);
      const findings = state.findings.filter((f) => !gone.has(findingKey(f)));
      if (findings.length === state.findings.length) return state;
      // Stay where the removed finding was: the next one moves up under the cursor.
      return rebuild({ ...state, findings }, undefined);
    }
    case 'cycle-group': {
      const next = GROUP_BY_ORDER[(GROUP_BY_ORDER.indexOf(state.groupBy) + 1) % GROUP_BY_ORDER.length]!;
      return listReducer(state, { type: 'set-group', groupBy: next });
    }
    case 'set-group':
      if (action.groupBy === state.groupBy) return state;
      return rebuild({ ...state, groupBy: action.groupBy }, selectedRow(state));
    case 'set-filter':
      if (action.filter === state.filter) return state;
      // A filter typed further looks only at what the shorter one let through.
      return rebuild({ ...state, filter: action.filter }, selectedRow(state), true, narrows(state.filter, action.filter) ? state.groups : undefined);
    case 'cycle-severity': {
      const next = SEVERITY_CYCLE[(SEVERITY_CYCLE.indexOf(state.minSeverity) + 1) % SEVERITY_CYCLE.length]!;
      return rebuild({ ...state, minSeverity: next }, selectedRow(state));
    }
    case 'toggle-group': {
      const row = selectedRow(state);
      if (!row) return state;
      const key = row.kind === 'group' ? row.key : row.group;
      return setCollapsed(state, key, !state.collapsed.has(key));
    }
    case 'collapse': {
      const row = selectedRow(state);
      if (!row) return state;
      if (row.kind === 'finding') return scrollTo(state, groupIndexOf(state, state.cursor));
      return setCollapsed(state, row.key, true);
    }
    case 'expand': {
      const row = selectedRow(state);
      if (!row || row.kind !== 'group') return state;
      return setCollapsed(state, row.key, false);
    }
    case 'move':
      return scrollTo(state, state.cursor + action.delta);
    case 'page': {
      const step = Math.max(1, state.height - 1);
      // The viewport moves with the cursor so a page key shows a new page, not just a new cursor.
      const cursor = state.cursor + action.direction * step;
      const top = Math.max(0, Math.min(state.top + action.direction * step, Math.max(0, state.rows.length - state.height)));
      return scrollTo({ ...state, top }, cursor);
    }
    case 'first':
      return scrollTo(state, 0);
    case 'last':
      return scrollTo(state, state.rows.length - 1);
    case 'resize': {
      const height = Math.max(1, action.height);
      if (height === state.height) return state;
      return scrollTo({ ...state, height, cursor: -1 }, state.cursor);
    }
    default:
      return state;
  }
}
