// Path patterns of modguard.json `ignore`: a pattern names a directory (or file) relative to the
// root, POSIX; `*` matches within one path segment, `**` any number of segments, `?` one character.
// A pattern matches a path when it matches the path itself or one of its parent directories, so
// `legacy` ignores everything below `legacy/`.

/** IgnoreMatcher tells whether a relative POSIX path is ignored. */
export type IgnoreMatcher = (relPath: string) => boolean;

/** compileIgnore turns patterns into one matcher; an empty list matches nothing. */
export function compileIgnore(patterns: readonly string[]): IgnoreMatcher {
  const regexes = patterns.map(patternToRegExp).filter((r): r is RegExp => r !== undefined);
  if (regexes.length === 0) return () => false;
  return (relPath) => {
    const parts = relPath.split('/');
    // Try the path and each of its parents: `a/b/go.mod`, `a/b`, `a`.
    for (let n = parts.length; n >= 1; n--) {
      const prefix = n === parts.length ? relPath : parts.slice(0, n).join('/');
      for (const r of regexes) if (r.test(prefix)) return true;
    }
    return false;
  };
}

/** patternToRegExp compiles one pattern; undefined for an empty pattern (which would match all). */
export function patternToRegExp(pattern: string): RegExp | undefined {
  let p = pattern.trim().replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  if (p.startsWith('/')) p = p.slice(1);
  while (p.endsWith('/')) p = p.slice(0, -1);
  if (p === '' || p === '.') return undefined;
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
  return new RegExp(`^${re}$`);
}
