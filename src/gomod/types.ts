// Types of the go.mod / go.work parser: a concrete syntax tree (positions, tokens, comments) and a
// typed view whose entries point back to their syntax, as in golang.org/x/mod/modfile.

/** Position is a place in a source text. */
export interface Position {
  /** 1-based line number. */
  line: number;
  /** 1-based column, counted in Unicode code points (x/mod's LineRune). */
  column: number;
  /** 0-based index into the source string (UTF-16 code units), usable with `text.slice`. */
  offset: number;
}

/** Comment is one `//` comment; `token` includes the leading `//`. */
export interface Comment {
  start: Position;
  token: string;
  /** True for an end-of-line comment. */
  suffix: boolean;
}

/**
 * Comments are the comments attached to a syntax node. In a parsed tree, the nodes without
 * comments share one frozen Comments and an empty list is a shared frozen array: to change a
 * node's comments, give it a new Comments.
 */
export interface Comments {
  /** Whole-line comments before the node. */
  before: Comment[];
  /** End-of-line comments after the node. */
  suffix: Comment[];
  /** Whole-line comments after the node (only at the end of a block or file). */
  after: Comment[];
}

/**
 * Token is one word of a line, as written (a quoted string keeps its quotes). In a parsed tree,
 * the positions of a token and of a line are made when read: equal each time, not the same object.
 */
export interface Token {
  text: string;
  /**
   * The text x/mod prints for this token once the typed parse has canonicalized it (a quoted
   * path unquoted, `v1.2` completed to `v1.2.0`); absent when it prints as written.
   */
  canonical?: string;
  start: Position;
  /** Position just after the token's last character. */
  end: Position;
}

/** Line is one statement: `require x v1` at top level, or `x v1` inside a block. */
export interface Line {
  kind: 'line';
  comments: Comments;
  start: Position;
  tokens: Token[];
  /** True when the line is inside a `( ... )` block (the verb is then the block's first token). */
  inBlock: boolean;
  end: Position;
}

/** LineBlock is a factored block: `require ( ... )`. */
export interface LineBlock {
  kind: 'block';
  comments: Comments;
  start: Position;
  /** The tokens before the `(`, normally just the verb. */
  tokens: Token[];
  lparen: Position;
  lines: Line[];
  rparen: Position;
  /** Comments of the `)` line (x/mod's RParen.Comments). */
  rparenComments: Comments;
  /** End-of-line comments after the `(` (x/mod's LParen.Comments). */
  lparenComments?: Comments;
}

/** CommentBlock is a run of whole-line comments standing alone. */
export interface CommentBlock {
  kind: 'comments';
  comments: Comments;
  start: Position;
}

export type Stmt = Line | LineBlock | CommentBlock;

/** FileSyntax is the concrete syntax tree of a go.mod, go.work or anchor.lock file. */
export interface FileSyntax {
  name: string;
  /** The source text the tree was parsed from (offsets index into it); set by the parsers. */
  text?: string;
  /** Comments attached to the file itself (before the first statement / after the last). */
  comments: Comments;
  stmts: Stmt[];
}

/** ParseError is one problem found in a file. `column` is 0 when unknown. */
export interface ParseError {
  file: string;
  line: number;
  column: number;
  message: string;
  /** The file was too large to parse at all (its size or line count): no line of it is at fault. */
  tooLarge?: true;
}

/**
 * ModuleVersion is a module path and version. The values of requirements, exclusions and
 * replacements that parseModFile returns are frozen and shared between files that name the same
 * path@version: copy one to change it.
 */
export interface ModuleVersion {
  path: string;
  /** Empty string when absent (for example a replace without an old version). */
  version: string;
}

export interface ModuleStmt {
  mod: ModuleVersion;
  /** Text after `Deprecated:` in the comments of the module line, or ''. */
  deprecated: string;
  syntax: Line;
}
export interface GoStmt { version: string; syntax: Line }
export interface ToolchainStmt { name: string; syntax: Line }
export interface GodebugStmt { key: string; value: string; syntax: Line }
export interface RequireStmt {
  mod: ModuleVersion;
  indirect: boolean;
  syntax: Line;
  /**
   * The line of the version token, when known without the syntax: a requirement built from kept
   * facts has it at hand and makes its syntax only when asked (rules/support/syntax.ts
   * requireVersionLine).
   */
  readonly versionLine?: number;
}
export interface ExcludeStmt { mod: ModuleVersion; syntax: Line }
export interface ReplaceStmt { old: ModuleVersion; new: ModuleVersion; syntax: Line }
export interface RetractStmt { low: string; high: string; rationale: string; syntax: Line }
export interface ToolStmt { path: string; syntax: Line }
export interface IgnoreStmt { path: string; syntax: Line }
export interface UseStmt { path: string; modulePath: string; syntax: Line }

/** ModFile is the typed view of a go.mod file. */
export interface ModFile {
  module?: ModuleStmt;
  go?: GoStmt;
  toolchain?: ToolchainStmt;
  godebug: GodebugStmt[];
  require: RequireStmt[];
  exclude: ExcludeStmt[];
  replace: ReplaceStmt[];
  retract: RetractStmt[];
  tool: ToolStmt[];
  ignore: IgnoreStmt[];
  syntax: FileSyntax;
}

/** WorkFile is the typed view of a go.work file. */
export interface WorkFile {
  go?: GoStmt;
  toolchain?: ToolchainStmt;
  godebug: GodebugStmt[];
  use: UseStmt[];
  replace: ReplaceStmt[];
  syntax: FileSyntax;
}

/** ParseResult is what every parser returns: never an exception for bad input. */
export type ParseResult<T> =
  | { ok: true; value: T; errors: [] }
  | { ok: false; value: T | undefined; errors: ParseError[] };
