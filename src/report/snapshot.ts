// The drift snapshot: one day's state of the monorepo against its anchors, as a versioned JSON
// document. The HTML page, the Markdown summary and the deltas are all computed from snapshots
// only, so a report built from history files looks the same as one built from a live check.
import type { CheckResult, Finding, ModGraph, ModuleInfo, Repository, Severity } from '../engine/types.ts';
import { compareGoSemver as compareVersions } from '../graph/version-order.ts';
import { pathIndex, selectPaths, type PathIndex, type Replacement } from '../graph/select.ts';
import { graphReplacements } from '../engine/workspace.ts';

export const SNAPSHOT_SCHEMA_VERSION = 1;

/** Relation is where a version stands against its anchor's pin. */
export type Relation = 'on' | 'below' | 'above';

/** VersionGroup is one version of a dependency and the modules on it. */
export interface VersionGroup {
  version: string;
  /** Module paths (or directories for a go.mod without a module line), sorted. */
  modules: string[];
}

/** AnchorVersionGroup is a VersionGroup placed against the pin. */
export interface AnchorVersionGroup extends VersionGroup {
  relation: Relation;
}

/** DriftView is how the modules of the repository stand against one pin, seen one way. */
export interface DriftView {
  on: number;
  below: number;
  above: number;
  /** Every version seen, highest first. */
  versions: AnchorVersionGroup[];
}

/** AnchorDrift is one anchor of anchor.lock and how far the modules are from it. */
export interface AnchorDrift {
  path: string;
  pin: string;
  /** The anchor line's comment (often the owner), '' when none. */
  comment: string;
  /** By the version each go.mod requires. */
  direct: DriftView;
  /** By the version minimal version selection picks, over the modules that have a graph loaded. */
  graph?: DriftView;
  /** True when every module that requires or selects the dependency is on the pin. */
  converged: boolean;
}

/** SnapshotFinding is a finding reduced to what a report needs, with its stable key. */
export interface SnapshotFinding {
  key: string;
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  module: string;
  dependency: string;
  messageId: string;
  message: string;
}

/** ModuleEntry is one module and the keys of its findings. */
export interface ModuleEntry {
  path: string;
  dir: string;
  errors: number;
  warnings: number;
  infos: number;
  /** Keys of the module's findings (see findingKey), sorted. */
  findings: string[];
}

/** RuleCount counts the findings of one rule. */
export interface RuleCount {
  total: number;
  error: number;
  warning: number;
  info: number;
}

/** DependencySpread is an external dependency no anchor pins, and the versions it is required at. */
export interface DependencySpread {
  path: string;
  /** Number of modules requiring it. */
  modules: number;
  /** Versions, highest first. */
  versions: VersionGroup[];
}

export interface Headline {
  modules: number;
  findings: number;
  errors: number;
  warnings: number;
  infos: number;
  suppressed: number;
  anchors: number;
  anchorsConverged: number;
  /** Modules whose go.mod requires at least one anchored dependency off its pin. */
  modulesOffPin: number;
  /** Unanchored external dependencies required at more than one version. */
  spreadDependencies: number;
}

/** Snapshot is the content of report.json and of each history file. */
export interface Snapshot {
  schemaVersion: 1;
  /** ISO 8601 timestamp of the state described (the commit date for points built from git). */
  date: string;
  commit?: string;
  /** True when module graphs were loaded, so AnchorDrift.graph is filled where a module has one. */
  graphs: boolean;
  headline: Headline;
  anchors: AnchorDrift[];
  rules: Record<string, RuleCount>;
  modules: ModuleEntry[];
  findings: SnapshotFinding[];
  /** Unanchored external dependencies at two or more versions, widest spread first. */
  spread: DependencySpread[];
  /**
   * Set on history points kept only for their numbers: anchors, modules, findings and spread are
   * empty, headline and rules are complete.
   */
  slim?: true;
}

export interface SnapshotMeta {
  commit?: string;
  date: string;
}

/**
 * findingKeyBase identifies a finding across days without its position: a go.mod reformatted or a
 * requirement moved by a few lines is still the same problem, not a new one.
 */
export function findingKeyBase(f: Pick<Finding, 'rule' | 'file' | 'dependency' | 'messageId'>): string {
  return [f.rule, f.file, f.dependency, f.messageId].join('|');
}

/**
 * findingKeys gives each finding its stable key. Findings sharing a base key (for example two
 * go.sum lines of one dependency) are told apart by their order in the file: `base#2`, `base#3`.
 */
export function findingKeys(findings: readonly Finding[]): string[] {
  const order = findings.map((f, i) => i).sort((a, b) => {
    const fa = findings[a]!, fb = findings[b]!;
    return fa.line - fb.line || fa.column - fb.column || a - b;
  });
  const seen = new Map<string, number>();
  const keys = new Array<string>(findings.length);
  for (const i of order) {
    const base = findingKeyBase(findings[i]!);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    keys[i] = n === 1 ? base : `${base}#${n}`;
  }
  return keys;
}

/** moduleName is how a module is named in a report: its module path, else its directory. */
export function moduleName(m: ModuleInfo): string {
  return m.modulePath || m.mod?.module?.mod.path || m.dir;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function relationOf(version: string, pin: string): Relation {
  if (version === pin) return 'on';
  // Versions Go orders as equal but spelled differently (v1.2 and v1.2.0) are still off the pin.
  const c = safeCompare(version, pin) || byText(version, pin);
  return c === 0 ? 'on' : c < 0 ? 'below' : 'above';
}

/** safeCompare orders versions; one that cannot be compared sorts as text so a report never fails. */
function safeCompare(a: string, b: string): number {
  if (a === b) return 0;
  try {
    const c = compareVersions(a, b);
    if (Number.isFinite(c) && c !== 0) return Math.sign(c);
  } catch { /* not a Go version: fall back to text order */ }
  return byText(a, b);
}

function newView(): Map<string, Set<string>> { return new Map(); }

function add(view: Map<string, Set<string>>, version: string, module: string): void {
  let set = view.get(version);
  if (!set) view.set(version, (set = new Set()));
  set.add(module);
}

function finishView(view: Map<string, Set<string>>, pin: string): DriftView {
  const versions: AnchorVersionGroup[] = [...view].map(([version, mods]) => ({
    version, relation: relationOf(version, pin), modules: [...mods].sort(byText),
  })).sort((a, b) => safeCompare(b.version, a.version));
  const out: DriftView = { on: 0, below: 0, above: 0, versions };
  for (const g of versions) out[g.relation] += g.modules.length;
  return out;
}

/**
 * buildSnapshot reduces a checked repository to a Snapshot. Pure: everything it needs is in the
 * repository, the check result and meta.
 */
export function buildSnapshot(repo: Repository, result: CheckResult, meta: SnapshotMeta): Snapshot {
  const modules = repo.modules.filter((m) => isReported(repo, m));
  const anchorsByPath = repo.anchors?.anchors ?? new Map();
  const siblings = new Set(repo.modules.map(moduleName));

  // One pass over every requirement collects both the anchored views and the unanchored spread.
  const direct = new Map<string, Map<string, Set<string>>>();
  const viaGraph = new Map<string, Map<string, Set<string>>>();
  const spread = new Map<string, Map<string, Set<string>>>();
  const offPin = new Set<string>();
  let graphs = false;
  // What each graph selects is asked of the anchored paths only (as anchor-drift asks): a whole
  // build list per module, kept for history points, held 10,000 of them at once.
  const anchored = pathIndex(anchorsByPath.keys());
  const anchoredKey = anchored.paths.join('\u0000');
  for (const m of modules) {
    const name = moduleName(m);
    for (const req of m.mod?.require ?? []) {
      const { path, version } = req.mod;
      if (!path || !version) continue;
      const anchor = anchorsByPath.get(path);
      if (anchor) {
        let view = direct.get(path);
        if (!view) direct.set(path, (view = newView()));
        add(view, version, name);
        if (version !== anchor.version) offPin.add(name);
      } else if (!siblings.has(path)) {
        let view = spread.get(path);
        if (!view) spread.set(path, (view = newView()));
        add(view, version, name);
      }
    }
    if (m.graph && anchorsByPath.size > 0) {
      graphs = true;
      let selected: Map<string, string>;
      try {
        selected = anchoredVersions(m, graphReplacements(repo, m), anchored, anchoredKey);
      } catch {
        continue; // a graph that cannot be walked is reported by the rules; the report goes on
      }
      for (const path of anchored.paths) {
        const version = selected.get(path);
        if (!version) continue;
        let view = viaGraph.get(path);
        if (!view) viaGraph.set(path, (view = newView()));
        add(view, version, name);
      }
    }
  }

  const anchors: AnchorDrift[] = [...anchorsByPath.values()]
    .sort((a, b) => byText(a.path, b.path))
    .map((a) => {
      const d = finishView(direct.get(a.path) ?? newView(), a.version);
      const g = graphs ? finishView(viaGraph.get(a.path) ?? newView(), a.version) : undefined;
      const converged = d.below + d.above === 0 && (!g || g.below + g.above === 0);
      const entry: AnchorDrift = { path: a.path, pin: a.version, comment: a.comment ?? '', direct: d, converged };
      if (g) entry.graph = g;
      return entry;
    });

  const keys = findingKeys(result.findings);
  const findings: SnapshotFinding[] = result.findings.map((f, i) => ({
    key: keys[i]!, rule: f.rule, severity: f.severity, file: f.file, line: f.line,
    module: f.module ?? '', dependency: f.dependency ?? '', messageId: f.messageId, message: f.message,
  }));
  findings.sort((a, b) => byText(a.key, b.key));

  const rules: Record<string, RuleCount> = {};
  for (const f of findings) {
    const r = (rules[f.rule] ??= { total: 0, error: 0, warning: 0, info: 0 });
    r.total++;
    r[f.severity]++;
  }

  // Findings belong to a module by their file's directory: the module path in a finding can be empty
  // when the go.mod has no module line.
  const byDir = new Map(modules.map((m) => [m.dir, m] as const));
  const entries = new Map<string, ModuleEntry>();
  for (const m of modules) {
    const name = moduleName(m);
    if (!entries.has(name)) entries.set(name, { path: name, dir: m.dir, errors: 0, warnings: 0, infos: 0, findings: [] });
  }
  const repoFiles = new Set([repo.anchors?.file, repo.config?.file, ...repo.workFiles.flatMap((w) => (w.sum ? [w.file, w.sum.file] : [w.file]))].filter(Boolean));
  for (const f of findings) {
    const owner = repoFiles.has(f.file) ? undefined : byDir.get(dirOf(f.file));
    const entry = owner ? entries.get(moduleName(owner)) : f.module ? entries.get(f.module) : undefined;
    if (!entry) continue;
    entry.findings.push(f.key);
    if (f.severity === 'error') entry.errors++;
    else if (f.severity === 'warning') entry.warnings++;
    else entry.infos++;
  }
  const moduleEntries = [...entries.values()].sort((a, b) => byText(a.path, b.path));
  for (const e of moduleEntries) e.findings.sort(byText);

  const spreads: DependencySpread[] = [];
  for (const [path, view] of spread) {
    if (view.size < 2) continue;
    const versions = [...view].map(([version, mods]) => ({ version, modules: [...mods].sort(byText) }))
      .sort((a, b) => safeCompare(b.version, a.version));
    spreads.push({ path, modules: versions.reduce((n, v) => n + v.modules.length, 0), versions });
  }
  spreads.sort((a, b) => b.versions.length - a.versions.length || b.modules - a.modules || byText(a.path, b.path));

  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const headline: Headline = {
    modules: modules.length,
    findings: findings.length,
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    suppressed: result.summary?.suppressed ?? 0,
    anchors: anchors.length,
    anchorsConverged: anchors.filter((a) => a.converged).length,
    modulesOffPin: offPin.size,
    spreadDependencies: spreads.length,
  };

  const snapshot: Snapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION, date: meta.date, graphs, headline, anchors, rules,
    modules: moduleEntries, findings, spread: spreads,
  };
  if (meta.commit) snapshot.commit = meta.commit;
  return snapshot;
}

// History points built from git share unchanged graphs between days; their selection is too.
const selectionCache = new WeakMap<ModGraph, Map<string, Map<string, string>>>();

/** anchoredVersions is the version a module's graph selects of each anchored path it reaches. */
function anchoredVersions(m: ModuleInfo, replace: readonly Replacement[], anchored: PathIndex, anchoredKey: string): Map<string, string> {
  const key = `${anchoredKey}\u0001${JSON.stringify(replace.map((r) => [r.old.path, r.old.version, r.new.path, r.new.version]))}`;
  let byKey = selectionCache.get(m.graph!);
  if (!byKey) selectionCache.set(m.graph!, (byKey = new Map()));
  let selected = byKey.get(key);
  if (!selected) {
    selected = new Map(selectPaths(m.graph!, anchored, replace).map(({ k, selection }) => [anchored.paths[k]!, selection.version]));
    byKey.set(key, selected);
  }
  return selected;
}

function isReported(repo: Repository, m: ModuleInfo): boolean {
  if (repo.focus && !repo.focus.has(m.dir) && !repo.focus.has(moduleName(m))) return false;
  return true;
}

function dirOf(file: string): string {
  return file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
}

/** isSnapshot tells whether a parsed JSON value looks like a snapshot this version can read. */
export function isSnapshot(value: unknown): value is Snapshot {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<Snapshot>;
  return v.schemaVersion === SNAPSHOT_SCHEMA_VERSION && typeof v.date === 'string' && !!v.headline
    && Array.isArray(v.findings) && Array.isArray(v.anchors) && Array.isArray(v.modules) && Array.isArray(v.spread);
}
