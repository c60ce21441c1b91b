// modguard's programmatic API: load a monorepo, check it, read the findings, all typed, without
// spawning the CLI (which is a thin layer over these same functions).
//
//   import { loadRepository, check } from 'modguard';
//   const repo = await loadRepository({ root: '/src/monorepo', graphFile: 'graph.txt' });
//   const result = check(repo);
//   for (const f of result.findings) console.log(`${f.file}:${f.line} ${f.rule} ${f.message}`);

// Loading and checking.
export { loadRepository, resolveRoot, loadConfig, GO_GRAPH_NAME } from './engine/load.ts';
export type { LoadOptions } from './engine/load.ts';
export { assembleRepository, emptyConfig } from './engine/assemble.ts';
export type { AssembleInput } from './engine/assemble.ts';
export { check, formatMessage, messageFor, severityOf, summarize, compareFindings, INTERNAL_ERROR } from './engine/run.ts';
export type { CheckOptions } from './engine/run.ts';
export { parseConfig, configJsonSchema, validateRuleOptions, CONFIG_FILE } from './engine/config.ts';
export { parseSuppressions, SUPPRESSION_MARK } from './engine/suppress.ts';
export type { Suppression } from './engine/suppress.ts';
export { discoverFiles } from './io/discover.ts';
export type { DiscoverOptions, Discovered } from './io/discover.ts';
export { rules, rulesById } from '../rules/index.ts';
export { UsageError } from './commands/context.ts';

// Parsers: pure, text and a file name in, a result with errors out; they never throw on bad input.
export { parseModFile, parseWorkFile, parseSyntax, formatFile, formatParseError } from './gomod/index.ts';
export { parseGoSum } from './gosum/parse.ts';
export { parseModGraph, createModGraphParser } from './graph/parse.ts';
export { parseAnchorLock, ANCHOR_LOCK_FILE } from '../anchors/lock.ts';

// Edits: minimal text edits of go.mod and anchor.lock that keep everything else byte-identical.
export { applyTextEdits, editSetRequire, editAddRequire, editSetGo, editSetToolchain, editDropReplace, setRequire, toXmodJson } from './gomod/index.ts';
export type { TextEdit } from './gomod/index.ts';
export { setAnchor, removeAnchor } from '../anchors/edit.ts';

// Go versions: semver with Go's rules (the leading v, +incompatible, pseudo-versions, /vN paths).
export {
  isValidVersion, canonicalVersion, compareVersions, versionMajor, isPseudoVersion, pseudoVersionParts, isIncompatible,
  splitPathVersion, checkPathMajor, pathMajorOf, compareGoVersions, isValidGoVersion, isValidToolchain,
} from './version/index.ts';

// The module graph: selected versions (minimal version selection), requirement chains, sibling modules.
export { selectVersions } from './graph/select.ts';
export { shortestPath, explainSelected } from './graph/why.ts';
export { buildRepoGraph } from './graph/repo-graph.ts';

// Fixes: plan, preview as a unified diff, apply atomically (refusing files changed since read).
export { planFixes, unifiedDiff } from './fix/plan.ts';
export { applyPatches } from './fix/apply.ts';
export type { FilePatch, FixPlan, ApplyResult } from './fix/types.ts';

// PR mode, baselines and sharded runs.
export { findPrChanges, checkPullRequest } from './engine/pr-run.ts';
export type { PrOptions, PrOutcome } from './engine/pr-run.ts';
export { markNew, subtractBaseline, findingKey } from './engine/pr.ts';
export { selectShard, parseShardSpec } from './engine/shard.ts';
export { mergeResults, parseResultJson, parseResultBytes, readResultFile, SharedLists } from './engine/merge.ts';

// Reporters: a check result to text in any output format.
export { reporters, FORMAT_NAMES } from './reporters/index.ts';
export type { Reporter, ReporterOptions, FormatName } from './reporters/index.ts';

// Types.
export type {
  Severity, SeveritySetting, GoSumEntry, GoSum, GraphNode, ModGraph, ModuleInfo, WorkInfo, Anchor, AllowReplace, Ban,
  AnchorLock, Config, Repository, ReportDescriptor, Finding, RuleMeta, RuleContext, Rule, CheckSummary, CheckResult,
} from './engine/types.ts';
export type {
  Position, ParseError, ParseResult, FileSyntax, Line, LineBlock, CommentBlock, Comment, Comments, Token, Stmt,
  ModFile, WorkFile, ModuleVersion, ModuleStmt, GoStmt, ToolchainStmt, GodebugStmt, RequireStmt, ExcludeStmt,
  ReplaceStmt, RetractStmt, ToolStmt, IgnoreStmt, UseStmt,
} from './gomod/types.ts';
