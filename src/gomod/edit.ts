// Edits to a go.mod as minimal text replacements on the original text, with the meaning of x/mod's
// edit methods (AddRequire, AddNewRequire, AddGoStmt, AddToolchainStmt, DropReplace) followed by
// Cleanup: a block emptied by an edit disappears and a block left with one line becomes a single
// line. Everything an edit does not touch stays byte-identical (x/mod would reprint the whole file;
// on a canonical file both agree).
import type { Comment, FileSyntax, Line, LineBlock, ModFile, Stmt, Token } from './types.ts';
import { parseModFile } from './modfile.ts';
import { formatFile } from './print.ts';
import { autoQuote } from './quote.ts';
import { isIndirect } from './modfile.ts';
import { GO_VERSION_RE, TOOLCHAIN_RE } from '../version/go.ts';

/** TextEdit replaces `text.slice(start, end)` of the original text with `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * applyTextEdits applies non-overlapping edits (offsets into the original text, in any order;
 * insertions at the same offset keep their order).
 */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  if (edits.length === 0) return text;
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  // The lines an edit writes end as the file's do: a file of CRLF lines stays one.
  const crlf = endsLinesWithCrlf(text);
  let out = '';
  let at = 0;
  for (const { e } of sorted) {
    if (e.start < at || e.end < e.start || e.end > text.length) {
      throw new Error(`overlapping or out-of-range text edit at ${e.start}-${e.end}`);
    }
    out += text.slice(at, e.start) + (crlf ? e.text.replace(/\r?\n/g, '\r\n') : e.text);
    at = e.end;
  }
  return out + text.slice(at);
}

/** endsLinesWithCrlf tells a text whose every line break is CRLF (and that has one). */
export function endsLinesWithCrlf(text: string): boolean {
  let lf = 0;
  let crlf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    lf++;
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
  }
  return lf > 0 && crlf === lf;
}

function sourceOf(syntax: FileSyntax): string {
  if (syntax.text === undefined) throw new Error(`${syntax.name}: syntax tree has no source text to edit`);
  return syntax.text;
}

function tokText(t: Token): string {
  return t.canonical ?? t.text;
}

/** Offset of the start of the source line holding a position (only blanks precede it on that line). */
function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === 0x0a) break;
    i--;
  }
  return i;
}

/** Offset just past the newline ending the source line that holds `offset` (or the text's end). */
function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

function commentEnd(c: Comment): number {
  return c.start.offset + c.token.length;
}

/** Where the content of a line (tokens and suffix comments) ends. */
function contentEnd(end: number, suffix: Comment[]): number {
  let e = end;
  for (const c of suffix) e = Math.max(e, commentEnd(c));
  return e;
}

function firstBefore(before: Comment[], fallback: number): number {
  return before.length > 0 ? Math.min(before[0]!.start.offset, fallback) : fallback;
}

function isBlankLine(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return false;
  }
  return true;
}

/** The full source range of a statement: its leading comments through the newline that ends it. */
function stmtRange(text: string, stmt: Stmt): [number, number] {
  if (stmt.kind === 'line') {
    const a = lineStartOf(text, firstBefore(stmt.comments.before, stmt.start.offset));
    return [a, lineEndOf(text, contentEnd(stmt.end.offset, stmt.comments.suffix))];
  }
  if (stmt.kind === 'block') {
    const a = lineStartOf(text, firstBefore(stmt.comments.before, stmt.start.offset));
    const e = contentEnd(contentEnd(stmt.rparen.offset + 1, stmt.rparenComments.suffix), stmt.comments.suffix);
    return [a, lineEndOf(text, e)];
  }
  const cs = stmt.comments.before;
  const last = cs[cs.length - 1];
  return [lineStartOf(text, stmt.start.offset), lineEndOf(text, last ? commentEnd(last) : stmt.start.offset)];
}

/** Deleting a top-level statement also drops one of the blank lines around it, as reprinting would. */
function removeTopLevel(text: string, range: [number, number]): TextEdit {
  let [a, b] = range;
  const prevBlank = a === 0 || isBlankLine(text, lineStartOf(text, a - 1), a);
  if (prevBlank) {
    if (b < text.length) {
      const nextEnd = lineEndOf(text, b);
      if (isBlankLine(text, b, nextEnd)) b = nextEnd;
    } else if (a > 0) {
      a = lineStartOf(text, a - 1);
    }
  }
  return { start: a, end: b, text: '' };
}

function lineRange(text: string, line: Line): [number, number] {
  const a = lineStartOf(text, firstBefore(line.comments.before, line.start.offset));
  return [a, lineEndOf(text, contentEnd(line.end.offset, line.comments.suffix))];
}

function makeToken(text: string): Token {
  const p = { line: 0, column: 0, offset: 0 };
  return { text, start: p, end: p };
}

function makeLine(tokens: string[], comments: { before?: Comment[]; suffix?: Comment[] } = {}, inBlock = false): Line {
  const p = { line: 0, column: 0, offset: 0 };
  return {
    kind: 'line', comments: { before: comments.before ?? [], suffix: comments.suffix ?? [], after: [] },
    start: p, tokens: tokens.map(makeToken), inBlock, end: p,
  };
}

/** Prints statements as x/mod would, without the final newline. */
function printStmts(stmts: Stmt[]): string {
  const out = formatFile({ name: '', comments: { before: [], suffix: [], after: [] }, stmts });
  return out.endsWith('\n') ? out.slice(0, -1) : out;
}

function suffixComment(token: string): Comment {
  return { start: { line: 0, column: 0, offset: 0 }, token, suffix: true };
}

/** Line overrides collected by one edit: new token texts, removed lines. */
class EditPlan {
  readonly tokens = new Map<Token, string>();
  readonly removed = new Set<Line>();
  readonly extra: TextEdit[] = [];

  constructor(readonly text: string, readonly syntax: FileSyntax) {}

  setToken(tok: Token, value: string): void {
    if (tokText(tok) !== value || tok.text !== value) this.tokens.set(tok, value);
  }

  private tokenValue(tok: Token): string {
    return this.tokens.get(tok) ?? tokText(tok);
  }

  private lineTokens(line: Line): string[] {
    return line.tokens.map((t) => this.tokenValue(t));
  }

  private tokenEdits(line: Line, out: TextEdit[]): void {
    for (const t of line.tokens) {
      const v = this.tokens.get(t);
      if (v !== undefined && v !== t.text) out.push({ start: t.start.offset, end: t.end.offset, text: v });
    }
  }

  /** Builds the text edits, applying x/mod's Cleanup to the blocks this plan touched. */
  build(): TextEdit[] {
    const out: TextEdit[] = [...this.extra];
    const text = this.text;
    for (const stmt of this.syntax.stmts) {
      if (stmt.kind === 'line') {
        if (this.removed.has(stmt)) out.push(removeTopLevel(text, stmtRange(text, stmt)));
        else this.tokenEdits(stmt, out);
        continue;
      }
      if (stmt.kind !== 'block') continue;
      const kept = stmt.lines.filter((l) => !this.removed.has(l));
      if (kept.length === stmt.lines.length) {
        for (const l of stmt.lines) this.tokenEdits(l, out);
        continue;
      }
      if (kept.length === 0) {
        out.push(removeTopLevel(text, stmtRange(text, stmt)));
        continue;
      }
      if (kept.length === 1 && stmt.rparenComments.before.length === 0) {
        const only = kept[0]!;
        const collapsed = makeLine(
          [...stmt.tokens.map((t) => this.tokenValue(t)), ...this.lineTokens(only)],
          { before: only.comments.before, suffix: [...only.comments.suffix, ...stmt.comments.suffix] },
        );
        const [, end] = stmtRange(text, stmt);
        const a = lineStartOf(text, stmt.start.offset);
        const keepNewline = end > 0 && text.charCodeAt(end - 1) === 0x0a ? (text.charCodeAt(end - 2) === 0x0d ? 2 : 1) : 0;
        out.push({ start: a, end: end - keepNewline, text: printStmts([collapsed]) });
        continue;
      }
      for (const l of stmt.lines) {
        if (this.removed.has(l)) out.push({ start: lineRange(text, l)[0], end: lineRange(text, l)[1], text: '' });
        else this.tokenEdits(l, out);
      }
    }
    return out;
  }
}

function lineLess(a: string[], b: string[]): boolean {
  for (let k = 0; k < a.length && k < b.length; k++) {
    if (a[k] !== b[k]) return a[k]! < b[k]!;
  }
  return a.length < b.length;
}

type Hint =
  | { kind: 'line'; line: Line }
  | { kind: 'inBlock'; block: LineBlock }
  | { kind: 'after'; stmt: Stmt }
  | { kind: 'prepend' }
  | { kind: 'append' };

function isRequire(stmt: Stmt): boolean {
  return stmt.kind !== 'comments' && stmt.tokens.length > 0 && stmt.tokens[0]!.text === 'require';
}

/** requireHint is x/mod's requireHint: where a new direct or indirect requirement belongs. */
function requireHint(syntax: FileSyntax, indirect: boolean): Hint {
  const stmts = syntax.stmts;
  if (indirect) {
    for (const stmt of stmts) {
      if (!isRequire(stmt)) continue;
      if (stmt.kind === 'line' && isIndirect(stmt)) return { kind: 'line', line: stmt };
      if (stmt.kind === 'block' && stmt.lines.some((l) => isIndirect(l))) return { kind: 'inBlock', block: stmt };
    }
    return { kind: 'append' };
  }
  let last: Stmt | undefined;
  for (const stmt of stmts) {
    if (isRequire(stmt)) {
      if (stmt.kind === 'line') {
        if (!isIndirect(stmt)) return { kind: 'line', line: stmt };
      } else if (stmt.kind === 'block') {
        if (stmt.lines.some((l) => !isIndirect(l))) return { kind: 'inBlock', block: stmt };
      }
      return last ? { kind: 'after', stmt: last } : { kind: 'prepend' };
    }
    last = stmt;
  }
  return { kind: 'append' };
}

/** Text to add a new top-level statement at the end of the file, one blank line after the last. */
function appendAtEnd(text: string, stmtText: string): TextEdit {
  if (text.trim() === '') return { start: 0, end: text.length, text: stmtText + '\n' };
  let prefix = '';
  if (!text.endsWith('\n')) prefix = '\n\n';
  else if (!text.endsWith('\n\n')) prefix = '\n';
  return { start: text.length, end: text.length, text: prefix + stmtText + '\n' };
}

/** Text to add a new top-level statement right after `stmt`, separated by a blank line. */
function insertAfter(text: string, stmt: Stmt, stmtText: string): TextEdit {
  const [, end] = stmtRange(text, stmt);
  if (end === text.length && !text.endsWith('\n')) return { start: end, end, text: '\n\n' + stmtText + '\n' };
  return { start: end, end, text: '\n' + stmtText + '\n' };
}

function newRequireEdits(mod: ModFile, path: string, version: string, indirect: boolean): TextEdit[] {
  const text = sourceOf(mod.syntax);
  const tokens = [autoQuote(path), version];
  const suffix = indirect ? [suffixComment('// indirect')] : [];
  const hint = requireHint(mod.syntax, indirect);
  const single = printStmts([makeLine(['require', ...tokens], { suffix })]);
  switch (hint.kind) {
    case 'append':
      return [appendAtEnd(text, single)];
    case 'prepend':
      return [{ start: 0, end: 0, text: single + '\n\n' }];
    case 'after':
      // x/mod's addLine cannot place a line after a comment block and appends it instead.
      if (hint.stmt.kind === 'comments') return [appendAtEnd(text, single)];
      return [insertAfter(text, hint.stmt, single)];
    case 'line': {
      // The line becomes a block holding it and the new requirement, sorted.
      const old = hint.line;
      const moved = makeLine(old.tokens.slice(1).map(tokText), { before: old.comments.before, suffix: old.comments.suffix }, true);
      const added = makeLine(tokens, { suffix }, true);
      const lines = lineLess(tokens, moved.tokens.map(tokText)) ? [added, moved] : [moved, added];
      const p = { line: 0, column: 0, offset: 0 };
      const block: LineBlock = {
        kind: 'block', comments: { before: [], suffix: [], after: [] }, start: p, tokens: [makeToken('require')],
        lparen: p, lines, rparen: p, rparenComments: { before: [], suffix: [], after: [] },
      };
      const [a, b] = stmtRange(text, old);
      const nl = b > a && text.charCodeAt(b - 1) === 0x0a ? (text.charCodeAt(b - 2) === 0x0d ? 2 : 1) : 0;
      return [{ start: a, end: b - nl, text: printStmts([block]) }];
    }
    case 'inBlock': {
      const block = hint.block;
      const lineText = '\t' + printStmts([makeLine(tokens, { suffix })]) + '\n';
      for (const l of block.lines) {
        if (lineLess(tokens, l.tokens.map(tokText))) return [{ start: lineRange(text, l)[0], end: lineRange(text, l)[0], text: lineText }];
      }
      const last = block.lines[block.lines.length - 1]!;
      const at = lineRange(text, last)[1];
      return [{ start: at, end: at, text: (at > 0 && text.charCodeAt(at - 1) !== 0x0a ? '\n' : '') + lineText }];
    }
  }
}

/**
 * editSetRequire gives the edits of `go mod edit -require=path@version` (x/mod AddRequire): the
 * first requirement on path gets the version (its comments, `// indirect` included, stay), later
 * duplicates are removed; without one, a new direct requirement is added where x/mod puts it.
 */
export function editSetRequire(mod: ModFile, path: string, version: string): TextEdit[] {
  const plan = new EditPlan(sourceOf(mod.syntax), mod.syntax);
  let found = false;
  for (const r of mod.require) {
    if (r.mod.path !== path) continue;
    const line = r.syntax;
    if (!found) {
      found = true;
      const i = line.inBlock ? 0 : 1;
      if (line.tokens.length >= i + 2) {
        const pathTok = line.tokens[i]!;
        const versionTok = line.tokens[i + 1]!;
        // `"x.io/m"v1.0.0` is two tokens with nothing between them: once the path is unquoted they
        // would read as one word, so a space goes between them, as x/mod prints the line.
        const touching = pathTok.end.offset === versionTok.start.offset;
        plan.setToken(pathTok, touching ? `${autoQuote(path)} ` : autoQuote(path));
        plan.setToken(versionTok, version);
      }
    } else {
      plan.removed.add(line);
    }
  }
  if (!found) return newRequireEdits(mod, path, version, false);
  return plan.build();
}

/**
 * editAddRequire adds a requirement line even if one exists (x/mod AddNewRequire): a direct one
 * beside the first direct requirements, an indirect one (with `// indirect`) beside the first
 * indirect ones, in sorted position.
 */
export function editAddRequire(mod: ModFile, path: string, version: string, indirect: boolean): TextEdit[] {
  return newRequireEdits(mod, path, version, indirect);
}

/** editSetGo sets the `go` version, adding the directive after `module` when missing (x/mod AddGoStmt). */
export function editSetGo(mod: ModFile, version: string): TextEdit[] {
  if (!GO_VERSION_RE.test(version)) throw new Error(`invalid language version ${JSON.stringify(version)}`);
  const text = sourceOf(mod.syntax);
  if (mod.go) {
    const tok = mod.go.syntax.tokens[1];
    if (!tok || tok.text === version) return [];
    return [{ start: tok.start.offset, end: tok.end.offset, text: version }];
  }
  const line = printStmts([makeLine(['go', version])]);
  const anchor = mod.module ? enclosingStmt(mod.syntax, mod.module.syntax) : undefined;
  if (anchor) return [insertAfter(text, anchor, line)];
  return [appendAtEnd(text, line)];
}

/** editSetToolchain sets the `toolchain` name, adding it after `go` (or `module`) when missing (x/mod AddToolchainStmt). */
export function editSetToolchain(mod: ModFile, name: string): TextEdit[] {
  if (!TOOLCHAIN_RE.test(name)) throw new Error(`invalid toolchain name ${JSON.stringify(name)}`);
  const text = sourceOf(mod.syntax);
  if (mod.toolchain) {
    const tok = mod.toolchain.syntax.tokens[1];
    if (!tok || tok.text === name) return [];
    return [{ start: tok.start.offset, end: tok.end.offset, text: name }];
  }
  const line = printStmts([makeLine(['toolchain', name])]);
  const hintLine = mod.go?.syntax ?? mod.module?.syntax;
  const anchor = hintLine ? enclosingStmt(mod.syntax, hintLine) : undefined;
  if (anchor) return [insertAfter(text, anchor, line)];
  return [appendAtEnd(text, line)];
}

/**
 * editDropReplace removes every `replace oldPath [oldVersion] => ...` whose old version equals
 * oldVersion ('' for a replace without one), as x/mod DropReplace + Cleanup: an emptied block goes
 * away, a block left with one line becomes a single `replace` line.
 */
export function editDropReplace(mod: ModFile, oldPath: string, oldVersion: string): TextEdit[] {
  const plan = new EditPlan(sourceOf(mod.syntax), mod.syntax);
  for (const r of mod.replace) {
    if (r.old.path === oldPath && r.old.version === oldVersion) plan.removed.add(r.syntax);
  }
  if (plan.removed.size === 0) return [];
  return plan.build();
}

/** The top-level statement holding a line (the line itself or its block). */
function enclosingStmt(syntax: FileSyntax, line: Line): Stmt | undefined {
  for (const s of syntax.stmts) {
    if (s === line) return s;
    if (s.kind === 'block' && s.lines.includes(line)) return s;
  }
  return undefined;
}

/**
 * setRequire is `go mod edit -require=path@version` on a file's text: the edited text, byte-
 * identical outside the change. Throws when the text does not parse as a go.mod.
 */
export function setRequire(text: string, file: string, path: string, version: string): string {
  const r = parseModFile(text, file);
  if (!r.value) {
    throw new Error(r.errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join('\n'));
  }
  return applyTextEdits(text, editSetRequire(r.value, path, version));
}
