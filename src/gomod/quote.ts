// Go's string quoting rules (strconv.Quote, QuoteRune, Unquote) and its notion of a printable
// rune, because x/mod's error messages and canonical printing are built from them.

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const SPACE = /^[\t\n\v\f\r \u0085\u00a0\p{Zs}\u2028\u2029]$/u;

/** isPrint is Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and U+0020. */
export function isPrint(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

/** isSpace is Go's unicode.IsSpace. */
export function isSpace(cp: number): boolean {
  if (cp < 0x80) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d);
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return SPACE.test(String.fromCodePoint(cp));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** escapeRune writes one rune the way strconv's quoting does, inside a quote of `quote`. */
function escapeRune(cp: number, quote: number): string {
  if (cp === quote || cp === 0x5c) return '\\' + String.fromCharCode(cp);
  if (isPrint(cp)) return String.fromCodePoint(cp);
  switch (cp) {
    case 0x07: return '\\a';
    case 0x08: return '\\b';
    case 0x0c: return '\\f';
    case 0x0a: return '\\n';
    case 0x0d: return '\\r';
    case 0x09: return '\\t';
    case 0x0b: return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return '\\x' + hex(cp, 2);
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
  if (cp < 0x10000) return '\\u' + hex(cp, 4);
  return '\\U' + hex(cp, 8);
}

/** quoteRune is strconv.QuoteRune: `'x'`, `'\x00'`, `'\ufeff'`. */
export function quoteRune(cp: number): string {
  return "'" + escapeRune(cp, 0x27) + "'";
}

/** quoteString is strconv.Quote (also fmt's %q for strings). */
export function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch.codePointAt(0)!, 0x22);
  return out + '"';
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

const utf8Decoder = new TextDecoder('utf-8');

function pushUtf8(bytes: number[], cp: number): void {
  if (cp < 0x80) bytes.push(cp);
  else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

/**
 * unquoteString is strconv.Unquote for a double-quoted Go string; undefined for invalid syntax.
 * Byte escapes (`\xff`, `\377`) that do not form UTF-8 decode to U+FFFD, as text does elsewhere.
 */
export function unquoteString(s: string): string | undefined {
  const n = s.length;
  if (n < 2 || s.charCodeAt(0) !== 0x22 || s.charCodeAt(n - 1) !== 0x22) return undefined;
  const body = s.slice(1, n - 1);
  if (body.indexOf('\\') < 0) {
    return body.indexOf('"') < 0 && body.indexOf('\n') < 0 ? body : undefined;
  }
  const bytes: number[] = [];
  let i = 0;
  const m = body.length;
  while (i < m) {
    const c = body.charCodeAt(i);
    if (c === 0x22 || c === 0x0a) return undefined;
    if (c !== 0x5c) {
      const cp = body.codePointAt(i)!;
      pushUtf8(bytes, cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    if (i + 1 >= m) return undefined;
    const e = body.charCodeAt(i + 1);
    i += 2;
    switch (e) {
      case 0x61: bytes.push(7); break;
      case 0x62: bytes.push(8); break;
      case 0x66: bytes.push(12); break;
      case 0x6e: bytes.push(10); break;
      case 0x72: bytes.push(13); break;
      case 0x74: bytes.push(9); break;
      case 0x76: bytes.push(11); break;
      case 0x5c: bytes.push(0x5c); break;
      case 0x22: bytes.push(0x22); break;
      case 0x78: case 0x75: case 0x55: {
        const len = e === 0x78 ? 2 : e === 0x75 ? 4 : 8;
        if (i + len > m) return undefined;
        let v = 0;
        for (let k = 0; k < len; k++) {
          const h = hexVal(body.charCodeAt(i + k));
          if (h < 0) return undefined;
          v = v * 16 + h;
        }
        i += len;
        if (e === 0x78) { bytes.push(v); break; }
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
        pushUtf8(bytes, v);
        break;
      }
      case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: case 0x36: case 0x37: {
        let v = e - 0x30;
        if (i + 2 > m) return undefined;
        for (let k = 0; k < 2; k++) {
          const d = body.charCodeAt(i + k) - 0x30;
          if (d < 0 || d > 7) return undefined;
          v = v * 8 + d;
        }
        i += 2;
        if (v > 255) return undefined;
        bytes.push(v);
        break;
      }
      default:
        return undefined;
    }
  }
  return utf8Decoder.decode(Uint8Array.from(bytes));
}

/** mustQuote is x/mod's MustQuote: whether s needs quotes to stay one token of a go.mod line. */
export function mustQuote(s: string): boolean {
  if (s === '') return true;
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = ((cp - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
      }
    }
    switch (cp) {
      case 0x20: case 0x22: case 0x27: case 0x60:
        return true;
      case 0x28: case 0x29: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x2c:
        if (s.length > 1) return true;
        break;
      default:
        if (!isPrint(cp)) return true;
    }
  }
  return s.includes('//') || s.includes('/*');
}

/** autoQuote is x/mod's AutoQuote. */
export function autoQuote(s: string): string {
  return mustQuote(s) ? quoteString(s) : s;
}
