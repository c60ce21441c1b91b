// Positions and small repository look-ups shared by the rules. A finding points at the exact token
// it is about, so these helpers know where each word of a require/replace/go line sits: at top
// level the first token is the verb, inside a `( ... )` block it is already the path.
import type { Line, ReplaceStmt, RequireStmt, Token } from '../../src/gomod/types.ts';
import type { ModuleInfo, Repository, WorkInfo, ReportDescriptor } from '../../src/engine/types.ts';
import { resolveDir } from '../../src/graph/repo-graph.ts';
import { readTokens } from '../../src/gomod/syntax.ts';

/** argTokens returns the tokens of a line after its verb (the whole line inside a block), for reading. */
export function argTokens(line: Line): readonly Token[] {
  const tokens = readTokens(line);
  return line.inBlock ? tokens : tokens.slice(1);
}

/** firstArgToken returns the first token after the verb (the module path of a require or replace). */
export function firstArgToken(line: Line): Token {
  return argTokens(line)[0] ?? readTokens(line)[0] ?? { text: '', start: line.start, end: line.end };
}

/** requireVersionToken returns the version token of a require line (the path token when absent). */
export function requireVersionToken(line: Line): Token {
  const args = argTokens(line);
  return args[1] ?? args[0] ?? firstArgToken(line);
}

/**
 * requireVersionLine is the line of requireVersionToken of a requirement: without making the syntax
 * of one built from kept facts (the listings of whole-repository findings name the line of every
 * module's requirement).
 */
export function requireVersionLine(req: RequireStmt): number {
  return req.versionLine ?? requireVersionToken(req.syntax).start.line;
}

/** replaceTargetToken returns the first token after `=>` of a replace line. */
export function replaceTargetToken(line: Line): Token {
  const args = argTokens(line);
  const arrow = args.findIndex((t) => t.text === '=>');
  return (arrow >= 0 ? args[arrow + 1] : undefined) ?? firstArgToken(line);
}

/** at turns a token (or a line: anything with a start) into the position fields of a report. */
export function at(token: Pick<Token, 'start'>): Pick<ReportDescriptor, 'line' | 'column'> {
  return { line: token.start.line, column: Math.max(1, token.start.column) };
}

/** moduleLineAt is the position of a go.mod's module line, for findings about the module as a whole (1:1 without one). */
export function moduleLineAt(module: ModuleInfo): Pick<ReportDescriptor, 'line' | 'column'> {
  const syntax = module.mod?.module?.syntax;
  return syntax ? at(syntax) : { line: 1, column: 1 };
}

/** isReported tells whether findings in this module are wanted (PR mode and shards narrow it). */
export function isReported(repo: Repository, module: ModuleInfo): boolean {
  return !repo.focus || repo.focus.has(module.dir);
}

/** The reported modules of each focus, with the list of modules they were picked from. */
const REPORTED = new WeakMap<ReadonlySet<string>, { modules: readonly ModuleInfo[]; reported: readonly ModuleInfo[] }>();

/**
 * reportedModules lists the modules isReported accepts, in the repository's order: all of them
 * without a focus. Picked once per focus and list of modules, for the rules that look at the
 * reported modules only: PR mode reports on a few of thousands.
 */
export function reportedModules(repo: Repository): readonly ModuleInfo[] {
  const focus = repo.focus;
  if (!focus) return repo.modules;
  let known = REPORTED.get(focus);
  if (known?.modules !== repo.modules) {
    known = { modules: repo.modules, reported: repo.modules.filter((m) => focus.has(m.dir)) };
    REPORTED.set(focus, known);
  }
  return known.reported;
}

/**
 * isWorkFileReported tells whether findings in a go.work file are wanted: always without a focus,
 * else when the workspace directory or one of the modules it uses is in focus, or the repository's
 * workFocus names the file.
 */
export function isWorkFileReported(repo: Repository, work: WorkInfo): boolean {
  const focus = repo.focus;
  if (!focus) return true;
  if (focus.has(work.dir) || repo.workFocus?.has(work.file)) return true;
  for (const use of work.work?.use ?? []) {
    if (focus.has(joinDir(work.dir, use.path) ?? '')) return true;
  }
  return false;
}

/**
 * joinDir resolves a relative directory path against a directory of the repository (both POSIX,
 * relative to the root, '.' for the root). It returns the normalized result ('.' for the root), or
 * undefined when the path is absolute or climbs above the root.
 */
export function joinDir(base: string, rel: string): string | undefined {
  if (isAbsolutePath(rel)) return undefined;
  const dir = resolveDir(base, rel);
  return dir === '..' || dir.startsWith('../') ? undefined : dir;
}


/** isAbsolutePath tells a path that does not depend on the module directory (`/x`, `C:\x`, `\\host`). */
export function isAbsolutePath(path: string): boolean {
  const c = path.charCodeAt(0);
  if (c === 0x2f || c === 0x5c) return true;
  // A drive letter: `C:\` or `C:/`.
  if (path.length < 3 || path.charCodeAt(1) !== 0x3a) return false;
  const sep = path.charCodeAt(2);
  return (sep === 0x2f || sep === 0x5c) && ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
}

/**
 * ReplacedVersions maps each module path that replace directives redirect to the old versions they
 * apply to: '' when one of them applies to every version, else the one version, else a set of them.
 */
export type ReplacedVersions = ReadonlyMap<string, string | ReadonlySet<string>>;

const NO_REPLACES: ReplacedVersions = new Map();

/** Per go.mod (PR mode shares unchanged ones between the head and the base), with the list it was made from. */
const replacedCache = new WeakMap<object, { replace: readonly ReplaceStmt[]; replaced: ReplacedVersions }>();

/**
 * replacedVersions maps each module path the module's own replace directives redirect to the old
 * versions they apply to. A redirected requirement's version is a placeholder (the usual
 * `v0.0.0-00010101000000-000000000000` of sibling modules) rather than what gets built.
 */
export function replacedVersions(module: Pick<ModuleInfo, 'mod'>): ReplacedVersions {
  const mod = module.mod;
  if (!mod || mod.replace.length === 0) return NO_REPLACES;
  const cached = replacedCache.get(mod);
  if (cached && cached.replace === mod.replace) return cached.replaced;
  const out = new Map<string, string | Set<string>>();
  const replace = mod.replace;
  for (let i = 0; i < replace.length; i++) {
    const { path, version } = replace[i]!.old;
    const seen = out.get(path);
    if (seen === undefined || version === '') out.set(path, version);
    else if (seen === '' || seen === version) continue;
    else if (typeof seen === 'string') out.set(path, new Set([seen, version]));
    else seen.add(version);
  }
  replacedCache.set(mod, { replace, replaced: out });
  return out;
}

/** isReplacedRequirement tells whether `path@version` is redirected by one of the given replaces. */
export function isReplacedRequirement(replaced: ReplacedVersions, path: string, version: string): boolean {
  const versions = replaced.get(path);
  if (versions === undefined) return false;
  return typeof versions === 'string' ? versions === '' || versions === version : versions.has(version);
}

/** plural formats a count with its noun: `1 module`, `3 modules`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * memoize caches a pure function of a string for one rule run: a thousand modules repeat the same
 * few thousand paths and versions, so parsing each once keeps the rules linear and cheap.
 */
export function memoize<T>(fn: (s: string) => T): (s: string) => T {
  // undefined results are kept as a marker, so that a hit is always one look-up.
  const cache = new Map<string, T | typeof UNDEFINED>();
  return (s) => {
    const v = cache.get(s);
    if (v === UNDEFINED) return undefined as T;
    if (v !== undefined) return v;
    const computed = fn(s);
    cache.set(s, computed === undefined ? UNDEFINED : computed);
    return computed;
  };
}

const UNDEFINED: unique symbol = Symbol('undefined');
