// The `go mod graph` reader. A monorepo's graph files reach a million edges, so the parser streams:
// text arrives in chunks, node keys are interned once, and edges live in a growable Uint32Array
// (two indexes per edge) instead of one object per edge. Whole files are read from their bytes,
// where the edges of a module version that earlier files printed the same way are taken whole.
import type { GraphNode, ModGraph } from '../engine/types.ts';
import type { ParseError } from '../gomod/types.ts';
import { columnOf } from '../gosum/parse.ts';
import { grown, hashWord, randomSeed, sameBytes, slotOf, wordHash } from '../util/bytes.ts';

/** MAX_LINE is the longest line kept; longer ones are skipped and reported, so memory stays bounded. */
export const MAX_LINE = 64 * 1024;
/** MAX_ERRORS caps the error list of one file: a garbage file of a million lines needs no million errors. */
export const MAX_ERRORS = 1000;

export interface GraphParseOptions {
  /** index: false leaves the key index (ModGraph.index) out, for callers that do not read it. */
  index?: boolean;
}

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
export function parseModGraphBytes(bytes: Uint8Array, file: string, opts?: GraphParseOptions): ModGraph {
  const p = createModGraphParser(file, opts);
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
    if (shared.size >= SHARED_MAX) {
      shared = new Map();
      poolClear();
    }
    e = { key, node: parseNodeKey(key) };
    shared.set(key, e);
  }
  return e;
}

// The pool's entries by the bytes of their keys, for pushBytes: a file's first sighting of a key the
// pool holds is found from the bytes, by the hash scanBytes computes anyway, without building the
// key's string and hashing it again for `shared`. It holds entries of `shared` only, under the
// bytes of their keys, and is emptied with it, so what it finds is what sharedNode would return.
// Only scanBytes's hash is used here: FNV-1a from this process's own seed (POOL_SEED), placed in
// a slot by all its bits, so that no input made in advance can pile its keys into one run of
// slots. The key bytes live in one growable array of at most
// POOL_BYTES_MAX bytes; when that is full the index starts again, empty.
let POOL_BYTES_MAX = 1 << 24;
const POOL_SEED = randomSeed();
let poolSize = 1024;
let poolSlots = new Int32Array(poolSize); // slot -> entry number + 1
let poolAt = new Int32Array(512);
let poolLen = new Int32Array(512);
let poolHash = new Int32Array(512);
let poolEntries: Array<{ key: string; node: GraphNode }> = [];
let poolBytes = new Uint8Array(64 * 1024);
let poolView = new DataView(poolBytes.buffer);
let poolUsed = 0;
// Per entry, the parse that last met it (poolStamp) and the entry's node number in that parse
// (poolLocal): a parse knows its own nodes by entry number, with no table of its own. Parses are
// numbered by `generation`; poolEpoch counts the times the pool started again, which forgets stamps.
let poolStamp = new Int32Array(512);
let poolLocal = new Int32Array(512);
let poolEpoch = 0;
let generation = 0;

function nextGeneration(): number {
  if (generation === 0x7fffffff) {
    poolStamp.fill(0);
    generation = 0;
  }
  return ++generation;
}

// Runs: the edges of one source node as a graph file prints them, its lines one after another. The
// go command prints the requirements of a module version the same way in every graph that has it,
// so a run read line by line once (recordRun) is recognised in the next files by one comparison of
// its bytes. Runs name their nodes by pool entry and go with the pool when it starts again.
let RUN_BYTES_MAX = 1 << 25;
/** The longest run kept. */
const RUN_MAX_BYTES = 1 << 20;
/** Fewer lines than this are not worth a run. */
const RUN_MIN_LINES = 2;
let runOf = new Int32Array(512); // pool entry -> run number + 1
let runAt = new Int32Array(256);
let runLen = new Int32Array(256);
let runCount = new Int32Array(256);
let runTosAt = new Int32Array(256);
let runTos = new Int32Array(4096);
let runBytes = Buffer.alloc(64 * 1024);
let runBytesUsed = 0;
let runTosUsed = 0;
let runTotal = 0;
/** The targets (pool entries) of the run being read line by line. */
let scratchTos = new Int32Array(256);

function runsClear(): void {
  runOf = new Int32Array(poolAt.length);
  runAt = new Int32Array(256);
  runLen = new Int32Array(256);
  runCount = new Int32Array(256);
  runTosAt = new Int32Array(256);
  runTos = new Int32Array(4096);
  runBytes = Buffer.alloc(64 * 1024);
  runBytesUsed = 0;
  runTosUsed = 0;
  runTotal = 0;
}

/**
 * recordRun keeps the run of source `from` (a pool entry): the bytes buf[at, end), lines ending in
 * LF, and the pool entries of their `count` targets (scratchTos). It replaces the run `from` had.
 */
function recordRun(buf: Buffer, from: number, at: number, end: number, count: number): void {
  const len = end - at;
  if (len > RUN_MAX_BYTES) return;
  if (runBytesUsed + len > RUN_BYTES_MAX) runsClear();
  if (runBytesUsed + len > runBytes.length) {
    let m = runBytes.length * 2;
    while (runBytesUsed + len > m) m *= 2;
    const bigger = Buffer.alloc(m);
    runBytes.copy(bigger, 0, 0, runBytesUsed);
    runBytes = bigger;
  }
  runTos = grown(runTos, runTosUsed + count);
  if (runTotal >= runAt.length) {
    runAt = grown(runAt, runTotal + 1);
    runLen = grown(runLen, runTotal + 1);
    runCount = grown(runCount, runTotal + 1);
    runTosAt = grown(runTosAt, runTotal + 1);
  }
  buf.copy(runBytes, runBytesUsed, at, end);
  runTos.set(scratchTos.subarray(0, count), runTosUsed);
  const r = runTotal++;
  runAt[r] = runBytesUsed; runLen[r] = len; runCount[r] = count; runTosAt[r] = runTosUsed;
  runBytesUsed += len;
  runTosUsed += count;
  runOf[from] = r + 1;
}

/**
 * setCacheLimits sets how many bytes of keys the pool and of lines the runs hold before each starts
 * again, and returns the limits it replaces. The defaults are kept by every run of modguard: tests
 * make them small, so that the caches start again within the few files a test reads.
 */
export function setCacheLimits(limits: { poolBytes?: number; runBytes?: number }): { poolBytes: number; runBytes: number } {
  const before = { poolBytes: POOL_BYTES_MAX, runBytes: RUN_BYTES_MAX };
  if (limits.poolBytes !== undefined) POOL_BYTES_MAX = limits.poolBytes;
  if (limits.runBytes !== undefined) RUN_BYTES_MAX = limits.runBytes;
  return before;
}

/** graphCacheStats says what the graph readers' shared caches hold: the runs kept and their bytes, the pool's keys, and how often each started again. */
export function graphCacheStats(): { runs: number; runBytes: number; keys: number; poolEpoch: number } {
  return { runs: runTotal, runBytes: runBytesUsed, keys: poolEntries.length, poolEpoch };
}

/** RunReading is the run scanBytes reads line by line: its source, bytes [at, end), lines, and whether it replaces the source's run. */
interface RunReading {
  from: number;
  at: number;
  end: number;
  count: number;
  replace: boolean;
  /** poolEpoch when it began: a pool that started again since makes its entries void. */
  epoch: number;
}

/**
 * readRunLine puts the line buf[at, end) (source pool entry `from`, target `to`, ending in LF) on
 * the run being read when it goes on with it, else ends that run and starts one; `replace` says
 * whether the source's run differed from the file at this line. A run too long to keep is dropped
 * (bounding the scratch list too), and what follows starts another.
 */
function readRunLine(buf: Buffer, rec: RunReading, from: number, to: number, at: number, end: number, replace: boolean): void {
  if (rec.count > 0 && rec.from === from && rec.end === at) {
    if (end - rec.at > RUN_MAX_BYTES) {
      rec.count = 0;
      return;
    }
    if (rec.count === scratchTos.length) scratchTos = grown(scratchTos, rec.count + 1);
    scratchTos[rec.count++] = to;
    rec.end = end;
    return;
  }
  flushRun(buf, rec);
  rec.from = from;
  rec.at = at;
  rec.end = end;
  rec.count = 1;
  rec.replace = replace;
  rec.epoch = poolEpoch;
  scratchTos[0] = to;
}

/**
 * flushRun ends the run being read, keeping it when it is long enough and new (or replaces a run that
 * differed). A main module's run (a source without a version) is not kept: the main module is a
 * source in its own graph file alone, so its run would never be met again, and in a large
 * repository the runs of every module's main would fill the runs' bytes and start them again,
 * losing the runs of the module versions that every graph shares.
 */
function flushRun(buf: Buffer, rec: RunReading): void {
  if (rec.count >= RUN_MIN_LINES && rec.epoch === poolEpoch && (rec.replace || runOf[rec.from] === 0) && poolEntries[rec.from]!.node.version !== '') {
    recordRun(buf, rec.from, rec.at, rec.end, rec.count);
  }
  rec.count = 0;
}

function poolClear(): void {
  poolEpoch++;
  poolStamp = new Int32Array(512);
  poolLocal = new Int32Array(512);
  poolSize = 1024;
  poolSlots = new Int32Array(poolSize);
  poolAt = new Int32Array(512);
  poolLen = new Int32Array(512);
  poolHash = new Int32Array(512);
  poolEntries = [];
  runsClear();
  poolBytes = new Uint8Array(64 * 1024);
  poolView = new DataView(poolBytes.buffer);
  poolUsed = 0;
}

/** poolFind returns the number of the entry whose key is buf[at, at + len) (hash h), or -1. */
function poolFind(buf: Uint8Array, dv: DataView, at: number, len: number, h: number): number {
  const mask = poolSize - 1;
  for (let s = slotOf(h) & mask; ; s = (s + 1) & mask) {
    const v = poolSlots[s]! - 1;
    if (v < 0) return -1;
    if (poolHash[v] === h && poolLen[v] === len && sameBytes(poolBytes, poolView, poolAt[v]!, buf, dv, at, len)) return v;
  }
}

/** poolAdd files entry e of `shared` under its key's bytes buf[at, at + len) (hash h), not yet filed. */
function poolAdd(buf: Uint8Array, at: number, len: number, h: number, e: { key: string; node: GraphNode }): number {
  if (poolUsed + len > poolBytes.length) {
    if (poolUsed + len > POOL_BYTES_MAX) poolClear();
    let m = poolBytes.length;
    while (poolUsed + len > m) m *= 2;
    if (m > poolBytes.length) {
      const bigger = new Uint8Array(m);
      bigger.set(poolBytes.subarray(0, poolUsed));
      poolBytes = bigger;
      poolView = new DataView(poolBytes.buffer);
    }
  }
  const v = poolEntries.length;
  if (v >= poolAt.length) {
    poolAt = grown(poolAt, v + 1);
    poolLen = grown(poolLen, v + 1);
    poolHash = grown(poolHash, v + 1);
    poolStamp = grown(poolStamp, v + 1);
    poolLocal = grown(poolLocal, v + 1);
    runOf = grown(runOf, v + 1);
  }
  poolBytes.set(buf.subarray(at, at + len), poolUsed);
  poolAt[v] = poolUsed; poolLen[v] = len; poolHash[v] = h;
  poolUsed += len;
  poolEntries.push(e);
  if ((v + 1) * 2 > poolSize) {
    poolSize *= 2;
    poolSlots = new Int32Array(poolSize);
    for (let u = 0; u <= v; u++) {
      let s = slotOf(poolHash[u]!) & (poolSize - 1);
      while (poolSlots[s] !== 0) s = (s + 1) & (poolSize - 1);
      poolSlots[s] = u + 1;
    }
    return v;
  }
  let s = slotOf(h) & (poolSize - 1);
  while (poolSlots[s] !== 0) s = (s + 1) & (poolSize - 1);
  poolSlots[s] = v + 1;
  return v;
}

/** parseModGraph reads a whole `go mod graph` output at once. It never throws. */
export function parseModGraph(text: string, file: string, opts?: GraphParseOptions): ModGraph {
  const p = createModGraphParser(file, opts);
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

/** edgeLinesOf gives the line of every edge of a graph (edgeLines, or 1, 2, 3, ... when it has none). */
export function edgeLinesOf(graph: Pick<ModGraph, 'edges' | 'edgeLines'>): Uint32Array {
  if (graph.edgeLines) return graph.edgeLines instanceof Uint32Array ? graph.edgeLines : Uint32Array.from(graph.edgeLines);
  const out = new Uint32Array(graph.edges.length >>> 1);
  for (let i = 0; i < out.length; i++) out[i] = i + 1;
  return out;
}

/** nodeKey is the inverse of parseNodeKey. */
export function nodeKey(node: GraphNode): string {
  return node.version ? `${node.path}@${node.version}` : node.path;
}

/**
 * Working arrays of parsers that ended, for parsers made later: reading a graph per module of a
 * large repository allocated and grew fresh arrays for each, which cost more as the heap grew.
 * A few are kept, none longer than MAX_SPARE_LENGTH numbers (a huge graph's are let go).
 */
const spareArrays: { edges: Uint32Array; lines: Uint32Array }[] = [];
const MAX_SPARE = 4;
const MAX_SPARE_LENGTH = 1 << 20;
const EMPTY = new Uint32Array(0);

/**
 * createModGraphParser returns a streaming parser: `push` chunks of any size (lines may be split
 * across chunks), then `end` for the graph. Malformed lines become errors with line and column and
 * are skipped. It never throws.
 */
export function createModGraphParser(file: string, opts?: GraphParseOptions): ModGraphParser {
  const withIndex = opts?.index !== false;
  const nodes: GraphNode[] = [];
  const index = new Map<string, number>();
  // Working arrays, of a parser that ended when there is one: the graph is copied out of them.
  const scratch = spareArrays.pop();
  let edges = scratch?.edges ?? new Uint32Array(1024);
  let lines = scratch?.lines ?? new Uint32Array(512);
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

  // The fast byte path (scanBytes) numbers nodes through the pool's stamps and leaves `index` behind;
  // `indexed` nodes are in it. The general path brings it up to date before using it, and from then
  // on (or once the pool has started again, forgetting stamps) the fast path checks it too.
  let indexed = 0;
  let careful = false;
  let epochSeen = -1;
  const syncIndex = () => {
    for (; indexed < nodes.length; indexed++) index.set(nodeKey(nodes[indexed]!), indexed);
  };

  const intern = (key: string): number => {
    syncIndex();
    careful = true;
    let i = index.get(key);
    if (i === undefined) {
      const e = sharedNode(key);
      i = nodes.length;
      nodes.push(e.node);
      index.set(e.key, i);
      indexed = nodes.length;
    }
    return i;
  };

  const checkNode = (key: string, raw: string, at: number, line: number): boolean => {
    const problem = nodeProblem(key);
    if (problem === undefined) return true;
    addError(line, columnOf(raw, at + problem.at), problem.message);
    return false;
  };

  const addEdge = (from: number, to: number, line: number) => {
    if (edgeCount * 2 + 2 > edges.length) {
      edges = grown(edges, edgeCount * 2 + 2);
      lines = grown(lines, edges.length >>> 1);
    }
    edges[edgeCount * 2] = from;
    edges[edgeCount * 2 + 1] = to;
    lines[edgeCount] = line;
    edgeCount++;
  };

  /**
   * addRun adds the edges of run r from node f on lines line, line + 1, ..., its targets numbered
   * through the pool's stamps of parse `gen`, and returns how many.
   */
  const addRun = (f: number, r: number, line: number, gen: number): number => {
    const count = runCount[r]!;
    if (edgeCount * 2 + 2 * count > edges.length) {
      edges = grown(edges, edgeCount * 2 + 2 * count);
      lines = grown(lines, edges.length >>> 1);
    }
    const e = edges;
    const l = lines;
    let ec = edgeCount;
    for (let k = 0, t = runTosAt[r]!; k < count; k++, t++) {
      const g = runTos[t]!;
      e[ec * 2] = f;
      e[ec * 2 + 1] = poolStamp[g] === gen ? poolLocal[g]! : nodeOfEntry(g, gen);
      l[ec] = line + k;
      ec++;
    }
    edgeCount = ec;
    return count;
  };

  // Node keys already known to be valid and interned; a repeated source is recognised without
  // slicing it, because `go mod graph` prints the edges of one node together.
  let lastFrom = '';
  let lastFromIndex = -1;

  const internChecked = (key: string, s: string, lineStart: number, at: number, line: number): number => {
    syncIndex();
    const known = index.get(key);
    if (known !== undefined) return known;
    if (!checkNode(key, s.slice(lineStart, lineStart + at + key.length), at, line)) return -1;
    return intern(key);
  };

  /**
   * spaceFrom is s.indexOf(' ', from) in the chunk `push` reads (printable lines only), remembering
   * the space found: a search that runs past the
   * end of its line (a line without a space) finds the space a later line's search wants, so the
   * searches of a whole text stay linear in its length (each line searching to the next space
   * afresh would be quadratic in a text of lines without one).
   */
  // What the last search found, in the chunk `push` reads (forgotten when a chunk starts): -2 none yet.
  let spaceAt = -2;
  let spaceSearchedFrom = 0;
  const spaceFrom = (s: string, from: number): number => {
    if (spaceAt !== -2 && from >= spaceSearchedFrom && (spaceAt < 0 || spaceAt >= from)) return spaceAt;
    spaceSearchedFrom = from;
    spaceAt = s.indexOf(' ', from);
    return spaceAt;
  };

  /**
   * parseLine reads the line s[a, b) (without its newline). `printable`: s has no character but
   * printable ASCII, spaces and newlines (the caller looked at all of it at once), so the line's
   * shape is told by searching for its spaces, not by a loop over its characters: the few graphs
   * PR mode reads are read by code that has not run before, where such a loop costs most.
   */
  const parseLine = (s: string, a: number, b: number, line: number, printable = false) => {
    if (b > a && s.charCodeAt(b - 1) === 13) b--;
    // Fast path: printable ASCII with exactly one space, the only shape the go command prints.
    let sp = -1;
    let simple = b > a;
    if (printable) {
      sp = spaceFrom(s, a);
      if (sp < 0 || sp >= b) sp = -1;
      else {
        const second = spaceFrom(s, sp + 1);
        if (second >= 0 && second < b) simple = false;
      }
    } else {
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
   * nodeOfEntry gives the node number, in this graph, of pool entry v (a valid key) met for the
   * first time in this parse (its stamp is not `gen`), numbering it when the graph has no such node.
   */
  const nodeOfEntry = (v: number, gen: number): number => {
    if (poolEpoch !== epochSeen) careful = true;
    const e = poolEntries[v]!;
    let i: number | undefined;
    if (careful) {
      syncIndex();
      i = index.get(e.key);
    }
    if (i === undefined) {
      i = nodes.length;
      nodes.push(e.node);
      if (careful) {
        index.set(e.key, i);
        indexed = nodes.length;
      }
    }
    poolStamp[v] = gen;
    poolLocal[v] = i;
    return i;
  };

  /** entryOfNewKey adds a key missing from the pool, buf[at, at + len) (hash h), and gives its entry, or reports it: -1. */
  const entryOfNewKey = (buf: Buffer, lineStart: number, at: number, len: number, h: number, line: number): number => {
    const key = buf.toString('latin1', at, at + len);
    const problem = nodeProblem(key);
    if (problem !== undefined) {
      addError(line, columnOf(buf.toString('latin1', lineStart, at + len), at - lineStart + problem.at), problem.message);
      return -1;
    }
    return poolAdd(buf, at, len, h, sharedNode(key));
  };

  /**
   * scanBytes parses whole-file bytes. A line of printable ASCII with one space is matched against
   * the nodes by a hash of its bytes; any other line is decoded as UTF-8 and read by parseLine, so
   * errors and odd spacing behave exactly as for text.
   *
   * The line's end is found by the same loop that hashes its fields (no search per line), and a
   * source equal to the previous line's source, the usual case since `go mod graph` prints the
   * edges of one node together, is recognised by comparing its bytes, without hash or lookup. A
   * key is looked up once, in the pool of every graph's keys; the pool's stamp for it says whether
   * this graph has the node yet and its number.
   */
  const scanBytes = (bytes: Uint8Array) => {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const gen = nextGeneration();
    epochSeen = poolEpoch;
    const n = buf.length;
    const nodeOf = (v: number) => (poolStamp[v] === gen ? poolLocal[v]! : nodeOfEntry(v, gen));
    // The last source read by the fast path: its bytes buf[lastAt, lastAt + lastLen), its node and
    // its pool entry.
    let lastAt = 0;
    let lastLen = 0;
    let lastNode = -1;
    let lastEntry = -1;
    // The run being read line by line (see recordRun).
    const rec: RunReading = { from: -1, at: 0, end: 0, count: 0, replace: false, epoch: 0 };
    let a = 0;
    while (a < n) {
      const line = ++lineNo;
      // A line kept by the fast path ends (newline included) at most MAX_LINE bytes after a.
      const end = n - a > MAX_LINE ? a + MAX_LINE + 1 : n;
      let i = a;
      let sp = -1;
      let f = -1;
      let vf = -1;
      let found = -1;
      let differs = false;
      let h1 = 0;
      if (lastLen > 0 && a + lastLen < end && buf[a + lastLen] === 32 && sameBytes(buf, dv, a, buf, dv, lastAt, lastLen)) {
        sp = a + lastLen;
        f = lastNode;
        vf = lastEntry;
      }
      if (sp < 0) {
        // The source field, hashed up to the byte that ends it.
        i = hashWord(buf, dv, a, end, POOL_SEED);
        h1 = wordHash;
        if (i > a && i < end && buf[i] === 32) {
          sp = i;
          // A source met before, whose run the file goes on with: the run is taken whole.
          if (runTotal > 0) {
            found = poolFind(buf, dv, a, sp - a, h1);
            let r = found >= 0 ? runOf[found]! - 1 : -1;
            if (r >= 0) {
              // The run read line by line before this line ends here. Keeping it can start the runs
              // again (recordRun clears them when they fill their bytes), so this source's run is
              // looked up after: one cleared would be taken with no edges, its lines skipped.
              flushRun(buf, rec);
              r = runOf[found]! - 1;
            }
            if (r >= 0) {
              const len = runLen[r]!;
              const at = runAt[r]!;
              if (a + len <= n && buf.compare(runBytes, at, at + len, a, a + len) === 0) {
                f = nodeOf(found);
                if (main < 0 && nodes[f]!.version === '') main = f;
                lineNo += addRun(f, r, line, gen) - 1;
                lastAt = a;
                lastLen = sp - a;
                lastNode = f;
                lastEntry = found;
                a += len;
                continue;
              }
              differs = true;
            }
          }
        }
      }
      if (sp >= 0) {
        i = hashWord(buf, dv, sp + 1, end, POOL_SEED);
        const h2 = wordHash;
        const b = i;
        let nl = -1;
        if (i === end) {
          if (end === n) nl = n;
        } else {
          const c = buf[i]!;
          if (c === 10) nl = i;
          else if (c === 13) {
            if (i + 1 === n) nl = n;
            else if (buf[i + 1] === 10) nl = i + 1;
          }
        }
        if (nl - a > MAX_LINE) nl = -1;
        if (nl >= 0 && b > sp + 1) {
          if (f < 0) {
            vf = found >= 0 ? found : poolFind(buf, dv, a, sp - a, h1);
            if (vf < 0) vf = entryOfNewKey(buf, a, a, sp - a, h1, line);
            f = vf < 0 ? -1 : nodeOf(vf);
            if (f >= 0) {
              lastAt = a;
              lastLen = sp - a;
              lastNode = f;
              lastEntry = vf;
            }
          }
          let vt = -1;
          if (f >= 0) {
            vt = poolFind(buf, dv, sp + 1, b - sp - 1, h2);
            if (vt < 0) vt = entryOfNewKey(buf, a, sp + 1, b - sp - 1, h2, line);
          }
          if (vt >= 0) {
            if (main < 0 && nodes[f]!.version === '') main = f;
            addEdge(f, nodeOf(vt), line);
            // The line goes on the run of its source, or starts one; a line without LF ends runs.
            if (nl < n && buf[nl] === 10) readRunLine(buf, rec, vf, vt, a, nl + 1, differs);
            else flushRun(buf, rec);
          } else {
            flushRun(buf, rec);
          }
          a = nl + 1;
          continue;
        }
      }
      // Anything else: no LF lies in [a, i), so the line ends at the next one from i.
      flushRun(buf, rec);
      let nl = buf.indexOf(10, i);
      if (nl < 0) nl = n;
      if (nl - a > MAX_LINE && (nl - a > 4 * MAX_LINE || buf.toString('utf8', a, nl).length > MAX_LINE)) {
        addError(line, 1, `graph line longer than ${MAX_LINE} characters: skipped`);
      } else {
        const text = buf.toString('utf8', a, nl);
        parseLine(text, 0, text.length, line);
      }
      a = nl + 1;
    }
    flushRun(buf, rec);
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
        const printable = !NOT_PRINTABLE.test(chunk);
        // The searches for spaces (spaceFrom) are of this chunk.
        spaceAt = -2;
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
              parseLine(chunk, start, nl, lineNo, printable);
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
      // Usually edge i is on line i + 1 (no blank or malformed lines): then no line list is kept,
      // a third of a graph's memory.
      let numbered = true;
      for (let i = 0; i < edgeCount; i++) {
        if (lines[i] !== i + 1) {
          numbered = false;
          break;
        }
      }
      ended = {
        file, nodes,
        // A graph has a few hundred nodes: its edges fit in 16 bits each, half the memory.
        edges: nodes.length <= 0x10000 ? new Uint16Array(edges.subarray(0, edgeCount * 2)) : edges.slice(0, edgeCount * 2),
        ...(numbered ? {} : { edgeLines: lines.slice(0, edgeCount) }),
        errors, main,
      };
      if (withIndex) {
        syncIndex();
        ended.index = index;
      }
      // The working arrays go to the next parser (a check reads a graph per module); they are
      // not used again here, as nothing is read after the end.
      if (spareArrays.length < MAX_SPARE && edges.length <= MAX_SPARE_LENGTH) spareArrays.push({ edges, lines });
      edges = lines = EMPTY;
      return ended;
    },
  };
}

const FIELD = /\S+/g;
/** A character a printable line of a graph does not have (see parseLine). */
const NOT_PRINTABLE = /[^\x20-\x7e\n]/;

/** nodeProblem says why a graph node key is malformed and at which of its indexes, or undefined when it is not. */
function nodeProblem(key: string): { at: number; message: string } | undefined {
  const sign = key.indexOf('@');
  if (sign === 0) return { at: 0, message: `malformed graph node ${quote(key)}: empty module path before "@"` };
  if (sign < 0) return undefined;
  if (sign === key.length - 1) return { at: 0, message: `malformed graph node ${quote(key)}: empty version after "@"` };
  if (key.indexOf('@', sign + 1) >= 0) return { at: 0, message: `malformed graph node ${quote(key)}: more than one "@"` };
  const path = key.slice(0, sign);
  const c = key.charCodeAt(sign + 1);
  if (path === 'go') return c >= 48 && c <= 57 ? undefined : { at: sign + 1, message: `malformed graph node ${quote(key)}: want go@1.N` };
  if (path === 'toolchain') return undefined;
  if (c !== 118 /* v */) return { at: sign + 1, message: `malformed graph node ${quote(key)}: version must start with "v"` };
  return undefined;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? s.slice(0, 77) + '...' : s);
}
