// The `go mod graph` reader. A monorepo's graph files reach a million edges, so the parser streams:
// text arrives in chunks, node keys are interned once, and edges live in a growable Uint32Array
// (two indexes per edge) instead of one object per edge.
import type { GraphNode, ModGraph } from '../engine/types.ts';
import type { ParseError } from '../gomod/types.ts';
import { columnOf } from '../gosum/parse.ts';

/** MAX_LINE is the longest line kept; longer ones are skipped and reported, so memory stays bounded. */
export const MAX_LINE = 64 * 1024;
/** MAX_ERRORS caps the error list of one file: a garbage file of a million lines needs no million errors. */
export const MAX_ERRORS = 1000;

export interface ModGraphParser {
  push(chunk: string): void;
  end(): ModGraph;
}

/** parseModGraph reads a whole `go mod graph` output at once. It never throws. */
export function parseModGraph(text: string, file: string): ModGraph {
  const p = createModGraphParser(file);
  p.push(text);
  return p.end();
}

/** parseNodeKey splits `path@version` (or a bare main-module path) into a node. */
export function parseNodeKey(key: string): GraphNode {
  const at = key.indexOf('@');
  if (at < 0) return { path: key, version: '' };
  const path = key.slice(0, at);
  const version = key.slice(at + 1);
  if (path === 'go') return { path, version, kind: 'go' };
  if (path === 'toolchain') return { path, version, kind: 'toolchain' };
  return { path, version };
}

/** nodeKey is the inverse of parseNodeKey. */
export function nodeKey(node: GraphNode): string {
  return node.version ? `${node.path}@${node.version}` : node.path;
}

/**
 * createModGraphParser returns a streaming parser: `push` chunks of any size (lines may be split
 * across chunks), then `end` for the graph. Malformed lines become errors with line and column and
 * are skipped. It never throws.
 */
export function createModGraphParser(file: string): ModGraphParser {
  const nodes: GraphNode[] = [];
  const index = new Map<string, number>();
  let edges = new Uint32Array(1024);
  let lines = new Uint32Array(512);
  let edgeCount = 0;
  const errors: ParseError[] = [];
  let errorsDropped = 0;
  let main = -1;
  let lineNo = 0;
  let pending = '';
  let skippingLongLine = false;
  let ended: ModGraph | undefined;

  const addError = (line: number, column: number, message: string) => {
    if (errors.length < MAX_ERRORS) errors.push({ file, line, column, message });
    else errorsDropped++;
  };

  const intern = (key: string): number => {
    let i = index.get(key);
    if (i === undefined) {
      i = nodes.length;
      nodes.push(parseNodeKey(key));
      index.set(key, i);
    }
    return i;
  };

  const checkNode = (key: string, raw: string, at: number, line: number): boolean => {
    const sign = key.indexOf('@');
    if (sign === 0) {
      addError(line, columnOf(raw, at), `malformed graph node ${quote(key)}: empty module path before "@"`);
      return false;
    }
    if (sign < 0) return true;
    if (sign === key.length - 1) {
      addError(line, columnOf(raw, at), `malformed graph node ${quote(key)}: empty version after "@"`);
      return false;
    }
    if (key.indexOf('@', sign + 1) >= 0) {
      addError(line, columnOf(raw, at), `malformed graph node ${quote(key)}: more than one "@"`);
      return false;
    }
    const path = key.slice(0, sign);
    const c = key.charCodeAt(sign + 1);
    if (path === 'go') {
      if (c < 48 || c > 57) addError(line, columnOf(raw, at + sign + 1), `malformed graph node ${quote(key)}: want go@1.N`);
      return c >= 48 && c <= 57;
    }
    if (path === 'toolchain') return true;
    if (c !== 118 /* v */) {
      addError(line, columnOf(raw, at + sign + 1), `malformed graph node ${quote(key)}: version must start with "v"`);
      return false;
    }
    return true;
  };

  const addEdge = (from: number, to: number, line: number) => {
    if (edgeCount * 2 + 2 > edges.length) {
      const bigger = new Uint32Array(edges.length * 2);
      bigger.set(edges);
      edges = bigger;
      const biggerLines = new Uint32Array(lines.length * 2);
      biggerLines.set(lines);
      lines = biggerLines;
    }
    edges[edgeCount * 2] = from;
    edges[edgeCount * 2 + 1] = to;
    lines[edgeCount] = line;
    edgeCount++;
  };

  // Node keys already known to be valid and interned; a repeated source is recognised without
  // slicing it, because `go mod graph` prints the edges of one node together.
  let lastFrom = '';
  let lastFromIndex = -1;

  const internChecked = (key: string, s: string, lineStart: number, at: number, line: number): number => {
    const known = index.get(key);
    if (known !== undefined) return known;
    if (!checkNode(key, s.slice(lineStart, lineStart + at + key.length), at, line)) return -1;
    return intern(key);
  };

  /** parseLine reads the line s[a, b) (without its newline). */
  const parseLine = (s: string, a: number, b: number, line: number) => {
    if (b > a && s.charCodeAt(b - 1) === 13) b--;
    // Fast path: printable ASCII with exactly one space, the only shape the go command prints.
    let sp = -1;
    let simple = b > a;
    for (let i = a; i < b; i++) {
      const c = s.charCodeAt(i);
      if (c === 32) {
        if (sp >= 0) { simple = false; break; }
        sp = i;
      } else if (c < 33 || c > 126) {
        simple = false;
        break;
      }
    }
    if (simple && sp > a && sp < b - 1) {
      let f: number;
      if (sp - a === lastFrom.length && s.startsWith(lastFrom, a)) {
        f = lastFromIndex;
      } else {
        const from = s.slice(a, sp);
        f = internChecked(from, s, a, 0, line);
        if (f < 0) return;
        lastFrom = from;
        lastFromIndex = f;
      }
      const t = internChecked(s.slice(sp + 1, b), s, a, sp + 1 - a, line);
      if (t < 0) return;
      if (main < 0 && nodes[f]!.version === '') main = f;
      addEdge(f, t, line);
      return;
    }
    const raw = s.slice(a, b);
    const fields: Array<{ text: string; at: number }> = [];
    FIELD.lastIndex = 0;
    for (let m = FIELD.exec(raw); m; m = FIELD.exec(raw)) {
      fields.push({ text: m[0], at: m.index });
      if (fields.length > 3) break;
    }
    if (fields.length === 0) return;
    if (fields.length !== 2) {
      addError(line, columnOf(raw, fields[0]!.at),
        `malformed graph line: want two fields "from to" (module@version module@version), found ${fields.length > 3 ? 'more than 3' : fields.length}`);
      return;
    }
    const [from, to] = fields as [typeof fields[0], typeof fields[0]];
    if (!checkNode(from.text, raw, from.at, line) || !checkNode(to.text, raw, to.at, line)) return;
    const f = intern(from.text);
    const t = intern(to.text);
    if (main < 0 && nodes[f]!.version === '') main = f;
    addEdge(f, t, line);
  };

  return {
    push(chunk: string) {
      if (ended) return;
      try {
        let start = 0;
        const n = chunk.length;
        while (start <= n) {
          const nl = chunk.indexOf('\n', start);
          if (nl < 0) {
            const rest = chunk.slice(start);
            if (skippingLongLine) return;
            if (pending.length + rest.length > MAX_LINE) {
              lineNo++;
              addError(lineNo, 1, `graph line longer than ${MAX_LINE} characters: skipped`);
              skippingLongLine = true;
              pending = '';
              return;
            }
            pending += rest;
            return;
          }
          if (skippingLongLine) {
            skippingLongLine = false;
          } else {
            lineNo++;
            if (pending.length + (nl - start) > MAX_LINE) {
              addError(lineNo, 1, `graph line longer than ${MAX_LINE} characters: skipped`);
            } else if (pending) {
              const joined = pending + chunk.slice(start, nl);
              parseLine(joined, 0, joined.length, lineNo);
            } else {
              parseLine(chunk, start, nl, lineNo);
            }
            pending = '';
          }
          start = nl + 1;
        }
      } catch (err) {
        addError(lineNo || 1, 1, `internal error reading module graph: ${(err as Error)?.message ?? String(err)}`);
      }
    },
    end(): ModGraph {
      if (ended) return ended;
      try {
        if (pending && !skippingLongLine) {
          lineNo++;
          parseLine(pending, 0, pending.length, lineNo);
        }
      } catch (err) {
        addError(lineNo || 1, 1, `internal error reading module graph: ${(err as Error)?.message ?? String(err)}`);
      }
      pending = '';
      if (errorsDropped > 0) {
        errors.push({ file, line: errors[errors.length - 1]!.line, column: 1, message: `${errorsDropped} more malformed graph lines not listed` });
      }
      ended = {
        file, nodes,
        edges: edges.slice(0, edgeCount * 2),
        edgeLines: lines.slice(0, edgeCount),
        errors, main, index,
      };
      return ended;
    },
  };
}

const FIELD = /\S+/g;

function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? s.slice(0, 77) + '...' : s);
}
