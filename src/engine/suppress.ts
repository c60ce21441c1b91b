// Suppressions in go.mod and go.work: `// modguard:ignore <rule-id> <reason> [until=YYYY-MM-DD]` at
// the end of the finding's line, or as a whole-line comment directly above it. A suppression needs a reason,
// lapses on its date, and one that silences nothing is reported, so accepted debt stays visible.
import type { ModuleInfo, ReportDescriptor, Repository, WorkInfo } from './types.ts';

export const SUPPRESSION_MARK = 'modguard:ignore';
export const SUPPRESSION_EXPIRED = 'suppression-expired';
export const SUPPRESSION_UNUSED = 'suppression-unused';

/** Suppression is one `modguard:ignore` comment of a go.mod (or go.work). */
export interface Suppression {
  file: string;
  module: string;
  /** Dir of the module whose go.mod holds the comment. */
  dir: string;
  /** Line and column (of `//`) of the comment. */
  line: number;
  column: number;
  /** The line whose findings it covers: its own (end-of-line comment) or the next (whole-line comment). */
  target: number;
  rule: string;
  reason: string;
  /** `YYYY-MM-DD`, when given. */
  until?: string;
  /** The go.work that holds the comment, when it is not in a go.mod. */
  work?: WorkInfo;
  /** Why it cannot suppress anything, when it is malformed. */
  problem?: 'missingRule' | 'missingReason' | 'invalidUntil' | 'unknownRule';
  used: boolean;
}

/**
 * commentStart returns the index of the `//` that starts a comment on a go.mod line, or -1; a `//`
 * inside a quoted or raw string (go.mod allows both) is not a comment.
 */
export function commentStart(line: string): number {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === '`') {
      quote = c;
    } else if (c === '/' && line[i + 1] === '/') {
      return i;
    }
  }
  return -1;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** isValidDate tells a real calendar date in `YYYY-MM-DD` form. */
export function isValidDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** codePointColumn is the 1-based column of a UTF-16 index, counted in code points like the parser. */
function codePointColumn(line: string, index: number): number {
  let col = 1;
  for (let i = 0; i < index; i++) {
    const c = line.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < index) i++;
    col++;
  }
  return col;
}

/** hasSuppressionMark tells whether a go.mod text may hold a suppression comment (the quick no). */
export function hasSuppressionMark(text: string): boolean {
  return text.includes(SUPPRESSION_MARK);
}

/**
 * parseSuppressions reads the suppressions of one go.mod text. Text rather than the syntax tree, so
 * that a go.mod which does not fully parse still has its suppressions read.
 */
export function parseSuppressions(module: Pick<ModuleInfo, 'goModFile' | 'modulePath' | 'dir' | 'text'>, knownRules?: ReadonlySet<string>): Suppression[] {
  const out: Suppression[] = [];
  if (!hasSuppressionMark(module.text)) return out;
  const lines = module.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    if (!raw.includes(SUPPRESSION_MARK)) continue;
    const at = commentStart(raw);
    if (at < 0) continue;
    // After `// indirect;`, as x/mod lets a requirement's comment go on past its indirect mark.
    const body = raw.slice(at + 2).trim().replace(/^indirect;\s*/, '');
    if (!body.startsWith(SUPPRESSION_MARK)) continue;
    const rest = body.slice(SUPPRESSION_MARK.length);
    // `modguard:ignored` or `modguard:ignore-x` is some other word, not ours.
    if (rest !== '' && !/^\s/.test(rest)) continue;
    const words = rest.trim().split(/\s+/).filter((w) => w !== '');
    const wholeLine = raw.slice(0, at).trim() === '';
    const s: Suppression = {
      file: module.goModFile,
      module: module.modulePath,
      dir: module.dir,
      line: i + 1,
      column: codePointColumn(raw, at),
      target: wholeLine ? i + 2 : i + 1,
      rule: '',
      reason: '',
      used: false,
    };
    const reasonWords: string[] = [];
    for (const w of words.slice(1)) {
      if (w.startsWith('until=')) s.until = w.slice('until='.length);
      else reasonWords.push(w);
    }
    s.rule = words[0] ?? '';
    s.reason = reasonWords.join(' ');
    if (s.rule === '' || s.rule.startsWith('until=')) s.problem = 'missingRule';
    else if (knownRules && !knownRules.has(s.rule)) s.problem = 'unknownRule';
    else if (s.reason === '') s.problem = 'missingReason';
    else if (s.until !== undefined && !isValidDate(s.until)) s.problem = 'invalidUntil';
    out.push(s);
  }
  return out;
}

/** isExpired tells a suppression whose `until` date lies before today (`YYYY-MM-DD`, UTC). */
export function isExpired(s: Suppression, today: string): boolean {
  return s.until !== undefined && s.problem === undefined && s.until < today;
}

/** todayUtc returns the current date as `YYYY-MM-DD` in UTC. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** SuppressionIndex finds the suppression covering a finding by file, line and rule. */
export class SuppressionIndex {
  readonly all: Suppression[] = [];
  private readonly byKey = new Map<string, Suppression[]>();

  constructor(repo: Repository, knownRules?: ReadonlySet<string>) {
    const add = (s: Suppression) => {
      this.all.push(s);
      const key = `${s.file}\0${s.target}\0${s.rule}`;
      const list = this.byKey.get(key);
      if (list) list.push(s); else this.byKey.set(key, [s]);
    };
    for (const module of repo.modules) {
      // A module built from kept facts says whether its text has a suppression, without reading it.
      if (module.suppressionMark === false) continue;
      for (const s of parseSuppressions(module, knownRules)) add(s);
    }
    // go.work files hold findings too (broken-workspace, its replaces and go line).
    for (const work of repo.workFiles) {
      for (const s of parseSuppressions({ goModFile: work.file, modulePath: '', dir: work.dir, text: work.text }, knownRules)) add({ ...s, work });
    }
  }

  /**
   * match returns the suppression that silences a finding of rule at file:line, marking it used;
   * undefined when none applies (malformed and expired suppressions never apply).
   */
  match(rule: string, file: string, line: number, today: string): Suppression | undefined {
    // Most repositories have no suppression: no key to make per finding then.
    if (this.byKey.size === 0) return undefined;
    const list = this.byKey.get(`${file}\0${line}\0${rule}`);
    if (!list) return undefined;
    for (const s of list) {
      if (s.problem === undefined && !isExpired(s, today)) {
        s.used = true;
        return s;
      }
    }
    return undefined;
  }

  /**
   * problems reports what is wrong with the suppressions themselves: expired ones, malformed ones,
   * and unused ones whose rule ran (a suppression for a rule that was switched off or skipped is
   * not unused). Only modules for which findings are wanted are looked at.
   */
  problems(today: string, ranRules: ReadonlySet<string>, isWanted: (s: Suppression) => boolean): { rule: string; report: ReportDescriptor }[] {
    const out: { rule: string; report: ReportDescriptor }[] = [];
    for (const s of this.all) {
      if (!isWanted(s)) continue;
      const base = { file: s.file, line: s.line, column: s.column, module: s.module || undefined };
      const data = { rule: s.rule, reason: s.reason, until: s.until ?? '' };
      if (s.problem) {
        out.push({ rule: SUPPRESSION_UNUSED, report: { ...base, messageId: s.problem, data } });
      } else if (isExpired(s, today)) {
        out.push({ rule: SUPPRESSION_EXPIRED, report: { ...base, messageId: 'expired', data: { ...data, today } } });
      } else if (!s.used && ranRules.has(s.rule)) {
        out.push({ rule: SUPPRESSION_UNUSED, report: { ...base, messageId: 'unused', data } });
      }
    }
    return out;
  }
}
