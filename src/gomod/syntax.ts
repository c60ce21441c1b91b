// The syntax layer of go.mod / go.work / anchor.lock: a one-pass lexer and the statement parser,
// following x/mod's read.go so that the tree, the comment attachment and every error position
// agree with Go. Knows nothing about what a verb means.
import type {
  Comment, Comments, CommentBlock, FileSyntax, Line, LineBlock, ParseError, Position, Stmt, Token,
} from './types.ts';
import { isPrint, isSpace, quoteRune } from './quote.ts';

const EOF = -1;
const EOLCOMMENT = -2;
const IDENT = -3;
const STRING = -4;
const COMMENT = -5;
const NL = 0x0a;
const LPAREN = 0x28;
const RPAREN = 0x29;

function isEOL(kind: number): boolean {
  return kind === EOF || kind === EOLCOMMENT || kind === NL;
}

/** isIdentRune is x/mod's isIdent: printable, not space, not one of `()[]{},`. */
function isIdentRune(cp: number): boolean {
  if (cp < 0x80) {
    if (cp <= 0x20 || cp === 0x7f) return false;
    switch (cp) {
      case 0x28: case 0x29: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x2c:
        return false;
    }
    return true;
  }
  return !isSpace(cp) && isPrint(cp);
}

export function emptyComments(): Comments {
  return { before: [], suffix: [], after: [] };
}

/**
 * The parser gives every node without comments this one frozen value (most lines have none) and
 * an empty list inside a node's comments is this frozen array: attaching a comment always builds a
 * new Comments, so nothing is ever pushed into a shared value.
 */
const NO_COMMENT_LIST = Object.freeze([]) as unknown as Comment[];
const NO_COMMENTS: Comments = Object.freeze({ before: NO_COMMENT_LIST, suffix: NO_COMMENT_LIST, after: NO_COMMENT_LIST });

function commentsBefore(before: Comment[]): Comments {
  return { before, suffix: NO_COMMENT_LIST, after: NO_COMMENT_LIST };
}

/** ParseAbort carries the single syntax error that stops x/mod's parser. */
class ParseAbort {
  constructor(readonly error: ParseError) {}
}

/** Code points in s, counted as the lexer counts columns (a surrogate pair is one). */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

/** Replaces an accessor of one object by a plain property holding `value` (an assignment to it). */
function setOwn(o: object, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A token read by the parser. Its start is kept as three numbers and its positions are made when
 * read: most tokens never have theirs read, and two Position objects per token were most of a
 * parsed file's memory. A token never spans lines, so its end follows from its start and text.
 * `toJSON` and the inspect hook show it as the plain object it stands for.
 */
class ParsedToken implements Token {
  text: string;
  declare canonical?: string;
  readonly #line: number;
  readonly #column: number;
  readonly #offset: number;

  constructor(text: string, line: number, column: number, offset: number) {
    this.text = text;
    this.#line = line;
    this.#column = column;
    this.#offset = offset;
  }

  get start(): Position {
    return { line: this.#line, column: this.#column, offset: this.#offset };
  }

  set start(p: Position) {
    setOwn(this, 'start', p);
  }

  get end(): Position {
    return { line: this.#line, column: this.#column + codePoints(this.text), offset: this.#offset + this.text.length };
  }

  set end(p: Position) {
    setOwn(this, 'end', p);
  }

  toJSON(): Token {
    const o: Token = { text: this.text, start: this.start, end: this.end };
    if ('canonical' in this) o.canonical = this.canonical;
    return o;
  }

  [INSPECT](): Token {
    return this.toJSON();
  }

  static line(t: ParsedToken): number {
    return t.#line;
  }

  static endOffset(t: ParsedToken): number {
    return t.#offset + t.text.length;
  }
}

/**
 * What the parser's lines share: a line's start is its first token's and its end its last token's
 * (a line never spans lines and its last token always sets its end), made when read; JSON and
 * inspection show the plain Line it stands for.
 */
abstract class LineNode implements Line {
  abstract readonly kind: 'line';
  abstract comments: Comments;
  abstract tokens: Token[];
  abstract inBlock: boolean;

  get start(): Position {
    return this.tokens[0]!.start;
  }

  set start(p: Position) {
    setOwn(this, 'start', p);
  }

  get end(): Position {
    const tokens = this.tokens;
    return tokens[tokens.length - 1]!.end;
  }

  set end(p: Position) {
    setOwn(this, 'end', p);
  }

  toJSON(): Line {
    return { kind: this.kind, comments: this.comments, start: this.start, tokens: this.tokens, inBlock: this.inBlock, end: this.end };
  }

  [INSPECT](): Line {
    return this.toJSON();
  }
}

/** A line read by the parser, with its tokens. */
class ParsedLine extends LineNode {
  readonly kind = 'line';
  comments: Comments = NO_COMMENTS;
  tokens: Token[];
  inBlock: boolean;

  constructor(tokens: ParsedToken[], inBlock: boolean) {
    super();
    this.tokens = tokens;
    this.inBlock = inBlock;
  }
}

const INDIRECT = '// indirect';

/**
 * commentEnd is where an end-of-line comment starting at offset c ends: at the end of its line, less
 * the carriage return of a CR LF, as the lexer reads it.
 */
function commentEnd(text: string, c: number): number {
  const nl = text.indexOf('\n', c);
  if (nl < 0) return text.length;
  return text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
}

/** plainComment makes the Comments of a plain line whose end-of-line comment starts at offset c. */
function plainComment(text: string, a: number, lineNo: number, c: number): Comments {
  const comment: Comment = { start: { line: lineNo, column: c - a + 1, offset: c }, token: shared(text.slice(c, commentEnd(text, c))), suffix: true };
  return { before: NO_COMMENT_LIST, suffix: [comment], after: NO_COMMENT_LIST };
}

/**
 * readTokens gives a line's tokens for reading (positions, texts) without keeping them on a line
 * that makes its tokens when first read: a check reports on a hundred thousand lines of a large
 * monorepo, and tokens kept for each would stay in memory with the tree. The tokens are equal to
 * `line.tokens` but not the same objects; edits go through `line.tokens`.
 */
export function readTokens(line: Line): readonly Token[] {
  return line instanceof PlainLine ? line.peekTokens() : line.tokens;
}

/**
 * tokenStarts writes the start (line, column, offset) of each of a line's first `out.length / 3`
 * tokens into out and returns how many it wrote: what readTokens(line)[k].start holds, without
 * making the tokens of a lazy line (a monorepo's requirement lines are read so when facts are kept).
 */
export function tokenStarts(line: Line, out: Int32Array): number {
  const max = Math.floor(out.length / 3);
  if (line instanceof PlainLine && !line.hasTokens()) return line.starts(out, max);
  const tokens = line.tokens;
  const n = Math.min(max, tokens.length);
  for (let k = 0; k < n; k++) {
    const p = tokens[k]!.start;
    out[3 * k] = p.line;
    out[3 * k + 1] = p.column;
    out[3 * k + 2] = p.offset;
  }
  return n;
}

/** suffixTextOf is the text of a line's first end-of-line comment, undefined for none (lazy lines make no Comments for it). */
export function suffixTextOf(line: Line): string | undefined {
  return line instanceof PlainLine ? line.suffixText() : line.comments.suffix[0]?.token;
}

/**
 * A line of a plain file (parsePlainSyntax with `lazy`) whose tokens are made when first read. A
 * monorepo's go.mod files hold hundreds of thousands of requirement lines, and a check reads the
 * tokens of the few it reports on: the others keep their file's text, their offset and their line
 * number instead of a token array and two or more tokens (about a third of the memory). The tokens
 * made are those parsePlainSyntax makes without `lazy`, so the tree is parseSyntax's either way.
 */
class PlainLine extends LineNode {
  inBlock: boolean;
  readonly #text: string;
  readonly #at: number;
  readonly #line: number;
  #tokens: Token[] | undefined;
  /** The line's comments, or (until read) the offset of its end-of-line comment's `//`, -1 for none. */
  #comments: Comments | number;

  constructor(text: string, at: number, line: number, inBlock: boolean, commentAt: number) {
    super();
    this.inBlock = inBlock;
    this.#text = text;
    this.#at = at;
    this.#line = line;
    this.#tokens = undefined;
    this.#comments = commentAt;
  }

  /**
   * suffixText is the text of the line's end-of-line comment (undefined for none) without making
   * its Comments: the typed layer asks every requirement whether it is `// indirect`.
   */
  suffixText(): string | undefined {
    const c = this.#comments;
    if (typeof c !== 'number') return c.suffix[0]?.token;
    if (c < 0) return undefined;
    const text = this.#text;
    const end = commentEnd(text, c);
    return end - c === INDIRECT.length && text.startsWith(INDIRECT, c) ? INDIRECT : text.slice(c, end);
  }

  get kind(): 'line' {
    return 'line';
  }

  get tokens(): Token[] {
    return (this.#tokens ??= this.madeTokens());
  }

  /** peekTokens gives the tokens without keeping them, when the line has none yet (see readTokens). */
  peekTokens(): readonly Token[] {
    return this.#tokens ?? this.madeTokens();
  }

  /** hasTokens tells whether the line's tokens were made already. */
  hasTokens(): boolean {
    return this.#tokens !== undefined;
  }

  /** starts is tokenStarts for a line whose tokens are not made: the same positions, from a scan. */
  starts(out: Int32Array, max: number): number {
    const text = this.#text;
    const at = this.#at;
    let nl = text.indexOf('\n', at);
    if (nl < 0) nl = text.length;
    const count = scanPlainLine(text, at, nl, { commentAt: -1 });
    if (count < 0) throw new Error(`line ${this.#line} is no longer of the plain form`);
    const n = Math.min(max, count);
    for (let k = 0; k < n; k++) {
      const start = plainStarts[k]!;
      out[3 * k] = this.#line;
      out[3 * k + 1] = start - at + 1;
      out[3 * k + 2] = start;
    }
    return n;
  }

  private madeTokens(): Token[] {
    const text = this.#text;
    const at = this.#at;
    let nl = text.indexOf('\n', at);
    if (nl < 0) nl = text.length;
    return plainTokens(text, at, this.#line, scanPlainLine(text, at, nl, { commentAt: -1 }));
  }

  set tokens(tokens: Token[]) {
    this.#tokens = tokens;
  }

  get comments(): Comments {
    const c = this.#comments;
    if (typeof c !== 'number') return c;
    return (this.#comments = c < 0 ? NO_COMMENTS : plainComment(this.#text, this.#at, this.#line, c));
  }

  set comments(comments: Comments) {
    this.#comments = comments;
  }
}

/**
 * Texts of words and comments seen before, shared by all parses: the go.mod files of a monorepo
 * repeat the same paths, versions and `// indirect` over and over, and one string per occurrence
 * was a large part of a parsed file. Bounded; emptied when full.
 */
const WORDS = new Map<string, string>();
const MAX_WORDS = 1 << 17;
const MAX_WORD_LENGTH = 128;

function shared(s: string): string {
  const hit = WORDS.get(s);
  if (hit !== undefined) return hit;
  if (s.length > MAX_WORD_LENGTH) return s;
  if (WORDS.size >= MAX_WORDS) WORDS.clear();
  const own = ownCopy(s);
  WORDS.set(own, own);
  return own;
}

/** ownCopy copies a string: a slice of a file's text kept in a table would keep that whole text alive. */
function ownCopy(s: string): string {
  return s.length > 1 ? s.split('').join('') : s;
}

/** Stands in for the lookahead when it is not a word of a line (newline, comment, end of file). */
const NO_TOKEN = new ParsedToken('', 1, 1, 0);
const PUNCT_TEXT: Record<number, string> = { 0x28: '(', 0x29: ')', 0x5b: '[', 0x5d: ']', 0x7b: '{', 0x7d: '}', 0x2c: ',' };

class Parser {
  private readonly text: string;
  private readonly file: string;
  private readonly n: number;
  // Current lexer position.
  private off = 0;
  private line = 1;
  private col = 1;
  /** Whether a non-comment token was already read on the current line. */
  private lineHasToken = false;
  /** The lookahead: its kind, text and start, and its token when it is a word of a line. */
  private kind = EOF;
  private tokText = '';
  private tokLine = 1;
  private tokCol = 1;
  private tokOff = 0;
  private tok: ParsedToken = NO_TOKEN;
  /** The kind of the token `lex` returned last. */
  private lexKind = EOF;
  /** End-of-line comments, attached to the tree afterwards. */
  private comments: Comment[] = [];
  /** Tokens of the line being read; each line keeps an exact-length copy. */
  private readonly lineTokens: ParsedToken[] = [];
  readonly syntax: FileSyntax;

  constructor(text: string, file: string) {
    this.text = text;
    this.file = file;
    this.n = text.length;
    this.syntax = { name: file, text, comments: NO_COMMENTS, stmts: [] };
  }

  position(): Position {
    return this.pos();
  }

  private pos(): Position {
    return { line: this.line, column: this.col, offset: this.off };
  }

  /** The start of the lookahead. */
  private tokStart(): Position {
    return { line: this.tokLine, column: this.tokCol, offset: this.tokOff };
  }

  fail(message: string, at?: Position): never {
    const p = at ?? this.pos();
    throw new ParseAbort({ file: this.file, line: p.line, column: p.column > 1 ? p.column : 0, message });
  }

  /** Consumes one code point and returns it. */
  private readRune(): number {
    const t = this.text;
    const c = t.charCodeAt(this.off);
    if (c === NL) {
      this.off++;
      this.line++;
      this.col = 1;
      return c;
    }
    if (c >= 0xd800 && c <= 0xdbff && this.off + 1 < this.n) {
      const d = t.charCodeAt(this.off + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        this.off += 2;
        this.col++;
        return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
      }
    }
    this.off++;
    this.col++;
    return c;
  }

  private peekRune(): number {
    if (this.off >= this.n) return 0;
    const c = this.text.charCodeAt(this.off);
    if (c >= 0xd800 && c <= 0xdbff && this.off + 1 < this.n) {
      const d = this.text.charCodeAt(this.off + 1);
      if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
    }
    return c;
  }

  /** Reads the next token into the lookahead. */
  readToken(): void {
    const t = this.text;
    for (;;) {
      if (this.off >= this.n) break;
      const c = t.charCodeAt(this.off);
      if (c === 0x20 || c === 0x09 || c === 0x0d) {
        this.off++;
        this.col++;
        continue;
      }
      if (c === 0x2f && this.off + 1 < this.n) {
        const d = t.charCodeAt(this.off + 1);
        if (d === 0x2f) {
          this.tokLine = this.line;
          this.tokCol = this.col;
          this.tokOff = this.off;
          const suffix = this.lineHasToken;
          const nl = t.indexOf('\n', this.off);
          let endText: number;
          if (nl < 0) {
            endText = this.n;
            this.advanceTo(this.n);
          } else {
            endText = nl > this.off && t.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
            this.advanceTo(nl);
            this.off = nl + 1;
            this.line++;
            this.col = 1;
          }
          this.lineHasToken = false;
          const text = shared(t.slice(this.tokOff, endText));
          this.kind = suffix ? EOLCOMMENT : COMMENT;
          this.tokText = text;
          this.tok = NO_TOKEN;
          if (suffix) this.comments.push({ start: this.tokStart(), token: text, suffix: true });
          return;
        }
        if (d === 0x2a) this.fail('mod files must use // comments (not /* */ comments)');
      }
      break;
    }

    const line = this.line;
    const col = this.col;
    const off = this.off;
    this.tokLine = line;
    this.tokCol = col;
    this.tokOff = off;
    if (off >= this.n) {
      this.kind = EOF;
      this.tokText = '';
      this.tok = NO_TOKEN;
      return;
    }
    const c = this.peekRune();
    switch (c) {
      case NL:
        this.readRune();
        this.lineHasToken = false;
        this.kind = NL;
        this.tokText = '\n';
        this.tok = NO_TOKEN;
        return;
      case 0x28: case 0x29: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x2c: {
        this.readRune();
        this.lineHasToken = true;
        this.kind = c;
        const text = PUNCT_TEXT[c]!;
        this.tokText = text;
        this.tok = new ParsedToken(text, line, col, off);
        return;
      }
      case 0x22: case 0x60: {
        const quote = c;
        this.readRune();
        for (;;) {
          if (this.off >= this.n) this.fail('unexpected EOF in string', this.tokStart());
          if (t.charCodeAt(this.off) === NL) this.fail('unexpected newline in string');
          const r = this.readRune();
          if (r === quote) break;
          if (r === 0x5c && quote !== 0x60) {
            if (this.off >= this.n) this.fail('unexpected EOF in string', this.tokStart());
            this.readRune();
          }
        }
        this.lineHasToken = true;
        this.kind = STRING;
        const text = shared(t.slice(off, this.off));
        this.tokText = text;
        this.tok = new ParsedToken(text, line, col, off);
        return;
      }
    }
    if (!isIdentRune(c)) this.fail(`unexpected input character ${quoteRune(c)}`);
    for (;;) {
      if (this.off >= this.n) break;
      const ch = t.charCodeAt(this.off);
      if (ch < 0x80) {
        if (ch <= 0x20 || ch === 0x7f) break;
        if (ch === 0x28 || ch === 0x29 || ch === 0x5b || ch === 0x5d || ch === 0x7b || ch === 0x7d || ch === 0x2c) break;
        if (ch === 0x2f && this.off + 1 < this.n) {
          const d = t.charCodeAt(this.off + 1);
          if (d === 0x2f) break;
          if (d === 0x2a) this.fail('mod files must use // comments (not /* */ comments)');
        }
        this.off++;
        this.col++;
        continue;
      }
      if (!isIdentRune(this.peekRune())) break;
      this.readRune();
    }
    this.lineHasToken = true;
    this.kind = IDENT;
    const text = shared(t.slice(off, this.off));
    this.tokText = text;
    this.tok = new ParsedToken(text, line, col, off);
  }

  /** Moves to offset `to` on the current line (no newline in between), counting code points. */
  private advanceTo(to: number): void {
    const t = this.text;
    let col = this.col;
    for (let i = this.off; i < to; i++) {
      const c = t.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff && i > this.off) {
        const p = t.charCodeAt(i - 1);
        if (p >= 0xd800 && p <= 0xdbff) continue;
      }
      col++;
    }
    this.col = col;
    this.off = to;
  }

  private peek(): number {
    return this.kind;
  }

  /** Consumes the lookahead and returns its token (NO_TOKEN unless it is a word of a line). */
  private lex(): ParsedToken {
    const tok = this.tok;
    this.lexKind = this.kind;
    this.readToken();
    return tok;
  }

  parseFile(): void {
    const stmts = this.syntax.stmts;
    let cb: CommentBlock | undefined;
    for (;;) {
      switch (this.peek()) {
        case NL:
          this.lex();
          if (cb) {
            stmts.push(cb);
            cb = undefined;
          }
          break;
        case COMMENT: {
          const start = this.tokStart();
          const text = this.tokText;
          this.lex();
          if (!cb) cb = { kind: 'comments', comments: commentsBefore([]), start };
          cb.comments.before.push({ start, token: text, suffix: false });
          break;
        }
        case EOF:
          if (cb) stmts.push(cb);
          return;
        default:
          this.parseStmt();
          if (cb) {
            // The statement was just read: its comments are still the shared empty value.
            stmts[stmts.length - 1]!.comments = commentsBefore(cb.comments.before);
            cb = undefined;
          }
      }
    }
  }

  private parseStmt(): void {
    const first = this.lex();
    const tokens = this.lineTokens;
    let n = 0;
    tokens[n++] = first;
    for (;;) {
      const tok = this.lex();
      const kind = this.lexKind;
      if (isEOL(kind)) {
        this.syntax.stmts.push(new ParsedLine(tokens.slice(0, n), false));
        return;
      }
      if (kind === LPAREN) {
        const next = this.peek();
        if (isEOL(next)) {
          this.syntax.stmts.push(this.parseLineBlock(first.start, tokens.slice(0, n), tok));
          return;
        }
        if (next === RPAREN) {
          const rparen = this.lex();
          if (isEOL(this.peek())) {
            this.lex();
            this.syntax.stmts.push({
              kind: 'block', comments: NO_COMMENTS, start: first.start, tokens: tokens.slice(0, n), lparen: tok.start, lines: [],
              rparen: rparen.start, rparenComments: NO_COMMENTS, lparenComments: NO_COMMENTS,
            });
            return;
          }
          tokens[n++] = tok;
          tokens[n++] = rparen;
        } else {
          tokens[n++] = tok;
        }
        continue;
      }
      // A line's last token is always added here (or is its first), so it gives the line's end.
      tokens[n++] = tok;
    }
  }

  private parseLineBlock(start: Position, tokens: Token[], lparen: Token): LineBlock {
    const lp = lparen.start;
    const block: LineBlock = {
      kind: 'block', comments: NO_COMMENTS, start, tokens, lparen: lp, lines: [],
      rparen: lp, rparenComments: NO_COMMENTS, lparenComments: NO_COMMENTS,
    };
    let comments: Comment[] = [];
    for (;;) {
      switch (this.peek()) {
        case EOLCOMMENT:
          this.lex();
          break;
        case NL: {
          const at = this.tokStart();
          this.lex();
          if ((comments.length === 0 && block.lines.length > 0) || (comments.length > 0 && comments[comments.length - 1]!.token !== '')) {
            comments.push({ start: at, token: '', suffix: false });
          }
          break;
        }
        case COMMENT: {
          const at = this.tokStart();
          const text = this.tokText;
          this.lex();
          comments.push({ start: at, token: text, suffix: false });
          break;
        }
        case EOF:
          this.fail(`syntax error (unterminated block started at ${this.file}:${start.line}:${start.column})`);
        // eslint-disable-next-line no-fallthrough
        case RPAREN: {
          const rparen = this.lex();
          // A lone blank line before `)` is not kept (x/mod, go.dev/issue/70632).
          if (comments.length === 1 && comments[0]!.token === '') comments = [];
          if (comments.length > 0) block.rparenComments = commentsBefore(comments);
          block.rparen = rparen.start;
          if (!isEOL(this.peek())) this.fail('syntax error (expected newline after closing paren)');
          this.lex();
          // An exact-length copy: the list grew by pushes and has room to spare.
          if (block.lines.length > 0) block.lines = block.lines.slice();
          return block;
        }
        default: {
          const line = this.parseLine();
          block.lines.push(line);
          if (comments.length > 0) {
            line.comments = commentsBefore(comments);
            comments = [];
          }
        }
      }
    }
  }

  private parseLine(): Line {
    const first = this.lex();
    if (isEOL(this.lexKind)) this.fail('internal parse error: parseLine at end of line');
    const tokens = this.lineTokens;
    let n = 0;
    tokens[n++] = first;
    for (;;) {
      const tok = this.lex();
      if (isEOL(this.lexKind)) return new ParsedLine(tokens.slice(0, n), true);
      tokens[n++] = tok;
    }
  }

  /** Attaches end-of-line comments to the node that ends just before them, as x/mod does. */
  assignComments(): void {
    let suffix = this.comments;
    if (suffix.length === 0) return;
    // Post-order list of nodes with their spans and the field holding their comments.
    type Holder = 'comments' | 'lparenComments' | 'rparenComments';
    type Node = { startLine: number; endLine: number; endOffset: number; owner: Stmt; key: Holder };
    const post: Node[] = [];
    // A parsed line is on one source line and ends where its last token ends.
    const lineNode = (l: Line): Node => {
      const last = l.tokens[l.tokens.length - 1] as ParsedToken;
      const at = ParsedToken.line(last);
      return { startLine: at, endLine: at, endOffset: ParsedToken.endOffset(last), owner: l, key: 'comments' };
    };
    for (const stmt of this.syntax.stmts) {
      if (stmt.kind === 'line') {
        post.push(lineNode(stmt));
      } else if (stmt.kind === 'comments') {
        post.push({ startLine: stmt.start.line, endLine: stmt.start.line, endOffset: stmt.start.offset, owner: stmt, key: 'comments' });
      } else {
        post.push({ startLine: stmt.lparen.line, endLine: stmt.lparen.line, endOffset: stmt.lparen.offset + 1, owner: stmt, key: 'lparenComments' });
        for (const l of stmt.lines) post.push(lineNode(l));
        post.push({ startLine: stmt.rparen.line, endLine: stmt.rparen.line, endOffset: stmt.rparen.offset + 1, owner: stmt, key: 'rparenComments' });
        post.push({ startLine: stmt.start.line, endLine: stmt.rparen.line, endOffset: stmt.rparen.offset + 1, owner: stmt, key: 'comments' });
      }
    }
    suffix = suffix.slice();
    for (let i = post.length - 1; i >= 0 && suffix.length > 0; i--) {
      const x = post[i]!;
      if (x.startLine !== x.endLine) continue;
      let n = suffix.length;
      while (n > 0 && x.endOffset <= suffix[n - 1]!.start.offset) n--;
      if (n === suffix.length) continue;
      // Each node is visited once, so it has no suffix comments yet; its Comments is replaced, not changed.
      const holder = x.owner as unknown as Record<Holder, Comments>;
      const old = holder[x.key];
      holder[x.key] = { before: old.before, suffix: suffix.slice(n), after: old.after };
      suffix.length = n;
    }
    if (suffix.length > 0) this.syntax.comments = commentsBefore(suffix);
  }
}

/** The bounds of the words scanPlainLine found in the last line it read (reused from line to line). */
const plainStarts: number[] = [];
const plainEnds: number[] = [];

/**
 * scanPlainLine finds the words of text[a, b) (b excludes the newline) into plainStarts/Ends and
 * returns their count, or -1 when the line is not of the plain form: printable ASCII, words
 * separated by spaces, tabs and carriage returns, no quotes, brackets, braces or commas, a `(` or
 * `)` only as a word of its own, and at most one `//` comment, after the words. `commentAt` gets
 * the offset of the comment's `//`, or -1.
 */
function scanPlainLine(text: string, a: number, b: number, out: { commentAt: number }): number {
  let count = 0;
  let i = a;
  out.commentAt = -1;
  while (i < b) {
    let c = text.charCodeAt(i);
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === 0x2f && i + 1 < b && text.charCodeAt(i + 1) === 0x2f) {
      // A comment runs to the end of the line: its characters must be printable ASCII too.
      for (let k = i + 2; k < b; k++) {
        const d = text.charCodeAt(k);
        if ((d < 0x20 && d !== 0x09 && d !== 0x0d) || d >= 0x7f) return -1;
      }
      out.commentAt = i;
      return count;
    }
    const start = i;
    for (; i < b; i++) {
      c = text.charCodeAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        if (isBlank(c)) break;
        return -1;
      }
      switch (c) {
        case 0x22: case 0x60: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x2c:
          return -1;
        case 0x28: case 0x29:
          // A parenthesis only as a word of its own.
          if (i !== start || (i + 1 < b && !isBlank(text.charCodeAt(i + 1)))) return -1;
          break;
        case 0x2f:
          if (i + 1 < b) {
            const d = text.charCodeAt(i + 1);
            if (d === 0x2a) return -1;
            // `x//c`: the lexer ends the word at the comment; not the plain form.
            if (d === 0x2f) return -1;
          }
      }
    }
    plainStarts[count] = start;
    plainEnds[count] = i;
    count++;
  }
  return count;
}

/** isBlank tells the characters the lexer skips between words: space, tab, carriage return. */
function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}

/** plainTokens makes the tokens of the `count` words scanPlainLine found in line lineNo, starting at offset a. */
function plainTokens(text: string, a: number, lineNo: number, count: number): ParsedToken[] {
  if (count < 0) throw new Error(`line ${lineNo} is no longer of the plain form`);
  const tokens: ParsedToken[] = new Array<ParsedToken>(count);
  for (let k = 0; k < count; k++) {
    const at = plainStarts[k]!;
    tokens[k] = new ParsedToken(shared(text.slice(at, plainEnds[k]!)), lineNo, at - a + 1, at);
  }
  return tokens;
}

/**
 * Block statement lines seen before, by their text (newline excluded): their words and where their
 * end-of-line comment starts (from the line's start, -1 for none). The go.mod files of a monorepo
 * repeat the same requirement and replacement lines, so most lines are found here instead of being
 * scanned. What a line's text gives does not depend on the file it is in. Bounded; emptied when full.
 */
const PLAIN_LINES = new Map<string, { readonly words: readonly string[]; readonly commentAt: number }>();
const MAX_PLAIN_LINES = 1 << 17;
/** Longer lines are not remembered: the table's memory stays bounded whatever the input. */
const MAX_PLAIN_LINE_LENGTH = 256;

function rememberLine(key: string, words: readonly string[], commentAt: number): void {
  if (key.length > MAX_PLAIN_LINE_LENGTH) return;
  if (PLAIN_LINES.size >= MAX_PLAIN_LINES) PLAIN_LINES.clear();
  PLAIN_LINES.set(ownCopy(key), { words, commentAt });
}

/** @internal plainLineCount is the number of block lines remembered (for tests of its bounds). */
export function plainLineCount(): number {
  return PLAIN_LINES.size;
}

/**
 * PlainOptions: `lazy` makes statement lines whose tokens are made when first read (PlainLine);
 * `words`, when given, receives the words of each statement line, in the order of the lines in the
 * tree (top-level lines and block lines as they come), for a typed layer that needs their texts
 * only.
 */
export interface PlainOptions {
  lazy?: boolean;
  words?: (readonly string[])[];
}

/**
 * parsePlainSyntax is parseSyntax for a file of the plain form `go mod tidy` and editors write:
 * statement lines and `verb (` blocks of statement lines closed by `)` on a line of its own,
 * printable ASCII, no quoted strings, no whole-line comments, no blank lines inside blocks, and
 * end-of-line comments only after a statement's words. For such a file it returns the tree
 * parseSyntax returns (the same tokens, positions and comment attachment), read line by line
 * without the general lexer; for any other file, undefined (and parseSyntax reads it).
 */
export function parsePlainSyntax(text: string, file: string, opts: PlainOptions = {}): FileSyntax | undefined {
  const lazy = opts.lazy === true;
  const wordsOut = opts.words;
  const syntax: FileSyntax = { name: file, text, comments: NO_COMMENTS, stmts: [] };
  const stmts = syntax.stmts;
  const n = text.length;
  const scan = { commentAt: -1 };
  let block: LineBlock | undefined;
  let lineNo = 0;
  const remember = lazy && wordsOut !== undefined;
  for (let a = 0; a <= n;) {
    lineNo++;
    let nl = text.indexOf('\n', a);
    const last = nl < 0;
    if (last) nl = n;
    // A statement line of a block that some go.mod had before: its words are known.
    const key = remember && block ? text.slice(a, nl) : undefined;
    const seen = key !== undefined ? PLAIN_LINES.get(key) : undefined;
    if (seen !== undefined) {
      wordsOut!.push(seen.words);
      block!.lines.push(new PlainLine(text, a, lineNo, true, seen.commentAt < 0 ? -1 : a + seen.commentAt));
      if (last) break;
      a = nl + 1;
      continue;
    }
    const count = scanPlainLine(text, a, nl, scan);
    if (count < 0) return undefined;
    const commentAt = scan.commentAt;
    if (count === 0) {
      // A blank line: nothing at top level; inside a block x/mod keeps it as a comment. A
      // whole-line comment is attached to what follows.
      if (commentAt >= 0 || block) return undefined;
    } else if (block && count === 1 && text.charCodeAt(plainStarts[0]!) === 0x29) {
      if (commentAt >= 0) return undefined;
      block.rparen = { line: lineNo, column: plainStarts[0]! - a + 1, offset: plainStarts[0]! };
      if (block.lines.length > 0) block.lines = block.lines.slice();
      block = undefined;
    } else {
      for (let k = 0; k < count; k++) {
        const c = text.charCodeAt(plainStarts[k]!);
        if ((c === 0x28 || c === 0x29) && !(c === 0x28 && !block && k === 1 && count === 2)) return undefined;
      }
      if (!block && count === 2 && text.charCodeAt(plainStarts[1]!) === 0x28) {
        if (commentAt >= 0) return undefined;
        const tokens = plainTokens(text, a, lineNo, count);
        const verb = tokens[0]!;
        const lparen = tokens[1]!.start;
        block = {
          kind: 'block', comments: NO_COMMENTS, start: verb.start, tokens: [verb], lparen, lines: [],
          rparen: lparen, rparenComments: NO_COMMENTS, lparenComments: NO_COMMENTS,
        };
        stmts.push(block);
      } else {
        if (wordsOut) {
          const words = new Array<string>(count);
          for (let k = 0; k < count; k++) words[k] = shared(text.slice(plainStarts[k]!, plainEnds[k]!));
          wordsOut.push(words);
          if (key !== undefined) rememberLine(key, words, commentAt < 0 ? -1 : commentAt - a);
        }
        let line: Line;
        if (lazy) {
          line = new PlainLine(text, a, lineNo, block !== undefined, commentAt);
        } else {
          line = new ParsedLine(plainTokens(text, a, lineNo, count), block !== undefined);
          if (commentAt >= 0) line.comments = plainComment(text, a, lineNo, commentAt);
        }
        if (block) block.lines.push(line);
        else stmts.push(line);
      }
    }
    if (last) break;
    a = nl + 1;
  }
  // An unterminated block is a syntax error: parseSyntax reports it.
  return block ? undefined : syntax;
}

/** SyntaxResult is the tree (partial when there is an error) and at most one syntax error. */
export interface SyntaxResult {
  syntax: FileSyntax;
  errors: ParseError[];
}

/**
 * parseSyntax parses go.mod-style text into a tree with positions and attached comments. Like
 * x/mod it stops at the first syntax error; the tree then holds what was read before it.
 */
/** MAX_SYNTAX_BYTES is the most of a go.mod the go command reads from a module proxy (modfetch.MaxGoMod). */
export const MAX_SYNTAX_BYTES = 16 << 20;
/** MAX_SYNTAX_LINES bounds the lines of a file parsed: a syntax tree costs memory per line. */
export const MAX_SYNTAX_LINES = 1_000_000;

/**
 * oversized is the error of a text too large to parse (over MAX_SYNTAX_BYTES characters or
 * MAX_SYNTAX_LINES lines), undefined for any other: hand-kept files are thousands of lines, and a
 * syntax tree of tens of millions of lines takes gigabytes.
 */
export function oversized(text: string, file: string): ParseError | undefined {
  if (text.length > MAX_SYNTAX_BYTES) {
    return { file, line: 1, column: 0, tooLarge: true, message: `${(text.length / (1 << 20)).toFixed(0)} MiB, over the ${MAX_SYNTAX_BYTES >> 20} MiB limit (the most of a go.mod the go command reads)` };
  }
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (++lines > MAX_SYNTAX_LINES) return { file, line: 1, column: 0, tooLarge: true, message: `more than ${MAX_SYNTAX_LINES.toLocaleString('en-US')} lines` };
  }
  return undefined;
}

export function parseSyntax(text: string, file: string): SyntaxResult {
  const p = new Parser(text, file);
  const tooLarge = text.length > 1 << 20 ? oversized(text, file) : undefined;
  if (tooLarge) return { syntax: p.syntax, errors: [tooLarge] };
  try {
    p.readToken();
    p.parseFile();
    p.assignComments();
    return { syntax: p.syntax, errors: [] };
  } catch (e) {
    if (e instanceof ParseAbort) return { syntax: p.syntax, errors: [e.error] };
    const at = p.position();
    return { syntax: p.syntax, errors: [{ file, line: at.line, column: at.column > 1 ? at.column : 0, message: `internal error: ${(e as Error)?.message ?? String(e)}` }] };
  }
}

export type { Stmt };
