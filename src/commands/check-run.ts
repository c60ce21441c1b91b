// The check command's work: load, check, report, exit code. Separate from check.ts so that
// `modguard --help` and other commands never load the rules, the parsers or the reporters.
import type { CommandContext } from './context.ts';
import { toLoadOptions } from './load-options.ts';
import { loadRepository, type LoadOptions } from '../engine/load.ts';
import { check, INTERNAL_ERROR } from '../engine/run.ts';
import { parseFormatSpecs, writeReports, exitCodeFor } from '../reporters/output.ts';
import { rules } from '../../rules/index.ts';
import type { CheckResult, ModuleInfo, Repository } from '../engine/types.ts';
import { UsageError } from './context.ts';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { resolveRoot, toRootRelative } from '../engine/load.ts';
import { siblingFile } from '../engine/assemble.ts';
import { parseShardSpec, selectShard, shardFocus } from '../engine/shard.ts';
import { readResultFile, SharedLists } from '../engine/merge.ts';
import { describeReadError, realRoot } from '../io/read.ts';
import { isRelevant, subtractBaseline, recount, type FindingIdentity } from '../engine/pr.ts';
import { todayUtc } from '../engine/suppress.ts';
import { validateRef } from '../io/git.ts';

export interface CheckCommandOptions {
  root?: string;
  anchors?: string;
  config?: string;
  graphFile?: string;
  go?: boolean;
  format?: string[];
  debug?: boolean;
  base?: string;
  newOnly?: boolean;
  baseline?: string;
  shard?: string;
  /** `--no-cache` sets this false: PR mode neither reads nor writes kept facts. */
  cache?: boolean;
  /** `--cache-dir DIR`: where PR mode keeps facts (default: defaultCacheDir). */
  cacheDir?: string;
}

/** progressWriter draws `go mod graph  12/340` on one stderr line, only for a terminal. */
function progressWriter(ctx: CommandContext): ((done: number, total: number) => void) | undefined {
  if (ctx.stderr.isTTY !== true) return undefined;
  return (done, total) => {
    const width = 24;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    ctx.stderr.write(`\r\x1b[2Kgo mod graph [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    if (done >= total) ctx.stderr.write('\r\x1b[2K');
  };
}

/** loadOptionsFrom maps the command's options onto the loader's. */
export function loadOptionsFrom(opts: CheckCommandOptions, ctx: CommandContext): LoadOptions {
  const progress = opts.go ? progressWriter(ctx) : undefined;
  return { ...toLoadOptions(opts, ctx), ...(progress ? { onGoProgress: progress } : {}) };
}

/** checkExitCode is 2 when a rule failed internally (the result cannot be trusted), else 1 with errors, else 0. */
export function checkExitCode(result: CheckResult): number {
  if (result.findings.some((f) => f.messageId === INTERNAL_ERROR && f.data.internal === true)) return 2;
  return exitCodeFor(result);
}

/**
 * readBaseline reads the JSON result named by --baseline (a bad file is a usage error naming it),
 * and keeps of it what subtracting it needs: each finding's rule, file and dependency. The rest (a
 * result of 10,000 modules is 714 MB of JSON) would otherwise be held through the whole check.
 */
async function readBaseline(file: string, cwd: string): Promise<{ findings: FindingIdentity[] }> {
  let result: CheckResult;
  try {
    // A large result is read from its file as it is parsed, its lists shared as they are read
    // (SharedLists): neither the file nor copies of its lists are held meanwhile.
    result = readResultFile(path.resolve(cwd, file), file, new SharedLists());
  } catch (err) {
    if ((err as Error)?.name === 'UsageError') throw err;
    throw new UsageError(`--baseline ${file}: cannot read it (${describeReadError(err)}); give a JSON result written earlier by \`modguard check --format json=FILE\``);
  }
  return { findings: result.findings.map((f) => ({ rule: f.rule, file: f.file, dependency: f.dependency })) };
}

/**
 * keptFactsDir is where PR mode and shards keep facts between runs: `--cache-dir`, else the default
 * directory when it may be used (in CI only when it exists); undefined with `--no-cache` or `--go`.
 */
async function keptFactsDir(opts: CheckCommandOptions, ctx: CommandContext): Promise<string | undefined> {
  if (opts.cache === false || opts.go) return undefined;
  if (opts.cacheDir !== undefined) return path.resolve(ctx.cwd, opts.cacheDir);
  const kept = await import('../engine/facts.ts');
  const dir = kept.defaultCacheDir(ctx.env);
  return dir !== undefined && kept.usesDefaultCache(ctx.env, dir) ? dir : undefined;
}

/** sourceFiles are the anchors and configuration files as paths from the root (the default names when not given). */
function sourceFiles(root: string, cwd: string, anchors: string | undefined, config: string | undefined): { anchorsFile: string; configFile: string } {
  const rel = (file: string | undefined, fallback: string) => (file !== undefined ? toRootRelative(root, path.resolve(cwd, file)) : fallback);
  return { anchorsFile: rel(anchors, 'anchor.lock'), configFile: rel(config, 'modguard.json') };
}

/** HeadFacts are the facts kept for the files that match HEAD, and what differs from HEAD. */
interface HeadFacts {
  session: import('../engine/facts.ts').FactsSession;
  git: import('../io/git.ts').Git;
  /** Files under the root that differ from HEAD (untracked ones too), relative to the root. */
  changed: readonly string[];
  /** The names HEAD's files were listed by (blobNames). */
  names: readonly string[];
}

/**
 * openHeadFacts opens the facts kept in dir for the files that match HEAD (the others are read),
 * resolving the root into loadOptions; undefined without git or a commit.
 */
async function openHeadFacts(loadOptions: LoadOptions, ctx: CommandContext, dir: string): Promise<HeadFacts | undefined> {
  const { openFacts, blobNames } = await import('../engine/facts.ts');
  const { Git } = await import('../io/git.ts');
  const root = await resolveRoot(loadOptions);
  loadOptions.root = root;
  // The files a check reads: module, workspace and graph files, anchors and configuration.
  const { anchorsFile, configFile } = sourceFiles(root, loadOptions.cwd ?? ctx.cwd, loadOptions.anchorsFile, loadOptions.configFile);
  const headGit = new Git(root, ctx.env, { graphFile: loadOptions.graphFile, anchorsFile, configFile });
  const changed = await headGit.changedFiles('HEAD').catch(() => undefined);
  if (!changed) return undefined;
  // Listed with the changes: discovery does not walk the work tree again, nor read git's index.
  loadOptions.listing = headGit.listing();
  // Their blob ids at HEAD.
  const also = [loadOptions.graphFile, anchorsFile, configFile];
  const session = await openFacts(headGit, root, 'HEAD', changed, dir, undefined, also).catch(() => undefined);
  return session ? { session, git: headGit, changed, names: blobNames(also) } : undefined;
}

/** filesRead lists the files a check of repo read, relative to the root. */
function filesRead(repo: Repository): string[] {
  const out: string[] = [];
  for (const m of repo.modules) {
    out.push(m.goModFile);
    if (m.sum) out.push(m.sum.file);
    if (m.graph) out.push(m.graph.file);
  }
  for (const w of repo.workFiles) {
    out.push(w.file);
    if (w.sum) out.push(w.sum.file);
  }
  if (repo.anchors) out.push(repo.anchors.file);
  if (repo.config.file) out.push(repo.config.file);
  return out;
}

/**
 * keepFindings keeps the findings of a full check for PR mode (kept-findings.ts) under HEAD's
 * commit, when every file the check read matches that commit: no go.mod, go.sum, go.work, graph,
 * anchors or configuration file differs from it or is untracked, none is a file git ignores, and
 * the anchors and configuration files lie inside the root (in the commit). It returns what it did,
 * for --debug.
 */
async function keepFindings(head: HeadFacts, commit: Promise<string | undefined>, repo: Repository, result: CheckResult, today: string): Promise<string> {
  const sources = repo.sources ?? { anchorsFile: 'anchor.lock' };
  const outside = (f: string | undefined) => f !== undefined && (f === '..' || f.startsWith('../') || path.isAbsolute(f));
  if (outside(sources.anchorsFile) || outside(sources.configFile)) return 'not kept: the anchors or configuration file lies outside the root';
  const differs = head.changed.filter((f) => isRelevant(f, sources));
  if (differs.length > 0) return `not kept: ${differs.length} file${differs.length === 1 ? '' : 's'} differ${differs.length === 1 ? 's' : ''} from HEAD (${differs[0]}${differs.length > 1 ? ', ...' : ''})`;
  // A file git ignores (a graph file made by the job, say) is read but is not in the commit.
  const untracked = filesRead(repo).find((f) => !head.session.isTracked(f));
  if (untracked !== undefined) return `not kept: ${untracked} is not in HEAD's commit (ignored by git?)`;
  const sha = await commit;
  if (sha === undefined) return 'not kept: HEAD has no commit';
  const kept = await import('../engine/kept-findings.ts');
  // With the blob ids of the files read: PR mode with this commit as its merge base takes them from here.
  await kept.saveKeptFindings(head.session.packFile, sha, kept.conditionsOf(repo, rules), today, kept.isDated(repo), result.findings,
    { names: head.names, blobs: head.session.listed });
  return `kept for ${sha.slice(0, 12)}`;
}

/**
 * MergeBaseFacts is what PR mode with kept facts reads of the merge base while git lists the
 * changes: the findings a full check of that commit kept, and the blob ids of the files a check
 * reads there (those kept with the findings, else listed by git).
 */
interface MergeBaseFacts {
  kept: Promise<import('../engine/kept-findings.ts').KeptFindings | undefined>;
  blobs: Promise<Map<string, string> | undefined>;
  /** Whether the blob ids were those kept with the findings (known once `blobs` settles). */
  readonly blobsKept: boolean;
}

/**
 * mergeBaseFacts prepares, for the pack in cacheDir of the Git's root, what to start once the merge
 * base is known. `also` names the files a check reads besides module and workspace files.
 */
async function mergeBaseFacts(git: import('../io/git.ts').Git, cacheDir: string, also: readonly (string | undefined)[]): Promise<(mergeBase: string) => MergeBaseFacts> {
  const facts = await import('../engine/facts.ts');
  const findings = await import('../engine/kept-findings.ts');
  // The root's real path on this thread (realRoot): a trip through the thread pool would wait behind git's work.
  const packFile = new Promise<string>((resolve) => resolve(facts.packFileFor(cacheDir, realRoot(git.root))));
  packFile.catch(() => undefined);
  return (mergeBase) => {
    const kept = packFile.then((f) => findings.readKeptFindings(f, mergeBase), () => undefined);
    let blobsKept = false;
    const blobs = kept.then((k) => {
      const ids = k && findings.keptBlobIds(k, facts.blobNames(also));
      blobsKept = ids !== undefined;
      return ids ?? facts.blobIdsOf(git, mergeBase, also);
    });
    return { kept, blobs, get blobsKept() { return blobsKept; } };
  };
}

/**
 * treeDigest identifies what a sharded run divides and judges by, the same in each of its shards:
 * the modules (dirs and module paths), anchor.lock and the configuration.
 */
function treeDigest(repo: Repository): string {
  const hash = createHash('sha256');
  for (const line of repo.modules.map((m) => `${m.dir}\u0000${m.modulePath}`).sort()) hash.update(`${line}\n`);
  hash.update(`\u0000${repo.anchors?.text ?? ''}\u0000${JSON.stringify(repo.config)}`);
  return hash.digest('hex').slice(0, 16);
}

/** runCheck runs `modguard check` and returns the exit code. */
export async function runCheck(opts: CheckCommandOptions, ctx: CommandContext): Promise<number> {
  // Options and formats are checked before the (possibly long) load, so a typo fails at once.
  const specs = parseFormatSpecs(opts.format);
  if (opts.newOnly && opts.base === undefined) throw new UsageError('--new-only compares with a git base: give --base REF too');
  if (opts.base !== undefined) validateRef(opts.base);
  const shard = opts.shard !== undefined ? parseShardSpec(opts.shard) : undefined;
  const baseline = opts.baseline !== undefined ? await readBaseline(opts.baseline, ctx.cwd) : undefined;
  const loadOptions = loadOptionsFrom(opts, ctx);

  const started = performance.now();
  let changes: import('../engine/pr.ts').ChangeSet | undefined;
  let prOptions: import('../engine/pr-run.ts').PrOptions | undefined;
  // PR mode's kept facts: where, and what is read of the merge base while the changes are listed.
  let cacheDir: string | undefined;
  let atBase: MergeBaseFacts | undefined;
  let git: import('../io/git.ts').Git | undefined;
  if (opts.base !== undefined) {
    const { findPrChanges, unchangedMessage } = await import('../engine/pr-run.ts');
    const root = await resolveRoot(loadOptions);
    // Found once: the loader need not ask git for the top level again.
    loadOptions.root = root;
    prOptions = {
      baseRef: opts.base,
      ...sourceFiles(root, ctx.cwd, opts.anchors, opts.config),
      graphFile: loadOptions.graphFile,
      newOnly: Boolean(opts.newOnly),
      env: ctx.env,
    };
    cacheDir = await keptFactsDir(opts, ctx);
    const { Git } = await import('../io/git.ts');
    const prGit = (git = new Git(root, ctx.env, prOptions));
    const also = [prOptions.graphFile, prOptions.anchorsFile, prOptions.configFile];
    const start = cacheDir !== undefined ? await mergeBaseFacts(prGit, cacheDir, also) : undefined;
    changes = await findPrChanges(root, prOptions, start && ((mergeBase) => { atBase = start(mergeBase); }), prGit);
    if (changes.files.length === 0) {
      ctx.stderr.write(`modguard: ${unchangedMessage(changes)}\n`);
      return 0;
    }
    // Listed with the changes: discovery does not walk the work tree again, nor look again at the
    // module files git found unchanged.
    loadOptions.listing = prGit.listing();
    loadOptions.changed = new Set(changes.files);
  }

  let facts: import('../engine/facts.ts').FactsSession | undefined;
  // A full check that keeps facts: those of HEAD, and HEAD's commit (resolved while loading).
  let headFacts: HeadFacts | undefined;
  let headCommit: Promise<string | undefined> | undefined;
  if (changes && changes.files.length > 0) {
    // Only the affected modules' go.sum and graph files are read in full: they are most of the bytes.
    const { prFocus, baseFactsFor } = await import('../engine/pr-run.ts');
    const changed = changes;
    // Facts kept from earlier runs stand in for the files the change did not touch.
    if (cacheDir !== undefined && git && !changes.everything) {
      const { openFacts } = await import('../engine/facts.ts');
      facts = await openFacts(git, git.root, changes.mergeBase, changes.files, cacheDir, atBase?.blobs);
      if (facts && prOptions) {
        loadOptions.facts = facts;
        // The findings a full check of the merge base kept (read with its blob ids, or now).
        const { readKeptFindings } = await import('../engine/kept-findings.ts');
        prOptions.keptBase = atBase?.kept ?? readKeptFindings(facts.packFile, changes.mergeBase);
      }
    } else if (atBase && prOptions) {
      // A change of the anchors (or of the configuration) checks every module, read whole; the
      // base's findings a full check of the merge base kept still spare checking the base (they
      // are used only under the same configuration: keptFindingsApply).
      prOptions.keptBase = atBase.kept;
    }
    // The other go.sum files are made for the versions the focused ones list, those of the changed
    // go.sum files at the base too: their base texts are read while the repository is, with those
    // of the changed go.mod files, and PR mode reads them from here when it builds the base.
    const isName = (f: string, name: string) => f === name || f.endsWith(`/${name}`);
    const changedSums = changes.files.filter((f) => isName(f, 'go.sum'));
    const changedMods = changes.files.filter((f) => isName(f, 'go.mod'));
    if (git && !changes.everything && changedSums.length + changedMods.length > 0 && prOptions) {
      const baseGit = git;
      const mergeBase = changes.mergeBase;
      let reading: Promise<ReadonlyMap<string, string>> | undefined;
      // A failure shows again, as an error, when PR mode reads the base's files.
      const baseTexts = () => (reading ??= baseGit.readFiles(mergeBase, [...changedSums, ...changedMods]).catch(() => new Map<string, string>()));
      prOptions.baseTexts = baseTexts;
      if (changedSums.length > 0) loadOptions.baseSums = baseTexts();
      if (facts) {
        const session = facts;
        prOptions.baseModule = (file, dir) => session.baseModule(file, dir);
      }
      // With the findings a full check of the merge base kept, the base of a changed go.mod comes
      // from the facts kept with them, and no base text may be needed: none is read until asked
      // for. Otherwise the base is checked whole: its texts are read while the repository is.
      if (!facts || changedSums.length > 0 || !(await atBase?.kept)) void baseTexts();
    }
    // What the changed go.mod files were at the merge base widens the focus: to a workspace whose
    // module changed its replaces, to every module when one was renamed or removed (modulesAffectedBy).
    const session = facts;
    const baseTexts = prOptions?.baseTexts;
    loadOptions.focus = async (r) => prFocus(r, changed, await baseFactsFor(r, changedMods, session, baseTexts));
  } else if (!shard && (opts.cacheDir ?? ctx.env.MODGUARD_CACHE_DIR) && opts.cache !== false && !opts.go) {
    // A full check given a cache directory (--cache-dir or MODGUARD_CACHE_DIR, not the default one)
    // keeps the facts of the files that match HEAD, for PR mode: a CI job on the default branch
    // fills the cache that pull requests then read.
    // It keeps its findings too, for PR mode to judge changes on that commit by.
    headFacts = await openHeadFacts(loadOptions, ctx, path.resolve(ctx.cwd, (opts.cacheDir ?? ctx.env.MODGUARD_CACHE_DIR)!));
    facts = headFacts?.session;
    if (headFacts) headCommit = headFacts.git.resolve('HEAD').catch(() => undefined);
  }
  if (shard && !changes) {
    // A shard reports on its own modules only: the others can be built from facts kept of the files
    // that match HEAD (the nightly full check's pack, restored by each job of a CI matrix), as PR
    // mode builds the modules a change did not touch.
    const dir = await keptFactsDir(opts, ctx);
    if (dir !== undefined) facts = (await openHeadFacts(loadOptions, ctx, dir))?.session;
    if (facts) loadOptions.facts = facts;
  }
  if (shard) {
    // A shard reads the graph files of its own modules only, and the other go.sum files for the
    // versions its modules list: each shard's load shrinks with N, not only its rules. In PR mode,
    // of those the change affects: found here, as without a shard, before the modules built from
    // facts are narrowed to what the rules compare (which drops the replaces that find them).
    const affected = loadOptions.focus;
    loadOptions.focus = async (r) => {
      const own = selectShard(r.modules.map((m) => m.dir), shard.k, shard.n);
      const dirs = await affected?.(r);
      return dirs ? new Set([...own].filter((d) => dirs.has(d))) : own;
    };
  }
  const repo = await loadRepository(loadOptions);
  if (shard) {
    repo.focus = shardFocus(repo, shard.k, shard.n);
  }
  const loaded = performance.now();
  // With --debug, each rule's time (summed over PR mode's head and base), printed at the end.
  const ruleTimes = opts.debug ? new Map<string, number>() : undefined;
  const onRuleTime = (id: string, ms: number) => { ruleTimes?.set(id, (ruleTimes.get(id) ?? 0) + ms); };
  const onRuleError = (id: string, err: unknown) => {
    if (opts.debug) ctx.stderr.write(`modguard: rule ${id} failed:\n${(err as Error)?.stack ?? String(err)}\n`);
  };
  let result: CheckResult;
  let keeping: Promise<string> | undefined;
  // Why the facts or findings could not be written to the cache directory, when they could not.
  let cacheFailure: string | undefined;
  if (changes && prOptions) {
    const { checkPullRequest } = await import('../engine/pr-run.ts');
    // What git tracks of the files a check reads, from the listing made with the changes (its index
    // entries): a graph file it does not track is not at the base.
    const cached = git ? (await git.listing().catch(() => undefined))?.cached : undefined;
    if (cached) {
      const tracked = new Set(cached.map((e) => e.file));
      prOptions.isTracked = (f) => tracked.has(f);
    }
    const outcome = await checkPullRequest(repo, changes, prOptions, { onRuleError, ...(ruleTimes ? { onRuleTime } : {}) });
    if (outcome.kind === 'unchanged') {
      ctx.stderr.write(`modguard: ${outcome.message}\n`);
      return 0;
    }
    result = outcome.result;
    if (opts.debug && facts) ctx.stderr.write(`modguard: the merge base's blob ids: ${atBase?.blobsKept ? 'those a full check kept with its findings' : 'listed by git'}\n`);
    if (opts.debug && outcome.base) {
      ctx.stderr.write(outcome.base.kept
        ? `modguard: the base's findings: those a full check kept of ${changes.mergeBase.slice(0, 12)}, not checked again\n`
        : `modguard: the base's findings: checked (${outcome.base.why})\n`);
    }
  } else {
    const today = todayUtc();
    result = check(repo, { today, onRuleError, ...(ruleTimes ? { onRuleTime } : {}) });
    // Written while the reports are.
    if (headFacts && headCommit) {
      keeping = keepFindings(headFacts, headCommit, repo, result, today).catch((err: Error) => {
        cacheFailure ??= err.message;
        return `not kept: ${err.message}`;
      });
    }
  }
  if (shard) result.shard = { index: shard.k, count: shard.n, tree: treeDigest(repo) };
  if (baseline) {
    const { kept, dropped } = subtractBaseline(result.findings, baseline.findings);
    result = recount(result, kept, dropped);
    result.notices = [...result.notices, `${dropped.length} findings already in the baseline ${opts.baseline} are not counted as failures`];
  }
  const checked = performance.now();
  await writeReports(result, specs, ctx, { rules: rules.map((r) => r.meta) });
  if (keeping) {
    const done = await keeping;
    if (opts.debug) ctx.stderr.write(`modguard: findings ${done}\n`);
  }
  if (facts) {
    const kept = facts;
    const sumFileOf = (m: ModuleInfo) => siblingFile(m.dir, 'go.sum');
    // PR mode and shards built some modules from facts; a full check read and parsed them all.
    const saving = changes || shard ? kept.save(repo, sumFileOf) : kept.saveChecked(repo, sumFileOf);
    const written = await saving.catch((err: Error) => {
      if (opts.debug) ctx.stderr.write(`modguard: could not write the facts pack ${kept.packFile}: ${err.message}\n`);
      cacheFailure ??= err.message;
      return 0;
    });
    if (opts.debug) {
      ctx.stderr.write(`modguard: kept facts ${kept.packFile}: ${kept.hits} files found, ${kept.misses + kept.unkept} read${kept.unkept ? ` (${kept.unkept} never kept)` : ''}${kept.linked ? `; sibling links of ${kept.linked} modules kept` : ''}${kept.counted ? `; requirements of ${kept.counted} modules counted` : ''}${kept.dropped ? ` (pack dropped: ${kept.dropped})` : ''}${kept.packRead ? '' : ' (no pack this modguard can read there: none yet, one of another version, or one damaged since it was written)'}${written ? `; wrote ${written}` : ''}\n`);
    }
  }
  // A cache directory the user named that cannot be written is said (the check itself stands, and
  // so does its exit code): the runs that were to read it would read every file instead. The
  // default directory is used when it can be, quietly.
  const named = opts.cacheDir !== undefined ? `--cache-dir ${opts.cacheDir}` : ctx.env.MODGUARD_CACHE_DIR ? `MODGUARD_CACHE_DIR=${ctx.env.MODGUARD_CACHE_DIR}` : undefined;
  if (cacheFailure !== undefined && named !== undefined && opts.cache !== false) {
    ctx.stderr.write(`modguard: ${named}: nothing kept there (${cacheFailure}); PR mode and shards reading it will read every file\n`);
  }
  if (opts.debug) {
    const n = repo.modules.length;
    ctx.stderr.write(`modguard: ${n} module${n === 1 ? '' : 's'}; load ${(loaded - started).toFixed(0)} ms, check ${(checked - loaded).toFixed(0)} ms\n`);
    if (ruleTimes && ruleTimes.size > 0) {
      const slowest = [...ruleTimes].sort((a, b) => b[1] - a[1]).map(([id, ms]) => `${id} ${ms.toFixed(0)} ms`);
      ctx.stderr.write(`modguard: rules${changes ? ' (head and base)' : ''}: ${slowest.join(', ')}\n`);
    }
  }
  return checkExitCode(result);
}
