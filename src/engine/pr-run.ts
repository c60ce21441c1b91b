// PR mode end to end: changed files → affected modules → the base repository read from git objects
// → a check of head and base over the affected modules → findings marked new or pre-existing.
import type { CheckResult, Finding, ModuleInfo, Repository, Rule } from './types.ts';
import { rules as registeredRules } from '../../rules/index.ts';
import { rule as suppressionUnused } from '../../rules/suppression-unused.ts';
import { Git } from '../io/git.ts';
import { findChanges, modulesAffectedBy, baseFilesFor, markNew, recount, type BaseFacts, type ChangeSet, type FindingIdentity } from './pr.ts';
import { assembleRepository, attachModuleFiles, dirOf, graphDirOf, modulesByDir, removedByChange, siblingFile, WORK_SUM } from './assemble.ts';
import { isWorkFileReported } from '../../rules/support/syntax.ts';
import { check, type CheckOptions } from './run.ts';
import { buildRepoGraph, buildRepoGraphLike } from '../graph/repo-graph.ts';
import { isLite, liteCopy, type FactsSession } from './facts.ts';
import { workspaceMembers } from './workspace.ts';
import { parseModFile } from '../gomod/index.ts';
import type { Replacement } from '../graph/select.ts';
import { conditionsOf, findingsIn, keptFindingsApply, type KeptFindings } from './kept-findings.ts';
import { todayUtc } from './suppress.ts';
import { fewOf, plural } from '../reporters/common.ts';

export interface PrOptions {
  /** The ref to compare with (`--base`). */
  baseRef: string;
  anchorsFile: string;
  configFile?: string;
  graphFile?: string;
  /** Report only findings the change introduced (`--new-only`). */
  newOnly: boolean;
  env?: NodeJS.ProcessEnv;
  /**
   * Whether git tracks a file (it has an index entry), for the graph files: an unchanged tracked
   * graph file is the same at the merge base, one git does not track (a graph the job made and git
   * ignores) is not there. Undefined: every graph file is taken as tracked.
   */
  isTracked?: (file: string) => boolean;
  /**
   * The texts at the merge base of the changed go.sum and go.mod files, by file, read once (the
   * caller may have started reading them while the repository was loaded): not read again.
   */
  baseTexts?: () => Promise<ReadonlyMap<string, string>>;
  /**
   * The module of a go.mod as the merge base has it, from the facts kept of that commit (undefined
   * when they have none): a changed go.mod's base is then not read from git.
   */
  baseModule?: (goModFile: string, dir: string) => ModuleInfo | undefined;
  /**
   * The findings a full check kept of the merge base (kept-findings.ts): when they apply, the base
   * is not checked again, only built for the reported modules' go.mod files (major-version-jump).
   */
  keptBase?: Promise<KeptFindings | undefined>;
}

export type PrOutcome =
  | { kind: 'unchanged'; changes: ChangeSet; message: string }
  | {
    kind: 'checked'; changes: ChangeSet; result: CheckResult; affected: number;
    /** Whether the base's findings were those a full check kept, and why not (undefined without a cache). */
    base?: BaseFindingsFrom;
  };

/** BaseFindingsFrom tells where PR mode took the base's findings from. */
export type BaseFindingsFrom = { kept: true } | { kept: false; why: string };

/**
 * findPrChanges runs before anything is loaded, so that a change touching no module file passes
 * in the time of two git calls. `git` is the Git to ask (a caller reuses what it listed).
 */
export async function findPrChanges(root: string, opts: PrOptions, onMergeBase?: (mergeBase: string) => void, git = new Git(root, opts.env)): Promise<ChangeSet> {
  return findChanges(git, opts.baseRef, opts, onMergeBase);
}

/** unchangedMessage is the one line printed when a change touches no file modguard reads. */
export function unchangedMessage(changes: ChangeSet): string {
  return `no go.mod, go.sum, go.work or anchor.lock changed since ${changes.ref} (merge base ${changes.mergeBase.slice(0, 12)}); nothing to check`;
}

/**
 * prFocus returns the module directories a change affects (undefined when it affects all): the
 * modules checkPullRequest reports on, and so the only ones whose go.sum and graph files
 * loadRepository needs to read in full (LoadOptions.focus).
 */
export function prFocus(repo: Repository, changes: ChangeSet, atBase?: BaseFacts): Set<string> | undefined {
  if (changes.everything) return undefined;
  // Asked by the loader and again by checkPullRequest, for the same repository and changes: the
  // modules' links do not change in between (the module graph is made once per repository).
  const known = focusOf.get(repo);
  if (known?.changes === changes) return new Set(known.focus);
  const focus = modulesAffectedBy(repo, changes, buildRepoGraph(repo), atBase);
  focusOf.set(repo, { changes, focus });
  return new Set(focus);
}

/**
 * baseFactsFor finds what modulesAffectedBy asks of the base (BaseFacts): the module paths of the
 * changed go.mod files, and the replaces of those of modules a workspace of several uses. From the
 * kept facts where they have the file's base, else from its base text (read from git with the
 * other changed files'); a go.mod the base does not have replaced nothing.
 */
export async function baseFactsFor(
  repo: Repository, changedMods: readonly string[], facts?: Pick<FactsSession, 'baseModule' | 'isTracked'>, baseTexts?: () => Promise<ReadonlyMap<string, string>>,
): Promise<BaseFacts> {
  const known = new Map<string, readonly Replacement[] | undefined>();
  const renamed: string[] = [];
  let texts: ReadonlyMap<string, string> | undefined;
  const byDir = modulesByDir(repo.modules);
  for (const file of changedMods) {
    const dir = dirOf(file);
    const member = (workspaceMembers(repo, dir)?.length ?? 0) >= 2;
    let base = facts?.baseModule(file, dir)?.mod;
    let atBase = base !== undefined;
    // A go.mod the kept blob ids do not list is new: no text to read.
    if (!base && facts && !facts.isTracked(file)) atBase = false;
    else if (!base && baseTexts) {
      texts ??= await baseTexts();
      const text = texts.get(file);
      const parsed = text === undefined ? undefined : parseModFile(text, file);
      atBase = text !== undefined;
      base = parsed?.ok ? parsed.value : undefined;
    }
    // A module path the base had there and the head no longer has (renamed, or the go.mod removed).
    const basePath = base?.module?.mod.path;
    const head = byDir.get(dir);
    if (basePath && (!head || (head.mod !== undefined && head.modulePath !== basePath))) renamed.push(file);
    if (member) known.set(file, base ? base.replace : atBase ? undefined : []);
  }
  return { replacesOf: (file) => known.get(file), renamed };
}

/** The focus prFocus found for a repository, by the change it was found for. */
const focusOf = new WeakMap<Repository, { changes: ChangeSet; focus: ReadonlySet<string> }>();

/**
 * readBaseFiles gathers the files of the base repository. A file the change did not touch is the
 * same at the base as in the work tree, so its content comes from the loaded head repository; only
 * the changed files (and unchanged graph files, whose text is not kept) are read from git objects.
 * Which files exist at the base follows from the head's files and the change: a file the change
 * added is missing at the base, one it deleted is read from git.
 */
async function readBaseFiles(
  git: Git, repo: Repository, changes: ChangeSet, focus: Set<string> | undefined, opts: PrOptions,
): Promise<{ files: Map<string, string>; sameSums: Map<string, ModuleInfo>; cachedModules: Map<string, ModuleInfo>; ownSums: ModuleInfo[] }> {
  const changed = new Set(changes.files);
  const known = new Map<string, string | undefined>();
  // Unchanged go.sum files are not read again: the base module shares the head's parse.
  const sameSums = new Map<string, ModuleInfo>();
  // Modules built from kept facts (unchanged go.mod, outside the focus) are the same at the base,
  // but for a go.sum the change touched (a shard's affected modules are built from facts too):
  // those copies get the base's go.sum (ownSums).
  const cachedModules = new Map<string, ModuleInfo>();
  const ownSums: ModuleInfo[] = [];
  for (const m of repo.modules) {
    const sumFile = m.dir === '.' ? 'go.sum' : `${m.dir}/go.sum`;
    if (isLite(m)) {
      const copy = liteCopy(m, { ownSum: changed.has(sumFile) });
      cachedModules.set(m.goModFile, copy);
      if (changed.has(sumFile)) ownSums.push(copy);
    } else {
      known.set(m.goModFile, m.text);
      if (m.sum && !changed.has(sumFile)) sameSums.set(sumFile, m);
    }
    // An unchanged graph file git tracks is not read again: the base shares the head's parsed graph.
    if (opts.graphFile !== undefined && m.graph && (opts.isTracked?.(m.graph.file) ?? true)) known.set(siblingFile(m.dir, opts.graphFile), undefined);
  }
  for (const w of repo.workFiles) {
    known.set(w.file, w.text);
    if (w.sum) known.set(w.sum.file, w.sumText);
  }
  if (repo.anchors) known.set(repo.anchors.file, repo.anchors.text);
  // A module or workspace the change removed (its go.mod or go.work deleted, or no module of the
  // head's any more) is one of the base's, with its go.sum or go.work.sum: such a file left beside
  // it is no module's or workspace's at the head, so none of the above, but the base's checksum
  // files are compared with each other as the head's are.
  const removed = removedByChange(changed, repo);
  const removedSums = [...removed.goMods.map((f) => siblingFile(dirOf(f), 'go.sum')), ...removed.goWorks.map((f) => siblingFile(dirOf(f), WORK_SUM))];
  const candidates = baseFilesFor([...new Set([...known.keys(), ...changed, ...removedSums])], focus, opts);
  const isGraph = (f: string) => graphDirOf(f, opts.graphFile) !== undefined;
  const read = await opts.baseTexts?.();
  const fromGit = candidates.filter((f) => !read?.has(f) && (changed.has(f) || (known.get(f) === undefined && !(known.has(f) && isGraph(f)) && !sameSums.has(f))));
  const files = await git.readFiles(changes.mergeBase, fromGit);
  for (const [f, text] of read ?? []) if (candidates.includes(f)) files.set(f, text);
  for (const f of candidates) {
    const text = known.get(f);
    if (!changed.has(f) && text !== undefined) files.set(f, text);
  }
  return { files, sameSums, cachedModules, ownSums };
}

/**
 * focusedBase builds the base repository of the reported modules' go.mod files alone: what the
 * head's check reads of the base (major-version-jump compares each reported module's requirements
 * with its base's) when the base's findings are known without checking it.
 */
async function focusedBase(git: Git, repo: Repository, changes: ChangeSet, focus: Set<string> | undefined, opts: PrOptions): Promise<Repository> {
  const changed = new Set(changes.files);
  const files = new Map<string, string>();
  // A changed go.mod's base from the facts kept of the merge base, else read from git.
  const fromFacts = new Map<string, ModuleInfo>();
  const fromGit: string[] = [];
  // The head's modules of the go.mod files the base is built of (an unchanged one shares its parse).
  const reuse = new Map<string, ModuleInfo>();
  for (const m of repo.modules) {
    if (focus && !focus.has(m.dir)) continue;
    reuse.set(m.goModFile, m);
    if (!changed.has(m.goModFile)) files.set(m.goModFile, m.text);
    else {
      const kept = opts.baseModule?.(m.goModFile, m.dir);
      if (kept) fromFacts.set(m.goModFile, kept);
      else fromGit.push(m.goModFile);
    }
  }
  // The changed go.mod files' base texts (a file missing there is a module the change added, or a
  // failed read: asked again).
  const read = fromGit.length > 0 ? await opts.baseTexts?.() : undefined;
  const missing: string[] = [];
  for (const f of fromGit) {
    const text = read?.get(f);
    if (text !== undefined) files.set(f, text);
    else missing.push(f);
  }
  for (const [f, text] of await git.readFiles(changes.mergeBase, missing)) files.set(f, text);
  const base = assembleRepository({
    root: repo.root,
    files,
    ...(fromFacts.size > 0 ? { cachedModules: fromFacts } : {}),
    anchorsFile: opts.anchorsFile,
    config: repo.config,
    reuse,
  });
  base.focus = focus;
  return base;
}

/**
 * keptBaseFindings gives the base's findings a full check of the merge base kept, when they stand
 * for this run's check of the base: the same modguard, rules, configuration and input names (and
 * day, when a suppression's date makes it matter); the registered rules only. Otherwise it says
 * why not (undefined: no cache, or rules other than the registered ones).
 */
async function keptBaseFindings(repo: Repository, changes: ChangeSet, opts: PrOptions, checkOptions: CheckOptions): Promise<{ kept: KeptFindings } | { why: string } | undefined> {
  if (!opts.keptBase || checkOptions.rules) return undefined;
  const kept = await opts.keptBase;
  if (!kept || kept.commit !== changes.mergeBase) return { why: 'none kept of the merge base that this modguard can read (a full check with the cache on that commit keeps them; those of another version, or damaged since, are not read)' };
  const conditions = conditionsOf(repo, registeredRules);
  const today = checkOptions.today ?? todayUtc();
  if (keptFindingsApply(kept, conditions, today)) return { kept };
  return {
    why: kept.conditions !== conditions
      ? 'those kept of the merge base are of another modguard version, configuration or input file names'
      : `those kept of the merge base are of ${kept.today}, and a suppression's date can make ${today} differ`,
  };
}

/**
 * shareUnchangedGraphs gives base modules the head's parsed graph where the graph file did not
 * change and git tracks it (isTracked): a graph file git does not track is not at the base.
 */
function shareUnchangedGraphs(head: Repository, base: Repository, changed: ReadonlySet<string>, isTracked: (file: string) => boolean): void {
  const headByFile = new Map(head.modules.map((m) => [m.goModFile, m]));
  for (const m of base.modules) {
    const graph = headByFile.get(m.goModFile)?.graph;
    if (!m.graph && graph && !changed.has(graph.file) && isTracked(graph.file)) m.graph = graph;
  }
}

/**
 * untrackedGraphs lists the graph files of the reported modules that git neither tracks nor lists
 * as changed (ignored ones, made by the job): the base has none of them.
 */
function untrackedGraphs(repo: Repository, focus: ReadonlySet<string> | undefined, changes: ChangeSet, opts: PrOptions): string[] {
  const isTracked = opts.isTracked;
  // (Graphs from `--go` are no files: the base has none of them either way.)
  if (!isTracked || opts.graphFile === undefined) return [];
  const changed = new Set(changes.files);
  return repo.modules.filter((m) => (!focus || focus.has(m.dir)) && m.graph && !changed.has(m.graph.file) && !isTracked(m.graph.file)).map((m) => m.graph!.file);
}

/**
 * baseRules are the rules the base is checked with: the base's findings only tell which of the
 * head's findings are new, by rule, file and dependency, so a rule without findings at the head
 * need not run at the base (a change that brings no finding checks no rule twice). An unused
 * suppression depends on which rules ran: with one at the head, every rule runs at the base.
 */
export function baseRules(headFindings: readonly Finding[], rules: readonly Rule[] = registeredRules): readonly Rule[] {
  const found = new Set(headFindings.map((f) => f.rule));
  if (found.has(suppressionUnused.meta.id)) return rules;
  return rules.filter((r) => found.has(r.meta.id));
}

/**
 * checkedBase builds the base repository whole, to be checked: unchanged files shared with the
 * head, the changed ones read from git objects.
 */
async function checkedBase(git: Git, repo: Repository, changes: ChangeSet, focus: Set<string> | undefined, opts: PrOptions): Promise<Repository> {
  const { files: baseFiles, sameSums, cachedModules, ownSums } = await readBaseFiles(git, repo, changes, focus, opts);
  const base = assembleRepository({
    root: repo.root,
    files: baseFiles,
    sameSums,
    ...(cachedModules.size > 0 ? { cachedModules } : {}),
    anchorsFile: opts.anchorsFile,
    config: repo.config,
    graphFile: opts.graphFile,
    reuse: new Map(repo.modules.map((m) => [m.goModFile, m])),
    ...(repo.sumTable ? { sumTable: repo.sumTable } : {}),
  });
  base.focus = focus;
  for (const m of ownSums) attachModuleFiles(m, baseFiles, undefined, undefined, base.sumTable);
  // The modules the head's tally counts are the base's too (unchanged, their facts shared).
  if (repo.requireTally) base.requireTally = repo.requireTally;
  const changed = new Set(changes.files);
  const isTracked = opts.isTracked ?? (() => true);
  if (opts.graphFile !== undefined) {
    shareUnchangedGraphs(repo, base, changed, isTracked);
    // Graph files the head's load did not read (outside the focus) are the base's where git has
    // them unchanged: rules that need a graph run at the base as at the head.
    const graphFile = opts.graphFile;
    if (repo.graphsOutsideFocus && !base.modules.some((m) => m.graph)) {
      base.graphsOutsideFocus = repo.modules.some((m) => {
        const file = siblingFile(m.dir, graphFile);
        return (!focus || !focus.has(m.dir)) && !changed.has(file) && isTracked(file);
      });
    }
  }
  // The go.work files the head reports on are reported on at the base, whose `use` lines may not
  // name a module of the focus.
  if (focus) {
    const head = { ...repo, focus };
    base.workFocus = new Set(repo.workFiles.filter((w) => isWorkFileReported(head, w)).map((w) => w.file));
  }
  // The base's module graph is the head's but for the changed go.mod files (module-cycle asks for
  // it). Where the modules differ (one added, removed or renamed), it is made anew: a module built
  // from facts is linked by all its statements as the merge base has them, not those kept for the
  // rules.
  const baseModule = opts.baseModule;
  buildRepoGraphLike(base, repo, baseModule && ((m) => (isLite(m) ? baseModule(m.goModFile, m.dir)?.mod : undefined)));
  return base;
}

/**
 * checkPullRequest checks the head repository over the modules the change affects, with the base
 * repository beside it (for rules comparing base and head, and to tell new findings from old ones).
 */
export async function checkPullRequest(repo: Repository, changes: ChangeSet, opts: PrOptions, checkOptions: CheckOptions = {}): Promise<PrOutcome> {
  if (changes.files.length === 0) return { kind: 'unchanged', changes, message: unchangedMessage(changes) };
  const git = new Git(repo.root, opts.env);

  let focus: Set<string> | undefined;
  // The modules the change affects in the whole repository: a shard (repo.focus) reports on its
  // part of them, and says how many there are in all, as every other shard does.
  let affectedAll = repo.modules.length;
  if (!changes.everything) {
    focus = prFocus(repo, changes);
    affectedAll = focus!.size;
    // A go.work the change touched is reported on, whether or not its `use` lines name a module.
    const changedWork = repo.workFiles.filter((w) => changes.files.includes(w.file)).map((w) => w.file);
    if (changedWork.length > 0) repo.workFocus = new Set([...(repo.workFocus ?? []), ...changedWork]);
    if (repo.focus) focus = new Set([...focus!].filter((d) => repo.focus!.has(d)));
  } else if (repo.focus) {
    focus = repo.focus;
  }

  const found = await keptBaseFindings(repo, changes, opts, checkOptions);
  let from: BaseFindingsFrom | undefined = found && 'why' in found ? { kept: false, why: found.why } : undefined;
  let headResult: CheckResult | undefined;
  let baseFindings: FindingIdentity[] | undefined;
  if (found && 'kept' in found) {
    // The base's findings are known: the base is built for what the head's check reads of it
    // (each reported module's go.mod, as a whole base has it).
    const base = await focusedBase(git, repo, changes, focus, opts);
    headResult = check({ ...repo, focus, base }, checkOptions);
    // Those of the files the head has findings in are all markNew looks at.
    baseFindings = findingsIn(found.kept, headResult.findings.map((f) => f.file));
    from = baseFindings ? { kept: true } : { kept: false, why: 'a line of those kept of the merge base is damaged' };
  }
  // Otherwise (and when a kept line is damaged) the base is built whole and checked.
  let unknownGraphs: string[] = [];
  if (!headResult || !baseFindings) {
    unknownGraphs = untrackedGraphs(repo, focus, changes, opts);
    const base = await checkedBase(git, repo, changes, focus, opts);
    const head = headResult ?? check({ ...repo, focus, base }, checkOptions);
    headResult = head;
    baseFindings = check(base, { ...checkOptions, rules: baseRules(head.findings, checkOptions.rules) }).findings;
  }
  const marked = markNew(headResult.findings, baseFindings);
  const kept = opts.newOnly ? marked.filter((f) => f.isNew) : marked;
  const result = recount(headResult, kept, opts.newOnly ? marked.filter((f) => !f.isNew) : []);
  const affected = focus ? focus.size : repo.modules.length;
  const scope = changes.everything
    ? `${changes.files.filter((f) => f === opts.anchorsFile || f === opts.configFile).join(' and ')} changed: ${affectedAll === 1 ? 'the one module' : `all ${affectedAll} modules`} checked`
    : `${affectedAll} of ${repo.modules.length} modules affected`;
  const notices = [`PR mode against ${changes.ref} (merge base ${changes.mergeBase.slice(0, 12)}): ${scope}`];
  if (unknownGraphs.length > 0) {
    notices.push(`${plural(unknownGraphs.length, 'graph file')} of the affected modules not in git (${fewOf(unknownGraphs)}): ` +
      'the base\'s module graph of those modules is not known, so what it decides counts as new (commit the graph files to compare them)');
  }
  result.notices = [...notices, ...result.notices];
  return { kind: 'checked', changes, result, affected, ...(from ? { base: from } : {}) };
}
