// PR mode end to end: changed files → affected modules → the base repository read from git objects
// → a check of head and base over the affected modules → findings marked new or pre-existing.
import type { CheckResult, Repository } from './types.ts';
import { Git } from '../io/git.ts';
import { findChanges, affectedModules, baseFilesFor, markNew, recount, type ChangeSet } from './pr.ts';
import { assembleRepository } from './assemble.ts';
import { check, type CheckOptions } from './run.ts';
import { buildRepoGraph } from '../graph/repo-graph.ts';

export interface PrOptions {
  /** The ref to compare with (`--base`). */
  baseRef: string;
  anchorsFile: string;
  configFile?: string;
  graphFile?: string;
  /** Report only findings the change introduced (`--new-only`). */
  newOnly: boolean;
  env?: NodeJS.ProcessEnv;
}

export type PrOutcome =
  | { kind: 'unchanged'; changes: ChangeSet; message: string }
  | { kind: 'checked'; changes: ChangeSet; result: CheckResult; affected: number };

/**
 * findPrChanges runs before anything is loaded, so that a change touching no module file passes
 * in the time of two git calls.
 */
export async function findPrChanges(root: string, opts: PrOptions): Promise<ChangeSet> {
  return findChanges(new Git(root, opts.env), opts.baseRef, opts);
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
export function prFocus(repo: Repository, changes: ChangeSet): Set<string> | undefined {
  return changes.everything ? undefined : affectedModules(repo, changes, buildRepoGraph(repo).dependents);
}

/**
 * checkPullRequest checks the head repository over the modules the change affects, with the base
 * repository beside it (for rules comparing base and head, and to tell new findings from old ones).
 */
export async function checkPullRequest(repo: Repository, changes: ChangeSet, opts: PrOptions, checkOptions: CheckOptions = {}): Promise<PrOutcome> {
  if (changes.files.length === 0) return { kind: 'unchanged', changes, message: unchangedMessage(changes) };
  const git = new Git(repo.root, opts.env);

  let focus: Set<string> | undefined;
  if (!changes.everything) {
    focus = prFocus(repo, changes);
    if (repo.focus) focus = new Set([...focus!].filter((d) => repo.focus!.has(d)));
  } else if (repo.focus) {
    focus = repo.focus;
  }

  const allBaseFiles = await git.listFiles(changes.mergeBase);
  const baseFiles = await git.readFiles(changes.mergeBase, baseFilesFor(allBaseFiles, focus, opts));
  const base = assembleRepository({
    root: repo.root,
    files: baseFiles,
    anchorsFile: opts.anchorsFile,
    config: repo.config,
    graphFile: opts.graphFile,
    reuse: new Map(repo.modules.map((m) => [m.goModFile, m])),
  });
  base.focus = focus;
  const head: Repository = { ...repo, focus, base };

  const headResult = check(head, checkOptions);
  const baseResult = check(base, checkOptions);
  const marked = markNew(headResult.findings, baseResult.findings);
  const kept = opts.newOnly ? marked.filter((f) => f.isNew) : marked;
  const result = recount(headResult, kept, marked.length - kept.length);
  const affected = focus ? focus.size : repo.modules.length;
  const scope = changes.everything
    ? `${changes.files.filter((f) => f === opts.anchorsFile || f === opts.configFile).join(' and ')} changed: all ${affected} modules checked`
    : `${affected} of ${repo.modules.length} modules affected`;
  result.notices = [`PR mode against ${changes.ref} (merge base ${changes.mergeBase.slice(0, 12)}): ${scope}`, ...result.notices];
  return { kind: 'checked', changes, result, affected };
}
