// Path patterns of modguard.json `ignore`: a pattern names a directory (or file) relative to the
// root, POSIX; `*` matches within one path segment, `**` any number of segments, `?` one character.
// A pattern matches a path when it matches the path itself or one of its parent directories, so
// `legacy` ignores everything below `legacy/`.

/** IgnoreMatcher tells whether a relative POSIX path is ignored. */
export type IgnoreMatcher = (relPath: string) => boolean;

/**
 * compileIgnore turns patterns into one matcher; an empty list matches nothing. Patterns without a
 * wildcard are looked up in a set. The others are matched segment by segment, without regular
 * expressions: a pattern of several wildcards made into one backtracks exponentially on a path
 * that almost matches (repeated `**` segments, or a segment like `*a*a*a*b`, ran for minutes on one path), and modguard.json
 * comes with the change a check judges. Matching takes time in the pattern's length times the
 * path's, whatever the pattern.
 */
export function compileIgnore(patterns: readonly string[]): IgnoreMatcher {
  const literals = new Set<string>();
  const globs: Segment[][] = [];
  for (const pattern of patterns) {
    const p = normalizePattern(pattern);
    if (p === undefined) continue;
    if (/[*?]/.test(p)) globs.push(segmentsOf(p));
    else literals.add(p);
  }
  if (literals.size === 0 && globs.length === 0) return () => false;
  return (relPath) => {
    const parts = relPath.split('/');
    // Try the path and each of its parents: `a/b/go.mod`, `a/b`, `a`.
    for (let n = parts.length; n >= 1; n--) {
      if (literals.size > 0 && literals.has(n === parts.length ? relPath : parts.slice(0, n).join('/'))) return true;
      for (const g of globs) if (matchSegments(g, parts, n)) return true;
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

/** A pattern's segment: `**` (any number of whole segments), or one segment's glob. */
type Segment = { any: true } | { any: false; glob: string };

/** segmentsOf splits a normalized pattern at `/`; consecutive `**` segments are one. */
function segmentsOf(p: string): Segment[] {
  const out: Segment[] = [];
  for (const part of p.split('/')) {
    if (part === '**') {
      if (!out.at(-1)?.any) out.push({ any: true });
    } else {
      // Within a segment `**` is `*`: neither crosses a `/`.
      out.push({ any: false, glob: part.replace(/\*+/g, '*') });
    }
  }
  return out;
}

/** matchSegments tells whether the segments match parts[0, n): `**` a run of whole segments. */
function matchSegments(pattern: readonly Segment[], parts: readonly string[], n: number): boolean {
  return matchWildcards(pattern.length, n, (i) => pattern[i]!.any, (i, j) => {
    const seg = pattern[i]!;
    return !seg.any && matchGlob(seg.glob, parts[j]!);
  });
}

/** matchGlob tells whether one segment's glob (`*` any run of characters, `?` one) matches a name. */
function matchGlob(glob: string, name: string): boolean {
  return matchWildcards(glob.length, name.length, (i) => glob.charCodeAt(i) === 42, (i, j) => {
    const c = glob.charCodeAt(i);
    return c === 63 || c === name.charCodeAt(j);
  });
}

/**
 * matchWildcards is the classic matching of a pattern whose stars stand for any run of elements
 * and whose other elements match one each (`matches`): it keeps only its last star to go back to,
 * so its time is at most the product of the two lengths, never exponential.
 */
function matchWildcards(patternLength: number, textLength: number, isStar: (i: number) => boolean, matches: (i: number, j: number) => boolean): boolean {
  let pi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  while (si < textLength) {
    if (pi < patternLength && !isStar(pi) && matches(pi, si)) {
      pi++;
      si++;
    } else if (pi < patternLength && isStar(pi)) {
      star = pi++;
      mark = si;
    } else if (star >= 0) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < patternLength && isStar(pi)) pi++;
  return pi === patternLength;
}
