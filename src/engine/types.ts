// Types shared by the loader, the rules, the processors and the reporters.
import type { ModFile, WorkFile, ParseError, Position, Line } from '../gomod/types.ts';
import type { CompactSum, SumTable } from '../gosum/table.ts';

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/** GoSumEntry is one line of a go.sum file. */
export interface GoSumEntry {
  path: string;
  version: string;
  /** True for a `version/go.mod` line. */
  isGoMod: boolean;
  /** The full hash token, e.g. `h1:abc...=`. */
  hash: string;
  line: number;
}

export interface GoSum {
  file: string;
  entries: GoSumEntry[];
  errors: ParseError[];
  /** Lines the go command tolerates but cannot verify with (unknown hash algorithm, old empty-go.mod hash). */
  warnings?: ParseError[];
  /**
   * The entries as ids into a table shared by the repository's go.sum files (set by the loader);
   * `entries` is then built from it on first use. Whole-repository code reads this instead.
   */
  compact?: CompactSum;
}

/** GraphNode is one node of `go mod graph` output: `path@version`, or the bare main module. */
export interface GraphNode {
  path: string;
  /** '' for the main module. */
  version: string;
  /** Set on Go 1.21+ pseudo-nodes `go@1.N` and `toolchain@go1.N`: not modules, ignored by selection. */
  kind?: 'go' | 'toolchain';
}

/** ModGraph is a parsed `go mod graph` output, kept compact: nodes interned, edges as index pairs. */
export interface ModGraph {
  file: string;
  /** Node keys (`path@version` or `path`) by index. */
  nodes: GraphNode[];
  /** Edges as pairs of node indexes: from, to, from, to, ... (16 bits each when the nodes allow). */
  edges: Uint16Array | Uint32Array | number[];
  /** The line of each edge in the file, parallel to edges/2; absent when edge i is on line i + 1 (see edgeLinesOf). */
  edgeLines?: Uint32Array | number[];
  errors: ParseError[];
  /** Index of the main module node (the first bare node seen as an edge source), -1 when none. */
  main?: number;
  /** Node index by key (`path@version` or `path`). */
  index?: Map<string, number>;
}

/** ModuleInfo is one go.mod of the repository with what belongs to it. */
export interface ModuleInfo {
  /** Directory relative to the repository root, POSIX, '.' for the root. */
  dir: string;
  /** go.mod path relative to the root, POSIX (e.g. `svc/a/go.mod`). */
  goModFile: string;
  /** The module path from the `module` line ('' when missing). */
  modulePath: string;
  /** The go.mod text exactly as read. */
  text: string;
  /** The typed parse; undefined when the file could not be parsed. */
  mod?: ModFile;
  /** Parse errors of go.mod (reported by the parse-error rule). */
  errors: ParseError[];
  /** go.sum beside the go.mod, when present. */
  sum?: GoSum;
  /** go.sum text as read (kept for fixes and hashing), when present. */
  sumText?: string;
  /** The module graph, when a graph source was given. */
  graph?: ModGraph;
  /**
   * Set on a module built from facts kept between runs (PR mode, src/engine/facts.ts): whether its
   * go.mod text holds a suppression comment. Such a module's `mod` has the statements the
   * whole-repository rules read, and its text is read from disk when asked for.
   */
  suppressionMark?: boolean;
}

/** WorkInfo is one go.work file. */
export interface WorkInfo {
  dir: string;
  file: string;
  text: string;
  work?: WorkFile;
  errors: ParseError[];
  /**
   * go.work.sum beside the go.work, when present: the checksums the go command keeps for the
   * workspace (of modules no go.sum of its modules lists). Its lines can conflict with theirs.
   */
  sum?: GoSum;
  /** go.work.sum text as read, when present. */
  sumText?: string;
}

/** Anchor is one pinned version in anchor.lock. */
export interface Anchor {
  path: string;
  version: string;
  /** The end-of-line comment text without `//`, trimmed ('' when none). */
  comment: string;
  line: number;
  column: number;
  syntax: Line;
}

export interface AllowReplace {
  path: string;
  /** The only allowed target (`path` or `path version` or `./dir`), undefined for any target. */
  target?: { path: string; version: string };
  line: number;
  column: number;
  syntax: Line;
}

export interface Ban {
  path: string;
  /** Optional version; undefined bans every version. */
  version?: string;
  reason: string;
  line: number;
  column: number;
  syntax: Line;
}

/** AnchorLock is the parsed anchor.lock. */
export interface AnchorLock {
  file: string;
  text: string;
  go?: { version: string; line: number; column: number; syntax: Line };
  toolchain?: { name: string; line: number; column: number; syntax: Line };
  anchors: Map<string, Anchor>;
  allowReplace: AllowReplace[];
  bans: Ban[];
  errors: ParseError[];
  /**
   * Set when the file does not parse as a whole (its syntax, not one entry): nothing in it is
   * known past the error, so none of its entries apply until it is fixed.
   */
  unparsed?: true;
}

/** Config is the validated modguard.json (defaults filled in). */
export interface Config {
  /** Path of the config file, relative to the root ('' when none). */
  file: string;
  rules: Record<string, { severity?: SeveritySetting; options?: Record<string, unknown> }>;
  /** Glob-like path prefixes (POSIX, relative to the root) whose go.mod files are not checked. */
  ignore: string[];
}

/** Repository is a loaded monorepo: everything the rules see. */
export interface Repository {
  /** Absolute path of the root. */
  root: string;
  modules: ModuleInfo[];
  /** Modules by module path (the first one wins when two go.mod files declare one path). */
  modulesByPath: Map<string, ModuleInfo>;
  workFiles: WorkInfo[];
  anchors?: AnchorLock;
  config: Config;
  /** Files that could not be read at all, as parse errors. */
  loadErrors: ParseError[];
  /** Which modules to report on (PR mode / shards); undefined means all. Rules may still read all. */
  focus?: Set<string>;
  /** The same repository at the git base, in PR mode. */
  base?: Repository;
  /** Where the repository-wide inputs came from, relative to the root, POSIX (set by the loader). */
  sources?: { anchorsFile: string; configFile?: string; graphFile?: string };
  /** One-line notices from loading (e.g. `go mod graph` failures), passed on to the check result. */
  notices?: string[];
  /** The table the modules' go.sum entries are interned in (GoSum.compact), when they are. */
  sumTable?: SumTable;
  /** Set by a focused load (PR mode, shards) when modules outside the focus have graph files, which it did not read. */
  graphsOutsideFocus?: boolean;
  /** What the go.sum files of modules built from kept facts agree on (a focused load with facts). */
  sumAgreement?: SumAgreement;
  /** The requirements of modules built from kept facts, counted (a focused load with facts). */
  requireTally?: RequirementTally;
  /**
   * go.work files whose findings are wanted whatever the focus (PR mode's base: those the head
   * reports on, which the base's own `use` lines may not tie to the focus).
   */
  workFocus?: ReadonlySet<string>;
}

/**
 * RequirementTally counts the requirements of some modules outside the focus (PR mode and shards,
 * from the facts a full check kept) by the paths the reported modules are compared by: a covered
 * module's `mod.require` lists only its requirements at pseudo-versions of the paths that
 * pseudo-version-conflict can find in conflict (load.ts pseudoConflicts; it lists each use), and
 * rules that count requirements take its counts from `forEach` instead. Kinds are the TALLY_* bits
 * of tally.ts.
 */
export interface RequirementTally {
  /** Whether a module's requirements are counted here (not listed in full). */
  covers(module: ModuleInfo): boolean;
  /** Calls fn for each of those paths, version and kind the covered modules require, with how many times. */
  forEach(fn: (path: string, version: string, kind: number, count: number) => void): void;
}

/**
 * SumAgreement is what the go.sum files of some modules agree on, known without reading their
 * lines (PR mode and shards, from the facts a full check kept): each line of a covered module's
 * go.sum names a key number below `hash.length` of `table`, and gives it the hash number `hash`
 * holds for that key, unless that is DISAGREE (gosum/table.ts), which says nothing.
 */
export interface SumAgreement {
  table: SumTable;
  hash: Uint32Array;
  /** Whether a module's go.sum is one of those agreed on (asked without reading it). */
  covers(module: ModuleInfo): boolean;
  /**
   * For a key the covered files disagree on: the lines with it, DISAGREE_STRIDE numbers each (the
   * number of the go.sum they are in, hash number, line, column), those of one go.sum together and
   * in line order; undefined when they are not known.
   */
  disagreeing(key: number): Uint32Array | undefined;
  /** The number of a covered module's go.sum, as `disagreeing` names it. */
  sumNumber(module: ModuleInfo): number | undefined;
}

/** ReportDescriptor is what a rule reports: data and a message id, never a finished sentence. */
export interface ReportDescriptor {
  messageId: string;
  data?: Record<string, string | number>;
  /** File relative to the root, POSIX. */
  file: string;
  line: number;
  column: number;
  /** Module path of the go.mod the finding is in. */
  module?: string;
  /** Module path the finding is about. */
  dependency?: string;
  /**
   * Extra structured data for machines (kept in JSON output). Each list in it, an array or a
   * Listing (listing.ts, for a long one made only as far as kept), keeps its first MAX_LISTED
   * entries (run.ts).
   */
  extra?: Record<string, unknown>;
}

/** Finding is a reported problem after processing (message phrased, severity applied). */
export interface Finding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  messageId: string;
  message: string;
  module: string;
  dependency: string;
  data: Record<string, unknown>;
  /** True when the finding was introduced by the change (PR mode only). */
  isNew?: boolean;
}

export interface RuleMeta {
  /** kebab-case id, a public contract. */
  id: string;
  type: 'problem' | 'suggestion';
  description: string;
  defaultSeverity: Severity;
  /** Message templates by id, with `{{name}}` placeholders filled from `data`. */
  messages: Record<string, string>;
  /** Validates the rule's options (a zod schema); defaults come from it. */
  optionsSchema?: import('zod').ZodType;
  /**
   * The options the schema gives for none (`optionsSchema.parse({})`), so that a check without
   * configured options never loads zod. A test holds every rule's to its schema.
   */
  defaultOptions?: Readonly<Record<string, unknown>>;
  /** Needs module graphs; skipped (with one notice) without a graph source. */
  needsGraph?: boolean;
  /** Needs the git base (PR mode). */
  needsBase?: boolean;
  /** Has an automatic fix in `modguard fix`. */
  fixable?: boolean;
  /** The fix is a judgement call: `modguard fix` applies it only when the rule is named (`--rule <id>`). */
  fixOnlyWhenSelected?: boolean;
}

export interface RuleContext<Options = Record<string, unknown>> {
  repo: Repository;
  options: Options;
  report(descriptor: ReportDescriptor): void;
}

export interface Rule<Options = any> {
  meta: RuleMeta;
  create(context: RuleContext<Options>): void;
}

export type { ModFile, WorkFile, ParseError, Position, Line };

/** CheckSummary counts what a check found. */
export interface CheckSummary {
  modules: number;
  errors: number;
  warnings: number;
  infos: number;
  /** Findings silenced by `// modguard:ignore`. */
  suppressed: number;
  /** Findings per rule id (after suppression). */
  byRule: Record<string, number>;
  /** In PR mode / with a baseline: findings that were already there (not failing the gate). */
  preexisting?: number;
  /**
   * Of `suppressed` and `preexisting`, those of each go.work file: every shard that reports on a
   * module of a workspace reports on its go.work too, so merge counts these once, not per shard.
   */
  workFiles?: Record<string, { suppressed?: number; preexisting?: number }>;
}

/** CheckResult is the outcome of a check: the JSON output (`version: 1`) is this object. */
export interface CheckResult {
  version: 1;
  /** Absolute path of the repository root. */
  root: string;
  findings: Finding[];
  summary: CheckSummary;
  /** One-line notices for people (e.g. "anchor-drift skipped: no module graph"). */
  notices: string[];
  /** Set by `check --shard K/N`: which shard this result covers (`merge` checks all N are present). */
  shard?: {
    index: number; count: number;
    /**
     * A digest of the repository's modules (dirs and module paths), the same in every shard of one
     * run: `merge` refuses shards of different trees, whose findings no single run would print.
     */
    tree?: string;
  };
  /**
   * The rules that did not run, by id, with why (set to off, no module graph, no git base): a
   * report that lists every policy (JUnit) shows them as skipped, not as passed.
   */
  skipped?: Record<string, string>;
}
