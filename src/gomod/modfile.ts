// The typed layer: go.mod and go.work statements read out of the syntax tree with x/mod's rules
// (rule.go, work.go): the same checks, the same error texts, the same positions. Like x/mod, a
// successful parse canonicalizes tokens (unquoted paths, completed versions) for printing.
import type {
  Comments, ExcludeStmt, FileSyntax, GodebugStmt, IgnoreStmt, Line, LineBlock, ModFile, ModuleVersion, ParseError, ParseResult,
  ReplaceStmt, RequireStmt, RetractStmt, Token, ToolchainStmt, ToolStmt, UseStmt, WorkFile,
} from './types.ts';
import { oversized, parsePlainSyntax, parseSyntax, suffixTextOf, type SyntaxResult } from './syntax.ts';
import { autoQuote, quoteString, unquoteString } from './quote.ts';
import { canonicalModuleVersion, checkPathMajor, splitPathVersion } from '../version/module.ts';
import { GO_VERSION_RE, LAX_GO_VERSION_RE, TOOLCHAIN_RE } from '../version/go.ts';

/** A problem found while reading one statement; `prefix` is x/mod's `verb path: ` part. */
class StmtError {
  constructor(readonly message: string) {}
}

function setText(tok: Token, text: string): void {
  // Only ever added, never deleted, so tokens keep one object shape.
  if (text !== tok.text) tok.canonical = text;
  else if (tok.canonical !== undefined) tok.canonical = undefined;
}

function tt(tok: Token): string {
  return tok.canonical ?? tok.text;
}

/** The longest word the tables of this file keep (longer ones are read every time). */
const MAX_SHARED_TEXT = 128;

/**
 * PairTable keeps what `make` gives for a pair of words, shared by all parses: the go.mod files of a
 * monorepo repeat the same words hundreds of times. It holds at most `max` pairs (emptied when full)
 * of words of at most MAX_SHARED_TEXT characters, so its memory stays bounded whatever the input.
 */
class PairTable<T> {
  private readonly byA = new Map<string, Map<string, T>>();
  /** The pairs held. */
  size = 0;

  constructor(private readonly max: number, private readonly make: (a: string, b: string) => T) {}

  get(a: string, b: string): T {
    if (a.length > MAX_SHARED_TEXT || b.length > MAX_SHARED_TEXT) return this.make(a, b);
    let byB = this.byA.get(a);
    if (byB === undefined) {
      if (this.size >= this.max) {
        this.byA.clear();
        this.size = 0;
      }
      this.byA.set(a, (byB = new Map()));
    }
    let v = byB.get(b);
    if (v === undefined) {
      byB.set(b, (v = this.make(a, b)));
      this.size++;
    }
    return v;
  }
}

/**
 * The module versions of requirements and replacements: one frozen value serves every go.mod that
 * names a path@version (a parsed go.mod is never changed).
 */
const MODULE_VERSIONS = new PairTable<ModuleVersion>(1 << 18, (path, version) => Object.freeze({ path, version }));

/** moduleVersion is the shared frozen value of path@version (also used for go.mod facts kept between runs). */
export function moduleVersion(path: string, version: string): ModuleVersion {
  return MODULE_VERSIONS.get(path, version);
}

/** MAX_ERRORS bounds the errors kept for one file: a file of a million bad lines must not exhaust memory. */
export const MAX_ERRORS = 1000;

function failAt(errs: ParseError[], file: string, line: Line | LineBlock, message: string): void {
  if (errs.length < MAX_ERRORS) errs.push(errorAt(file, line, message));
  else if (errs.length === MAX_ERRORS) {
    errs.push({ ...errorAt(file, line, 'too many errors; the rest of this file is not reported'), column: 0 });
  }
}

/** addToolchain reads the toolchain line of a go.mod or go.work file into f. */
function addToolchain(f: { toolchain?: ToolchainStmt }, errs: ParseError[], file: string, line: Line, args: Token[]): void {
  if (f.toolchain) return failAt(errs, file, line, 'repeated toolchain statement');
  if (args.length !== 1) return failAt(errs, file, line, 'toolchain directive expects exactly one argument');
  if (!TOOLCHAIN_RE.test(tt(args[0]!))) return failAt(errs, file, line, `invalid toolchain version '${tt(args[0]!)}': must match format go1.23.0 or default`);
  f.toolchain = { name: tt(args[0]!), syntax: line };
}

/** addReplace reads a replace line of a go.mod or go.work file into f. */
function addReplace(f: { replace: ReplaceStmt[] }, errs: ParseError[], file: string, line: Line, verb: string, args: Token[]): void {
  const r = parseReplace(verb, args);
  if (r instanceof StmtError) return failAt(errs, file, line, r.message);
  r.syntax = line;
  f.replace.push(r);
}

function hasQuote(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 0x22 || c === 0x27 || c === 0x60) return true;
  }
  return false;
}

/** parseString is x/mod's parseString: unquotes `"..."`, rejects other quotes, and canonicalizes the token. */
/** Whether t is printable ASCII without quotes, brackets, commas or comment openers: it needs no quoting. */
function isPlain(t: string): boolean {
  const n = t.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
    switch (c) {
      case 0x22: case 0x27: case 0x60: case 0x28: case 0x29: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x2c:
        return false;
      case 0x2f: {
        const d = i + 1 < n ? t.charCodeAt(i + 1) : 0;
        if (d === 0x2f || d === 0x2a) return false;
      }
    }
  }
  return true;
}

function parseString(tok: Token): string {
  let t = tok.canonical ?? tok.text;
  if (isPlain(t)) return t;
  if (t.startsWith('"')) {
    const u = unquoteString(t);
    if (u === undefined) throw new StmtError('invalid quoted string: invalid syntax');
    t = u;
  } else if (hasQuote(t)) {
    throw new StmtError('invalid quoted string: unquoted string cannot contain quote');
  }
  setText(tok, autoQuote(t));
  return t;
}

function directive(verb: string, path: string): string {
  if (path !== '') return `${verb} ${path}: `;
  if (verb !== '') return `${verb}: `;
  return '';
}

/** parseVersion is x/mod's parseVersion with a nil fixer (or retract's keep-as-is fixer). */
function parseVersion(verb: string, path: string, tok: Token, keep: boolean): string {
  const raw = tok.canonical ?? tok.text;
  let t: string;
  try {
    t = parseString(tok);
  } catch (e) {
    if (!(e instanceof StmtError)) throw e;
    const inner = e.message.replace(/^invalid quoted string: /, '');
    throw new StmtError(`${directive(verb, path)}version ${quoteString(raw)} invalid: ${inner}`);
  }
  if (!keep) {
    const cv = canonicalModuleVersion(t);
    if (cv === '') throw new StmtError(`${directive(verb, path)}version ${quoteString(t)} invalid: must be of the form v1.2.3`);
    t = cv;
  }
  setText(tok, t);
  return t;
}

function modulePathMajor(path: string): string {
  const { pathMajor, ok } = splitPathVersion(path);
  if (!ok) throw new StmtError('invalid module path');
  return pathMajor;
}

/** isDirectoryPath is x/mod's IsDirectoryPath (Unix and Windows forms). */
export function isDirectoryPath(ns: string): boolean {
  if (ns === '.' || ns === '..') return true;
  if (ns.startsWith('./') || ns.startsWith('.\\') || ns.startsWith('../') || ns.startsWith('..\\')) return true;
  if (ns.startsWith('/') || ns.startsWith('\\')) return true;
  if (ns.length >= 2 && ns[1] === ':') {
    const c = ns.charCodeAt(0);
    return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  }
  return false;
}

/** isIndirect is x/mod's isIndirect: the first suffix comment is `// indirect` or starts `// indirect;`. */
export function isIndirect(line: Line): boolean {
  const token = suffixTextOf(line);
  if (token === undefined) return false;
  if (token === '// indirect') return true;
  const text = token.startsWith('//') ? token.slice(2) : token;
  const f = text.split(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/).filter((s) => s !== '');
  return (f.length === 1 && f[0] === 'indirect') || (f.length > 1 && f[0] === 'indirect;');
}

function goTrimSpace(s: string): string {
  return s.replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g, '');
}

/** directiveComment is x/mod's parseDirectiveComment: the line's comments, else its block's. */
function directiveComment(block: LineBlock | undefined, line: Line): string {
  let comments: Comments = line.comments;
  if (block && comments.before.length === 0 && comments.suffix.length === 0) comments = block.comments;
  const lines: string[] = [];
  for (const group of [comments.before, comments.suffix]) {
    for (const c of group) {
      if (!c.token.startsWith('//')) continue;
      lines.push(goTrimSpace(c.token.slice(2)));
    }
  }
  return lines.join('\n');
}

const DEPRECATED_RE = /(?:^|\n\n)Deprecated: *([\s\S]*?)(?:$|\n\n)/;

function parseReplace(verb: string, args: Token[]): ReplaceStmt | StmtError {
  let arrow = 2;
  if (args.length >= 2 && tt(args[1]!) === '=>') arrow = 1;
  if (args.length < arrow + 2 || args.length > arrow + 3 || tt(args[arrow]!) !== '=>') {
    return new StmtError(`usage: ${verb} module/path [v1.2.3] => other/module v1.4\n\t or ${verb} module/path [v1.2.3] => ../local/directory`);
  }
  const s = parseString(args[0]!);
  let pathMajor: string;
  try {
    pathMajor = modulePathMajor(s);
  } catch (e) {
    if (e instanceof StmtError) return new StmtError(`${directive(verb, s)}${e.message}`);
    throw e;
  }
  let v = '';
  if (arrow === 2) {
    v = parseVersion(verb, s, args[1]!, false);
    const bad = checkPathMajor(v, pathMajor);
    if (bad !== undefined) return new StmtError(`${directive(verb, s)}${bad}`);
  }
  const ns = parseString(args[arrow + 1]!);
  let nv = '';
  if (args.length === arrow + 2) {
    if (!isDirectoryPath(ns)) {
      if (ns.includes('@')) return new StmtError("replacement module must match format 'path version', not 'path@version'");
      return new StmtError('replacement module without version must be directory path (rooted or starting with . or ..)');
    }
    if (ns.includes('\\')) return new StmtError('replacement directory appears to be Windows path (on a non-windows system)');
  }
  if (args.length === arrow + 3) {
    nv = parseVersion(verb, ns, args[arrow + 2]!, false);
    if (isDirectoryPath(ns)) return new StmtError(`replacement module directory path ${quoteString(ns)} cannot have version`);
  }
  return { old: moduleVersion(s, v), new: moduleVersion(ns, nv), syntax: undefined as unknown as Line };
}

/** parseVersionInterval is x/mod's parseVersionInterval; consumes the tokens it used from `args`. */
function parseVersionInterval(verb: string, args: Token[]): { low: string; high: string; rest: Token[] } {
  let toks = args;
  if (toks.length === 0 || tt(toks[0]!) === '(') throw new StmtError("expected '[' or version");
  if (tt(toks[0]!) !== '[') {
    const v = parseVersion(verb, '', toks[0]!, true);
    return { low: v, high: v, rest: toks.slice(1) };
  }
  toks = toks.slice(1);
  if (toks.length === 0) throw new StmtError("expected version after '['");
  const low = parseVersion(verb, '', toks[0]!, true);
  toks = toks.slice(1);
  if (toks.length === 0 || tt(toks[0]!) !== ',') throw new StmtError("expected ',' after version");
  toks = toks.slice(1);
  if (toks.length === 0) throw new StmtError("expected version after ','");
  const high = parseVersion(verb, '', toks[0]!, true);
  toks = toks.slice(1);
  if (toks.length === 0 || tt(toks[0]!) !== ']') throw new StmtError("expected ']' after version");
  return { low, high, rest: toks.slice(1) };
}

function godebug(args: Token[], line: Line): GodebugStmt | StmtError {
  const a = args[0] ? args[0].canonical ?? args[0].text : '';
  if (args.length !== 1 || /["`',]/.test(a)) return new StmtError('usage: godebug key=value');
  const eq = a.indexOf('=');
  if (eq < 0) return new StmtError('usage: godebug key=value');
  return { key: a.slice(0, eq), value: a.slice(eq + 1), syntax: line };
}

function emptyModFile(syntax: FileSyntax): ModFile {
  return { godebug: [], require: [], exclude: [], replace: [], retract: [], tool: [], ignore: [], syntax };
}

function errorAt(file: string, line: Line | LineBlock, message: string): ParseError {
  const col = line.start.column;
  return { file, line: line.start.line, column: col > 1 ? col : 0, message };
}

const MOD_BLOCKS = new Set(['module', 'godebug', 'require', 'exclude', 'replace', 'retract', 'tool', 'ignore']);
const LAX_VERBS = new Set(['go', 'module', 'retract', 'require']);

function addModLine(f: ModFile, errs: ParseError[], block: LineBlock | undefined, line: Line, verb: string, args: Token[], strict: boolean): void {
  if (!strict && !LAX_VERBS.has(verb)) return;
  const file = f.syntax.name;
  try {
    switch (verb) {
      default:
        return failAt(errs, file, line, `unknown directive: ${verb}`);
      case 'go': {
        if (f.go) return failAt(errs, file, line, 'repeated go statement');
        if (args.length !== 1) return failAt(errs, file, line, 'go directive expects exactly one argument');
        if (!GO_VERSION_RE.test(tt(args[0]!))) {
          const m = strict ? null : LAX_GO_VERSION_RE.exec(tt(args[0]!));
          if (!m) return failAt(errs, file, line, `invalid go version '${tt(args[0]!)}': must match format 1.23.0`);
          setText(args[0]!, m[1]!);
        }
        f.go = { version: tt(args[0]!), syntax: line };
        return;
      }
      case 'toolchain':
        return addToolchain(f, errs, file, line, args);
      case 'module': {
        if (f.module) return failAt(errs, file, line, 'repeated module statement');
        const text = directiveComment(block, line);
        const m = DEPRECATED_RE.exec(text);
        f.module = { mod: { path: '', version: '' }, deprecated: m ? m[1]! : '', syntax: line };
        if (args.length !== 1) return failAt(errs, file, line, 'usage: module module/path');
        f.module.mod = { path: parseString(args[0]!), version: '' };
        return;
      }
      case 'godebug': {
        const g = godebug(args, line);
        if (g instanceof StmtError) return failAt(errs, file, line, g.message);
        f.godebug.push(g);
        return;
      }
      case 'require':
      case 'exclude': {
        if (args.length !== 2) return failAt(errs, file, line, `usage: ${verb} module/path v1.2.3`);
        const s = parseString(args[0]!);
        const v = parseVersion(verb, s, args[1]!, false);
        const pathMajor = modulePathMajor(s);
        const bad = checkPathMajor(v, pathMajor);
        if (bad !== undefined) return failAt(errs, file, line, `${directive(verb, s)}${bad}`);
        if (verb === 'require') {
          f.require.push({ mod: moduleVersion(s, v), indirect: isIndirect(line), syntax: line } satisfies RequireStmt);
        } else {
          f.exclude.push({ mod: moduleVersion(s, v), syntax: line } satisfies ExcludeStmt);
        }
        return;
      }
      case 'replace':
        return addReplace(f, errs, file, line, verb, args);
      case 'retract': {
        const rationale = directiveComment(block, line);
        let vi: { low: string; high: string; rest: Token[] };
        try {
          vi = parseVersionInterval(verb, args);
        } catch (e) {
          if (!strict && e instanceof StmtError) return;
          throw e;
        }
        if (vi.rest.length > 0 && strict) {
          return failAt(errs, file, line, `unexpected token after version: ${quoteString(vi.rest[0]!.canonical ?? vi.rest[0]!.text)}`);
        }
        f.retract.push({ low: vi.low, high: vi.high, rationale, syntax: line } satisfies RetractStmt);
        return;
      }
      case 'tool':
      case 'ignore': {
        if (args.length !== 1) return failAt(errs, file, line, `${verb} directive expects exactly one argument`);
        const s = parseString(args[0]!);
        if (verb === 'tool') f.tool.push({ path: s, syntax: line } satisfies ToolStmt);
        else f.ignore.push({ path: s, syntax: line } satisfies IgnoreStmt);
        return;
      }
    }
  } catch (e) {
    if (e instanceof StmtError) return failAt(errs, file, line, e.message);
    throw e;
  }
}

/** readSyntax is parseSyntax, with the plain form (nearly every go.mod and go.work) read by parsePlainSyntax. */
function readSyntax(text: string, file: string): SyntaxResult {
  const plain = parsePlainSyntax(text, file);
  return plain ? { syntax: plain, errors: [] } : parseSyntax(text, file);
}

function internalError(file: string, e: unknown): ParseError {
  return { file, line: 0, column: 0, message: `internal error: ${(e as Error)?.message ?? String(e)}` };
}

/**
 * parseModFile parses a go.mod file: strict (x/mod Parse, for the main module) by default, or lax
 * (x/mod ParseLax, for dependencies: only module, go, require and retract are read, unknown
 * directives ignored). Never throws; on a syntax error `value` is undefined, on statement errors it
 * holds the statements that were valid.
 */
export function parseModFile(text: string, file: string, opts?: { lax?: boolean }): ParseResult<ModFile> {
  const strict = !opts?.lax;
  // The plain form (nearly every go.mod) is read with lines that make their tokens when first
  // read; the typed layer reads the words' texts. If it canonicalizes one (`v1.2` for `v1.2.0`),
  // the tokens must carry that: the file is read again with its tokens made at once.
  const words: (readonly string[])[] = [];
  let parsed: SyntaxResult;
  // A file under a mebibyte can hold neither too many bytes nor too many lines.
  const tooLarge = text.length > 1 << 20 ? oversized(text, file) : undefined;
  if (tooLarge) return { ok: false, value: undefined, errors: [tooLarge] };
  try {
    const lazy = parsePlainSyntax(text, file, { lazy: true, words });
    if (lazy) {
      const typed = typedModFile(lazy, strict, words);
      if (typed) return typed;
      parsed = { syntax: parsePlainSyntax(text, file)!, errors: [] };
    } else {
      parsed = parseSyntax(text, file);
    }
  } catch (e) {
    return { ok: false, value: undefined, errors: [internalError(file, e)] };
  }
  if (parsed.errors.length > 0) return { ok: false, value: undefined, errors: parsed.errors };
  return typedModFile(parsed.syntax, strict)!;
}

/**
 * What addModLine makes of the usual block lines, by their words, shared by all parses: a
 * requirement `path version` (its module version), a replacement `old => ../dir` (its old and new
 * module versions), or null when addModLine must read the line (it would report an error or
 * canonicalize a word). A monorepo's go.mod files repeat the same few thousand such lines.
 */
const USUAL_REQUIRES = new PairTable<ModuleVersion | null>(1 << 17, (path, version) => usualRequire(path, version));
const USUAL_REPLACES = new PairTable<readonly [ModuleVersion, ModuleVersion] | null>(1 << 17, (old, target) => usualReplace(old, target));

/**
 * usualLine reads a block line of the plain form given its words when it is a usual requirement or
 * directory replacement, into what addModLine would add (the same checks, made once per distinct
 * line), and says whether it did.
 */
function usualLine(f: ModFile, verb: 'require' | 'replace', line: Line, w: readonly string[]): boolean {
  if (verb === 'require') {
    if (w.length !== 2) return false;
    const mv = USUAL_REQUIRES.get(w[0]!, w[1]!);
    if (mv === null) return false;
    f.require.push({ mod: mv, indirect: isIndirect(line), syntax: line } satisfies RequireStmt);
    return true;
  }
  if (w.length !== 3 || w[1] !== '=>') return false;
  const pair = USUAL_REPLACES.get(w[0]!, w[2]!);
  if (pair === null) return false;
  f.replace.push({ old: pair[0], new: pair[1], syntax: line } satisfies ReplaceStmt);
  return true;
}

/** @internal usualLineCount is the number of distinct usual lines remembered (for tests of its bounds). */
export function usualLineCount(): number {
  return USUAL_REQUIRES.size + USUAL_REPLACES.size;
}

/** usualRequire is addModLine's reading of `require path version` when it reports nothing and changes no word. */
function usualRequire(path: string, version: string): ModuleVersion | null {
  if (!isPlain(path) || !isPlain(version) || canonicalModuleVersion(version) !== version) return null;
  const { pathMajor, ok } = splitPathVersion(path);
  if (!ok || checkPathMajor(version, pathMajor) !== undefined) return null;
  return moduleVersion(path, version);
}

/** usualReplace is parseReplace's reading of `replace old => target` when it reports nothing and changes no word. */
function usualReplace(old: string, target: string): readonly [ModuleVersion, ModuleVersion] | null {
  if (!isPlain(old) || !isPlain(target) || !splitPathVersion(old).ok) return null;
  if (!isDirectoryPath(target) || target.includes('\\')) return null;
  return [moduleVersion(old, ''), moduleVersion(target, '')];
}

/** WordToken stands for a token of a lazily made line while the typed layer reads its text. */
interface WordToken {
  text: string;
  canonical?: string;
}

/**
 * typedModFile reads the statements of a go.mod tree. With `words` (the words of each statement
 * line, from parsePlainSyntax) it reads texts instead of tokens, and gives undefined when a word
 * would be canonicalized (see parseModFile).
 */
function typedModFile(syntax: FileSyntax, strict: boolean, words?: readonly (readonly string[])[]): ParseResult<ModFile> | undefined {
  const file = syntax.name;
  const f = emptyModFile(syntax);
  const errs: ParseError[] = [];
  let next = 0;
  let canonicalized = false;
  /** The arguments of a statement line: its tokens, or stand-ins for its words from `skip` on. */
  const argsOf = (l: Line, skip: number): Token[] => {
    if (!words) return skip === 0 ? l.tokens : l.tokens.slice(1);
    const w = words[next++]!;
    const out: WordToken[] = new Array<WordToken>(w.length - skip);
    for (let k = skip; k < w.length; k++) out[k - skip] = { text: w[k]! };
    return out as Token[];
  };
  const check = (args: Token[]) => {
    if (!words) return;
    for (const t of args) if ((t as WordToken).canonical !== undefined) canonicalized = true;
  };
  try {
    for (const x of syntax.stmts) {
      if (x.kind === 'line') {
        const verb = words ? words[next]![0]! : x.tokens[0]!.text;
        const args = argsOf(x, 1);
        addModLine(f, errs, undefined, x, verb, args, strict);
        check(args);
      } else if (x.kind === 'block') {
        const verb = x.tokens[0]!.text;
        if (x.tokens.length > 1 || !MOD_BLOCKS.has(verb)) {
          if (strict) failAt(errs, file, x, `unknown block type: ${x.tokens.map((t) => t.text).join(' ')}`);
          if (words) next += x.lines.length;
          continue;
        }
        for (const l of x.lines) {
          // The usual block lines of the plain form take a short way with the same outcome (lax
          // reading leaves replacements out).
          if (words && (verb === 'require' || (verb === 'replace' && strict)) && usualLine(f, verb, l, words[next]!)) {
            next++;
            continue;
          }
          const args = argsOf(l, 0);
          addModLine(f, errs, x, l, verb, args, strict);
          check(args);
        }
      }
      if (canonicalized) return undefined;
    }
  } catch (e) {
    errs.push(internalError(file, e));
  }
  fitLists(f);
  if (errs.length > 0) return { ok: false, value: f, errors: errs };
  return { ok: true, value: f, errors: [] };
}

/** Replaces the statement lists (grown by pushes, with room to spare) by exact-length copies. */
function fitLists(f: ModFile): void {
  if (f.godebug.length > 0) f.godebug = f.godebug.slice();
  if (f.require.length > 0) f.require = f.require.slice();
  if (f.exclude.length > 0) f.exclude = f.exclude.slice();
  if (f.replace.length > 0) f.replace = f.replace.slice();
  if (f.retract.length > 0) f.retract = f.retract.slice();
  if (f.tool.length > 0) f.tool = f.tool.slice();
  if (f.ignore.length > 0) f.ignore = f.ignore.slice();
}

const WORK_BLOCKS = new Set(['godebug', 'use', 'replace']);

function addWorkLine(f: WorkFile, errs: ParseError[], line: Line, verb: string, args: Token[]): void {
  const file = f.syntax.name;
  try {
    switch (verb) {
      default:
        return failAt(errs, file, line, `unknown directive: ${verb}`);
      case 'go':
        if (f.go) return failAt(errs, file, line, 'repeated go statement');
        if (args.length !== 1) return failAt(errs, file, line, 'go directive expects exactly one argument');
        if (!GO_VERSION_RE.test(tt(args[0]!))) return failAt(errs, file, line, `invalid go version '${tt(args[0]!)}': must match format 1.23.0`);
        f.go = { version: tt(args[0]!), syntax: line };
        return;
      case 'toolchain':
        return addToolchain(f, errs, file, line, args);
      case 'godebug': {
        const g = godebug(args, line);
        if (g instanceof StmtError) return failAt(errs, file, line, g.message);
        f.godebug.push(g);
        return;
      }
      case 'use': {
        if (args.length !== 1) return failAt(errs, file, line, `usage: ${verb} local/dir`);
        f.use.push({ path: parseString(args[0]!), modulePath: '', syntax: line } satisfies UseStmt);
        return;
      }
      case 'replace':
        return addReplace(f, errs, file, line, verb, args);
    }
  } catch (e) {
    if (e instanceof StmtError) return failAt(errs, file, line, e.message);
    throw e;
  }
}

/** parseWorkFile parses a go.work file (x/mod ParseWork). Never throws. */
export function parseWorkFile(text: string, file: string): ParseResult<WorkFile> {
  const tooLarge = text.length > 1 << 20 ? oversized(text, file) : undefined;
  if (tooLarge) return { ok: false, value: undefined, errors: [tooLarge] };
  let parsed;
  try {
    parsed = readSyntax(text, file);
  } catch (e) {
    return { ok: false, value: undefined, errors: [internalError(file, e)] };
  }
  if (parsed.errors.length > 0) return { ok: false, value: undefined, errors: parsed.errors };
  const f: WorkFile = { godebug: [], use: [], replace: [], syntax: parsed.syntax };
  const errs: ParseError[] = [];
  try {
    for (const x of parsed.syntax.stmts) {
      if (x.kind === 'line') {
        addWorkLine(f, errs, x, x.tokens[0]!.text, x.tokens.slice(1));
      } else if (x.kind === 'block') {
        const verb = x.tokens[0]!.text;
        if (x.tokens.length > 1 || !WORK_BLOCKS.has(verb)) {
          failAt(errs, file, x, `unknown block type: ${x.tokens.map((t) => t.text).join(' ')}`);
          continue;
        }
        for (const l of x.lines) addWorkLine(f, errs, l, verb, l.tokens);
      }
    }
  } catch (e) {
    errs.push(internalError(file, e));
  }
  if (errs.length > 0) return { ok: false, value: f, errors: errs };
  return { ok: true, value: f, errors: [] };
}
