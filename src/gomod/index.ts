// The go.mod / go.work parser, printer and edit API.
import type { ParseError } from './types.ts';

export type * from './types.ts';
export { parseSyntax } from './syntax.ts';
export type { SyntaxResult } from './syntax.ts';
export { parseModFile, parseWorkFile, isDirectoryPath, isIndirect } from './modfile.ts';
export { formatFile } from './print.ts';
export { toXmodJson, toXmodWorkJson } from './json.ts';
export { autoQuote, mustQuote, quoteString, unquoteString } from './quote.ts';

/** formatParseError prints an error as x/mod does: `file:LINE: message` or `file:LINE:COL: message`. */
export function formatParseError(e: ParseError): string {
  if (e.column > 1) return `${e.file}:${e.line}:${e.column}: ${e.message}`;
  if (e.line > 0) return `${e.file}:${e.line}: ${e.message}`;
  if (e.file !== '') return `${e.file}: ${e.message}`;
  return e.message;
}
export {
  applyTextEdits, editAddRequire, editDropReplace, editSetGo, editSetRequire, editSetToolchain, setRequire,
} from './edit.ts';
export type { TextEdit } from './edit.ts';
