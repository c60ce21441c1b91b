// Positions and small repository look-ups shared by the rules. A finding points at the exact token
// it is about, so these helpers know where each word of a require/replace/go line sits: at top
// level the first token is the verb, inside a `( ... )` block it is already the path.
import type { Line, Token } from '../../src/gomod/types.ts';
import type { ModuleInfo, Repository, WorkInfo, ReportDescriptor } from '../../src/engine/types.ts';

/** argTokens returns the tokens of a line after its verb (the whole line inside a block). */
export function argTokens(line: Line): Token[] {
  return line.inBlock ? line.tokens : line.tokens.slice(1);
}

/** firstArgToken returns the first token after the verb (the module path of a require or replace). */
export function firstArgToken(line: Line): Token {
  return argTokens(line)[0] ?? line.tokens[0] ?? { text: '', start: line.start, end: line.end };
}

/** requireVersionToken returns the version token of a require line (the path token when absent). */
export function requireVersionToken(line: Line): Token {
  const args = argTokens(line);
  return args[1] ?? args[0] ?? firstArgToken(line);
}

/** replaceTargetToken returns the first token after `=>` of a replace line. */
export function replaceTargetToken(line: Line): Token {
  const args = argTokens(line);
  const arrow = args.findIndex((t) => t.text === '=>');
  return (arrow >= 0 ? args[arrow + 1] : undefined) ?? firstArgToken(line);
}

/** at turns a token into the position fields of a report. */
export function at(token: Token): Pick<ReportDescriptor, 'line' | 'column'> {
  return { line: token.start.line, column: Math.max(1, token.start.column) };
}

/** isReported tells whether findings in this module are wanted (PR mode and shards narrow it). */
export function isReported(repo: Repository, module: ModuleInfo): boolean {
  return !repo.focus || repo.focus.has(module.dir);
}

/**
 * isWorkFileReported tells whether findings in a go.work file are wanted: always without a focus,
 * else when the workspace directory or one of the modules it uses is in focus.
 */
export function isWorkFileReported(repo: Repository, work: WorkInfo): boolean {
  const focus = repo.focus;
  if (!focus) return true;
  if (focus.has(work.dir)) return true;
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
  const target = rel.replace(/\\/g, '/');
  if (isAbsolutePath(target)) return undefined;
  const parts = base === '.' || base === '' ? [] : base.split('/');
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

/** isAbsolutePath tells a path that does not depend on the module directory (`/x`, `C:\x`, `\\host`). */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(path);
}

const NO_REPLACES: Map<string, Set<string>> = new Map();

/**
 * replacedVersions maps each module path the module's own replace directives redirect to the old
 * versions they apply to ('' for all). A redirected requirement's version is a placeholder (the
 * usual `v0.0.0-00010101000000-000000000000` of sibling modules) rather than what gets built.
 */
export function replacedVersions(module: ModuleInfo): Map<string, Set<string>> {
  if (!module.mod || module.mod.replace.length === 0) return NO_REPLACES;
  const out = new Map<string, Set<string>>();
  for (const r of module.mod?.replace ?? []) {
    let versions = out.get(r.old.path);
    if (!versions) out.set(r.old.path, (versions = new Set()));
    versions.add(r.old.version);
  }
  return out;
}

/** isReplacedRequirement tells whether `path@version` is redirected by one of the given replaces. */
export function isReplacedRequirement(replaced: Map<string, Set<string>>, path: string, version: string): boolean {
  const versions = replaced.get(path);
  return versions !== undefined && (versions.has('') || versions.has(version));
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
  const cache = new Map<string, T>();
  return (s) => {
    let v = cache.get(s);
    if (v === undefined && !cache.has(s)) cache.set(s, (v = fn(s)));
    return v as T;
  };
}
