// PR mode: judge a change by what it touches. Finds the merge base, the changed module files, the
// affected modules (changed ones and every sibling that depends on them), and the base versions of
// the files, read from git objects without a second work tree.
import path from 'node:path';
import type { Repository, CheckResult, Finding } from './types.ts';
import { Git } from '../io/git.ts';
import { summarize } from './run.ts';
import { affectedModules as withDependents, resolveDir, type RepoGraph } from '../graph/repo-graph.ts';
import { isDirectoryPath } from '../gomod/index.ts';
import { graphDirOf, modulesByDir, removedByChange } from './assemble.ts';
import { hasSkippedDir } from '../io/discover.ts';
import { sameReplacements, workspaceMembers } from './workspace.ts';
import type { Replacement } from '../graph/select.ts';

/** File names whose change can change a check's outcome. */
const MODULE_FILES = new Set(['go.mod', 'go.sum', 'go.work', 'go.work.sum']);

export interface ChangeSet {
  /** The ref as given and the merge base it resolved to. */
  ref: string;
  mergeBase: string;
  /** Changed files that matter to modguard, relative to the root, POSIX. */
  files: string[];
  /** True when a repository-wide file (anchor.lock, the config) changed: every module is affected. */
  everything: boolean;
  /** The graph file as named beside each go.mod (ChangeOptions), when there is one. */
  graphFile?: string;
}

export interface ChangeOptions {
  anchorsFile: string;
  configFile?: string;
  graphFile?: string;
}

/** isRelevant tells whether a changed file can change what modguard finds. */
export function isRelevant(file: string, opts: ChangeOptions): boolean {
  const name = file.slice(file.lastIndexOf('/') + 1);
  return MODULE_FILES.has(name) || file === opts.anchorsFile || file === opts.configFile
    // The graph file as named beside each go.mod: a name, or a path below the module's directory.
    || graphDirOf(file, opts.graphFile) !== undefined;
}

/** findChanges resolves the merge base with HEAD and lists the relevant changed files. */
export async function findChanges(git: Git, ref: string, opts: ChangeOptions, onMergeBase?: (mergeBase: string) => void): Promise<ChangeSet> {
  // The untracked files do not depend on the merge base: listed while it is found.
  void git.listing();
  // So are the changes, where git can compare with the merge base itself (else once it is known).
  const diffed = git.diff(ref, true);
  diffed.catch(() => undefined);
  const mergeBase = await git.mergeBase(ref);
  // A caller may start work of its own on the merge base while the changes are listed.
  onMergeBase?.(mergeBase);
  const files = (await git.changedFiles(mergeBase, diffed)).filter((f) => isRelevant(f, opts));
  const everything = files.some((f) => f === opts.anchorsFile || f === opts.configFile);
  return { ref, mergeBase, files, everything, ...(opts.graphFile !== undefined ? { graphFile: opts.graphFile } : {}) };
}

/** BaseFacts is what modulesAffectedBy needs to know of the changed go.mod files at the merge base. */
export interface BaseFacts {
  /**
   * The replace directives a changed go.mod of a workspace's module had at the merge base;
   * undefined when they are not known.
   */
  replacesOf(goModFile: string): readonly Replacement[] | undefined;
  /**
   * The changed go.mod files whose module path the change changed or that it removed: siblings may
   * require the old path, and lite modules no longer list requirements of a path no module
   * declares, so the whole repository is affected.
   */
  renamed: readonly string[];
}

/**
 * modulesAffectedBy returns the module dirs a change touches: the dirs of changed go.mod/go.sum/graph
 * files (a graph file by the name it has beside each go.mod), every module under a changed go.work, the modules that replaced a dependency by the
 * directory of a module the change removed (every module of a workspace that used it), every
 * module of a workspace whose used module's go.mod changed its replaces (or may have: with
 * `atBase`, those that kept them are told apart), every module where a module was renamed or
 * removed (`atBase.renamed`), and,
 * transitively, every sibling module that depends on one of those (through a requirement of its
 * module path, a directory replace or go.work).
 */
export function modulesAffectedBy(
  repo: Repository, changes: ChangeSet, graph: Pick<RepoGraph, 'dependsOn' | 'dependents'>, atBase?: BaseFacts,
): Set<string> {
  const dirs = modulesByDir(repo.modules);
  const graphFile = changes.graphFile;
  const affected = new Set<string>();
  const workspace = (dir: string) => {
    for (const d of dirs.keys()) if (dir === '.' || d === dir || d.startsWith(`${dir}/`)) affected.add(d);
  };
  // Directories whose go.mod the change removed (or made no module of the repository).
  const removed = new Set(removedByChange(changes.files, repo).goMods.map((f) => path.posix.dirname(f)));
  for (const file of changes.files) {
    const dir = path.posix.dirname(file);
    const name = file.slice(file.lastIndexOf('/') + 1);
    const graphDir = graphDirOf(file, graphFile);
    if (name === 'go.work' || name === 'go.work.sum') {
      workspace(dir);
    } else if (graphDir !== undefined && dirs.has(graphDir)) {
      affected.add(graphDir);
    } else if (dirs.has(dir)) {
      affected.add(dir);
      if (name === 'go.mod') {
        // A used module's replaces are its whole workspace's (graphReplacements): a change to them
        // changes what every module of the workspace builds.
        const members = workspaceMembers(repo, dir);
        const head = dirs.get(dir)!.mod?.replace ?? [];
        const base = members && members.length > 1 ? atBase?.replacesOf(file) : undefined;
        if (members && members.length > 1 && !(base && sameReplacements(head, base))) for (const m of members) affected.add(m.dir);
      }
    }
  }
  // A module renamed or removed: siblings requiring its old path change their builds (a sibling no
  // longer, or a module of the repository no longer, stands for it), and which ones is not known here.
  if (atBase?.renamed.length) return new Set(dirs.keys());
  if (removed.size > 0) {
    // A removed module no longer links to its dependents in the head's module graph, but their
    // builds changed: a module replacing a dependency by its directory, and a workspace using it.
    for (const m of repo.modules) {
      for (const r of m.mod?.replace ?? []) {
        if (r.new.version === '' && isDirectoryPath(r.new.path) && removed.has(resolveDir(m.dir, r.new.path))) affected.add(m.dir);
      }
    }
    for (const w of repo.workFiles) {
      if (w.work?.use.some((u) => removed.has(resolveDir(w.dir, u.path)))) workspace(w.dir);
    }
  }
  return new Set(withDependents(graph, affected));
}

/**
 * baseFilesFor lists the files to read at the base: every go.mod, go.sum, go.work and go.work.sum
 * (whole-repository rules compare across modules: a hash conflict between an affected go.sum and
 * an unaffected one is old news only if the base has both), anchor.lock and the config, and the
 * graph files of the affected modules only (they are the bulk of the bytes).
 */
export function baseFilesFor(allFiles: string[], focus: Set<string> | undefined, opts: ChangeOptions): string[] {
  const out: string[] = [];
  for (const f of allFiles) {
    if (hasSkippedDir(f)) continue;
    if (MODULE_FILES.has(f.slice(f.lastIndexOf('/') + 1)) || f === opts.anchorsFile || f === opts.configFile) out.push(f);
    else {
      const graphDir = graphDirOf(f, opts.graphFile);
      if (graphDir !== undefined && (!focus || focus.has(graphDir))) out.push(f);
    }
  }
  return out;
}

/** The fields that identify a finding across runs: what a JSON result (a baseline) carries. */
export type FindingIdentity = Pick<Finding, 'rule' | 'file' | 'dependency'>;

/**
 * findingKey identifies a finding across two runs: the rule, the file and the dependency. Line
 * numbers and versions are left out on purpose: an edit above a known problem, or a version bump
 * that is still off the pin, is the same debt, not a new one.
 */
export function findingKey(f: FindingIdentity): string {
  return `${f.rule}\u0000${f.file}\u0000${f.dependency ?? ''}`;
}

/**
 * markNew marks each head finding with `isNew`: true when the base had no finding with the same
 * key (counted as a multiset, so a second occurrence of a known problem is new).
 */
export function markNew(head: Finding[], base: readonly FindingIdentity[]): Finding[] {
  const known = countKeys(base);
  return head.map((f) => {
    const k = findingKey(f);
    const left = known.get(k) ?? 0;
    if (left > 0) { known.set(k, left - 1); return { ...f, isNew: false }; }
    return { ...f, isNew: true };
  });
}

/**
 * subtractBaseline drops the findings that an earlier run (the baseline) already had; they are
 * counted as pre-existing. This is how a large repository adopts modguard gradually.
 */
export function subtractBaseline(findings: Finding[], baseline: FindingIdentity[]): { kept: Finding[]; dropped: Finding[] } {
  const known = countKeys(baseline);
  const kept: Finding[] = [];
  const dropped: Finding[] = [];
  for (const f of findings) {
    const k = findingKey(f);
    const left = known.get(k) ?? 0;
    if (left > 0) { known.set(k, left - 1); dropped.push(f); } else kept.push(f);
  }
  return { kept, dropped };
}

function countKeys(list: readonly FindingIdentity[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of list) { const k = findingKey(f); m.set(k, (m.get(k) ?? 0) + 1); }
  return m;
}

/**
 * recount rebuilds a result's summary after findings were filtered (`dropped` the others), adding
 * those to its pre-existing count, and to that of their go.work file (CheckSummary.workFiles).
 */
export function recount(result: CheckResult, findings: Finding[], dropped: readonly Finding[]): CheckResult {
  const summary = summarize(findings, result.summary.modules, result.summary.suppressed);
  summary.preexisting = (result.summary.preexisting ?? 0) + dropped.length;
  const workFiles = structuredClone(result.summary.workFiles ?? {});
  for (const f of dropped) {
    if (!isWorkFileName(f.file)) continue;
    const counts = (workFiles[f.file] ??= {});
    counts.preexisting = (counts.preexisting ?? 0) + 1;
  }
  if (Object.keys(workFiles).length > 0) summary.workFiles = workFiles;
  return { ...result, findings, summary };
}

/** isWorkFileName tells a go.work file's path. */
export function isWorkFileName(file: string): boolean {
  return file === 'go.work' || file.endsWith('/go.work');
}
