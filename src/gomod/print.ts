// The canonical printer (x/mod's Format): tabs for block indentation, one blank line between
// statements, comments kept where they were attached.
import type { Comment, FileSyntax, Line, LineBlock, Stmt, Token } from './types.ts';

function goTrimSpace(s: string): string {
  return s.replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g, '');
}

class Printer {
  /** Finished lines (without their newline) and the line being written: no quadratic re-scans. */
  private done: string[] = [];
  private cur = '';
  private pending: Comment[] = [];
  private margin = 0;

  text(): string {
    return this.done.length === 0 ? this.cur : this.done.join('\n') + '\n' + this.cur;
  }

  /** Removes trailing blanks (spaces and tabs) from the current line. */
  private trim(): void {
    let n = this.cur.length;
    while (n > 0) {
      const c = this.cur.charCodeAt(n - 1);
      if (c !== 0x09 && c !== 0x20) break;
      n--;
    }
    if (n !== this.cur.length) this.cur = this.cur.slice(0, n);
  }

  private endLine(): void {
    this.done.push(this.cur);
    this.cur = '';
  }

  private tabs(): void {
    if (this.margin > 0) this.cur += '\t'.repeat(this.margin);
  }

  newline(): void {
    if (this.pending.length > 0) {
      this.cur += ' ';
      for (let i = 0; i < this.pending.length; i++) {
        if (i > 0) {
          this.trim();
          this.endLine();
          this.tabs();
        }
        this.cur += goTrimSpace(this.pending[i]!.token);
      }
      this.pending = [];
    }
    this.trim();
    const d = this.done;
    const atTop = d.length === 0 && this.cur === '';
    const afterBlank = this.cur === '' && d.length >= 2 && d[d.length - 1] === '';
    if (!atTop && !afterBlank) this.endLine();
    this.tabs();
  }

  private before(list: Comment[]): void {
    if (list.length === 0) return;
    this.trim();
    if (this.cur.length > 0) this.endLine();
    this.tabs();
    for (const com of list) {
      this.cur += goTrimSpace(com.token);
      this.newline();
    }
  }

  private tokens(tokens: Token[]): void {
    let sep = '';
    for (const tok of tokens) {
      const t = tok.canonical ?? tok.text;
      if (t === ',' || t === ')' || t === ']' || t === '}') sep = '';
      this.cur += sep + t;
      sep = ' ';
      if (t === '(' || t === '[' || t === '{') sep = '';
    }
  }

  private line(x: Line): void {
    this.before(x.comments.before);
    this.tokens(x.tokens);
    this.pending.push(...x.comments.suffix);
  }

  private block(x: LineBlock): void {
    this.before(x.comments.before);
    this.tokens(x.tokens);
    this.cur += ' (';
    if (x.lparenComments) this.pending.push(...x.lparenComments.suffix);
    this.margin++;
    for (const l of x.lines) {
      this.newline();
      this.line(l);
    }
    this.margin--;
    this.newline();
    this.before(x.rparenComments.before);
    this.cur += ')';
    this.pending.push(...x.rparenComments.suffix);
    this.pending.push(...x.comments.suffix);
  }

  stmt(x: Stmt): void {
    if (x.kind === 'line') this.line(x);
    else if (x.kind === 'block') this.block(x);
    else {
      this.before(x.comments.before);
      this.pending.push(...x.comments.suffix);
    }
  }

  file(f: FileSyntax): void {
    for (const com of f.comments.before) {
      this.cur += goTrimSpace(com.token);
      this.newline();
    }
    const stmts = f.stmts;
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i]!;
      this.stmt(s);
      if (s.kind !== 'comments') this.newline();
      for (const com of s.comments.after) {
        this.cur += goTrimSpace(com.token);
        this.newline();
      }
      if (i + 1 < stmts.length) this.newline();
    }
    for (const com of f.comments.after) {
      this.cur += goTrimSpace(com.token);
      this.newline();
    }
  }
}

/** formatFile prints a syntax tree in x/mod's canonical format (what `go mod edit -fmt` writes). */
export function formatFile(syntax: FileSyntax): string {
  const p = new Printer();
  p.file(syntax);
  let b = p.text();
  let n = b.length;
  while (n > 0 && b.charCodeAt(n - 1) === 0x0a && (n === 1 || b.charCodeAt(n - 2) === 0x0a)) n--;
  if (n !== b.length) b = b.slice(0, n);
  return b;
}
