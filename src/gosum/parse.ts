// The go.sum reader. It accepts what the go command accepts (cmd/go/internal/modfetch readGoSum:
// whitespace-separated fields, blank lines skipped, exactly three fields per line) and is stricter
// about the hash, because a go.sum is an integrity record: a damaged hash must be visible.
import type { GoSum, GoSumEntry } from '../engine/types.ts';
import type { ParseError } from '../gomod/types.ts';
import { SumTable, SUM_STRIDE, sumKeyText, type CompactSum } from './table.ts';

export { SumTable, SUM_STRIDE, type CompactSum } from './table.ts';

/**
 * EMPTY_GO_MOD_HASH is the hash of a tree holding only an empty go.mod. Old go commands wrote it for
 * non-modules by mistake; the go command drops such lines when reading, and so do we.
 */
export const EMPTY_GO_MOD_HASH = 'h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=';

/**
 * MAX_ERRORS caps the errors (and, separately, the warnings) kept for one go.sum: a hostile file of
 * ten million malformed lines must not become ten million error objects and exhaust the heap.
 */
export const MAX_ERRORS = 1000;

/** H1_HASH is a well-formed `h1:` hash: the base64 of a SHA-256 sum (32 bytes = 43 chars + `=`). */
const H1_HASH = /^h1:[A-Za-z0-9+/]{43}=$/;
const ALGORITHM_PREFIX = /^[a-z][a-z0-9]*:/;
// Go splits with strings.Fields (unicode.IsSpace); JavaScript's \s is the same set for practical input.
const FIELD = /\S+/g;

/**
 * parseGoSum reads a go.sum text. It never throws: malformed lines become `errors` (with file, line and
 * column) and are left out of `entries`; lines the go command tolerates but cannot use for
 * verification (unknown hash algorithms, the old empty-go.mod hash) become `warnings`.
 */
export function parseGoSum(text: string, file: string, table?: SumTable, opts: CompactOptions = {}): GoSum {
  if (table) return parseGoSumCompact(text, file, table, opts.keysBelow ?? Infinity);
  const entries: GoSumEntry[] = [];
  const errors: ParseError[] = [];
  const warnings: ParseError[] = [];
  let errorsDropped = 0;
  let warningsDropped = 0;
  try {
    let lineNo = 0;
    let start = 0;
    const n = text.length;
    while (start < n) {
      lineNo++;
      let end = text.indexOf('\n', start);
      if (end < 0) end = n;
      const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      if (!parseSimpleLine(text, start, stop, lineNo, entries)) {
        parseLine(text.slice(start, stop), lineNo, file, entries, errors, warnings);
        // A line adds at most one error or warning: trimming after each keeps the lists bounded.
        if (errors.length > MAX_ERRORS) { errors.pop(); errorsDropped++; }
        if (warnings.length > MAX_ERRORS) { warnings.pop(); warningsDropped++; }
      }
      start = end + 1;
    }
  } catch (err) {
    errors.push({ file, line: 1, column: 0, message: `internal error reading go.sum: ${(err as Error)?.message ?? String(err)}` });
  }
  if (errorsDropped > 0) {
    errors.push({ file, line: errors[errors.length - 1]!.line, column: 0, message: `${errorsDropped} more malformed go.sum lines not listed` });
  }
  if (warningsDropped > 0) {
    warnings.push({ file, line: warnings[warnings.length - 1]!.line, column: 0, message: `${warningsDropped} more go.sum lines the go command cannot verify not listed` });
  }
  return { file, entries, errors, warnings };
}

/**
 * parseGoSumCompact is parseGoSum storing the entries as ids into `table` (GoSum.compact); the
 * `entries` array is built from them the first time it is read. The result is the same as
 * parseGoSum's. A key or hash met before is known to be well formed, so the usual line costs a
 * scan for its two spaces and two Map look-ups.
 */
export interface CompactOptions {
  /**
   * Read only the lines whose `path version[/go.mod]` is already in the table with an id below
   * this; other lines that have such a key (text up to their second space) are skipped as if
   * blank. Lines without two spaces are read, so the parser still judges them. With the table
   * filled from some modules' go.sum files, this reads another go.sum for those versions only.
   */
  keysBelow?: number;
}

function parseGoSumCompact(text: string, file: string, table: SumTable, keysBelow: number): GoSum {
  const filtered = keysBelow !== Infinity;
  let data = new Uint32Array(SUM_STRIDE * 256);
  let n = 0;
  const errors: ParseError[] = [];
  const warnings: ParseError[] = [];
  const slow: GoSumEntry[] = [];
  let errorsDropped = 0;
  let warningsDropped = 0;
  const push = (key: number, hash: number, line: number, column: number) => {
    if (n + SUM_STRIDE > data.length) {
      const bigger = new Uint32Array(data.length * 2);
      bigger.set(data);
      data = bigger;
    }
    data[n] = key;
    data[n + 1] = hash;
    data[n + 2] = line;
    data[n + 3] = column;
    n += SUM_STRIDE;
  };
  try {
    let lineNo = 0;
    let start = 0;
    const len = text.length;
    while (start < len) {
      lineNo++;
      let end = text.indexOf('\n', start);
      if (end < 0) end = len;
      const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      if (filtered) {
        const sp = text.indexOf(' ', start);
        const sp2 = sp > start && sp < end ? text.indexOf(' ', sp + 1) : -1;
        if (sp2 >= 0 && sp2 < end) {
          const key = table.keyId(text.slice(start, sp2));
          if (key === undefined || key >= keysBelow) {
            start = end + 1;
            continue;
          }
        }
      }
      if (!compactSimpleLine(text, start, stop, lineNo, table, push)) {
        slow.length = 0;
        const raw = text.slice(start, stop);
        parseLine(raw, lineNo, file, slow, errors, warnings);
        for (const e of slow) {
          push(table.addKey(sumKeyText(e.path, e.version, e.isGoMod), e.path, e.version, e.isGoMod), table.addHash(e.hash, H1_HASH.test(e.hash)), e.line, thirdFieldColumn(raw));
        }
        if (errors.length > MAX_ERRORS) { errors.pop(); errorsDropped++; }
        if (warnings.length > MAX_ERRORS) { warnings.pop(); warningsDropped++; }
      }
      start = end + 1;
    }
  } catch (err) {
    errors.push({ file, line: 1, column: 0, message: `internal error reading go.sum: ${(err as Error)?.message ?? String(err)}` });
  }
  if (errorsDropped > 0) {
    errors.push({ file, line: errors[errors.length - 1]!.line, column: 0, message: `${errorsDropped} more malformed go.sum lines not listed` });
  }
  if (warningsDropped > 0) {
    warnings.push({ file, line: warnings[warnings.length - 1]!.line, column: 0, message: `${warningsDropped} more go.sum lines the go command cannot verify not listed` });
  }
  return compactGoSum(file, { table, data: data.slice(0, n) }, errors, warnings);
}

/**
 * compactGoSum makes the GoSum of compact data: `entries` is built on first use (and kept), so
 * code that walks every entry of every go.sum should read `compact` instead.
 */
export function compactGoSum(file: string, compact: CompactSum, errors: ParseError[], warnings: ParseError[]): GoSum {
  let entries: GoSumEntry[] | undefined;
  const sum = { file, errors, warnings, compact } as GoSum;
  Object.defineProperty(sum, 'entries', {
    enumerable: true,
    configurable: true,
    get(): GoSumEntry[] {
      if (entries === undefined) {
        const d = compact.data;
        entries = new Array<GoSumEntry>(d.length / SUM_STRIDE);
        for (let i = 0, j = 0; i < d.length; i += SUM_STRIDE, j++) entries[j] = compact.table.entry(d[i]!, d[i + 1]!, d[i + 2]!);
      }
      return entries;
    },
    set(value: GoSumEntry[]) {
      entries = value;
    },
  });
  return sum;
}

/**
 * compactSimpleLine is parseSimpleLine for parseGoSumCompact: the same lines are accepted, and the
 * key and hash checks are skipped when the table already holds them.
 */
function compactSimpleLine(
  text: string, a: number, b: number, line: number, table: SumTable, push: (key: number, hash: number, line: number, column: number) => void,
): boolean {
  let s1 = -1;
  let s2 = -1;
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (s1 < 0) s1 = i;
      else if (s2 < 0) s2 = i;
      else return false;
    } else if (c < 33 || c > 126) {
      return false;
    }
  }
  if (s2 < 0 || s1 === a || s2 === s1 + 1 || b - s2 - 1 !== 47) return false;
  const keyText = text.slice(a, s2);
  let key = table.keyId(keyText);
  if (key === undefined) {
    const v0 = s1 + 1;
    if (text.charCodeAt(v0) !== 118) return false;
    const d = text.charCodeAt(v0 + 1);
    if (d < 48 || d > 57) return false;
    let vEnd = s2;
    const isGoMod = s2 - v0 > 7 && text.startsWith('/go.mod', s2 - 7);
    if (isGoMod) vEnd = s2 - 7;
    const slash = text.indexOf('/', v0);
    if (slash >= 0 && slash < vEnd) return false;
    key = table.addKey(keyText, text.slice(a, s1), text.slice(v0, vEnd), isGoMod);
  }
  const hashText = text.slice(s2 + 1, b);
  let hash = table.hashId(hashText);
  if (hash === undefined || !table.wellFormed[hash]) {
    if (text.charCodeAt(s2 + 1) !== 104 || text.charCodeAt(s2 + 2) !== 49 || text.charCodeAt(s2 + 3) !== 58 || text.charCodeAt(b - 1) !== 61) return false;
    for (let i = s2 + 4; i < b - 1; i++) {
      const c = text.charCodeAt(i);
      if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47)) return false;
    }
    hash = table.addHash(hashText, true);
  }
  if (table.goMod[key] && hashText === EMPTY_GO_MOD_HASH) return false;
  // Printable ASCII: the column in code points is the offset.
  push(key, hash, line, s2 - a + 2);
  return true;
}

/**
 * parseSimpleLine handles the line every go command writes: printable ASCII, three fields with
 * single spaces, a valid version and a well-formed h1 hash. Anything else (including every line
 * that deserves an error or a warning) returns false and goes through parseLine.
 */
function parseSimpleLine(text: string, a: number, b: number, line: number, entries: GoSumEntry[]): boolean {
  let s1 = -1;
  let s2 = -1;
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (s1 < 0) s1 = i;
      else if (s2 < 0) s2 = i;
      else return false;
    } else if (c < 33 || c > 126) {
      return false;
    }
  }
  // The hash is the last 47 characters: `h1:` + 43 base64 characters + `=`.
  if (s2 < 0 || s1 === a || s2 === s1 + 1 || b - s2 - 1 !== 47) return false;
  if (text.charCodeAt(s2 + 1) !== 104 || text.charCodeAt(s2 + 2) !== 49 || text.charCodeAt(s2 + 3) !== 58 || text.charCodeAt(b - 1) !== 61) return false;
  for (let i = s2 + 4; i < b - 1; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47)) return false;
  }
  // Version: `v` and a digit, and no `/` but for a final `/go.mod`.
  const v0 = s1 + 1;
  if (text.charCodeAt(v0) !== 118) return false;
  const d = text.charCodeAt(v0 + 1);
  if (d < 48 || d > 57) return false;
  let vEnd = s2;
  const isGoMod = s2 - v0 > 7 && text.startsWith('/go.mod', s2 - 7);
  if (isGoMod) vEnd = s2 - 7;
  const slash = text.indexOf('/', v0);
  if (slash >= 0 && slash < vEnd) return false;
  const hash = text.slice(s2 + 1, b);
  if (isGoMod && hash === EMPTY_GO_MOD_HASH) return false;
  entries.push({ path: text.slice(a, s1), version: text.slice(v0, vEnd), isGoMod, hash, line });
  return true;
}

function parseLine(
  raw: string, line: number, file: string,
  entries: GoSumEntry[], errors: ParseError[], warnings: ParseError[],
): void {
  const fields: Array<{ text: string; at: number }> = [];
  FIELD.lastIndex = 0;
  for (let m = FIELD.exec(raw); m; m = FIELD.exec(raw)) fields.push({ text: m[0], at: m.index });
  if (fields.length === 0) return;
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

/** thirdFieldColumn is the column (in code points) of the third whitespace-separated field of a line. */
function thirdFieldColumn(raw: string): number {
  FIELD.lastIndex = 0;
  FIELD.exec(raw);
  FIELD.exec(raw);
  const m = FIELD.exec(raw);
  return m ? columnOf(raw, m.index) : 1;
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
