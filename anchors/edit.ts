// The anchor.lock writer. Edits splice the source text at token offsets taken from the syntax tree,
// so everything the edit does not target (comments, blank lines, alignment, block layout) stays
// byte-identical; only `writeAnchorLock` prints a whole file, for `anchors init`.
import { parseSyntax } from '../src/gomod/index.ts';
import type { Comments, Line, LineBlock, Stmt, Token } from '../src/gomod/types.ts';
import { pathProblem, versionProblem } from './versions.ts';
import { tokenValue } from './lock.ts';

interface Splice { start: number; end: number; text: string }

function applySplices(text: string, splices: Splice[]): string {
  const sorted = [...splices].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const s of sorted) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

function newlineOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function lineStartAt(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** lineEndAfter returns the offset just past the newline ending the line that holds `offset`. */
function lineEndAfter(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

/** lastOffset is the end of everything a line holds, its end-of-line comment included. */
function lastOffset(line: Line): number {
  let end = line.tokens.length ? line.tokens[line.tokens.length - 1]!.end.offset : line.start.offset;
  for (const c of line.comments.suffix) end = Math.max(end, c.start.offset + c.token.length);
  return end;
}

function firstOffset(line: { start: { offset: number }; comments: Comments }): number {
  const before = line.comments.before[0];
  return before ? Math.min(before.start.offset, line.start.offset) : line.start.offset;
}

interface AnchorEntry { line: Line; block?: LineBlock; pathToken: Token; versionToken?: Token }

function verbOf(stmt: Stmt): string | undefined {
  if (stmt.kind === 'comments') return undefined;
  const t = stmt.tokens[0];
  return t ? tokenValue(t) : undefined;
}

function anchorEntries(stmts: Stmt[]): AnchorEntry[] {
  const out: AnchorEntry[] = [];
  for (const stmt of stmts) {
    if (verbOf(stmt) !== 'anchor') continue;
    if (stmt.kind === 'line') {
      if (stmt.tokens[1]) out.push({ line: stmt, pathToken: stmt.tokens[1], versionToken: stmt.tokens[2] });
    } else if (stmt.kind === 'block') {
      for (const line of stmt.lines) {
        if (line.tokens[0]) out.push({ line, block: stmt, pathToken: line.tokens[0], versionToken: line.tokens[1] });
      }
    }
  }
  return out;
}

function parseOrThrow(text: string, file: string): Stmt[] {
  const { syntax, errors } = parseSyntax(text, file);
  // A file that does not parse has no reliable offsets; refusing is better than a wrong splice.
  if (errors.length) {
    const e = errors[0]!;
    throw new Error(`${e.file}:${e.line}:${e.column ? `${e.column}:` : ''} ${e.message}: fix the syntax before editing anchors`);
  }
  return syntax.stmts;
}

function commentText(reason: string): string {
  const oneLine = reason.replace(/[\r\n]+/g, ' ').trim();
  return oneLine ? `// ${oneLine}` : '';
}

function validatePin(path: string, version: string): void {
  const problem = pathProblem(path) ?? versionProblem(path, version);
  if (problem) throw new Error(`cannot pin ${path}@${version}: ${problem}`);
}

/**
 * setAnchor pins `path` at `version`. An existing pin is moved by changing only its version token
 * (and its end-of-line comment when `reason` is given); later duplicates of it are removed. A new
 * pin goes into the last `anchor ( ... )` block (in order when the block is sorted), else after the
 * last `anchor` line, else after the `go`/`toolchain` lines, else at the end.
 * Throws an Error naming the problem for an invalid path/version or an unreadable file.
 */
/**
 * keepingBom edits a text whose byte order mark (some Windows editors write one) is not part of
 * the file's syntax: the edit is of the text after it, which keeps it.
 */
function keepingBom(text: string, edit: (text: string) => string): string {
  return text.charCodeAt(0) === 0xfeff ? `\uFEFF${edit(text.slice(1))}` : edit(text);
}

export function setAnchor(text: string, file: string, path: string, version: string, reason?: string): string {
  validatePin(path, version);
  return keepingBom(text, (t) => setAnchorIn(t, file, path, version, reason));
}

function setAnchorIn(text: string, file: string, path: string, version: string, reason?: string): string {
  const stmts = parseOrThrow(text, file);
  const nl = newlineOf(text);
  const entries = anchorEntries(stmts).filter((e) => tokenValue(e.pathToken) === path);
  if (entries.length > 0) {
    const [first, ...rest] = entries;
    const splices: Splice[] = [];
    const line = first!.line;
    if (first!.versionToken) {
      if (first!.versionToken.text !== version) splices.push({ start: first!.versionToken.start.offset, end: first!.versionToken.end.offset, text: version });
    } else {
      splices.push({ start: first!.pathToken.end.offset, end: first!.pathToken.end.offset, text: ` ${version}` });
    }
    if (reason !== undefined) {
      const c = commentText(reason);
      const suffix = line.comments.suffix;
      if (suffix.length) {
        const start = suffix[0]!.start.offset;
        const end = lastOffset(line);
        // Remove the space before the comment too when the reason is cleared.
        const from = c ? start : text.slice(0, start).replace(/[ \t]+$/, '').length;
        if (text.slice(from, end) !== c) splices.push({ start: from, end, text: c });
      } else if (c) {
        const end = line.tokens[line.tokens.length - 1]!.end.offset;
        splices.push({ start: end, end, text: ` ${c}` });
      }
    }
    for (const dup of rest) splices.push(...removalSplices(text, stmts, [dup]));
    return applySplices(text, splices);
  }
  const c = reason !== undefined ? commentText(reason) : '';
  const body = `${path} ${version}${c ? ` ${c}` : ''}`;

  const blocks = stmts.filter((s): s is LineBlock => s.kind === 'block' && verbOf(s) === 'anchor');
  const block = blocks[blocks.length - 1];
  if (block) {
    const indent = block.lines.length ? text.slice(lineStartAt(text, block.lines[0]!.start.offset), block.lines[0]!.start.offset) : '\t';
    const paths = block.lines.map((l) => (l.tokens[0] ? tokenValue(l.tokens[0]) : ''));
    const sorted = paths.every((p, i) => i === 0 || paths[i - 1]! <= p);
    const next = sorted ? block.lines.find((l, i) => paths[i]! > path) : undefined;
    // At the end: after the block's last line, before the comments that end the block (as x/mod
    // adds a line), so that they keep documenting what they did.
    const last = block.lines[block.lines.length - 1];
    const at = next ? lineStartAt(text, firstOffset(next)) : last ? lineEndAfter(text, lastOffset(last)) : lineStartAt(text, block.rparen.offset);
    if (!next && lineStartAt(text, block.rparen.offset) === lineStartAt(text, block.lparen.offset)) {
      // `anchor ()` on one line: open it up.
      return applySplices(text, [{ start: block.rparen.offset, end: block.rparen.offset, text: `${nl}${indent}${body}${nl}` }]);
    }
    return applySplices(text, [{ start: at, end: at, text: `${indent}${body}${nl}` }]);
  }
  const lines = stmts.filter((s): s is Line => s.kind === 'line');
  const lastAnchor = [...lines].reverse().find((s) => verbOf(s) === 'anchor');
  if (lastAnchor) {
    const at = lineEndAfter(text, lastOffset(lastAnchor));
    const prefix = at === text.length && !text.endsWith('\n') ? nl : '';
    return applySplices(text, [{ start: at, end: at, text: `${prefix}anchor ${body}${nl}` }]);
  }
  const header = [...lines].reverse().find((s) => verbOf(s) === 'go' || verbOf(s) === 'toolchain');
  if (header) {
    const at = lineEndAfter(text, lastOffset(header));
    const prefix = at === text.length && !text.endsWith('\n') ? nl : '';
    return applySplices(text, [{ start: at, end: at, text: `${prefix}${nl}anchor ${body}${nl}` }]);
  }
  const prefix = text.length === 0 || text.endsWith('\n') ? '' : nl;
  const blank = text.trim().length ? nl : '';
  return `${text}${prefix}${blank}anchor ${body}${nl}`;
}

function removalSplices(text: string, stmts: Stmt[], victims: AnchorEntry[]): Splice[] {
  const splices: Splice[] = [];
  const byBlock = new Map<LineBlock, AnchorEntry[]>();
  for (const v of victims) {
    if (v.block) {
      const list = byBlock.get(v.block) ?? [];
      list.push(v);
      byBlock.set(v.block, list);
    } else {
      splices.push({ start: lineStartAt(text, firstOffset(v.line)), end: lineEndAfter(text, lastOffset(v.line)), text: '' });
    }
  }
  for (const [block, list] of byBlock) {
    if (list.length === block.lines.length && block.rparenComments.before.length === 0) {
      // Nothing left in the block: drop it whole rather than leave `anchor ( )` behind.
      const start = lineStartAt(text, firstOffset(block));
      let end = lineEndAfter(text, block.rparen.offset);
      // Between two blank lines, take one of them too so the gap does not double.
      const blankBefore = start === 0 || text.slice(0, start).endsWith('\n\n') || text.slice(0, start).endsWith('\n\r\n');
      const blankAfter = /^\r?\n/.exec(text.slice(end));
      if (blankBefore && blankAfter) end += blankAfter[0].length;
      splices.push({ start, end, text: '' });
      continue;
    }
    for (const v of list) {
      splices.push({ start: lineStartAt(text, firstOffset(v.line)), end: lineEndAfter(text, lastOffset(v.line)), text: '' });
    }
  }
  void stmts;
  return splices;
}

/** removeAnchor deletes every pin of `path` (with the comments written above it); other bytes stay. */
export function removeAnchor(text: string, file: string, path: string): string {
  return keepingBom(text, (t) => removeAnchorIn(t, file, path));
}

function removeAnchorIn(text: string, file: string, path: string): string {
  const stmts = parseOrThrow(text, file);
  const victims = anchorEntries(stmts).filter((e) => tokenValue(e.pathToken) === path);
  if (victims.length === 0) return text;
  return applySplices(text, removalSplices(text, stmts, victims));
}

/** hasAnchorLine reports whether the text has an anchor line for `path` (valid or not). */
export function hasAnchorLine(text: string, file: string, path: string): boolean {
  const syntax = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return anchorEntries(parseOrThrow(syntax, file)).some((e) => tokenValue(e.pathToken) === path);
}

/** AnchorLockData is what `writeAnchorLock` prints: a lock file described as plain data. */
export interface AnchorLockData {
  /** Whole-line comments at the top (without `//`). */
  header?: string[];
  go?: string;
  toolchain?: string;
  anchors: Array<{ path: string; version: string; comment?: string }>;
  allowReplace?: Array<{ path: string; target?: { path: string; version?: string }; comment?: string }>;
  bans?: Array<{ path: string; version?: string; reason?: string }>;
}

function withComment(s: string, comment: string | undefined): string {
  const c = comment === undefined ? '' : commentText(comment);
  return c ? `${s} ${c}` : s;
}

function section(verb: string, items: string[]): string {
  if (items.length === 0) return '';
  if (items.length === 1) return `${verb} ${items[0]}\n`;
  return `${verb} (\n${items.map((i) => `\t${i}\n`).join('')})\n`;
}

/**
 * writeAnchorLock prints a complete anchor.lock from data, in the layout `anchors/README.md`
 * describes: header comments, go/toolchain, the anchor block, allow-replace lines, bans.
 */
export function writeAnchorLock(data: AnchorLockData): string {
  const parts: string[] = [];
  // The header sits directly on the go line, as in the documented layout.
  const header = data.header?.length ? data.header.map((h) => (h.trim() ? `// ${h.trim()}` : '//')).join('\n') + '\n' : '';
  const head = header + [data.go ? `go ${data.go}\n` : '', data.toolchain ? `toolchain ${data.toolchain}\n` : ''].join('');
  if (head) parts.push(head);
  const anchors = data.anchors.map((a) => withComment(`${a.path} ${a.version}`, a.comment));
  if (anchors.length) parts.push(section('anchor', anchors));
  const allows = (data.allowReplace ?? []).map((r) => withComment(
    r.target ? `${r.path} => ${r.target.path}${r.target.version ? ` ${r.target.version}` : ''}` : r.path, r.comment));
  if (allows.length) parts.push(section('allow-replace', allows));
  const bans = (data.bans ?? []).map((b) => withComment(b.version ? `${b.path} ${b.version}` : b.path, b.reason));
  if (bans.length) parts.push(section('ban', bans));
  return parts.join('\n');
}
