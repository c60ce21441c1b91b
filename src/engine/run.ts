// The rule runner: every rule sees the whole repository and reports data; the processors then
// turn reports into findings in a fixed order (suppressions, severities, focus, dedupe, sort), as
// golangci-lint's processors do, so every reporter gets the same list.
import type { CheckResult, CheckSummary, Finding, ModuleInfo, ReportDescriptor, Repository, Rule, RuleMeta, Severity, SeveritySetting } from './types.ts';
import { rules as registeredRules } from '../../rules/index.ts';
import { validateRuleOptions } from './config.ts';
import { SuppressionIndex, todayUtc, type Suppression } from './suppress.ts';
import { rule as suppressionExpired } from '../../rules/suppression-expired.ts';
import { rule as suppressionUnused } from '../../rules/suppression-unused.ts';
import { dirOf, hasDeferredSum, modulesByDir, siblingFile } from './assemble.ts';
import { compareFindings } from '../reporters/common.ts';
import { Listing } from './listing.ts';
import { isWorkFileReported } from '../../rules/support/syntax.ts';

export interface CheckOptions {
  /** The rules to run (default: every registered rule). */
  rules?: readonly Rule[];
  /** Today as `YYYY-MM-DD` (UTC), for suppression dates; injectable for tests. */
  today?: string;
  /** Called with the exception of a rule that failed (e.g. to print its stack with --debug). */
  onRuleError?: (ruleId: string, error: unknown) => void;
  /** Called after each rule ran with its time in milliseconds, findings made included (--debug). */
  onRuleTime?: (ruleId: string, ms: number) => void;
}

/** INTERNAL_ERROR is the messageId of the finding a crashing rule becomes. */
export const INTERNAL_ERROR = 'internal-error';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/**
 * formatMessage fills a message template's `{{name}}` placeholders from data; a placeholder
 * without a value stays as written, so a missing field is visible rather than `undefined`.
 */
export function formatMessage(template: string, data: Readonly<Record<string, unknown>> = {}): string {
  return fillTemplate(compiledTemplate(template), data);
}

/**
 * A message template split once at its placeholders: `texts` has one more entry than `names`, and
 * `wholes` keeps each placeholder as written. A check phrases tens of thousands of findings from a
 * few dozen templates, so each template is scanned once rather than once per finding.
 */
interface CompiledTemplate {
  texts: string[];
  names: string[];
  wholes: string[];
}

const compiledTemplates = new Map<string, CompiledTemplate>();

function compiledTemplate(template: string): CompiledTemplate {
  let compiled = compiledTemplates.get(template);
  if (compiled !== undefined) return compiled;
  compiled = { texts: [], names: [], wholes: [] };
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    compiled.texts.push(template.slice(last, m.index));
    compiled.names.push(m[1]!);
    compiled.wholes.push(m[0]);
    last = m.index + m[0].length;
  }
  compiled.texts.push(template.slice(last));
  // Templates come from rule metadata; the bound only guards against callers passing arbitrary text.
  if (compiledTemplates.size >= 1000) compiledTemplates.clear();
  compiledTemplates.set(template, compiled);
  return compiled;
}

function fillTemplate(compiled: CompiledTemplate, data: Readonly<Record<string, unknown>>): string {
  const { texts, names, wholes } = compiled;
  // Joined, not added up: `+=` would keep each message as a tree of a dozen string pieces, a third
  // of the memory the findings of a large repository take.
  const parts = new Array<string>(names.length * 2 + 1);
  parts[0] = texts[0]!;
  for (let i = 0; i < names.length; i++) {
    const v = data[names[i]!];
    parts[2 * i + 1] = v === undefined || v === null ? wholes[i]! : String(v);
    parts[2 * i + 2] = texts[i + 1]!;
  }
  return parts.join('');
}

/** messageFor phrases a rule's message by id; an unknown id falls back to the id and its data. */
export function messageFor(meta: Pick<RuleMeta, 'messages'>, messageId: string, data: Readonly<Record<string, unknown>> = {}): string {
  const template = meta.messages[messageId];
  if (template !== undefined) return formatMessage(template, data);
  const fields = Object.entries(data).map(([k, v]) => `${k}=${String(v)}`).join(', ');
  return fields ? `${messageId} (${fields})` : messageId;
}

/** severityOf returns the configured severity of a rule, or its default. */
export function severityOf(repo: Pick<Repository, 'config'>, meta: Pick<RuleMeta, 'id' | 'defaultSeverity'>): SeveritySetting {
  return repo.config.rules[meta.id]?.severity ?? meta.defaultSeverity;
}

/**
 * compareFindings orders findings by file, line, column and rule (then severity, dependency, module,
 * message): the order every printer and a merge of shard results use.
 */
export { compareFindings };

function positive(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
}

/**
 * ModuleFiles tells the module of each go.mod, go.sum and graph file, for focus and module names.
 * A file is looked up in the module of its directory, whose go.mod, go.sum and (usually) graph
 * file lie there; graph files named by a path out of their module's directory are mapped, once,
 * when a file is not found so. No map of every file is made: a PR run asks about the files of a few
 * findings in a repository of thousands of modules.
 */
class ModuleFiles {
  private readonly byDir: ReadonlyMap<string, ModuleInfo>;
  private filesElsewhere: Map<string, ModuleInfo> | undefined;

  constructor(private readonly modules: readonly ModuleInfo[]) {
    this.byDir = modulesByDir(modules);
  }

  /** ownerOf returns the module a file belongs to: its own files, else the module of its directory. */
  ownerOf(file: string): ModuleInfo | undefined {
    const dir = dirOf(file);
    return this.moduleOfFile(file, dir) ?? this.byDir.get(dir);
  }

  /** moduleOfFile returns the module of a go.mod, go.sum or graph file (undefined for any other file). */
  moduleOfFile(file: string, dir = dirOf(file)): ModuleInfo | undefined {
    const m = this.byDir.get(dir);
    if (m && (file === m.goModFile || file === m.graph?.file || isSumOf(m, file))) return m;
    return this.elsewhere().get(file);
  }

  /** The graph (and go.sum) files that do not lie in their module's directory, by file (the last module's of a file). */
  private elsewhere(): Map<string, ModuleInfo> {
    if (!this.filesElsewhere) {
      this.filesElsewhere = new Map();
      for (const m of this.modules) {
        if (m.sum && !hasDeferredSum(m) && !isDirectlyIn(m.sum.file, m.dir)) this.filesElsewhere.set(m.sum.file, m);
        if (m.graph && !isDirectlyIn(m.graph.file, m.dir)) this.filesElsewhere.set(m.graph.file, m);
      }
    }
    return this.filesElsewhere;
  }
}

/** isSumOf tells the go.sum of a module (beside its go.mod) by its file, the module's being in its directory. */
function isSumOf(m: ModuleInfo, file: string): boolean {
  // (A go.sum decoded when first read is beside its go.mod: not decoded to be named.)
  if (hasDeferredSum(m)) return file === siblingFile(m.dir, 'go.sum');
  return m.sum !== undefined && file === m.sum.file;
}

/** isDirectlyIn tells a file directly in the directory dir ('.' for the root). */
function isDirectlyIn(file: string, dir: string): boolean {
  if (dir === '.') return !file.includes('/');
  return file.length > dir.length + 1 && file.startsWith(dir) && file.charCodeAt(dir.length) === 0x2f && file.indexOf('/', dir.length + 1) < 0;
}

/**
 * MAX_LISTED bounds each list a finding carries in its data. Rules list everything involved (every
 * module at a pseudo-version, every go.sum holding a hash), and one such list per finding grows
 * with the square of the repository: a thousand modules in conflict gave 500 MB of JSON. The
 * message already counts them all; the data keeps the first ones and says how many were left out.
 */
export const MAX_LISTED = 50;

/**
 * addBoundedLists adds the extra data of a report to a finding's data, each list (an array or a
 * Listing) bounded to its first MAX_LISTED entries with a count of those left out. Rules hand the
 * same long list to every finding about one dependency, so the bounded copy of each list is made
 * once per check (in `bounded`) and shared by those findings.
 */
function addBoundedLists(data: Record<string, unknown>, extra: Readonly<Record<string, unknown>>, bounded: Map<unknown, unknown[]>): void {
  for (const key of Object.keys(extra)) {
    const value = extra[key];
    const list = Listing.is(value) || (Array.isArray(value) && value.length > MAX_LISTED) ? value : undefined;
    if (list === undefined) {
      data[key] = value;
      continue;
    }
    let kept = bounded.get(list);
    if (kept === undefined) bounded.set(list, (kept = Listing.is(list) ? list.first(MAX_LISTED) : list.slice(0, MAX_LISTED)));
    data[key] = kept;
    if (list.length > MAX_LISTED) data[`${key}Omitted`] = list.length - MAX_LISTED;
  }
}

/**
 * Shared is what the findings of one check share: the bounded copy of each long list, and one string
 * per distinct message (a thousand modules get thirteen thousand findings in a few hundred messages:
 * one rule says the same of one dependency in every module that requires it).
 */
interface Shared {
  bounded: Map<unknown, unknown[]>;
  messages: Map<string, string>;
}

/** MAX_SHARED_MESSAGES bounds the messages Shared keeps, whatever the findings. */
const MAX_SHARED_MESSAGES = 1 << 16;

function sharedMessage(text: string, shared: Shared): string {
  const known = shared.messages.get(text);
  if (known !== undefined) return known;
  if (shared.messages.size < MAX_SHARED_MESSAGES) shared.messages.set(text, text);
  return text;
}

function toFinding(rule: RuleMeta, d: ReportDescriptor, files: ModuleFiles, shared: Shared): Finding {
  // Object.assign, not a spread: an object made by `{ ...x }` and then given more properties costs
  // five times as much here, and a check makes one per finding (tens of thousands).
  const data: Record<string, unknown> = Object.assign({}, d.data);
  if (d.extra) addBoundedLists(data, d.extra, shared.bounded);
  return {
    rule: rule.id,
    severity: rule.defaultSeverity,
    file: typeof d.file === 'string' && d.file !== '' ? d.file : '.',
    line: positive(d.line),
    column: positive(d.column),
    messageId: d.messageId,
    message: sharedMessage(messageFor(rule, d.messageId, d.data ?? {}), shared),
    module: d.module ?? files.ownerOf(d.file)?.modulePath ?? '',
    dependency: d.dependency ?? '',
    data,
  };
}

function internalErrorFinding(rule: RuleMeta, err: unknown, repo: Repository): Finding {
  const e = err as Error;
  const detail = e?.message ?? String(err);
  return {
    rule: rule.id,
    severity: 'error',
    file: repo.config.file || '.',
    line: 1,
    column: 1,
    messageId: INTERNAL_ERROR,
    message: `rule ${rule.id} failed with an internal error: ${detail}; the rule's findings are missing from this run (please report this bug; \`"${rule.id}": "off"\` in modguard.json switches the rule off meanwhile)`,
    module: '',
    dependency: '',
    data: { internal: true, error: detail },
  };
}

/** summarize counts findings by severity and rule. */
export function summarize(findings: readonly Finding[], modules: number, suppressed: number): CheckSummary {
  const summary: CheckSummary = { modules, errors: 0, warnings: 0, infos: 0, suppressed, byRule: {} };
  for (const f of findings) {
    if (f.severity === 'error') summary.errors++;
    else if (f.severity === 'warning') summary.warnings++;
    else summary.infos++;
    summary.byRule[f.rule] = (summary.byRule[f.rule] ?? 0) + 1;
  }
  return summary;
}

function dedupeKey(f: Finding): string {
  return `${f.rule}\0${f.file}\0${f.line}\0${f.column}\0${f.messageId}\0${f.message}\0${f.dependency}`;
}

/**
 * dedupeSorted returns the findings sorted by compareFindings, each repeat of an earlier finding
 * (same rule, place, message id, message and dependency) left out. It sorts first: the sort is
 * stable and repeats share file, line, column and rule, which lead the order, so they end up side
 * by side and keys are made only for runs of findings at one place of one rule, not for all.
 */
function dedupeSorted(list: readonly Finding[]): Finding[] {
  const sorted = list.slice().sort(compareFindings);
  let order: Map<Finding, number> | undefined;
  let drop: Set<Finding> | undefined;
  for (let i = 0; i < sorted.length;) {
    const f = sorted[i]!;
    let j = i + 1;
    while (j < sorted.length) {
      const g = sorted[j]!;
      if (g.file !== f.file || g.line !== f.line || g.column !== f.column || g.rule !== f.rule) break;
      j++;
    }
    if (j - i > 1) {
      // Keep, for each key, the finding that came first in the list.
      order ??= new Map(list.map((x, k) => [x, k]));
      const run = sorted.slice(i, j).sort((a, b) => order!.get(a)! - order!.get(b)!);
      const seen = new Set<string>();
      for (const g of run) {
        const key = dedupeKey(g);
        if (seen.has(key)) (drop ??= new Set()).add(g);
        else seen.add(key);
      }
    }
    i = j;
  }
  return drop ? sorted.filter((f) => !drop!.has(f)) : sorted;
}

/**
 * check runs the rules on a repository and returns the processed findings. It never throws for a
 * failing rule: the failure becomes an `internal-error` finding of that rule.
 */
export function check(repo: Repository, opts: CheckOptions = {}): CheckResult {
  const ruleList = opts.rules ?? registeredRules;
  const today = opts.today ?? todayUtc();
  const files = new ModuleFiles(repo.modules);
  const notices: string[] = [...(repo.notices ?? [])];
  const metaById = new Map<string, RuleMeta>();
  for (const r of [suppressionExpired, suppressionUnused, ...registeredRules]) metaById.set(r.meta.id, r.meta);
  for (const r of ruleList) metaById.set(r.meta.id, r.meta);

  const hasGraph = repo.graphsOutsideFocus === true || repo.modules.some((m) => m.graph !== undefined);
  const skippedForGraph: string[] = [];
  const skipped: Record<string, string> = {};
  const ran = new Set<string>();
  const raw: Finding[] = [];
  const internal: Finding[] = [];
  const shared: Shared = { bounded: new Map(), messages: new Map() };

  for (const rule of ruleList) {
    const meta = rule.meta;
    if (severityOf(repo, meta) === 'off') { skipped[meta.id] = 'set to off in the configuration'; continue; }
    if (meta.needsGraph && !hasGraph) { skippedForGraph.push(meta.id); skipped[meta.id] = 'no module graph'; continue; }
    // Base-versus-head rules have nothing to compare outside PR mode; skipping them is not news.
    if (meta.needsBase && !repo.base) { skipped[meta.id] = 'compares with a git base: runs in PR mode (--base)'; continue; }
    const options = validateRuleOptions(rule, repo.config.rules[meta.id]?.options ?? {});
    if (!options.ok) {
      const problems = options.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ');
      internal.push(internalErrorFinding(meta, new Error(`invalid options: ${problems}`), repo));
      continue;
    }
    const reports: ReportDescriptor[] = [];
    const started = opts.onRuleTime ? performance.now() : 0;
    try {
      rule.create({ repo, options: options.options, report: (d) => { reports.push(d); } });
      ran.add(meta.id);
      for (const d of reports) raw.push(toFinding(meta, d, files, shared));
    } catch (err) {
      internal.push(internalErrorFinding(meta, err, repo));
      opts.onRuleError?.(meta.id, err);
    }
    opts.onRuleTime?.(meta.id, performance.now() - started);
  }
  if (repo.modules.length === 0 && repo.workFiles.length === 0 && repo.loadErrors.length === 0) {
    // Most likely the wrong directory: a run that checked nothing says so (a graph is beside the point).
    notices.push('no go.mod or go.work file found under the root, so nothing was checked (vendor/, testdata/, node_modules/ and hidden directories are not searched, nor what modguard.json ignores): point --root at the repository');
  } else if (skippedForGraph.length > 0) {
    notices.push(`${skippedForGraph.join(', ')} skipped: no module graph (capture \`go mod graph\` beside each go.mod and pass --graph-file NAME, or pass --go)`);
  }

  // 1. Suppressions, before severities: a suppressed finding of a rule set to `off` still counts
  // as used, so switching a rule off does not turn its suppressions into noise.
  // The suppression rules always run (as this processor), so a suppression aimed at them is unused.
  ran.add(suppressionExpired.meta.id);
  ran.add(suppressionUnused.meta.id);
  const known = new Set(metaById.keys());
  const index = new SuppressionIndex(repo, known);
  let suppressed = 0;
  // Those of go.work files, which every shard reporting on one of its modules reports (CheckSummary.workFiles).
  let workFiles: Record<string, { suppressed?: number }> | undefined;
  const kept: Finding[] = [];
  for (const f of raw) {
    const s = index.match(f.rule, f.file, f.line, today);
    if (!s) {
      kept.push(f);
      continue;
    }
    suppressed++;
    if (s.work) {
      const counts = ((workFiles ??= {})[f.file] ??= {});
      counts.suppressed = (counts.suppressed ?? 0) + 1;
    }
  }
  const isWanted = (s: Suppression): boolean => !repo.focus || (s.work ? isWorkFileReported(repo, s.work) : repo.focus.has(s.dir));
  for (const { rule, report } of index.problems(today, ran, isWanted)) {
    const meta = metaById.get(rule)!;
    kept.push(toFinding(meta, report, files, shared));
  }

  // 2. Severities from the configuration; `off` drops. The findings were made above for this run
  // alone, so their severity is set in place rather than on a copy.
  const severe: Finding[] = [];
  const settingByRule = new Map<string, SeveritySetting>();
  for (const f of kept) {
    let setting = settingByRule.get(f.rule);
    if (setting === undefined) {
      const meta = metaById.get(f.rule);
      setting = meta ? severityOf(repo, meta) : (repo.config.rules[f.rule]?.severity ?? f.severity);
      // Without metadata the finding's own severity is the fallback: not the same for every finding.
      if (meta) settingByRule.set(f.rule, setting);
    }
    if (setting === 'off') continue;
    f.severity = setting as Severity;
    severe.push(f);
  }
  for (const f of internal) severe.push(f);

  // 3. Focus: findings in files of modules outside the focus are not wanted (PR mode, shards).
  const focused = repo.focus
    ? severe.filter((f) => {
      const owner = files.moduleOfFile(f.file);
      return !owner || repo.focus!.has(owner.dir);
    })
    : severe;

  // 4. Dedupe, 5. sort.
  const findings = dedupeSorted(focused);

  const modules = repo.focus ? repo.modules.filter((m) => repo.focus!.has(m.dir)).length : repo.modules.length;
  const summary = summarize(findings, modules, suppressed);
  if (workFiles) summary.workFiles = workFiles;
  return { version: 1, root: repo.root, findings, summary, notices, ...(Object.keys(skipped).length > 0 ? { skipped } : {}) };
}
