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

/** ParseAbort carries the single syntax error that stops x/mod's parser. */
class ParseAbort {
  constructor(readonly error: ParseError) {}
}


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
  /** The lookahead token and its kind. */
  private tok: Token = { text: '', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
  private kind = EOF;
  /** The kind of the token `lex` returned last. */
  private lexKind = EOF;
  /** End-of-line comments, attached to the tree afterwards. */
  private comments: Comment[] = [];
  readonly syntax: FileSyntax;

  constructor(text: string, file: string) {
    this.text = text;
    this.file = file;
    this.n = text.length;
    this.syntax = { name: file, text, comments: emptyComments(), stmts: [] };
  }

  position(): Position {
    return this.pos();
  }

  private pos(): Position {
    return { line: this.line, column: this.col, offset: this.off };
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

  private isAt(a: number, b: number): boolean {
    return this.off + 1 < this.n && this.text.charCodeAt(this.off) === a && this.text.charCodeAt(this.off + 1) === b;
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
          const start = this.pos();
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
          const text = t.slice(start.offset, endText);
          this.kind = suffix ? EOLCOMMENT : COMMENT;
          this.tok = { text, start, end: this.pos() };
          if (suffix) this.comments.push({ start, token: text, suffix: true });
          return;
        }
        if (d === 0x2a) this.fail('mod files must use // comments (not /* */ comments)');
      }
      break;
    }

    const start = this.pos();
    if (this.off >= this.n) {
      this.kind = EOF;
          this.tok = { text: '', start, end: start };
      return;
    }
    const c = this.peekRune();
    switch (c) {
      case NL:
        this.readRune();
        this.lineHasToken = false;
        this.kind = NL;
          this.tok = { text: '\n', start, end: this.pos() };
        return;
      case 0x28: case 0x29: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x2c:
        this.readRune();
        this.lineHasToken = true;
        this.kind = c;
          this.tok = { text: String.fromCharCode(c), start, end: this.pos() };
        return;
      case 0x22: case 0x60: {
        const quote = c;
        this.readRune();
        for (;;) {
          if (this.off >= this.n) this.fail('unexpected EOF in string', start);
          if (t.charCodeAt(this.off) === NL) this.fail('unexpected newline in string');
          const r = this.readRune();
          if (r === quote) break;
          if (r === 0x5c && quote !== 0x60) {
            if (this.off >= this.n) this.fail('unexpected EOF in string', start);
            this.readRune();
          }
        }
        this.lineHasToken = true;
        this.kind = STRING;
          this.tok = { text: t.slice(start.offset, this.off), start, end: this.pos() };
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
          this.tok = { text: t.slice(start.offset, this.off), start, end: this.pos() };
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

  private lex(): Token {
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
          const tok = this.lex();
          if (!cb) cb = { kind: 'comments', comments: emptyComments(), start: tok.start };
          cb.comments.before.push({ start: tok.start, token: tok.text, suffix: false });
          break;
        }
        case EOF:
          if (cb) stmts.push(cb);
          return;
        default:
          this.parseStmt();
          if (cb) {
            stmts[stmts.length - 1]!.comments.before = cb.comments.before;
            cb = undefined;
          }
      }
    }
  }

  private parseStmt(): void {
    const first = this.lex();
    const start = first.start;
    let end = first.end;
    const tokens: Token[] = [first];
    for (;;) {
      const tok = this.lex();
      const kind = this.lexKind;
      if (isEOL(kind)) {
        this.syntax.stmts.push({ kind: 'line', comments: emptyComments(), start, tokens, inBlock: false, end });
        return;
      }
      if (kind === LPAREN) {
        const next = this.peek();
        if (isEOL(next)) {
          this.syntax.stmts.push(this.parseLineBlock(start, tokens, tok));
          return;
        }
        if (next === RPAREN) {
          const rparen = this.lex();
          if (isEOL(this.peek())) {
            this.lex();
            this.syntax.stmts.push({
              kind: 'block', comments: emptyComments(), start, tokens, lparen: tok.start, lines: [],
              rparen: rparen.start, rparenComments: emptyComments(), lparenComments: emptyComments(),
            });
            return;
          }
          tokens.push(tok, rparen);
        } else {
          tokens.push(tok);
        }
        continue;
      }
      tokens.push(tok);
      end = tok.end;
    }
  }

  private parseLineBlock(start: Position, tokens: Token[], lparen: Token): LineBlock {
    const block: LineBlock = {
      kind: 'block', comments: emptyComments(), start, tokens, lparen: lparen.start, lines: [],
      rparen: lparen.start, rparenComments: emptyComments(), lparenComments: emptyComments(),
    };
    let comments: Comment[] = [];
    for (;;) {
      switch (this.peek()) {
        case EOLCOMMENT:
          this.lex();
          break;
        case NL: {
          const tok = this.lex();
          if ((comments.length === 0 && block.lines.length > 0) || (comments.length > 0 && comments[comments.length - 1]!.token !== '')) {
            comments.push({ start: tok.start, token: '', suffix: false });
          }
          break;
        }
        case COMMENT: {
          const tok = this.lex();
          comments.push({ start: tok.start, token: tok.text, suffix: false });
          break;
        }
        case EOF:
          this.fail(`syntax error (unterminated block started at ${this.file}:${start.line}:${start.column})`);
        // eslint-disable-next-line no-fallthrough
        case RPAREN: {
          const rparen = this.lex();
          // A lone blank line before `)` is not kept (x/mod, go.dev/issue/70632).
          if (comments.length === 1 && comments[0]!.token === '') comments = [];
          block.rparenComments.before = comments;
          block.rparen = rparen.start;
          if (!isEOL(this.peek())) this.fail('syntax error (expected newline after closing paren)');
          this.lex();
          return block;
        }
        default: {
          const line = this.parseLine();
          block.lines.push(line);
          line.comments.before = comments;
          comments = [];
        }
      }
    }
  }

  private parseLine(): Line {
    const first = this.lex();
    if (isEOL(this.lexKind)) this.fail('internal parse error: parseLine at end of line');
    const start = first.start;
    let end = first.end;
    const tokens: Token[] = [first];
    for (;;) {
      const tok = this.lex();
      if (isEOL(this.lexKind)) return { kind: 'line', comments: emptyComments(), start, tokens, inBlock: true, end };
      tokens.push(tok);
      end = tok.end;
    }
  }

  /** Attaches end-of-line comments to the node that ends just before them, as x/mod does. */
  assignComments(): void {
    let suffix = this.comments;
    if (suffix.length === 0) return;
    // Post-order list of nodes with their spans and comment holders.
    type Node = { startLine: number; endLine: number; endOffset: number; comments: Comments };
    const post: Node[] = [];
    for (const stmt of this.syntax.stmts) {
      if (stmt.kind === 'line') {
        post.push({ startLine: stmt.start.line, endLine: stmt.end.line, endOffset: stmt.end.offset, comments: stmt.comments });
      } else if (stmt.kind === 'comments') {
        post.push({ startLine: stmt.start.line, endLine: stmt.start.line, endOffset: stmt.start.offset, comments: stmt.comments });
      } else {
        post.push({ startLine: stmt.lparen.line, endLine: stmt.lparen.line, endOffset: stmt.lparen.offset + 1, comments: stmt.lparenComments! });
        for (const l of stmt.lines) {
          post.push({ startLine: l.start.line, endLine: l.end.line, endOffset: l.end.offset, comments: l.comments });
        }
        post.push({ startLine: stmt.rparen.line, endLine: stmt.rparen.line, endOffset: stmt.rparen.offset + 1, comments: stmt.rparenComments });
        post.push({ startLine: stmt.start.line, endLine: stmt.rparen.line, endOffset: stmt.rparen.offset + 1, comments: stmt.comments });
      }
    }
    suffix = suffix.slice();
    for (let i = post.length - 1; i >= 0 && suffix.length > 0; i--) {
      const x = post[i]!;
      if (x.startLine !== x.endLine) continue;
      let added = 0;
      while (suffix.length > 0 && x.endOffset <= suffix[suffix.length - 1]!.start.offset) {
        x.comments.suffix.push(suffix.pop()!);
        added++;
      }
      if (added > 1) x.comments.suffix.reverse();
    }
    this.syntax.comments.before.push(...suffix);
  }
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
export function parseSyntax(text: string, file: string): SyntaxResult {
  const p = new Parser(text, file);
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
