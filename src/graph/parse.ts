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
  /**
   * pushBytes reads a whole file's bytes (UTF-8) in place of `push`: the usual ASCII lines are
   * scanned without building a string per line or per field, only one per new node. Call it once,
   * before `end`, and not together with `push`.
   */
  pushBytes(bytes: Uint8Array): void;
  end(): ModGraph;
}

/**
 * parseModGraphBytes reads a whole `go mod graph` output from its bytes; the result equals
 * `parseModGraph(bytes decoded as UTF-8)`. It never throws.
 */
export function parseModGraphBytes(bytes: Uint8Array, file: string): ModGraph {
  const p = createModGraphParser(file);
  p.pushBytes(bytes);
  return p.end();
}

// Node objects shared by every graph parsed in this process: the modules of one monorepo print
// the same few thousand `path@version` keys hundreds of times over, so each key's strings and node
// exist once rather than once per graph. Nodes are never mutated. The pool is dropped when it grows
// past SHARED_MAX, so hostile inputs cannot make it grow without bound.
const SHARED_MAX = 1 << 18;
let shared = new Map<string, { key: string; node: GraphNode }>();

function sharedNode(key: string): { key: string; node: GraphNode } {
  let e = shared.get(key);
  if (e === undefined) {
    if (shared.size >= SHARED_MAX) shared = new Map();
    e = { key, node: parseNodeKey(key) };
    shared.set(key, e);
  }
  return e;
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
      const e = sharedNode(key);
      i = nodes.length;
      nodes.push(e.node);
      index.set(e.key, i);
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

  /**
   * scanBytes parses whole-file bytes. A line of printable ASCII with one space is matched against
   * the nodes by a hash of its bytes; any other line is decoded as UTF-8 and read by parseLine, so
   * errors and odd spacing behave exactly as for text.
   */
  const scanBytes = (bytes: Uint8Array) => {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Open-addressing table: slot -> node index + 1; a node's first sighting in buf gives the bytes to compare.
    let size = 1024;
    let slots = new Int32Array(size);
    let keyAt = new Int32Array(256);
    let keyLen = new Int32Array(256);
    let keyHash = new Int32Array(256);
    let known = 0;
    const remember = (node: number, at: number, len: number, h: number) => {
      if (node >= keyAt.length) {
        let n = keyAt.length * 2;
        while (n <= node) n *= 2;
        const a = new Int32Array(n); a.set(keyAt); keyAt = a;
        const l = new Int32Array(n); l.set(keyLen); keyLen = l;
        const hh = new Int32Array(n); hh.set(keyHash); keyHash = hh;
      }
      keyAt[node] = at; keyLen[node] = len; keyHash[node] = h;
      if (++known * 2 > size) {
        size *= 2;
        slots = new Int32Array(size);
        for (let v = 0; v < keyAt.length; v++) {
          if (keyLen[v] === 0) continue;
          let s = keyHash[v]! & (size - 1);
          while (slots[s] !== 0) s = (s + 1) & (size - 1);
          slots[s] = v + 1;
        }
        return;
      }
      let s = h & (size - 1);
      while (slots[s] !== 0) s = (s + 1) & (size - 1);
      slots[s] = node + 1;
    };
    const lookup = (at: number, len: number, h: number): number => {
      for (let s = h & (size - 1); ; s = (s + 1) & (size - 1)) {
        const v = slots[s]! - 1;
        if (v < 0) return -1;
        if (keyHash[v] !== h || keyLen[v] !== len) continue;
        const o = keyAt[v]!;
        let i = 0;
        while (i < len && buf[o + i] === buf[at + i]) i++;
        if (i === len) return v;
      }
    };
    const nodeAt = (lineStart: number, at: number, len: number, h: number, line: number): number => {
      const v = lookup(at, len, h);
      if (v >= 0) return v;
      const key = buf.toString('latin1', at, at + len);
      const i = internChecked(key, buf.toString('latin1', lineStart, at + len), 0, at - lineStart, line);
      if (i >= 0) remember(i, at, len, h);
      return i;
    };

    const n = buf.length;
    let a = 0;
    while (a < n) {
      let nl = buf.indexOf(10, a);
      if (nl < 0) nl = n;
      lineNo++;
      let b = nl;
      if (b > a && buf[b - 1] === 13) b--;
      let sp = -1;
      let simple = b > a && nl - a <= MAX_LINE;
      let h1 = -2128831035;
      let h2 = -2128831035;
      if (simple) {
        for (let i = a; i < b; i++) {
          const c = buf[i]!;
          if (c === 32) {
            if (sp >= 0) { simple = false; break; }
            sp = i;
          } else if (c < 33 || c > 126) {
            simple = false;
            break;
          } else if (sp < 0) {
            h1 = Math.imul(h1 ^ c, 16777619);
          } else {
            h2 = Math.imul(h2 ^ c, 16777619);
          }
        }
      }
      if (simple && sp > a && sp < b - 1) {
        const line = lineNo;
        const f = nodeAt(a, a, sp - a, h1, line);
        if (f >= 0) {
          const t = nodeAt(a, sp + 1, b - sp - 1, h2, line);
          if (t >= 0) {
            if (main < 0 && nodes[f]!.version === '') main = f;
            addEdge(f, t, line);
          }
        }
      } else if (nl - a > MAX_LINE && (nl - a > 4 * MAX_LINE || buf.toString('utf8', a, nl).length > MAX_LINE)) {
        addError(lineNo, 1, `graph line longer than ${MAX_LINE} characters: skipped`);
      } else {
        const text = buf.toString('utf8', a, nl);
        parseLine(text, 0, text.length, lineNo);
      }
      a = nl + 1;
    }
  };

  return {
    pushBytes(bytes: Uint8Array) {
      if (ended) return;
      try {
        scanBytes(bytes);
      } catch (err) {
        addError(lineNo || 1, 1, `internal error reading module graph: ${(err as Error)?.message ?? String(err)}`);
      }
    },
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
