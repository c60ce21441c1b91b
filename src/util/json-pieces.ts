// JSON text written a piece at a time: a value whose text would not fit in one string (a drift
// report of tens of thousands of modules runs to hundreds of megabytes, and a string holds at most
// about 512 MB) goes to a file or a compressor as it is made, never held whole.

/** JsonValue-like input: what JSON.stringify takes. */
type Json = unknown;

/**
 * jsonPieces yields exactly the text of `JSON.stringify(value, null, space)` (no trailing newline)
 * in pieces: arrays and plain objects down to `depth` levels are taken apart an element or member
 * at a time, deeper values are stringified whole. `value` must be what JSON.stringify turns into
 * text (not undefined, a function or a symbol); values with a toJSON method are stringified whole.
 */
export function* jsonPieces(value: Json, space = 0, depth = 2): Generator<string> {
  yield* walk(value, space, 0, depth);
}

function pad(space: number, level: number): string {
  return space === 0 ? '' : `\n${' '.repeat(space * level)}`;
}

/** omitted tells whether JSON.stringify leaves a member out (writes null for an element). */
function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/**
 * stringifyAt is `JSON.stringify(v, null, space)` of a value written at nesting `level`: its inner
 * lines indented to that level (JSON text has no raw newline inside a string, so that is safe).
 */
export function stringifyAt(v: Json, space: number, level: number): string {
  const text = JSON.stringify(v, null, space);
  return space === 0 || level === 0 || !text.includes('\n') ? text : text.replace(/\n/g, `\n${' '.repeat(space * level)}`);
}

function* walk(v: Json, space: number, level: number, depth: number): Generator<string> {
  const apart = depth > 0 && typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
  if (!apart) {
    yield stringifyAt(v, space, level);
    return;
  }
  const inner = pad(space, level + 1);
  if (Array.isArray(v)) {
    if (v.length === 0) {
      yield '[]';
      return;
    }
    for (let i = 0; i < v.length; i++) {
      yield `${i === 0 ? '[' : ','}${inner}`;
      const el: unknown = v[i];
      if (omitted(el)) yield 'null';
      else yield* walk(el, space, level + 1, depth - 1);
    }
    yield `${pad(space, level)}]`;
    return;
  }
  let first = true;
  const sep = space === 0 ? ':' : ': ';
  for (const key of Object.keys(v as object)) {
    const member: unknown = (v as Record<string, unknown>)[key];
    if (omitted(member)) continue;
    yield `${first ? '{' : ','}${inner}${JSON.stringify(key)}${sep}`;
    first = false;
    yield* walk(member, space, level + 1, depth - 1);
  }
  yield first ? '{}' : `${pad(space, level)}}`;
}

/**
 * batched joins pieces into strings of about `size` characters (one write or compressor call per
 * batch, not per piece).
 */
export function* batched(pieces: Iterable<string>, size = 1 << 20): Generator<string> {
  let pending = '';
  for (const piece of pieces) {
    pending += piece;
    if (pending.length >= size) {
      yield pending;
      pending = '';
    }
  }
  if (pending !== '') yield pending;
}
