// The anchor.lock reader: go.mod syntax (same lexer, comments and blocks) with its own verbs.
// Like x/mod's modfile, the syntax tree comes first and every typed entry points back into it, so
// diagnostics carry positions and edits change single tokens.
import { parseSyntax } from '../src/gomod/index.ts';
import { MAX_ERRORS } from '../src/gomod/modfile.ts';
import type { AllowReplace, Anchor, AnchorLock, Ban } from '../src/engine/types.ts';
import type { Comments, Line, ParseError, Token } from '../src/gomod/types.ts';
import { goVersionProblem, pathProblem, toolchainProblem, versionProblem } from './versions.ts';

/** ANCHOR_LOCK_FILE is the default file name at the repository root. */
export const ANCHOR_LOCK_FILE = 'anchor.lock';

/** ANCHOR_VERBS are the directives anchor.lock understands. */
export const ANCHOR_VERBS = ['go', 'toolchain', 'anchor', 'allow-replace', 'ban'] as const;
const BLOCK_VERBS = new Set(['anchor', 'allow-replace', 'ban']);

const USAGE: Record<string, string> = {
  go: 'go 1.22',
  toolchain: 'toolchain go1.22.3',
  anchor: 'anchor module/path v1.2.3',
  'allow-replace': 'allow-replace module/path [=> target [version]]',
  ban: 'ban module/path [version] // reason',
};

/** tokenValue returns a token's text with Go string quotes removed, as the go command reads it. */
export function tokenValue(token: Token): string {
  const t = token.text;
  if (t.length >= 2 && t.startsWith('`') && t.endsWith('`')) return t.slice(1, -1);
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) {
    try {
      const v: unknown = JSON.parse(t);
      if (typeof v === 'string') return v;
    } catch { /* fall through: keep the text as written */ }
  }
  return t;
}

/** suffixComment returns the end-of-line comment text of a line without `//`, trimmed. */
export function suffixComment(comments: Comments): string {
  return comments.suffix.map((c) => c.token.replace(/^\/\/\s?/, '').trim()).join(' ').trim();
}

/** isDirectoryTarget reports whether a replacement target is a file system path, as go.mod decides it. */
export function isDirectoryTarget(target: string): boolean {
  return target.startsWith('./') || target.startsWith('../') || target.startsWith('/') || target === '.' || target === '..'
    || /^[A-Za-z]:[\\/]/.test(target) || target.startsWith('.\\') || target.startsWith('..\\');
}

/**
 * parseAnchorLock reads an anchor.lock. It never throws: every problem becomes a ParseError with
 * the file, line, column and what to write instead, and the entries that are fine are kept.
 */
export function parseAnchorLock(text: string, file: string): AnchorLock {
  const lock: AnchorLock = { file, text, anchors: new Map(), allowReplace: [], bans: [], errors: [] };
  // Bounded like the go.mod parser's: a huge garbage file gives a thousand errors and a summary.
  const err = (line: number, column: number, message: string): void => {
    if (lock.errors.length < MAX_ERRORS) lock.errors.push({ file, line, column, message });
    else if (lock.errors.length === MAX_ERRORS) lock.errors.push({ file, line, column: 0, message: 'too many errors; the rest of this file is not reported' });
  };
  let stmts;
  try {
    // A byte order mark (some Windows editors write one) is not part of the file's text: editors
    // show the first line from its first character after it, as positions here count it.
    const parsed = parseSyntax(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file);
    lock.errors.push(...parsed.errors);
    if (parsed.errors.length > 0) lock.unparsed = true;
    stmts = parsed.syntax.stmts;
  } catch (e) {
    err(1, 0, `cannot parse anchor.lock: ${(e as Error).message}`);
    lock.unparsed = true;
    return lock;
  }

  const handle = (verb: string, verbToken: Token, args: Token[], line: Line): void => {
    const at = args[0] ?? verbToken;
    const pos = at.start;
    switch (verb) {
      case 'go': {
        if (args.length !== 1) return err(verbToken.start.line, verbToken.start.column, `usage: ${USAGE.go}`);
        const v = tokenValue(args[0]!);
        const problem = goVersionProblem(v);
        if (problem) return err(pos.line, pos.column, problem);
        if (lock.go) return err(verbToken.start.line, verbToken.start.column, `repeated go line (first at line ${lock.go.line}): keep one`);
        lock.go = { version: v, line: verbToken.start.line, column: verbToken.start.column, syntax: line };
        return;
      }
      case 'toolchain': {
        if (args.length !== 1) return err(verbToken.start.line, verbToken.start.column, `usage: ${USAGE.toolchain}`);
        const v = tokenValue(args[0]!);
        const problem = toolchainProblem(v);
        if (problem) return err(pos.line, pos.column, problem);
        if (lock.toolchain) return err(verbToken.start.line, verbToken.start.column, `repeated toolchain line (first at line ${lock.toolchain.line}): keep one`);
        lock.toolchain = { name: v, line: verbToken.start.line, column: verbToken.start.column, syntax: line };
        return;
      }
      case 'anchor': {
        if (args.length === 1 && tokenValue(args[0]!).includes('@')) {
          const [p, v] = tokenValue(args[0]!).split('@', 2);
          return err(pos.line, pos.column, `write the module path and version separated by a space: anchor ${p} ${v}`);
        }
        if (args.length !== 2) return err(pos.line, pos.column, `usage: ${USAGE.anchor}`);
        const path = tokenValue(args[0]!);
        const version = tokenValue(args[1]!);
        const pp = pathProblem(path);
        if (pp) return err(pos.line, pos.column, pp);
        const vp = versionProblem(path, version);
        if (vp) return err(args[1]!.start.line, args[1]!.start.column, vp);
        const first = lock.anchors.get(path);
        if (first) {
          return err(pos.line, pos.column, `duplicate anchor for ${path} (first at line ${first.line}): keep one pin per module`);
        }
        const anchor: Anchor = { path, version, comment: suffixComment(line.comments), line: pos.line, column: pos.column, syntax: line };
        lock.anchors.set(path, anchor);
        return;
      }
      case 'allow-replace': {
        const arrow = args.findIndex((t) => t.text === '=>');
        if (args.length === 0) return err(verbToken.start.line, verbToken.start.column, `usage: ${USAGE['allow-replace']}`);
        if (arrow === -1 && args.length !== 1) {
          return err(pos.line, pos.column, `usage: ${USAGE['allow-replace']} (a version of the replaced module is not supported; name the module only)`);
        }
        if (arrow !== -1 && (arrow !== 1 || args.length < 3 || args.length > 4)) {
          return err(pos.line, pos.column, `usage: ${USAGE['allow-replace']}`);
        }
        const path = tokenValue(args[0]!);
        const pp = pathProblem(path);
        if (pp) return err(pos.line, pos.column, pp);
        const entry: AllowReplace = { path, line: pos.line, column: pos.column, syntax: line };
        if (arrow !== -1) {
          const target = tokenValue(args[2]!);
          const version = args[3] ? tokenValue(args[3]) : '';
          if (isDirectoryTarget(target)) {
            if (version) return err(args[3]!.start.line, args[3]!.start.column, `a directory target takes no version: write allow-replace ${path} => ${target}`);
          } else {
            const tp = pathProblem(target);
            if (tp) return err(args[2]!.start.line, args[2]!.start.column, tp);
            if (version) {
              const vp = versionProblem(target, version);
              if (vp) return err(args[3]!.start.line, args[3]!.start.column, vp);
            }
          }
          entry.target = { path: target, version };
        }
        lock.allowReplace.push(entry);
        return;
      }
      case 'ban': {
        if (args.length < 1 || args.length > 2) return err(pos.line, pos.column, `usage: ${USAGE.ban}`);
        const path = tokenValue(args[0]!);
        // `ban prefix/...` bans the prefix and every path below it: the prefix is what is checked.
        const pp = pathProblem(path.endsWith('/...') ? path.slice(0, -4) : path);
        if (pp) return err(pos.line, pos.column, pp);
        const ban: Ban = { path, reason: suffixComment(line.comments), line: pos.line, column: pos.column, syntax: line };
        if (args[1]) {
          const version = tokenValue(args[1]);
          const vp = versionProblem(path, version);
          if (vp) return err(args[1].start.line, args[1].start.column, vp);
          ban.version = version;
        }
        lock.bans.push(ban);
        return;
      }
      default:
        return err(verbToken.start.line, verbToken.start.column,
          `unknown directive "${verb}": anchor.lock understands ${ANCHOR_VERBS.join(', ')} (see anchors/README.md)`);
    }
  };

  for (const stmt of stmts) {
    if (stmt.kind === 'comments') continue;
    if (stmt.kind === 'line') {
      const [verbToken, ...args] = stmt.tokens;
      if (!verbToken) continue;
      handle(tokenValue(verbToken), verbToken, args, stmt);
      continue;
    }
    const verbToken = stmt.tokens[0];
    if (!verbToken) continue;
    const verb = tokenValue(verbToken);
    if (!(ANCHOR_VERBS as readonly string[]).includes(verb)) {
      err(verbToken.start.line, verbToken.start.column, `unknown directive "${verb}": anchor.lock understands ${ANCHOR_VERBS.join(', ')} (see anchors/README.md)`);
      continue;
    }
    if (!BLOCK_VERBS.has(verb) || stmt.tokens.length !== 1) {
      err(verbToken.start.line, verbToken.start.column, `"${stmt.tokens.map((t) => t.text).join(' ')} (" cannot start a block: write ${USAGE[verb]}`);
      continue;
    }
    for (const line of stmt.lines) {
      if (line.tokens.length === 0) continue;
      handle(verb, verbToken, line.tokens, line);
    }
  }

  // A module pinned and banned at the same version contradicts itself; say which line to drop.
  for (const ban of lock.bans) {
    const anchor = lock.anchors.get(ban.path);
    if (anchor && (ban.version === undefined || ban.version === anchor.version)) {
      err(ban.line, ban.column, `${ban.path} is both anchored (line ${anchor.line}) and banned: remove the anchor or the ban`);
    }
  }
  lock.errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return lock;
}

export type { AnchorLock, ParseError };
