// The go.sum reader. It accepts what the go command accepts (cmd/go/internal/modfetch readGoSum:
// whitespace-separated fields, blank lines skipped, exactly three fields per line) and is stricter
// about the hash, because a go.sum is an integrity record: a damaged hash must be visible.
import type { GoSum, GoSumEntry } from '../engine/types.ts';
import type { ParseError } from '../gomod/types.ts';
import { BYTE_IDS_MAX_LEN, type ByteIds, SumTable, SUM_STRIDE, sumKeyText, type CompactSum } from './table.ts';
import { FNV_PRIME, fnvWords, hashWord, wordHash } from '../util/bytes.ts';
import { defineLazy } from '../util/lazy.ts';

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

/** isH1Hash tells a well-formed `h1:` hash (SumTable.wellFormed). */
export function isH1Hash(hash: string): boolean {
  return H1_HASH.test(hash);
}
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
  const r = new CompactReader(file, table, keysBelow);
  try {
    let lineNo = 0;
    let start = 0;
    const len = text.length;
    while (start < len) {
      lineNo++;
      let end = text.indexOf('\n', start);
      if (end < 0) end = len;
      r.line(text, start, end, lineNo);
      start = end + 1;
    }
  } catch (err) {
    r.fail(err);
  }
  return r.finish();
}

/**
 * parseGoSumBytes is parseGoSum into a table for a go.sum's bytes: the result, and what it adds to
 * the table (and in which order), are those of `parseGoSum(bytes decoded as UTF-8, file, table,
 * opts)`. The usual line (printable ASCII, single spaces, a key and a well-formed hash the table
 * holds) is read without building a string: its key and hash are found from their bytes
 * (SumTable.keyBytes, .hashBytes). Any other line is decoded and read as parseGoSum reads it.
 */
export function parseGoSumBytes(bytes: Uint8Array, file: string, table: SumTable, opts: CompactOptions = {}): GoSum {
  const r = new CompactReader(file, table, opts.keysBelow ?? Infinity);
  try {
    readSumBytes(bytes, r);
  } catch (err) {
    r.fail(err);
  }
  return r.finish();
}

/** The length of a well-formed h1 hash: `h1:`, 43 base64 characters and `=`. */
const H1_LEN = 47;

function readSumBytes(bytes: Uint8Array, r: CompactReader): void {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const table = r.table;
  // Both indexes hold every key and hash of the table (up to BYTE_IDS_MAX_LEN ASCII characters):
  // a key missing from `keys` is missing from the table. Only decoded lines add to the table;
  // the indexes are brought up to date after each.
  const keys = table.keyBytes();
  let hashCount = table.hashes.length;
  const scan: ByteScan = {
    buf, dv: new DataView(buf.buffer, buf.byteOffset, buf.byteLength), keys, hashes: table.hashBytes(),
    empty: table.hashId(EMPTY_GO_MOD_HASH) ?? -1, a: 0, from: 0, lineNo: 0, prev: 0,
  };
  const n = buf.length;
  for (;;) {
    readFastLines(scan, r);
    const a = scan.a;
    if (a >= n) return;
    // The line is decoded and read as parseGoSum reads it.
    let nl = buf.indexOf(10, scan.from);
    if (nl < 0) nl = n;
    const text = buf.toString('utf8', a, nl);
    const before = r.count;
    r.line(text, 0, text.length, scan.lineNo);
    table.keyBytes();
    if (table.hashes.length !== hashCount) {
      hashCount = table.hashes.length;
      table.hashBytes();
      scan.empty = table.hashId(EMPTY_GO_MOD_HASH) ?? -1;
    }
    if (r.count > before) {
      const key = r.lastKey();
      if (scan.prev === 0) keys.first = key + 1;
      else keys.after[scan.prev - 1] = key + 1;
      scan.prev = key + 1;
    }
    scan.a = nl + 1;
  }
}

/** ByteScan is where readSumBytes is in its bytes. */
interface ByteScan {
  readonly buf: Buffer;
  readonly dv: DataView;
  readonly keys: ByteIds;
  readonly hashes: ByteIds;
  /** The id of EMPTY_GO_MOD_HASH in the table, or -1. */
  empty: number;
  /** Where the next line starts. */
  a: number;
  /** No LF lies in buf[a, from) (for a line readFastLines stopped at). */
  from: number;
  /** The number of the last line begun. */
  lineNo: number;
  /** The key of the last line read (as keys.after and keys.first count: id + 1, 0 for none). */
  prev: number;
}

/**
 * readFastLines reads lines from scan.a for as long as they are usual ones: printable ASCII, a key
 * and a well-formed hash the table holds (or skipped by keysBelow). It stops at the end or at the
 * start of a line that is to be decoded, with scan.lineNo its number.
 */
function readFastLines(scan: ByteScan, r: CompactReader): void {
  const { buf, dv, keys, hashes, empty } = scan;
  const n = buf.length;
  const filtered = r.filtered;
  const keysBelow = r.keysBelow;
  const goMod = r.table.goMod;
  const wellFormed = r.table.wellFormed;
  const keySeed = keys.seed;
  const hashSeed = hashes.seed;
  let prev = scan.prev;
  let lineNo = scan.lineNo;
  let a = scan.a;
  let from = a;
  lines: while (a < n) {
    lineNo++;
    from = a;
    let key = -1;
    let s2 = -1;
    // The key read after the previous line's last time, if this line starts with it and a space.
    const guess = (prev === 0 ? keys.first : keys.after[prev - 1]!) - 1;
    if (guess >= 0 && keys.plain[guess] === 1) {
      const e = a + keys.lengthOf(guess);
      if (e < n && buf[e] === 32 && keys.matches(guess, buf, dv, a, e - a)) {
        key = guess;
        s2 = e;
      }
    }
    if (key < 0) {
      // The path, a space and the version, hashed as ByteIds hashes a key.
      let i = hashWord(buf, dv, a, n, keySeed);
      if (i === a || i === n || buf[i] !== 32) {
        from = i;
        break lines;
      }
      const s1 = i++;
      i = hashWord(buf, dv, i, n, Math.imul(wordHash ^ 32, FNV_PRIME));
      if (i === s1 + 1 || i === n || buf[i] !== 32 || i - a > BYTE_IDS_MAX_LEN) {
        from = i;
        break lines;
      }
      s2 = i;
      key = keys.find(buf, dv, a, s2 - a, wordHash);
    }
    from = s2 + 1;
    if (filtered && (key < 0 || key >= keysBelow)) {
      // parseGoSum skips the line: its text up to the second space is not a wanted key.
      let end = buf.indexOf(10, from);
      if (end < 0) end = n;
      a = end + 1;
      continue;
    }
    if (key < 0) break;
    // The hash is the next H1_LEN bytes, then LF, CR LF, a CR ending the file, or the end. That
    // holds when those bytes are a hash of the table (which has no LF), checked below.
    const t = s2 + 1 + H1_LEN;
    let nl = -1;
    if (t === n) nl = n;
    else if (t < n) {
      const c = buf[t]!;
      if (c === 10) nl = t;
      else if (c === 13) {
        if (t + 1 === n) nl = n;
        else if (buf[t + 1] === 10) nl = t + 1;
      }
    }
    if (nl < 0) break;
    // A hash the table holds has no space, so the line has exactly two.
    let hash = keys.hashWith[key]! - 1;
    if (hash < 0 || !hashes.matches(hash, buf, dv, s2 + 1, H1_LEN)) {
      hash = hashes.find(buf, dv, s2 + 1, H1_LEN, fnvWords(buf, dv, s2 + 1, t, hashSeed));
      if (hash < 0) break;
      keys.hashWith[key] = hash + 1;
    }
    if (!wellFormed[hash] || (hash === empty && goMod[key])) break;
    // Printable ASCII: the column in code points is the offset.
    r.push(key, hash, lineNo, s2 - a + 2);
    if (prev === 0) keys.first = key + 1;
    else keys.after[prev - 1] = key + 1;
    prev = key + 1;
    a = nl + 1;
  }
  scan.a = a;
  scan.from = from;
  scan.lineNo = lineNo;
  scan.prev = prev;
}

// The array a parse collects its numbers in before they are copied out at the right size. It is
// kept from one parse to the next (up to SCRATCH_KEEP numbers): a new array per go.sum costs more
// than the copy, as its memory is fresh. A parse takes it, so a parse within a parse gets its own.
const SCRATCH_KEEP = 1 << 20;
let scratch: Uint32Array | undefined;

/** CompactReader is a compact parse under way: parseGoSumCompact and parseGoSumBytes feed it lines. */
class CompactReader {
  readonly filtered: boolean;
  private data: Uint32Array;
  private n = 0;
  private readonly errors: ParseError[] = [];
  private readonly warnings: ParseError[] = [];
  private readonly slow: GoSumEntry[] = [];
  private errorsDropped = 0;
  private warningsDropped = 0;

  constructor(readonly file: string, readonly table: SumTable, readonly keysBelow: number) {
    this.filtered = keysBelow !== Infinity;
    this.data = scratch ?? new Uint32Array(SUM_STRIDE * 1024);
    scratch = undefined;
  }

  push(key: number, hash: number, line: number, column: number): void {
    let data = this.data;
    const n = this.n;
    if (n + SUM_STRIDE > data.length) {
      const bigger = new Uint32Array(data.length * 2);
      bigger.set(data);
      this.data = data = bigger;
    }
    data[n] = key;
    data[n + 1] = hash;
    data[n + 2] = line;
    data[n + 3] = column;
    this.n = n + SUM_STRIDE;
  }

  /** line reads line lineNo, text[start, end): end is the index of its LF, or the end of the text. */
  line(text: string, start: number, end: number, lineNo: number): void {
    const table = this.table;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (this.filtered) {
      const sp = text.indexOf(' ', start);
      const sp2 = sp > start && sp < end ? text.indexOf(' ', sp + 1) : -1;
      if (sp2 >= 0 && sp2 < end) {
        const key = table.keyId(text.slice(start, sp2));
        if (key === undefined || key >= this.keysBelow) return;
      }
    }
    if (!compactSimpleLine(text, start, stop, lineNo, table, this)) {
      const slow = this.slow;
      slow.length = 0;
      const raw = text.slice(start, stop);
      parseLine(raw, lineNo, this.file, slow, this.errors, this.warnings);
      for (const e of slow) {
        this.push(table.addKey(sumKeyText(e.path, e.version, e.isGoMod), e.path, e.version, e.isGoMod), table.addHash(e.hash, H1_HASH.test(e.hash)), e.line, thirdFieldColumn(raw));
      }
      if (this.errors.length > MAX_ERRORS) { this.errors.pop(); this.errorsDropped++; }
      if (this.warnings.length > MAX_ERRORS) { this.warnings.pop(); this.warningsDropped++; }
    }
  }

  /** count is the number of lines read into the data so far. */
  get count(): number {
    return this.n / SUM_STRIDE;
  }

  /** lastKey is the key id of the last line read into the data. */
  lastKey(): number {
    return this.data[this.n - SUM_STRIDE]!;
  }

  fail(err: unknown): void {
    this.errors.push({ file: this.file, line: 1, column: 0, message: `internal error reading go.sum: ${(err as Error)?.message ?? String(err)}` });
  }

  finish(): GoSum {
    const { file, errors, warnings } = this;
    if (this.errorsDropped > 0) {
      errors.push({ file, line: errors[errors.length - 1]!.line, column: 0, message: `${this.errorsDropped} more malformed go.sum lines not listed` });
    }
    if (this.warningsDropped > 0) {
      warnings.push({ file, line: warnings[warnings.length - 1]!.line, column: 0, message: `${this.warningsDropped} more go.sum lines the go command cannot verify not listed` });
    }
    const data = this.data.slice(0, this.n);
    if (this.data.length <= SCRATCH_KEEP) scratch = this.data;
    return compactGoSum(file, { table: this.table, data }, errors, warnings);
  }
}

/**
 * compactGoSum makes the GoSum of compact data: `entries` is built on first use (and kept), so
 * code that walks every entry of every go.sum should read `compact` instead.
 */
export function compactGoSum(file: string, compact: CompactSum, errors: ParseError[], warnings: ParseError[]): GoSum {
  const sum = { file, errors, warnings, compact } as Omit<GoSum, 'entries'> as GoSum;
  defineLazy(sum, 'entries', () => {
    const d = compact.data;
    const entries = new Array<GoSumEntry>(d.length / SUM_STRIDE);
    for (let i = 0, j = 0; i < d.length; i += SUM_STRIDE, j++) entries[j] = compact.table.entry(d[i]!, d[i + 1]!, d[i + 2]!);
    return entries;
  });
  return sum;
}

/**
 * compactSimpleLine is parseSimpleLine for parseGoSumCompact: the same lines are accepted, and the
 * key and hash checks are skipped when the table already holds them.
 */
function compactSimpleLine(
  text: string, a: number, b: number, line: number, table: SumTable, r: CompactReader,
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
  r.push(key, hash, line, s2 - a + 2);
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
  // The first fields are kept, the others only counted: a line of millions of fields holds no
  // string per field.
  const fields: Array<{ text: string; at: number }> = [];
  let count = 0;
  FIELD.lastIndex = 0;
  for (let m = FIELD.exec(raw); m; m = FIELD.exec(raw)) {
    if (++count <= 3) fields.push({ text: m[0], at: m.index });
  }
  if (count === 0) return;
  const col = (at: number) => columnOf(raw, at);
  if (count !== 3) {
    errors.push({
      file, line, column: col(fields[0]!.at),
      message: `malformed go.sum line: wrong number of fields ${count} (want "module version[/go.mod] hash")`,
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
