// `modguard parse [--lax] FILE...`: one JSON line per file with x/mod's typed view of a go.mod
// (`mod`) or go.work (`work`), or the errors in x/mod's `file:LINE[:COL]: message` form.
import { describeReadError, readNamedInput } from '../io/read.ts';
import path from 'node:path';
import type { CommandContext } from './context.ts';
import { formatParseError, parseModFile, parseWorkFile, toXmodJson, toXmodWorkJson } from '../gomod/index.ts';

// A byte order mark stays in the text, as Go reads it: x/mod refuses it (unexpected input character '\ufeff').
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
/** How many files are read at once; output order stays the order given. */
const READ_AHEAD = 32;

/** parseOne is the JSON record for one file's text. */
export function parseOne(file: string, text: string, lax: boolean): Record<string, unknown> {
  if (path.basename(file) === 'go.work') {
    const r = parseWorkFile(text, file);
    return r.ok ? { file, ok: true, work: toXmodWorkJson(r.value) } : { file, ok: false, errors: r.errors.map(formatParseError) };
  }
  const r = parseModFile(text, file, { lax });
  return r.ok ? { file, ok: true, mod: toXmodJson(r.value) } : { file, ok: false, errors: r.errors.map(formatParseError) };
}

async function load(cwd: string, file: string): Promise<{ text: string } | { error: string }> {
  try {
    // A pipe or device may be named (/dev/stdin); one without end is refused at the size limit.
    const bytes = readNamedInput(path.resolve(cwd, file));
    return { text: decoder.decode(bytes) };
  } catch (e) {
    return { error: `${file}: cannot read: ${describeReadError(e)}` };
  }
}

export async function runParse(files: string[], opts: { lax: boolean }, ctx: CommandContext): Promise<number> {
  let allOk = true;
  const pending: Array<Promise<{ text: string } | { error: string }>> = [];
  for (let i = 0; i < Math.min(READ_AHEAD, files.length); i++) pending.push(load(ctx.cwd, files[i]!));
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const loaded = await pending[i]!;
    if (i + READ_AHEAD < files.length) pending.push(load(ctx.cwd, files[i + READ_AHEAD]!));
    pending[i] = undefined as never;
    let record: Record<string, unknown>;
    if ('error' in loaded) {
      record = { file, ok: false, errors: [loaded.error] };
    } else {
      try {
        record = parseOne(file, loaded.text, opts.lax);
      } catch (e) {
        record = { file, ok: false, errors: [`${file}: internal error: ${(e as Error)?.message ?? String(e)}`] };
      }
    }
    if (record.ok !== true) allOk = false;
    ctx.stdout.write(JSON.stringify(record) + '\n');
  }
  return allOk ? 0 : 1;
}
