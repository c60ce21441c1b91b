// The go.sum reader. It accepts what the go command accepts (cmd/go/internal/modfetch readGoSum:
// whitespace-separated fields, blank lines skipped, exactly three fields per line) and is stricter
// about the hash, because a go.sum is an integrity record: a damaged hash must be visible.
import type { GoSum, GoSumEntry } from '../engine/types.ts';
import type { ParseError } from '../gomod/types.ts';

/**
 * EMPTY_GO_MOD_HASH is the hash of a tree holding only an empty go.mod. Old go commands wrote it for
 * non-modules by mistake; the go command drops such lines when reading, and so do we.
 */
export const EMPTY_GO_MOD_HASH = 'h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=';

/** H1_HASH is a well-formed `h1:` hash: the base64 of a SHA-256 sum (32 bytes = 43 chars + `=`). */
const H1_HASH = /^h1:[A-Za-z0-9+/]{43}=$/;
const ALGORITHM_PREFIX = /^[a-z][a-z0-9]*:/;
// Go splits with strings.Fields (unicode.IsSpace); JavaScript's \s is the same set for practical input.
const FIELD = /\S+/g;
const THREE_FIELDS = /^\S+ \S+ \S+$/;

/**
 * parseGoSum reads a go.sum text. It never throws: malformed lines become `errors` (with file, line and
 * column) and are left out of `entries`; lines the go command tolerates but cannot use for
 * verification (unknown hash algorithms, the old empty-go.mod hash) become `warnings`.
 */
export function parseGoSum(text: string, file: string): GoSum {
  const entries: GoSumEntry[] = [];
  const errors: ParseError[] = [];
  const warnings: ParseError[] = [];
  try {
    let lineNo = 0;
    let start = 0;
    const n = text.length;
    while (start < n) {
      lineNo++;
      let end = text.indexOf('\n', start);
      if (end < 0) end = n;
      const raw = text.charCodeAt(end - 1) === 13 && end > start ? text.slice(start, end - 1) : text.slice(start, end);
      start = end + 1;
      parseLine(raw, lineNo, file, entries, errors, warnings);
    }
  } catch (err) {
    errors.push({ file, line: 1, column: 0, message: `internal error reading go.sum: ${(err as Error)?.message ?? String(err)}` });
  }
  return { file, entries, errors, warnings };
}

function parseLine(
  raw: string, line: number, file: string,
  entries: GoSumEntry[], errors: ParseError[], warnings: ParseError[],
): void {
  // Fast path: the common line is exactly three fields separated by single spaces.
  let fields: Array<{ text: string; at: number }>;
  if (THREE_FIELDS.test(raw)) {
    const s1 = raw.indexOf(' ');
    const s2 = raw.indexOf(' ', s1 + 1);
    fields = [{ text: raw.slice(0, s1), at: 0 }, { text: raw.slice(s1 + 1, s2), at: s1 + 1 }, { text: raw.slice(s2 + 1), at: s2 + 1 }];
  } else {
    fields = [];
    FIELD.lastIndex = 0;
    for (let m = FIELD.exec(raw); m; m = FIELD.exec(raw)) fields.push({ text: m[0], at: m.index });
    if (fields.length === 0) return;
  }
  const col = (at: number) => columnOf(raw, at);
  if (fields.length !== 3) {
    errors.push({
      file, line, column: col(fields[0]!.at),
      message: `malformed go.sum line: wrong number of fields ${fields.length} (want "module version[/go.mod] hash")`,
    });
    return;
  }
  const [p, v, h] = fields as [typeof fields[0], typeof fields[0], typeof fields[0]];
  let version = v.text;
  const isGoMod = version.endsWith('/go.mod');
  if (isGoMod) version = version.slice(0, -'/go.mod'.length);
  if (!/^v\d/.test(version) || version.includes('/')) {
    errors.push({ file, line, column: col(v.at), message: `malformed go.sum line: invalid version ${JSON.stringify(v.text)} (want vX.Y.Z or vX.Y.Z/go.mod)` });
    return;
  }
  const hash = h.text;
  if (!H1_HASH.test(hash)) {
    if (hash.startsWith('h1:')) {
      errors.push({ file, line, column: col(h.at), message: `malformed go.sum line: invalid h1 hash ${JSON.stringify(clip(hash))} (want "h1:" and 44 base64 characters of a SHA-256 sum)` });
      return;
    }
    const alg = ALGORITHM_PREFIX.exec(hash);
    if (!alg) {
      errors.push({ file, line, column: col(h.at), message: `malformed go.sum line: hash ${JSON.stringify(clip(hash))} has no algorithm prefix (want "h1:...")` });
      return;
    }
    // The go command keeps hashes of algorithms it does not know and cannot verify them.
    warnings.push({ file, line, column: col(h.at), message: `unknown hash algorithm "${alg[0]}" for ${p.text} ${v.text}: the go command cannot verify it` });
  } else if (isGoMod && hash === EMPTY_GO_MOD_HASH) {
    warnings.push({ file, line, column: col(h.at), message: `hash of an empty go.mod for ${p.text} ${v.text}: written by an old go command bug; the go command ignores this line` });
    return;
  }
  entries.push({ path: p.text, version, isGoMod, hash, line });
}

/** columnOf returns the 1-based column, in code points, of a UTF-16 index within one line. */
export function columnOf(line: string, index: number): number {
  let col = 1;
  for (let i = 0; i < index && i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < index) {
      const d = line.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    col++;
  }
  return col;
}

function clip(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
