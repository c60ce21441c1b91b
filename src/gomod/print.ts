// The canonical printer (x/mod's Format): tabs for block indentation, one blank line between
// statements, comments kept where they were attached.
import type { Comment, FileSyntax, Line, LineBlock, Stmt, Token } from './types.ts';

function goTrimSpace(s: string): string {
  return s.replace(/^[\t\n\v\f\r \u0085\u00a0]+|[\t\n\v\f\r \u0085\u00a0]+$/g, '');
}

class Printer {
  out = '';
  private pending: Comment[] = [];
  private margin = 0;

  private trim(): void {
    let n = this.out.length;
    while (n > 0) {
      const c = this.out.charCodeAt(n - 1);
      if (c !== 0x09 && c !== 0x20) break;
      n--;
    }
    if (n !== this.out.length) this.out = this.out.slice(0, n);
  }

  private indent(): number {
    const i = this.out.lastIndexOf('\n');
    return this.out.length - (i + 1);
  }

  private tabs(): void {
    if (this.margin > 0) this.out += '\t'.repeat(this.margin);
  }

  newline(): void {
    if (this.pending.length > 0) {
      this.out += ' ';
      for (let i = 0; i < this.pending.length; i++) {
        if (i > 0) {
          this.trim();
          this.out += '\n';
          this.tabs();
        }
        this.out += goTrimSpace(this.pending[i]!.token);
      }
      this.pending = [];
    }
    this.trim();
    const o = this.out;
    const n = o.length;
    if (!(n === 0 || (n >= 2 && o.charCodeAt(n - 1) === 0x0a && o.charCodeAt(n - 2) === 0x0a))) this.out += '\n';
    this.tabs();
  }

  private before(list: Comment[]): void {
    if (list.length === 0) return;
    this.trim();
    if (this.indent() > 0) this.out += '\n';
    this.tabs();
    for (const com of list) {
      this.out += goTrimSpace(com.token);
      this.newline();
    }
  }

  private tokens(tokens: Token[]): void {
    let sep = '';
    for (const tok of tokens) {
      const t = tok.canonical ?? tok.text;
      if (t === ',' || t === ')' || t === ']' || t === '}') sep = '';
      this.out += sep + t;
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
    this.out += ' (';
    if (x.lparenComments) this.pending.push(...x.lparenComments.suffix);
    this.margin++;
    for (const l of x.lines) {
      this.newline();
      this.line(l);
    }
    this.margin--;
    this.newline();
    this.before(x.rparenComments.before);
    this.out += ')';
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
      this.out += goTrimSpace(com.token);
      this.newline();
    }
    const stmts = f.stmts;
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i]!;
      this.stmt(s);
      if (s.kind !== 'comments') this.newline();
      for (const com of s.comments.after) {
        this.out += goTrimSpace(com.token);
        this.newline();
      }
      if (i + 1 < stmts.length) this.newline();
    }
    for (const com of f.comments.after) {
      this.out += goTrimSpace(com.token);
      this.newline();
    }
  }
}

/** formatFile prints a syntax tree in x/mod's canonical format (what `go mod edit -fmt` writes). */
export function formatFile(syntax: FileSyntax): string {
  const p = new Printer();
  p.file(syntax);
  let b = p.out;
  let n = b.length;
  while (n > 0 && b.charCodeAt(n - 1) === 0x0a && (n === 1 || b.charCodeAt(n - 2) === 0x0a)) n--;
  if (n !== b.length) b = b.slice(0, n);
  return b;
}
