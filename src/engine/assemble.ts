// Assembling a Repository from file contents: pure, no file system, so the loader, PR mode (files
// read from git objects) and tests (files written in code) all build the same thing.
import path from 'node:path';
import { parseModFile, parseWorkFile } from '../gomod/index.ts';
import { parseGoSum, SumTable } from '../gosum/parse.ts';
import { parseModGraph, parseModGraphBytes } from '../graph/parse.ts';
import { parseAnchorLock, ANCHOR_LOCK_FILE } from '../../anchors/lock.ts';
import type { AnchorLock, Config, GoSum, ModuleInfo, ParseError, Repository, WorkInfo } from './types.ts';
import { compileIgnore } from './ignore.ts';
import { defineLazy } from '../util/lazy.ts';

export interface AssembleInput {
  /** Absolute path of the repository root (kept in the result; never read). */
  root: string;
  /** File contents by path relative to the root, POSIX: go.mod, go.sum, go.work, anchor.lock, graph files. */
  files: Map<string, string>;
  /** The anchor.lock path relative to the root (default `anchor.lock`). */
  anchorsFile?: string;
  /** The validated configuration (default: no settings). */
  config?: Config;
  /** File name of captured `go mod graph` output beside each go.mod, e.g. `graph.txt`. */
  graphFile?: string;
  /** Files that could not be read, as errors (the loader fills this). */
  loadErrors?: ParseError[];
  /** Graph files as undecoded UTF-8 bytes (the loader reads them so); consulted before `files`. */
  bytes?: Map<string, Uint8Array>;
  /**
   * Modules already parsed, by go.mod path: a go.mod whose text is the same is not parsed again
   * (PR mode assembles the base beside the head, where nearly every go.mod is unchanged).
   */
  reuse?: ReadonlyMap<string, ModuleInfo>;
  /** The table to intern go.sum entries in (default: a new one, kept as Repository.sumTable). */
  sumTable?: SumTable;
  /**
   * go.sum files known to be the same as in another repository's module (PR mode: unchanged since
   * the base), by path: the module shares that module's parse and text instead of reading `files`.
   */
  sameSums?: ReadonlyMap<string, ModuleInfo>;
  /**
   * Modules built from facts kept between runs (PR mode, facts.ts), by go.mod path: each is taken as
   * it is for a go.mod that `files` does not hold.
   */
  cachedModules?: ReadonlyMap<string, ModuleInfo>;
}

/** emptyConfig is the configuration used when there is no modguard.json. */
export function emptyConfig(): Config {
  return { file: '', rules: {}, ignore: [] };
}

/** internalError turns an unexpected exception of a parser into an error entry for that file. */
function internalError(file: string, err: unknown): ParseError {
  const message = err instanceof Error ? err.message : String(err);
  return { file, line: 1, column: 0, message: `internal parser error: ${message}` };
}

/**
 * dirOf returns the POSIX directory of a relative path, '.' for the root: path.posix.dirname's,
 * found by one search for the last slash in the usual case (a path with a name after its last
 * slash and one slash before it); dirname itself looks at the characters one by one, in code that
 * a PR run asks of a thousand paths once.
 */
export function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  if (i < 0) return '.';
  if (i > 0 && i < file.length - 1 && file.charCodeAt(i - 1) !== 0x2f) return file.slice(0, i);
  const d = path.posix.dirname(file);
  return d === '' ? '.' : d;
}

/** The modules by directory of each list of modules modulesByDir was asked about. */
const BY_DIR = new WeakMap<readonly ModuleInfo[], ReadonlyMap<string, ModuleInfo>>();

/**
 * modulesByDir maps the directory of each module of a repository to it, made once per list of
 * modules: the check and several rules ask for it, and PR mode checks the head with its list as it
 * is (a repository's list of modules is not changed once assembled).
 */
export function modulesByDir(modules: readonly ModuleInfo[]): ReadonlyMap<string, ModuleInfo> {
  let byDir = BY_DIR.get(modules);
  if (!byDir) {
    const made = new Map<string, ModuleInfo>();
    for (const m of modules) made.set(m.dir, m);
    BY_DIR.set(modules, (byDir = made));
  }
  return byDir;
}

/** siblingFile joins a directory ('.' for the root) and a file name. */
export function siblingFile(dir: string, name: string): string {
  return dir === '.' ? name : `${dir}/${name}`;
}

/**
 * graphDirOf is the directory whose graph file `file` would be, the graph file being named
 * `graphFile` beside each go.mod (a name, or a path below the module's directory such as
 * `deps/graph.txt`): the inverse of siblingFile. Undefined for any other file.
 */
export function graphDirOf(file: string, graphFile: string | undefined): string | undefined {
  if (graphFile === undefined || graphFile === '') return undefined;
  if (file === graphFile) return '.';
  const at = file.length - graphFile.length - 1;
  return at > 0 && file.endsWith(graphFile) && file.charCodeAt(at) === 0x2f ? file.slice(0, at) : undefined;
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** compareDirs orders module directories so that a parent comes before its children. */
function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** assembleModule parses one go.mod and what lies beside it. */
function assembleModule(
  file: string, files: Map<string, string>, graphFile: string | undefined, bytes: Map<string, Uint8Array> | undefined,
  reuse: ReadonlyMap<string, ModuleInfo> | undefined, sumTable: SumTable, sameSums: ReadonlyMap<string, ModuleInfo> | undefined,
): ModuleInfo {
  const dir = dirOf(file);
  const text = files.get(file) ?? '';
  const module: ModuleInfo = { dir, goModFile: file, modulePath: '', text, errors: [] };
  const sumFile = siblingFile(dir, 'go.sum');
  const sameSum = files.has(sumFile) ? undefined : sameSums?.get(sumFile);
  const attach = () => {
    if (sameSum?.sum) {
      // Parsed go.sum files are never mutated, so the parse (and the text, read when asked) is shared.
      module.sum = sameSum.sum;
      setLazyText(module, 'sumText', () => sameSum.sumText);
      attachGraph(module, files, graphFile, bytes);
    } else {
      attachModuleFiles(module, files, graphFile, bytes, sumTable);
    }
  };
  const same = reuse?.get(file);
  if (same && same.text === text) {
    // Parsed modules are never mutated, so the parse is shared.
    if (same.mod) module.mod = same.mod;
    module.errors.push(...same.errors.filter((e) => e.file === file));
    module.modulePath = same.modulePath;
    attach();
    return module;
  }
  parseModuleText(module, text);
  attach();
  return module;
}

/** parseModuleText parses a module's go.mod text into it: its ModFile, errors and module path. */
export function parseModuleText(module: ModuleInfo, text: string): void {
  const file = module.goModFile;
  try {
    const result = parseModFile(text, file);
    if (result.value) module.mod = result.value;
    if (!result.ok) module.errors.push(...result.errors);
  } catch (err) {
    module.errors.push(internalError(file, err));
  }
  module.modulePath = module.mod?.module?.mod.path ?? '';
}

/**
 * attachModuleFiles parses the go.sum and graph file beside a module's go.mod into the module.
 * With `sumKeysBelow` (the keys of `sumTable` below that id), only the go.sum lines of those module
 * versions are parsed (the others are read as blank lines, so line numbers stay true): enough for
 * comparing hashes with other modules' entries, at a fraction of the cost. Without `graphFile` no
 * graph is attached.
 */
export function attachModuleFiles(
  module: ModuleInfo, files: ReadonlyMap<string, string>, graphFile: string | undefined,
  bytes?: ReadonlyMap<string, Uint8Array>, sumTable?: SumTable, sumKeysBelow?: number,
): void {
  const dir = module.dir;
  const sumFile = siblingFile(dir, 'go.sum');
  const sumText = files.get(sumFile);
  if (sumText !== undefined) {
    module.sumText = sumText;
    try {
      module.sum = parseGoSum(sumText, sumFile, sumTable, sumKeysBelow !== undefined ? { keysBelow: sumKeysBelow } : {});
    } catch (err) {
      module.sum = { file: sumFile, entries: [], errors: [internalError(sumFile, err)] };
    }
  }
  attachGraph(module, files, graphFile, bytes);
}

/** Modules whose go.sum is decoded when first read (setDeferredSum). */
const deferredSums = new WeakSet<ModuleInfo>();

/**
 * hasDeferredSum tells a module whose go.sum setDeferredSum gave it and nobody replaced since,
 * without decoding it: the go.sum is there (a caller looking for modules without one skips it).
 */
export function hasDeferredSum(module: ModuleInfo): boolean {
  return deferredSums.has(module);
}

/** hasGoSum tells a module that has its go.sum, parsed or deferred (which it does not decode). */
export function hasGoSum(module: ModuleInfo): boolean {
  return hasDeferredSum(module) || module.sum !== undefined;
}

/**
 * setDeferredSum gives a module the go.sum `decode` makes when it is first read (PR mode's go.sum
 * facts, FactsSession.attachSum: most are never read). Setting the property replaces it.
 */
export function setDeferredSum(module: ModuleInfo, decode: () => GoSum | undefined): void {
  deferredSums.add(module);
  defineLazy(module, 'sum', decode, () => deferredSums.delete(module));
}

/**
 * setLazySumText gives a module a go.sum parsed elsewhere whose text is read (by `readText`) only
 * when something reads `sumText` (the review screen, a finding's column on an odd line): a
 * monorepo's go.sum texts stay out of memory.
 */
export function setLazySumText(module: ModuleInfo, sum: GoSum, readText: () => string | undefined): void {
  module.sum = sum;
  setLazyText(module, 'sumText', readText);
}

/**
 * setLazyText makes a module's `text` or `sumText` call `readText` when first read (a value set
 * before that is kept instead): modules whose files were not read need their text only rarely.
 */
export function setLazyText(module: ModuleInfo, key: 'text' | 'sumText', readText: () => string | undefined): void {
  defineLazy(module, key, readText);
}

/** attachGraph parses the graph file beside a module's go.mod into the module, when there is one. */
function attachGraph(module: ModuleInfo, files: ReadonlyMap<string, string>, graphFile: string | undefined, bytes?: ReadonlyMap<string, Uint8Array>): void {
  if (!graphFile) return;
  const gFile = siblingFile(module.dir, graphFile);
  const gBytes = bytes?.get(gFile);
  const gText = gBytes === undefined ? files.get(gFile) : undefined;
  if (gBytes === undefined && gText === undefined) return;
  try {
    module.graph = gBytes !== undefined ? parseModGraphBytes(gBytes, gFile) : parseModGraph(gText!, gFile);
  } catch (err) {
    module.graph = { file: gFile, nodes: [], edges: [], errors: [internalError(gFile, err)] };
  }
}

/** WORK_SUM is the name of the workspace's checksum file, beside go.work. */
export const WORK_SUM = 'go.work.sum';

function assembleWork(file: string, text: string, files: ReadonlyMap<string, string>, sumTable: SumTable): WorkInfo {
  const work: WorkInfo = { dir: dirOf(file), file, text, errors: [] };
  const sumFile = siblingFile(work.dir, WORK_SUM);
  const sumText = files.get(sumFile);
  if (sumText !== undefined) {
    work.sumText = sumText;
    try {
      work.sum = parseGoSum(sumText, sumFile, sumTable);
    } catch (err) {
      work.sum = { file: sumFile, entries: [], errors: [internalError(sumFile, err)] };
    }
  }
  try {
    const result = parseWorkFile(text, file);
    if (result.value) work.work = result.value;
    if (!result.ok) work.errors.push(...result.errors);
  } catch (err) {
    work.errors.push(internalError(file, err));
  }
  return work;
}

function assembleAnchors(file: string, text: string): AnchorLock {
  try {
    return parseAnchorLock(text, file);
  } catch (err) {
    return { file, text, anchors: new Map(), allowReplace: [], bans: [], errors: [internalError(file, err)] };
  }
}

/**
 * assembleRepository parses every go.mod (strictly: these are the repository's own modules), the
 * go.sum and graph file beside each, every go.work and the anchor.lock found in `files`. It never
 * throws for bad content: problems are kept as errors on the module, work file or lock. Modules
 * under a configured `ignore` pattern are left out.
 */
export function assembleRepository(input: AssembleInput): Repository {
  const config = input.config ?? emptyConfig();
  const anchorsFile = input.anchorsFile ?? ANCHOR_LOCK_FILE;
  const isIgnored = compileIgnore(config.ignore);

  const goMods: string[] = [];
  const goWorks: string[] = [];
  const cached = input.cachedModules;
  const names = cached ? [...input.files.keys(), ...[...cached.keys()].filter((f) => !input.files.has(f))] : input.files.keys();
  for (const file of names) {
    const name = baseName(file);
    if (name === 'go.mod' && file !== anchorsFile) {
      if (!isIgnored(file)) goMods.push(file);
    } else if (name === 'go.work' && file !== anchorsFile) {
      if (!isIgnored(file)) goWorks.push(file);
    }
  }
  // By directory, each worked out once (not twice per comparison).
  const dirs = new Map<string, string>();
  for (const f of goMods) dirs.set(f, dirOf(f));
  goMods.sort((a, b) => comparePaths(dirs.get(a)!, dirs.get(b)!));
  goWorks.sort(comparePaths);

  const sumTable = input.sumTable ?? new SumTable();
  const modules = goMods.map((f) => (!input.files.has(f) && cached?.get(f))
    || assembleModule(f, input.files, input.graphFile, input.bytes, input.reuse, sumTable, input.sameSums));
  const modulesByPath = new Map<string, ModuleInfo>();
  for (const m of modules) {
    if (m.modulePath && !modulesByPath.has(m.modulePath)) modulesByPath.set(m.modulePath, m);
  }

  const workFiles = goWorks.map((f) => assembleWork(f, input.files.get(f) ?? '', input.files, sumTable));
  const anchorsText = input.files.get(anchorsFile);
  const repo: Repository = {
    root: input.root,
    modules,
    modulesByPath,
    workFiles,
    config,
    loadErrors: [...(input.loadErrors ?? [])],
    sumTable,
  };
  if (anchorsText !== undefined) repo.anchors = assembleAnchors(anchorsFile, anchorsText);
  return repo;
}

/**
 * removedByChange lists the changed go.mod and go.work files that are no module's or workspace's of
 * the head: deleted by the change, or no longer found (ignored, moved into a skipped directory).
 * Their modules and workspaces are the base's only.
 */
export function removedByChange(changed: Iterable<string>, repo: Pick<Repository, 'modules' | 'workFiles'>): { goMods: string[]; goWorks: string[] } {
  // A head module's go.mod is found through the module of its directory (the repository's one map
  // of them, a module's go.mod being in its dir), not a set of every go.mod: PR mode asks this of a
  // few changed files.
  const byDir = modulesByDir(repo.modules);
  const goMods: string[] = [];
  const goWorks: string[] = [];
  for (const f of changed) {
    const name = f.slice(f.lastIndexOf('/') + 1);
    if (name === 'go.mod') {
      if (byDir.get(dirOf(f))?.goModFile !== f) goMods.push(f);
    } else if (name === 'go.work' && !repo.workFiles.some((w) => w.file === f)) {
      goWorks.push(f);
    }
  }
  return { goMods, goWorks };
}
