// Loading a monorepo from disk: find the root, read the configuration, discover the module files,
// read them in parallel, optionally run `go mod graph`, and assemble the Repository.
import { lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../commands/context.ts';
import type { Config, ModuleInfo, ParseError, Repository, RequirementTally } from './types.ts';
import type { ModFile } from '../gomod/types.ts';
import type { RequireTally } from './tally.ts';
import { readModuleFiles, type ModuleFilesRead } from '../io/module-files.ts';
import { parseGoSum, SumTable } from '../gosum/parse.ts';
import { assembleRepository, attachModuleFiles, dirOf, emptyConfig, hasGoSum, parseModuleText, removedByChange, setLazySumText, siblingFile, WORK_SUM } from './assemble.ts';
import { CONFIG_FILE, parseConfig } from './config.ts';
import { discoverFiles, hasSkippedDir, isSkippedDir } from '../io/discover.ts';
import { compileIgnore } from './ignore.ts';
import { readOne, readRegularFile, readRepositoryFiles, realRoot, type ReadRequest } from '../io/read.ts';
import { gitTopLevel } from '../io/git-exec.ts';
import type { FactsSession } from './facts.ts';
import { isPseudoVersion, moduleFamily } from '../version/index.ts';
import { buildRepoGraph, buildRepoGraphFrom } from '../graph/repo-graph.ts';
import { fewOf, plural } from '../reporters/common.ts';

/** GO_GRAPH_NAME labels graphs produced by `--go` (there is no file; errors name this). */
export const GO_GRAPH_NAME = '(go mod graph)';
const DEFAULT_ANCHORS = 'anchor.lock';

export interface LoadOptions {
  /** Repository root; relative to cwd. Default: the git top level of cwd, else cwd. */
  root?: string;
  /** Directory that relative paths are resolved against (default: process.cwd()). */
  cwd?: string;
  /** anchor.lock path, relative to cwd (default: `anchor.lock` at the root; optional there). */
  anchorsFile?: string;
  /** modguard.json path, relative to cwd (default: `modguard.json` at the root; optional there). */
  configFile?: string;
  /** A configuration to use instead of reading one. */
  config?: Config;
  /** File name of captured `go mod graph` output beside each go.mod (e.g. `graph.txt`). */
  graphFile?: string;
  /** Run `go mod graph` in every module (cached under `.modguard-cache/`). */
  go?: boolean;
  /** Environment for git and go (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** The untracked files under the root as `Git.listing` lists them, when the caller has them (DiscoverOptions.listing). */
  listing?: Promise<import('../io/git.ts').WorkListing>;
  /** With `listing`: the files that differ in the work tree from the commit git compared (DiscoverOptions.changed). */
  changed?: ReadonlySet<string>;
  /** Progress of `--go`: modules done out of total. */
  onGoProgress?: (done: number, total: number) => void;
  /** Per-module time limit of `go mod graph`, in milliseconds. */
  goTimeoutMs?: number;
  /**
   * PR mode: given the repository assembled from its go.mod and go.work files, the module
   * directories whose findings are wanted (undefined: all). Only those modules' graph files are
   * read and their go.sum parsed in full; the other go.sum files are parsed only for the module
   * versions the focused ones list, which is all that comparing hashes across modules needs. Not
   * used with `go`.
   */
  focus?: (repo: Repository) => ReadonlySet<string> | undefined | Promise<ReadonlySet<string> | undefined>;
  /**
   * PR mode with `focus`: the go.sum texts at the base of the go.sum files the change touched, by
   * file. The other go.sum files are made for the module versions these list too (those of the
   * focused modules): the base is checked with the same other go.sum files, and a base finding on
   * a line the change bumped is the same debt as the head's.
   */
  baseSums?: Promise<ReadonlyMap<string, string>>;
  /**
   * Worker threads that read and parse go.sum and graph files while go.mod files are read and
   * parsed (0: none; default: one per core, for repositories of more than a few dozen modules).
   */
  workers?: number;
  /**
   * PR mode with `focus`: facts kept between runs for the go.mod and go.sum files the change did not
   * touch. Such a go.mod outside the focus is not read: its module is built from its facts; one in
   * the focus is read and parsed as ever. go.sum files are then read in full, so that a new pack can
   * be written from this run.
   */
  facts?: FactsSession;
}

/** toRootRelative turns an absolute path into a root-relative POSIX path (`../x` when outside). */
export function toRootRelative(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  return rel === '' ? '.' : rel.split(path.sep).join('/');
}

// (Asked of the file system on this thread: a trip through node's thread pool can wait behind
// reads queued there, for a question a system call answers at once.)
function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFileSync(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** resolveRoot finds the repository root: the given one, else the git top level of cwd, else cwd. */
export async function resolveRoot(opts: Pick<LoadOptions, 'root' | 'cwd' | 'env'>): Promise<string> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  if (opts.root !== undefined) {
    const root = path.resolve(cwd, opts.root);
    if (!isDirectory(root)) throw new UsageError(`--root ${opts.root}: no such directory (${root})`);
    return root;
  }
  return (await gitTopLevel(cwd, opts.env ?? process.env)) ?? cwd;
}

/** loadConfig reads modguard.json: the named file (which must exist) or the root's (optional). */
export async function loadConfig(root: string, cwd: string, configFile?: string): Promise<Config> {
  const abs = configFile !== undefined ? path.resolve(cwd, configFile) : path.join(root, CONFIG_FILE);
  if (configFile !== undefined && !isFileSync(abs)) throw new UsageError(`--config ${configFile}: no such file (${abs})`);
  let text: string;
  try {
    text = readRegularFile(abs).toString('utf8');
  } catch (err) {
    if (configFile === undefined && (err as NodeJS.ErrnoException).code === 'ENOENT') return emptyConfig();
    throw new UsageError(`${toRootRelative(root, abs)}: cannot read the configuration: ${(err as Error).message}`);
  }
  return parseConfig(text, toRootRelative(root, abs));
}

// `=> ./dir` or `=> ../dir`, quoted or not, in a replace line or block.
/**
 * mayNameSkipped tells whether a text could name a skipped directory (a superset, for a quick no):
 * it contains `vendor`, `testdata`, `node_modules`, or a slash or backslash then a dot then another
 * character than a dot, slash or backslash (a hidden directory). Searches for fixed strings: a
 * regular expression with these alternatives cost a quarter of a second over the go.mod files of
 * ten thousand modules.
 */
export function mayNameSkipped(text: string): boolean {
  if (text.includes('vendor') || text.includes('testdata') || text.includes('node_modules')) return true;
  // Only the dots right after a separator: a go.mod has a dot in every host name and version.
  return hiddenAfter(text, '/.') || hiddenAfter(text, '\\.');
}

/** hiddenAfter tells whether some `sep` (a separator then a dot) in text is followed by another character than a dot, slash or backslash. */
function hiddenAfter(text: string, sep: string): boolean {
  for (let i = text.indexOf(sep); i >= 0; i = text.indexOf(sep, i + 1)) {
    const j = i + 2;
    if (j >= text.length) return false;
    const after = text.charCodeAt(j);
    if (after !== 0x2e && after !== 0x2f && after !== 0x5c) return true;
  }
  return false;
}
const DIRECTORY_TARGET = /=>\s*(?:"((?:\.{1,2})(?:[\/\\][^"]*)?)"|((?:\.{1,2})(?:[\/\\][^\s"]*)?))(?=\s|$)/gm;

/**
 * skippedReplaceTargets finds go.mod files that discovery skipped (under testdata/, vendor/,
 * hidden directories) but that a module of the repository replaces a dependency with: such a
 * directory is a sibling module in fact (e.g. `replace x/pdata/testdata => ../pdata/testdata`).
 */
export function skippedReplaceTargets(goMods: ReadonlyMap<string, string>, known: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (const [file, text] of goMods) {
    if (!text.includes('=>')) continue;
    const dir = path.posix.dirname(file);
    const inSkipped = hasSkippedDir(file);
    // Most go.mod files name no skipped directory at all: one scan says so.
    if (!inSkipped && !mayNameSkipped(text)) continue;
    for (const m of text.matchAll(DIRECTORY_TARGET)) {
      const target = (m[1] ?? m[2] ?? '').replace(/\\/g, '/');
      // The usual `../../libs/x` leads to a discovered module: only a target naming a skipped
      // directory, or one reached from inside a skipped directory, can lead to an undiscovered one.
      if (!inSkipped && !target.split('/').some(isSkippedDir)) continue;
      const joined = path.posix.normalize(path.posix.join(dir, target)).replace(/\/+$/, '') || '.';
      if (joined === '..' || joined.startsWith('../')) continue;
      const goMod = joined === '.' ? 'go.mod' : `${joined}/go.mod`;
      if (!known.has(goMod) && hasSkippedDir(goMod)) out.add(goMod);
    }
  }
  return [...out].sort();
}

/**
 * addReplacedSkippedModules reads the go.mod (and go.sum) of skipped directories that siblings
 * replace dependencies with, repeating while those modules point at further ones.
 */
async function addReplacedSkippedModules(
  root: string, files: Map<string, string>, goMods: string[], errors: ParseError[], ignore: string[], graphFile: string | undefined,
  bytes: Map<string, Buffer>,
): Promise<void> {
  const isIgnored = compileIgnore(ignore);
  const known = new Set(goMods);
  let fresh = new Map(goMods.flatMap((f) => (files.has(f) ? [[f, files.get(f)!] as const] : [])));
  let rootReal: string | undefined;
  for (let round = 0; round < 16 && fresh.size > 0; round++) {
    const wanted = skippedReplaceTargets(fresh, known).filter((f) => !isIgnored(f));
    if (wanted.length === 0) return;
    // Directory links are never followed, here as in discovery: a replace into a directory reached
    // through one (`./testdata/x`, a link to elsewhere) reads nothing there.
    rootReal ??= realRoot(root);
    const targets = wanted.filter((f) => {
      const dir = path.posix.dirname(f);
      const through = linkedDirectory(rootReal!, dir);
      if (through !== undefined) errors.push({ file: f, line: 1, column: 0, message: `${through} is a symbolic link to a directory, which modguard does not follow (point the replace at the directory itself)` });
      return through === undefined;
    });
    if (targets.length === 0) return;
    for (const t of targets) known.add(t);
    const read = await readRepositoryFiles(root, targets.flatMap((f) => [
      { file: f, optional: true },
      { file: siblingFile(path.posix.dirname(f), 'go.sum'), optional: true },
      ...(graphFile ? [{ file: siblingFile(path.posix.dirname(f), graphFile), optional: true, bytes: true }] : []),
    ]));
    errors.push(...read.errors);
    for (const [k, v] of read.bytes ?? []) bytes.set(k, v);
    fresh = new Map();
    for (const [k, v] of read.files) {
      files.set(k, v);
      if (k.endsWith('go.mod')) { goMods.push(k); fresh.set(k, v); }
    }
  }
}

/**
 * linkedDirectory is the first directory of a root-relative path (POSIX) that is a symbolic link,
 * undefined when none is (or the path does not exist).
 */
function linkedDirectory(rootReal: string, dir: string): string | undefined {
  let at = '';
  for (const part of dir.split('/')) {
    if (part === '' || part === '.') continue;
    at = at ? `${at}/${part}` : part;
    try {
      if (lstatSync(path.join(rootReal, ...at.split('/'))).isSymbolicLink()) return at;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** groupGoFailures turns per-module `go mod graph` failures into a few lines, one per distinct error. */
function groupGoFailures(failures: { dir: string; error: string }[]): string[] {
  const byError = new Map<string, string[]>();
  for (const f of failures) {
    const list = byError.get(f.error);
    if (list) list.push(f.dir); else byError.set(f.error, [f.dir]);
  }
  return [...byError].map(([error, dirs]) => {
    const shown = dirs.slice(0, 5).join(', ') + (dirs.length > 5 ? `, and ${dirs.length - 5} more` : '');
    return `go mod graph failed in ${dirs.length} module${dirs.length === 1 ? '' : 's'} (${shown}): ${error}`;
  });
}

/**
 * loadRepository reads a repository from disk and assembles it. Relative paths in the options are
 * resolved against `cwd`. Files that cannot be used become `loadErrors` (reported by parse-error);
 * a missing root, a named anchors or config file that does not exist, and an invalid configuration
 * throw UsageError.
 */
export async function loadRepository(opts: LoadOptions = {}): Promise<Repository> {
  const env = opts.env ?? process.env;
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const root = await resolveRoot({ ...opts, cwd, env });
  const config = opts.config ?? await loadConfig(root, cwd, opts.configFile);

  let anchorsFile = DEFAULT_ANCHORS;
  const explicit: ReadRequest[] = [];
  if (opts.anchorsFile !== undefined) {
    const abs = path.resolve(cwd, opts.anchorsFile);
    if (!isFileSync(abs)) throw new UsageError(`--anchors ${opts.anchorsFile}: no such file (${abs})`);
    anchorsFile = toRootRelative(root, abs);
    explicit.push({ file: anchorsFile });
  }

  const found = await discoverFiles(root, {
    ignore: config.ignore, env, ...(opts.listing ? { listing: opts.listing, ...(opts.changed ? { changed: opts.changed } : {}) } : {}),
  });
  const requests: ReadRequest[] = [];
  if (opts.anchorsFile === undefined) requests.push({ file: anchorsFile, optional: true });
  const facts = opts.focus && !opts.go ? opts.facts : undefined;
  const cachedModules = new Map<string, ModuleInfo>();
  for (const f of found.goMods) {
    const lite = facts?.liteModule(f, dirOf(f));
    if (lite) cachedModules.set(f, lite);
    else requests.push({ file: f });
  }
  // A go.work and the go.work.sum beside it (the workspace's checksums, a go.sum in all but name).
  for (const f of found.goWorks) requests.push({ file: f }, { file: siblingFile(path.posix.dirname(f), WORK_SUM), optional: true });
  // go.sum and graph files, nearly all of the bytes, are read one at a time (by worker threads on a
  // machine with more than one core) while go.mod files are read and parsed here. PR mode (focus)
  // reads go.sum texts with the go.mod files and graph files later, for the modules it needs.
  const sumTable = new SumTable();
  const sumFiles = opts.focus ? [] : found.goMods.map((f) => siblingFile(dirOf(f), 'go.sum'));
  const graphFiles = opts.graphFile && !opts.go && !opts.focus ? found.goMods.map((f) => siblingFile(dirOf(f), opts.graphFile!)) : [];
  const moduleFiles = sumFiles.length + graphFiles.length > 0
    ? readModuleFiles(root, { sums: sumFiles, graphs: graphFiles, sumTable, ...(opts.workers !== undefined ? { workers: opts.workers } : {}) })
    : undefined;
  // A rejected promise is awaited below; this keeps it from counting as unhandled meanwhile.
  moduleFiles?.catch(() => undefined);

  const [main, named] = await Promise.all([
    readRepositoryFiles(root, requests),
    readRepositoryFiles(root, explicit, { allowOutside: true }),
  ]);
  const files = main.files;
  const bytes = main.bytes ?? new Map<string, Buffer>();
  for (const [k, v] of named.files) files.set(k, v);
  const goMods = [...found.goMods];
  await addReplacedSkippedModules(root, files, goMods, main.errors, config.ignore, opts.go || opts.focus ? undefined : opts.graphFile, bytes);
  // A go.mod that could not be read is left out of the modules (an empty text would invent a second
  // error); its load error is reported by parse-error.
  const loadErrors: ParseError[] = [...found.errors, ...main.errors, ...named.errors];
  const notices: string[] = [];
  if (found.submodules) {
    notices.push(`${plural(found.submodules.length, 'git submodule')} not searched for go.mod files (${fewOf(found.submodules)}): git lists no file of a submodule; check each as a repository of its own`);
  }

  let graphFile = opts.graphFile;
  if (opts.go) {
    graphFile = GO_GRAPH_NAME;
    const dirs = goMods.filter((f) => files.has(f)).map((f) => path.posix.dirname(f));
    const { runGoModGraph } = await import('../io/go-runner.ts');
    const results = await runGoModGraph(root, dirs, {
      env,
      ...(opts.onGoProgress ? { onProgress: opts.onGoProgress } : {}),
      ...(opts.goTimeoutMs !== undefined ? { timeoutMs: opts.goTimeoutMs } : {}),
    });
    const failures: { dir: string; error: string }[] = [];
    for (const dir of dirs) {
      const r = results.get(dir);
      if (r?.text !== undefined) files.set(siblingFile(dir, GO_GRAPH_NAME), r.text);
      else failures.push({ dir, error: r?.error ?? 'no result' });
    }
    notices.push(...groupGoFailures(failures));
  }

  const repo = opts.focus && !opts.go
    ? await assembleFocused(root, files, anchorsFile, config, graphFile, loadErrors, opts.focus, facts, cachedModules, opts.baseSums, opts.changed)
    : assembleRepository({
      root,
      files,
      bytes,
      sumTable,
      anchorsFile,
      config,
      ...(graphFile !== undefined ? { graphFile } : {}),
      loadErrors,
    });
  if (moduleFiles) attachRead(repo, realRoot(root), graphFile, await moduleFiles);
  repo.sources = {
    anchorsFile,
    ...(config.file ? { configFile: config.file } : {}),
    ...(graphFile !== undefined ? { graphFile } : {}),
  };
  if (notices.length > 0) repo.notices = notices;
  return repo;
}

/**
 * attachRead gives each module the go.sum and graph read beside its go.mod, unless assembling gave
 * it one already; files that could not be read become load errors.
 */
function attachRead(repo: Repository, rootReal: string, graphFile: string | undefined, read: ModuleFilesRead): void {
  for (const m of repo.modules) {
    // (A go.sum kept in a pack is not decoded to see that it is there.)
    if (!hasGoSum(m)) {
      const s = read.sums.get(siblingFile(m.dir, 'go.sum'));
      if (s?.sum) setLazySumText(m, s.sum, () => readOne(rootReal, { file: s.sum!.file }, {}).text);
      else if (s?.error) repo.loadErrors.push(s.error);
    }
    if (!m.graph && graphFile !== undefined) {
      const g = read.graphs.get(siblingFile(m.dir, graphFile));
      if (g?.graph) m.graph = g.graph;
      else if (g?.error) repo.loadErrors.push(g.error);
    }
  }
}

/**
 * countsFromTally tells whether the requirements of modules outside the focus may be counted from
 * a tally: not when pseudo-version-conflict is to list releases as well as pseudo-versions.
 */
function countsFromTally(config: Config): boolean {
  const options = config.rules['pseudo-version-conflict']?.options as { flagReleaseMix?: unknown } | undefined;
  return options?.flagReleaseMix !== true;
}

/**
 * requirementTally is the RequirementTally of the covered modules' counts of the paths `relevant`
 * accepts (those the rules compare the reported modules by, as narrowing keeps). It knows a module
 * by its go.mod's facts, which PR mode's base shares with the head's module.
 */
function requirementTally(tally: RequireTally, covered: ReadonlySet<ModuleInfo>, relevant: (path: string) => boolean): RequirementTally {
  const mods = new Set<ModFile>();
  for (const m of covered) if (m.mod) mods.add(m.mod);
  const verdicts = new Map<string, boolean>();
  const keep = (path: string) => {
    let v = verdicts.get(path);
    if (v === undefined) verdicts.set(path, (v = relevant(path)));
    return v;
  };
  return { covers: (m) => m.mod !== undefined && mods.has(m.mod), forEach: (fn) => tally.forEach(fn, keep) };
}

/**
 * pseudoConflicts lists the paths of `paths` required at two or more pseudo-versions in all: by the
 * requirements a tally counts or those of the `uncounted` modules. Only of these can
 * pseudo-version-conflict find commits that differ (two commits are two pseudo-versions), so only
 * these are made of the modules the tally counts; a module's other requirements change no finding
 * of a reported module, whose paths these are.
 */
export function pseudoConflicts(paths: ReadonlySet<string>, tally: RequireTally, uncounted: readonly ModuleInfo[]): Set<string> {
  const first = new Map<string, string>();
  const out = new Set<string>();
  const note = (path: string, version: string) => {
    if (out.has(path) || !paths.has(path) || !isPseudoVersion(version)) return;
    const seen = first.get(path);
    if (seen === undefined) first.set(path, version);
    else if (seen !== version) out.add(path);
  };
  tally.forEach(note, (path) => paths.has(path));
  for (const m of uncounted) for (const r of m.mod?.require ?? []) note(r.mod.path, r.mod.version);
  return out;
}

/**
 * assembleFocused assembles the repository from its go.mod files first, asks `focus` which modules
 * matter, then reads the graph files of those only and parses go.sum files as LoadOptions.focus
 * describes. Graph files and go.sum are nearly all of a monorepo's bytes, so a change touching a
 * few modules is checked at a small part of the cost of a full load.
 */
async function assembleFocused(
  root: string, files: Map<string, string>, anchorsFile: string, config: Config, graphFile: string | undefined,
  loadErrors: ParseError[], focus: NonNullable<LoadOptions['focus']>, facts?: FactsSession, cachedModules?: ReadonlyMap<string, ModuleInfo>,
  baseSums?: LoadOptions['baseSums'], changed?: ReadonlySet<string>,
): Promise<Repository> {
  // go.sum texts already read (those of replaced modules in skipped directories); the others are
  // read below, once the focus is known.
  const sums = new Map<string, string>();
  for (const [k, v] of files) {
    if (k === 'go.sum' || k.endsWith('/go.sum')) {
      sums.set(k, v);
      files.delete(k);
    }
  }
  // With facts, go.sum lines are numbered as the pack numbers them, so its lines need no copy.
  const seeded = facts?.sumTable();
  const repo = assembleRepository({ root, files, anchorsFile, config, loadErrors, ...(cachedModules?.size ? { cachedModules } : {}), ...(seeded ? { sumTable: seeded } : {}) });
  const table = repo.sumTable!;
  const rootReal = realRoot(root);
  const sumOf = (m: { dir: string }) => siblingFile(m.dir, 'go.sum');
  // The modules whose go.sum was not read above (all of them, usually: no file name made to ask).
  const sumNotRead = (list: ModuleInfo[]) => (sums.size === 0 ? list : list.filter((m) => !sums.has(sumOf(m))));
  // The module graph finds the focus. The links kept in the pack stand in for those of unchanged
  // go.mod files when the repository has the shape they were made in; other modules built from facts
  // get the requirements the graph reads (of the repository's own module paths).
  if (facts) {
    const known = facts.knownLinks(repo);
    const damaged = facts.narrow(known ? repo.modules.filter((m) => !known.valid.has(m.dir)) : repo.modules, (p) => repo.modulesByPath.has(p));
    // A go.mod the change removed (or made no module of the repository) affects the modules that
    // replace a dependency by its directory: a link no module graph of the head has, so the modules
    // whose links are kept get their replaces to be asked (modulesAffectedBy).
    if (known && changed && removedByChange(changed, repo).goMods.length > 0) {
      damaged.push(...facts.narrow(repo.modules.filter((m) => known.valid.has(m.dir)), () => false));
    }
    // A module whose record in the pack is damaged is read and parsed, as without facts.
    for (const m of damaged) upgradeModule(m, rootReal, repo.loadErrors);
    // Made (and kept) now, while the modules built from facts have their requirements of sibling
    // paths: the narrowing below keeps only the paths the reported modules require, and the graph
    // is read later by the rules and written into the next pack.
    if (known) buildRepoGraphFrom(repo, known);
    else buildRepoGraph(repo);
  }
  const dirs = await focus(repo);
  const wanted = repo.modules.filter((m) => !dirs || dirs.has(m.dir));
  // The check reports on these: a module built from facts is read and parsed like any other.
  for (const m of wanted) if (m.suppressionMark !== undefined) upgradeModule(m, rootReal, repo.loadErrors);
  if (facts) facts.attachSums(sumNotRead(wanted), sumOf, table);
  if (sums.size > 0) for (const m of wanted) if (!m.sum && sums.has(sumOf(m))) attachModuleFiles(m, sums, undefined, undefined, table);
  attachRead(repo, rootReal, graphFile, await readModuleFiles(root, {
    sums: sumNotRead(wanted.filter((m) => !m.sum)).map(sumOf),
    graphs: graphFile !== undefined ? wanted.map((m) => siblingFile(m.dir, graphFile)) : [],
    sumTable: table,
    workers: 0,
  }));
  if (dirs) {
    // Without facts, the other go.sum files are read for the keys of the focused modules' lines
    // only: those the table holds now, and those of their base versions once these are parsed
    // into it. (With facts every line is kept: the pack's lines are used where they lie, and files
    // missing from it are read in full to write a new one.)
    if (baseSums && !facts) {
      for (const [file, text] of await baseSums) {
        if (path.posix.basename(file) === 'go.sum' && dirs.has(path.posix.dirname(file))) parseGoSum(text, file, table);
      }
    }
    const keysBelow = table.keys.length;
    const others = repo.modules.filter((m) => !dirs.has(m.dir));
    // Whether the repository has graphs does not depend on the focus (rules say when they skip for
    // want of one): one graph file outside the focus is enough to know.
    if (graphFile !== undefined && !repo.modules.some((m) => m.graph)) {
      repo.graphsOutsideFocus = others.some((m) => isFileSync(path.join(rootReal, ...siblingFile(m.dir, graphFile).split('/'))));
    }
    if (facts) {
      // The other modules are compared with the reported ones by the paths these require and
      // list in go.sum (and, for major versions, by module family): only those are made of them.
      const paths = new Set<string>();
      for (const m of wanted) for (const r of m.mod?.require ?? []) paths.add(r.mod.path);
      const families = new Set<string>();
      for (const p of paths) families.add(moduleFamily(p));
      // Of their replaces, those of the same paths: the rules ask whether such a requirement is
      // replaced. (The module graph, made above, is kept for the check.)
      const relevant = (p: string) => paths.has(p) || families.has(moduleFamily(p));
      // The rules that count requirements count those of most of them from the pack's tally,
      // unless pseudo-version-conflict is to list releases too.
      const tallied = countsFromTally(config) ? facts.requireTally(repo.modules) : undefined;
      const counted = tallied?.covered;
      // The modules a go.work uses keep every replace: broken-workspace compares them all.
      const members = new Set([...buildRepoGraph(repo).workspaces.values()].flat());
      const narrow = (modules: readonly ModuleInfo[], keep: (path: string) => boolean) => {
        for (const m of facts.narrow(modules, keep, keep, counted, members)) upgradeModule(m, rootReal, repo.loadErrors);
      };
      const uncounted = counted ? repo.modules.filter((m) => !counted.has(m)) : repo.modules;
      narrow(uncounted, relevant);
      if (tallied) {
        // Of the counted ones, only pseudo-version-conflict looks at requirements (it lists each
        // use): those at pseudo-versions of the paths it can find in conflict, with their replaces.
        // Without such paths they are left as they were built (workspace members are narrowed for
        // their replaces).
        const conflicts = pseudoConflicts(paths, tallied.tally, uncounted);
        narrow(repo.modules.filter((m) => counted!.has(m) && (conflicts.size > 0 || members.has(m.dir))), (p) => conflicts.has(p));
        repo.requireTally = requirementTally(tallied.tally, tallied.covered, relevant);
      }
      // Their go.sum lines, all of them: facts are the pack's numbers, used where they lie.
      facts.attachSums(sumNotRead(others), sumOf, table);
      // What their go.sum lines agree on: gosum-hash-conflict compares the reported modules' with
      // it, and reads the others' lines only when it leaves a doubt.
      const agreement = facts.sumAgreement(table);
      if (agreement) repo.sumAgreement = agreement;
    }
    // With facts, go.sum files not in the pack are read in full (a new pack is written from them).
    const below = facts ? undefined : keysBelow;
    if (sums.size > 0) for (const m of others) if (!hasGoSum(m) && sums.has(sumOf(m))) attachModuleFiles(m, sums, undefined, undefined, table, below);
    attachRead(repo, rootReal, undefined, await readModuleFiles(root, {
      sums: sumNotRead(others.filter((m) => !hasGoSum(m))).map(sumOf),
      sumTable: table,
      ...(below !== undefined ? { sumKeysBelow: below } : {}),
    }));
  }
  return repo;
}

/**
 * upgradeModule reads and parses the go.mod of a module built from facts, in place (the repository
 * and its module graph keep the same object): the check reports on it, with its text and syntax.
 * Its text property was made lazy by liteModule; setting it keeps the value read here.
 */
function upgradeModule(module: ModuleInfo, rootReal: string, loadErrors: ParseError[]): void {
  // Read as every go.mod is (no link out of the root, a size limit); a file that cannot be read
  // is a load error, as it would have been without facts.
  const read = readOne(rootReal, { file: module.goModFile }, {});
  if (read.error) loadErrors.push(read.error);
  const text = read.text ?? '';
  module.text = text;
  delete module.suppressionMark;
  delete module.mod;
  parseModuleText(module, text);
}
