// Path patterns of modguard.json `ignore`: a pattern names a directory (or file) relative to the
// root, POSIX; `*` matches within one path segment, `**` any number of segments, `?` one character.
// A pattern matches a path when it matches the path itself or one of its parent directories, so
// `legacy` ignores everything below `legacy/`.

/** IgnoreMatcher tells whether a relative POSIX path is ignored. */
export type IgnoreMatcher = (relPath: string) => boolean;

/**
 * compileIgnore turns patterns into one matcher; an empty list matches nothing. Patterns without a
 * wildcard are looked up in a set, the others tried as one regular expression: a path costs the
 * same whether the list has ten patterns or ten thousand.
 */
export function compileIgnore(patterns: readonly string[]): IgnoreMatcher {
  const literals = new Set<string>();
  const globs: string[] = [];
  for (const pattern of patterns) {
    const p = normalizePattern(pattern);
    if (p === undefined) continue;
    if (/[*?]/.test(p)) globs.push(globSource(p));
    else literals.add(p);
  }
  if (literals.size === 0 && globs.length === 0) return () => false;
  const glob = globs.length > 0 ? new RegExp(`^(?:${globs.join('|')})$`) : undefined;
  return (relPath) => {
    const parts = relPath.split('/');
    // Try the path and each of its parents: `a/b/go.mod`, `a/b`, `a`.
    for (let n = parts.length; n >= 1; n--) {
      const prefix = n === parts.length ? relPath : parts.slice(0, n).join('/');
      if (literals.has(prefix) || glob?.test(prefix)) return true;
    }
    return false;
  };
}

/** normalizePattern is a pattern as a path from the root; undefined for an empty one (which would match all). */
function normalizePattern(pattern: string): string | undefined {
  let p = pattern.trim().replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  if (p.startsWith('/')) p = p.slice(1);
  while (p.endsWith('/')) p = p.slice(0, -1);
  return p === '' || p === '.' ? undefined : p;
}

/** patternToRegExp compiles one pattern; undefined for an empty pattern (which would match all). */
export function patternToRegExp(pattern: string): RegExp | undefined {
  const p = normalizePattern(pattern);
  return p === undefined ? undefined : new RegExp(`^${globSource(p)}$`);
}

/** globSource is the regular expression source (no groups that capture, no anchors) of a normalized pattern. */
function globSource(p: string): string {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') {
      if (p[i + 1] === '*') {
        // `**/` matches zero or more whole segments; a trailing `**` matches the rest.
        if (p[i + 2] === '/') { re += '(?:[^/]+/)*'; i += 2; } else { re += '.*'; i += 1; }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return re;
}
