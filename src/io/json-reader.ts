// Reading a JSON object a piece at a time: from a buffer or straight from a file, each member (and
// each element of the arrays asked for) parsed on its own by JSON.parse, the bytes of what is read
// let go of. For JSON too large for one string (a check of ten thousand modules writes 714 MB), or
// of which a caller needs only some members (skip).
import { readSync } from 'node:fs';
import { UsageError } from '../commands/context.ts';

/** The bytes of JSON's whitespace, quote, backslash, separators and brackets. */
const SPACE = 0x20, TAB = 0x09, LF = 0x0a, CR = 0x0d, QUOTE = 0x22, BACKSLASH = 0x5c;
const COMMA = 0x2c, COLON = 0x3a, OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d, OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d;

/**
 * ByteSource is where readObjectInPieces reads bytes from: the next of them in order, into a buffer it
 * reuses (0 at the end), or, when the input is at hand as one buffer, that buffer (`whole`, read
 * without a copy); and, to name the column of an error, any earlier bytes again.
 */
export interface ByteSource {
  read(into: Buffer, at: number, length: number): number;
  bytes(from: number, to: number): Buffer;
  whole?: Buffer;
}

/**
 * bufferSource gives a buffer's bytes: whole (read in place), or, with `whole` false, copied a piece
 * at a time as a file's would come (what tests of the reading from files use).
 */
export function bufferSource(b: Buffer, whole = true): ByteSource {
  let position = 0;
  return {
    read: (into, at, length) => {
      const k = Math.min(length, b.length - position);
      b.copy(into, at, position, position + k);
      position += k;
      return k;
    },
    bytes: (from, to) => b.subarray(from, to),
    ...(whole ? { whole: b } : {}),
  };
}

/** READ_CHUNK is how much of a result file is read at a time. */
export const READ_CHUNK = 4 << 20;

/** fileSource gives the bytes of an open regular file. */
export function fileSource(fd: number): ByteSource {
  let position = 0;
  const readAt = (into: Buffer, at: number, length: number, from: number): number => {
    let got = 0;
    while (got < length) {
      const n = readSync(fd, into, at + got, length - got, from + got);
      if (n === 0) break;
      got += n;
    }
    return got;
  };
  return {
    read: (into, at, length) => {
      const got = readAt(into, at, length, position);
      position += got;
      return got;
    },
    bytes: (from, to) => {
      const out = Buffer.allocUnsafe(to - from);
      return out.subarray(0, readAt(out, 0, to - from, from));
    },
  };
}

/**
 * streamSource gives the bytes of an open pipe or device as they come (in order: no position),
 * keeping those read, to name an error's place. The input is judged as it arrives, so what is no
 * JSON object (a device of endless zeros) is refused at its first byte instead of read to an end
 * it does not have.
 */
export function streamSource(fd: number): ByteSource {
  const kept: Buffer[] = [];
  return {
    read: (into, at, length) => {
      const n = readSync(fd, into, at, length, null);
      if (n > 0) kept.push(Buffer.from(into.subarray(at, at + n)));
      return n;
    },
    bytes: (from, to) => Buffer.concat(kept).subarray(from, to),
  };
}

/** How readObjectInPieces reads an object. */
export interface PieceOptions {
  /** How many bytes are read at a time (default READ_CHUNK). */
  chunk?: number;
  /** Members whose values are scanned, not parsed: an array read as [], anything else as null. */
  skip?: ReadonlySet<string>;
  /** Members whose array values are read an element at a time, each passed to onElement as read. */
  elementwise?: ReadonlySet<string>;
  onElement?: (key: string, element: unknown) => void;
  /** The longest single value (member or element) in bytes: one no string can hold is no JSON of ours. */
  maxValue: number;
}

/**
 * readObjectInPieces reads a JSON object from bytes a member at a time, and the elements of the
 * arrays of `elementwise` members one by one. Only the structure is scanned here (strings, brackets, separators:
 * ASCII bytes, which never occur inside a UTF-8 sequence of another character); every piece is
 * parsed by JSON.parse, so what it accepts is what JSON.parse accepts of the whole. The bytes come
 * from `source` as they are needed, and those of values already read are let go: a result file is
 * never held whole. Errors are a UsageError naming the file, the line and the column.
 */
export function readObjectInPieces(source: ByteSource, file: string, options: PieceOptions): Record<string, unknown> {
  const { chunk = READ_CHUNK, skip, elementwise, onElement, maxValue } = options;
  // The bytes at hand: b[0..n) are bytes base.. of the input; b[keep] the first one still needed
  // (the start of the value being read). Read into one buffer, reused: bytes let go of are written
  // over, so that reading allocates nothing once the buffer has grown to the largest value.
  let b: Buffer = source.whole ?? Buffer.allocUnsafe(Math.min(chunk, READ_CHUNK) * 2);
  let n = source.whole?.length ?? 0;
  let i = 0;
  let base = 0;
  let keep = 0;
  let ended = source.whole !== undefined;
  const fail = (at: number, why: string): never => {
    throw new UsageError(`${file}: invalid JSON${position(base + at)}: ${why}`);
  };
  // The line and column (in characters) of byte `at` of the input, counted when an error needs
  // them (the bytes let go of read again, a piece at a time): reading never counts lines, and a line
  // of any length (one-line JSON of hundreds of megabytes) is never made one string.
  const position = (at: number): string => {
    const step = 4 << 20;
    let line = 1;
    let lineStart = 0;
    for (let from = 0; from < at; from += step) {
      const to = Math.min(at, from + step);
      const part = source.bytes(from, to);
      for (let k = part.indexOf(LF); k >= 0; k = part.indexOf(LF, k + 1)) {
        line++;
        lineStart = from + k + 1;
      }
      if (part.length < to - from) break;
    }
    const decoder = new TextDecoder();
    let column = 1;
    for (let from = lineStart; from < at; from += step) column += decoder.decode(source.bytes(from, Math.min(at, from + step)), { stream: true }).length;
    column += decoder.decode().length;
    return ` at line ${line}, column ${column}`;
  };
  // More bytes, keeping those from b[keep] on; false at the end of the input.
  const refill = (): boolean => {
    if (ended) return false;
    const kept = n - keep;
    // One finding is a few kilobytes; a value no string can hold is no result's (and is not held).
    if (kept > maxValue) fail(keep, `a single value of more than ${maxValue} bytes, more than one value of this file can be`);
    if (kept + chunk > b.length) {
      const bigger = Buffer.allocUnsafe(Math.max(b.length * 2, kept + chunk));
      b.copy(bigger, 0, keep, n);
      b = bigger;
    } else if (keep > 0) {
      b.copyWithin(0, keep, n);
    }
    base += keep;
    i -= keep;
    keep = 0;
    const got = source.read(b, kept, chunk);
    n = kept + got;
    if (got === 0) ended = true;
    return got > 0;
  };
  // Whether byte i is at hand (read as many more as that takes); false past the end of the input.
  const here = (): boolean => {
    while (i >= n) if (!refill()) return false;
    return true;
  };
  const ws = () => {
    while (i < n || here()) {
      const c = b[i];
      if (c !== SPACE && c !== LF && c !== CR && c !== TAB) return;
      i++;
    }
  };
  // The loops below read b and n through locals, taken again after each refill (which replaces b).
  const skipString = () => {
    const start = base + i;
    let buf = b;
    let end = n;
    for (i++; ; i++) {
      if (i >= end) {
        if (!here()) break;
        buf = b;
        end = n;
      }
      const c = buf[i];
      if (c === QUOTE) {
        i++;
        return;
      }
      if (c === BACKSLASH) i++;
    }
    fail(start - base, 'a string that does not end');
  };
  // The end of the value at i: a string, an object or array (brackets counted outside strings),
  // or a number or literal (up to a separator, bracket or whitespace). JSON.parse judges it.
  const skipValue = () => {
    let depth = 0;
    let buf = b;
    let end = n;
    for (;;) {
      if (i >= end) {
        if (!here()) break;
        buf = b;
        end = n;
      }
      const c = buf[i]!;
      if (c === QUOTE) {
        skipString();
        if (depth === 0) return;
        buf = b;
        end = n;
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (depth === 0) return;
        if (--depth === 0) {
          i++;
          return;
        }
      } else if (depth === 0 && (c === COMMA || c === SPACE || c === LF || c === CR || c === TAB)) {
        return;
      }
      i++;
    }
    if (depth > 0) fail(n, 'the file ends inside an object or array');
  };
  // The value from b[keep] to b[i], parsed.
  const piece = (): unknown => {
    if (i === keep) fail(keep, 'a value is missing');
    if (i - keep > maxValue) fail(keep, `a single value of ${i - keep} bytes, more than one value of this file can be`);
    const text = b.toString('utf8', keep, i);
    try {
      return JSON.parse(text);
    } catch (err) {
      const offset = jsonErrorOffset(text) ?? 0;
      return fail(keep + Buffer.byteLength(text.slice(0, offset)), (err as Error).message.replace(/\s+/g, ' '));
    }
  };
  // A bracketed list at i (an object's members or an array's elements), each read by `item`: the
  // separators and the closing bracket are checked here.
  const list = (close: number, closeText: string, item: () => void): void => {
    i++;
    ws();
    if (b[i] === close) {
      i++;
      return;
    }
    for (;;) {
      ws();
      item();
      ws();
      if (b[i] === COMMA) {
        i++;
        continue;
      }
      if (b[i] === close) {
        i++;
        return;
      }
      fail(i, `a "," or "${closeText}" is missing`);
    }
  };
  const out: Record<string, unknown> = {};
  ws();
  if (b[i] !== OPEN_BRACE) fail(i, 'the file is not a JSON object');
  list(CLOSE_BRACE, '}', () => {
    if (b[i] !== QUOTE) fail(i, 'a member name (a string) is missing');
    keep = i;
    skipString();
    const key = piece() as string;
    ws();
    if (b[i] !== COLON) fail(i, 'a ":" is missing');
    i++;
    ws();
    let value: unknown;
    if (skip?.has(key)) {
      // Scanned, not parsed: a member the caller does not want (its brackets and strings still
      // have to close). An array is read as [], anything else as null.
      keep = i;
      const isArray = b[i] === OPEN_BRACKET;
      skipValue();
      if (i === keep) fail(keep, 'a value is missing');
      keep = i;
      Object.defineProperty(out, key, { value: isArray ? [] : null, enumerable: true, writable: true, configurable: true });
      return;
    }
    if (elementwise?.has(key) && b[i] === OPEN_BRACKET) {
      const elements: unknown[] = [];
      list(CLOSE_BRACKET, ']', () => {
        keep = i;
        skipValue();
        const element = piece();
        onElement?.(key, element);
        elements.push(element);
        keep = i;
      });
      value = elements;
    } else {
      keep = i;
      skipValue();
      value = piece();
    }
    // As JSON.parse does: the last of a repeated name wins, and `__proto__` is a plain member.
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    // What is read is let go at the next refill.
    keep = i;
  });
  ws();
  if (i < n) fail(i, 'more follows the object');
  return out;
}

/**
 * parseObjectSkipping reads a JSON object from bytes as JSON.parse would, but for the members named
 * in `skip`, whose values are only scanned (their brackets and strings must close), an array read as
 * [] and anything else as null: a large list a caller does not need is never made. Errors are a
 * UsageError naming `name`, the line and the column.
 */
export function parseObjectSkipping(bytes: Buffer, name: string, skip: ReadonlySet<string>, maxValue = 128 << 20): Record<string, unknown> {
  return readObjectInPieces(bufferSource(bytes), name, { skip, maxValue });
}

/** jsonErrorOffset scans JSON text and returns the offset of the first character that breaks it. */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++; };
  const fail = (): never => { throw i; };
  const literal = (word: string) => { for (const ch of word) { if (text[i] !== ch) fail(); i++; } };
  const string = () => {
    i++;
    for (;;) {
      const ch = text[i];
      if (ch === undefined || ch < ' ') fail();
      if (ch === '"') { i++; return; }
      if (ch === '\\') {
        i++;
        if (text[i] === 'u') { i++; for (let n = 0; n < 4; n++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail(); continue; }
        if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail();
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail();
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string(); ws();
        if (text[i] !== ':') fail();
        i++;
        value(depth + 1); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        fail();
      }
    } else if (ch === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(depth + 1); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        fail();
      }
    } else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else number();
  };
  try {
    value(0); ws();
    return i < text.length ? i : undefined;
  } catch (at) {
    return typeof at === 'number' ? at : undefined;
  }
}
