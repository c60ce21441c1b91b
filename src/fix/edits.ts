// Token-level go.mod edits for fixes. Each edit is a splice of the text as read, located by the
// offsets of the syntax tree, so the bytes around the targeted tokens never change (x/mod's
// rewrite-and-reprint would also re-space comments and blocks).
import { autoQuote } from '../gomod/index.ts';
import type { Line, LineBlock, ModFile, Stmt } from '../gomod/types.ts';

/** TextEdit replaces text[start, end) with `text`. */
export interface TextEdit { start: number; end: number; text: string }

/** applyTextEdits applies non-overlapping edits; overlapping ones throw (a planning error). */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at offset ${e.start}`);
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

function lineStartAt(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEndAfter(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

function lastOffset(line: Line): number {
  let end = line.tokens.length ? line.tokens[line.tokens.length - 1]!.end.offset : line.start.offset;
  for (const c of line.comments.suffix) end = Math.max(end, c.start.offset + c.token.length);
  return end;
}

function newlineOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** argTokens are the tokens after the verb (inside a block the line has no verb). */
function args(line: Line) {
  return line.inBlock ? line.tokens : line.tokens.slice(1);
}

/** removeLine deletes a whole statement line together with the comment lines written above it. */
function removeLine(text: string, line: Line): TextEdit {
  const before = line.comments.before[0];
  const first = before ? Math.min(before.start.offset, line.start.offset) : line.start.offset;
  return { start: lineStartAt(text, first), end: lineEndAfter(text, lastOffset(line)), text: '' };
}

/**
 * editSetRequire moves every requirement of `path` to `version` the way `go mod edit -require`
 * does: the first requirement's version token changes, later duplicates are removed.
 */
export function editSetRequire(mod: ModFile, text: string, path: string, version: string): TextEdit[] {
  const edits: TextEdit[] = [];
  let first = true;
  for (const r of mod.require) {
    if (r.mod.path !== path) continue;
    if (first) {
      first = false;
      const tok = args(r.syntax)[1];
      if (tok && tok.text !== version) edits.push({ start: tok.start.offset, end: tok.end.offset, text: version });
    } else {
      edits.push(removeLine(text, r.syntax));
    }
  }
  return edits;
}

function verbOf(stmt: Stmt): string | undefined {
  return stmt.kind === 'comments' ? undefined : stmt.tokens[0]?.text;
}

/**
 * editAddRequire adds a requirement: at the end of the last `require ( ... )` block, else after
 * the last single `require` line, else at the end of the file.
 */
export function editAddRequire(mod: ModFile, text: string, path: string, version: string, indirect: boolean): TextEdit[] {
  const nl = newlineOf(text);
  const body = `${autoQuote(path)} ${version}${indirect ? ' // indirect' : ''}`;
  const stmts = mod.syntax.stmts;
  const blocks = stmts.filter((s): s is LineBlock => s.kind === 'block' && verbOf(s) === 'require');
  const block = blocks[blocks.length - 1];
  if (block) {
    const sample = block.lines[block.lines.length - 1];
    const indent = sample ? text.slice(lineStartAt(text, sample.start.offset), sample.start.offset) : '\t';
    const at = lineStartAt(text, block.rparen.offset);
    if (at === lineStartAt(text, block.lparen.offset)) {
      return [{ start: block.rparen.offset, end: block.rparen.offset, text: `${nl}${indent}${body}${nl}` }];
    }
    return [{ start: at, end: at, text: `${indent}${body}${nl}` }];
  }
  const lines = stmts.filter((s): s is Line => s.kind === 'line' && verbOf(s) === 'require');
  const last = lines[lines.length - 1];
  if (last) {
    const at = lineEndAfter(text, lastOffset(last));
    return [{ start: at, end: at, text: `${at === text.length && !text.endsWith('\n') ? nl : ''}require ${body}${nl}` }];
  }
  const prefix = text === '' || text.endsWith('\n') ? '' : nl;
  return [{ start: text.length, end: text.length, text: `${prefix}${text.trim() ? nl : ''}require ${body}${nl}` }];
}

/** editSetGo sets the go line's version, or adds `go V` after the module line. */
export function editSetGo(mod: ModFile, text: string, version: string): TextEdit[] {
  if (mod.go) {
    const tok = args(mod.go.syntax)[0];
    if (!tok) return [];
    return tok.text === version ? [] : [{ start: tok.start.offset, end: tok.end.offset, text: version }];
  }
  const nl = newlineOf(text);
  if (mod.module) {
    const at = lineEndAfter(text, lastOffset(mod.module.syntax));
    return [{ start: at, end: at, text: `${at === text.length && !text.endsWith('\n') ? nl : ''}${nl}go ${version}${nl}` }];
  }
  return [{ start: 0, end: 0, text: `go ${version}${nl}` }];
}

/** editSetToolchain sets the toolchain line's name, or adds it after the go line. */
export function editSetToolchain(mod: ModFile, text: string, name: string): TextEdit[] {
  if (mod.toolchain) {
    const tok = args(mod.toolchain.syntax)[0];
    if (!tok) return [];
    return tok.text === name ? [] : [{ start: tok.start.offset, end: tok.end.offset, text: name }];
  }
  const nl = newlineOf(text);
  const after = mod.go?.syntax ?? mod.module?.syntax;
  const at = after ? lineEndAfter(text, lastOffset(after)) : 0;
  return [{ start: at, end: at, text: `${at === text.length && at > 0 && !text.endsWith('\n') ? nl : ''}toolchain ${name}${nl}` }];
}

/**
 * editDropReplace removes the replace of `oldPath` (at `oldVersion`, '' for the unversioned one),
 * with its comment lines; a block left empty is removed whole.
 */
export function editDropReplace(mod: ModFile, text: string, oldPath: string, oldVersion: string): TextEdit[] {
  const victims = mod.replace.filter((r) => r.old.path === oldPath && r.old.version === oldVersion);
  if (victims.length === 0) return [];
  const edits: TextEdit[] = [];
  const blocks = mod.syntax.stmts.filter((s): s is LineBlock => s.kind === 'block');
  for (const v of victims) {
    const block = v.syntax.inBlock ? blocks.find((b) => b.lines.includes(v.syntax)) : undefined;
    if (block && block.lines.every((l) => victims.some((x) => x.syntax === l)) && block.rparenComments.before.length === 0) {
      if (edits.some((e) => e.start === lineStartAt(text, block.start.offset))) continue;
      const before = block.comments.before[0];
      const first = before ? Math.min(before.start.offset, block.start.offset) : block.start.offset;
      edits.push({ start: lineStartAt(text, first), end: lineEndAfter(text, block.rparen.offset), text: '' });
      continue;
    }
    edits.push(removeLine(text, v.syntax));
  }
  return edits;
}
