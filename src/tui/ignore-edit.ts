// Adding a `// modguard:ignore <rule> <reason>` suppression to a go.mod text. Pure: text in, text out.
import { SUPPRESSION_MARK, commentStart } from '../engine/suppress.ts';

/**
 * addSuppression returns `text` with a suppression of `rule` for line `line` (1-based). It goes at
 * the end of the line; a line that already has a comment gets it on a line of its own above
 * (same indentation), because a comment after `// indirect` would hide the `indirect` marker and
 * would not be read as a suppression. Throws when the line does not exist or cannot take one.
 */
export function addSuppression(text: string, line: number, rule: string, reason: string): string {
  const lines = text.split('\n');
  if (!Number.isInteger(line) || line < 1 || line > lines.length || (line === lines.length && lines[line - 1] === '')) {
    throw new Error(`line ${line} is not in the file (it has ${text.endsWith('\n') ? lines.length - 1 : lines.length} lines)`);
  }
  const clean = reason.replace(/\s+/g, ' ').trim();
  if (clean === '') throw new Error('a suppression needs a reason');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(rule)) throw new Error(`"${rule}" is not a rule id`);
  const comment = `// ${SUPPRESSION_MARK} ${rule} ${clean}`;
  const i = line - 1;
  const cr = lines[i]!.endsWith('\r') ? '\r' : '';
  const raw = cr ? lines[i]!.slice(0, -1) : lines[i]!;
  if (raw.trim() === '') throw new Error(`line ${line} is empty`);
  if (commentStart(raw) < 0) {
    lines[i] = `${raw.replace(/\s+$/, '')} ${comment}${cr}`;
    return lines.join('\n');
  }
  const above = i > 0 ? lines[i - 1]!.replace(/\r$/, '') : '';
  const aboveAt = commentStart(above);
  if (aboveAt >= 0 && above.slice(0, aboveAt).trim() === '' && above.slice(aboveAt + 2).trim().startsWith(SUPPRESSION_MARK)) {
    throw new Error(`line ${line} already has a suppression above it and a comment of its own; add this one by hand`);
  }
  const indent = /^[ \t]*/.exec(raw)![0];
  lines.splice(i, 0, `${indent}${comment}${cr}`);
  return lines.join('\n');
}
