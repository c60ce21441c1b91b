// Generators and invariants for fuzzing modguard: go.mod, go.work, go.sum, `go mod graph`,
// anchor.lock and modguard.json contents from plausible to hostile (garbage, NUL bytes, invalid
// UTF-8, CRLF, BOM, deep nesting, megabyte lines), whole repositories made of them, and the checks
// every run must pass: nothing thrown, every position inside its file.
import fc from 'fast-check';
import { parseModFile, parseWorkFile } from '../../src/gomod/index.ts';
import { parseGoSum, parseGoSumBytes } from '../../src/gosum/parse.ts';
import { SumTable } from '../../src/gosum/table.ts';
import { edgeLinesOf, nodeKey, parseModGraph, parseModGraphBytes, setCacheLimits } from '../../src/graph/parse.ts';
import { parseAnchorLock } from '../../anchors/lock.ts';
import { parseConfig } from '../../src/engine/config.ts';
import { assembleRepository, emptyConfig } from '../../src/engine/assemble.ts';
import { check } from '../../src/engine/run.ts';
import { reporters, FORMAT_NAMES } from '../../src/reporters/index.ts';
import { rules } from '../../rules/index.ts';
import type { Config, ParseError, Repository, CheckResult, GoSum, ModGraph } from '../../src/engine/types.ts';

/** Content is a file's content: text, or raw bytes (possibly invalid UTF-8) as written to disk. */
export type Content = string | Uint8Array;

export interface RepoCase {
  /** Files by path relative to the root, POSIX. */
  files: Array<[string, Content]>;
  /** Graph file name beside each go.mod, when graphs are part of the case. */
  graphFile?: string;
}

export type ParserTarget = 'gomod' | 'gowork' | 'gosum' | 'graph' | 'anchors' | 'config';
export type Target = ParserTarget | 'repo';
export const TARGETS: readonly Target[] = ['gomod', 'gowork', 'gosum', 'graph', 'anchors', 'config', 'repo'];

export interface SizeOptions {
  /** Weight (out of 1000) of a file carrying a megabyte line; keep it small for long runs. */
  hugeLineWeight?: number;
  /** Length of a huge line (default 1 MB). */
  hugeLineLength?: number;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const MODULE_PATHS = [
  'example.com/a', 'example.com/a/v2', 'example.com/b', 'example.com/shop/svc/a', 'golang.org/x/net',
  'golang.org/x/text', 'gopkg.in/yaml.v3', 'github.com/Org/Repo', 'example.com/with space', '-leading',
  'ü.example/ñandú', 'example.com/a/../b', 'example.com/x/v0', 'example.com/x/v1', 'toolchain', 'go', 'std',
  'EXAMPLE.COM/A', 'a', '', 'example.com/' + 'long/'.repeat(50) + 'path',
];
const VERSIONS = [
  'v1.2.3', 'v1.2.4', 'v0.24.0', 'v0.23.0', 'v2.0.0', 'v2.0.0+incompatible', 'v0.0.0-20200101000000-abcdefabcdef',
  'v1.2.4-0.20200101000000-abcdefabcdef', 'v1.2', 'v1', 'v1.2.3-pre.1', 'v1.2.3+meta', 'latest', '1.2.3', 'v',
  'v99999999999999999999.0.0', 'v1.2.3/go.mod', 'v0.0.0', 'master', 'v1.-1.0',
];
const GO_VERSIONS = ['1.22', '1.21.0', '1.22rc1', '1', '1.23.4', 'go1.22', '1.9999999999999999999', '2', '1.22.', ''];
const DIR_TARGETS = ['./x', '../a', '../b', '..', '.', '../../..', '../../../../etc', '/etc', '/etc/passwd', 'C:\\x', '.\\y', './a b', '/'];
const RULE_IDS = rules.map((r) => r.meta.id);
const VERBS = ['module', 'go', 'toolchain', 'godebug', 'require', 'exclude', 'replace', 'retract', 'tool', 'ignore', 'use', 'anchor', 'allow-replace', 'ban'];
const SPECIAL = [
  '(', ')', '=>', '//', '// indirect', '// Deprecated: gone', '"', '`', '"quoted path"', '`raw`', '"\\x00"', '"\\u00e9"',
  '\u0000', '\uFEFF', '\uFFFD', '\uD800', '\uDC00', '\u2028', '\u00e9', '😀', '\t', '[', ']', '[v1.0.0, v1.1.0]', ',',
  '// modguard:ignore', '@', 'h1:', '=', '\\', '/*', '*/', '\u001b[31m', '%s', '{{message}}', '__proto__', 'constructor',
];
const SEPARATORS = [' ', ' ', ' ', '\t', '  ', '\u00a0', '\v', '\f', '\u3000'];
const NEWLINES = ['\n', '\n', '\n', '\r\n', '\r'];

// Characters from the whole range, lone surrogates included, biased to ASCII. (Built here rather than
// with `unit: 'binary'`, whose reverse mapping costs seconds to build.)
const anyChar = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
);
const garbage = (maxLength: number) => fc.array(anyChar, { maxLength }).map((cs) => cs.join(''));

const pick = <T>(list: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...list);
const path = pick(MODULE_PATHS);
const version = pick(VERSIONS);
const sep = pick(SEPARATORS);

const h1Hash = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `h1:${Buffer.from(b).toString('base64')}`);
const hash = fc.oneof(
  { weight: 6, arbitrary: h1Hash },
  { weight: 1, arbitrary: fc.constantFrom('h1:short', 'h2:abc=', 'h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=', 'xyz', 'h1:' + '=' .repeat(44)) },
);

/** soupLine is a line of words from every file format's vocabulary, in any order. */
const soupToken = fc.oneof(
  { weight: 3, arbitrary: pick(VERBS) },
  { weight: 3, arbitrary: path },
  { weight: 3, arbitrary: version },
  { weight: 1, arbitrary: pick(GO_VERSIONS) },
  { weight: 1, arbitrary: pick(DIR_TARGETS) },
  { weight: 2, arbitrary: pick(SPECIAL) },
  { weight: 1, arbitrary: pick(RULE_IDS) },
  { weight: 1, arbitrary: garbage(12) },
);
const soupLine = fc.array(fc.tuple(soupToken, sep), { maxLength: 8 }).map((ws) => ws.map(([w, s]) => w + s).join('').trimEnd());

const suppression = fc.tuple(pick([...RULE_IDS, 'no-such-rule', '']), fc.constantFrom('', 'reason', 'why not'),
  fc.constantFrom('', 'until=2020-01-01', 'until=2999-12-31', 'until=2026-13-45', 'until=x'))
  .map(([r, why, until]) => `// modguard:ignore ${r} ${why} ${until}`.trimEnd());

const requireLine = fc.tuple(path, version, fc.constantFrom('', ' // indirect'), fc.option(suppression, { nil: undefined }))
  .map(([p, v, ind, s]) => `${p} ${v}${ind}${s ? ' ' + s : ''}`);
const replaceLine = fc.oneof(
  fc.tuple(path, pick(DIR_TARGETS)).map(([p, d]) => `${p} => ${d}`),
  fc.tuple(path, version, path, version).map(([a, av, b, bv]) => `${a} ${av} => ${b} ${bv}`),
  fc.tuple(path, path, version).map(([a, b, bv]) => `${a} => ${b} ${bv}`),
);

function block(verb: string, lines: fc.Arbitrary<string>, max = 6): fc.Arbitrary<string[]> {
  return fc.oneof(
    fc.array(lines, { maxLength: max }).map((ls) => ls.map((l) => `${verb} ${l}`)),
    fc.array(lines, { maxLength: max }).map((ls) => [`${verb} (`, ...ls.map((l) => `\t${l}`), ')']),
  );
}

const goModLines: fc.Arbitrary<string[]> = fc.tuple(
  fc.option(path.map((p) => `module ${p}`), { nil: undefined }),
  fc.option(pick(GO_VERSIONS).map((v) => `go ${v}`), { nil: undefined }),
  fc.option(fc.constantFrom('toolchain go1.22.1', 'toolchain default', 'toolchain 1.22'), { nil: undefined }),
  block('require', requireLine),
  block('replace', replaceLine, 3),
  block('exclude', fc.tuple(path, version).map(([p, v]) => `${p} ${v}`), 2),
  block('retract', fc.constantFrom('v1.0.0', '[v1.0.0, v1.1.0]', 'v1.0.0 // bad', '[v1.1.0, v1.0.0]'), 2),
  fc.array(soupLine, { maxLength: 3 }),
).map(([m, g, t, req, rep, exc, ret, soup]) => [
  ...(m ? [m] : []), ...(g ? [g] : []), ...(t ? [t] : []), ...req, ...rep, ...exc, ...ret, ...soup,
]);

const goWorkLines: fc.Arbitrary<string[]> = fc.tuple(
  fc.option(pick(GO_VERSIONS).map((v) => `go ${v}`), { nil: undefined }),
  block('use', pick(DIR_TARGETS), 4),
  block('replace', replaceLine, 2),
  fc.array(soupLine, { maxLength: 3 }),
).map(([g, use, rep, soup]) => [...(g ? [g] : []), ...use, ...rep, ...soup]);

const goSumLines: fc.Arbitrary<string[]> = fc.array(fc.oneof(
  { weight: 8, arbitrary: fc.tuple(path, version, fc.boolean(), hash).map(([p, v, m, h]) => `${p} ${v}${m ? '/go.mod' : ''} ${h}`) },
  { weight: 1, arbitrary: soupLine },
  { weight: 1, arbitrary: fc.constant('') },
), { maxLength: 12 });

const graphNode = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(path, version).map(([p, v]) => `${p}@${v}`) },
  { weight: 2, arbitrary: path },
  { weight: 1, arbitrary: fc.constantFrom('go@1.22', 'toolchain@go1.22.1', 'go@x', '@v1.0.0', 'a@', 'a@b@c', 'a@1.0.0') },
);
// Runs: the edges of one module version one after another, as `go mod graph` prints them, drawn
// from a few sources and targets, so that an input prints runs earlier inputs printed (the graph
// reader of bytes takes those whole).
const graphRun = fc.tuple(
  fc.constantFrom('corp.example.com/m', 'a.com/x@v1.0.0', 'b.com/y@v2.1.0', 'c.com/z@v0.0.0-20240101000000-abcdefabcdef'),
  fc.array(fc.constantFrom('go@1.22', 'a.com/x@v1.0.0', 'd.com/w@v1.2.0', 'e.com/q@v0.1.0', 'b.com/y@v2.1.0'), { minLength: 2, maxLength: 4 }),
).map(([from, tos]) => tos.map((to) => `${from} ${to}`));
const graphLines: fc.Arbitrary<string[]> = fc.array(fc.oneof(
  { weight: 8, arbitrary: fc.tuple(graphNode, graphNode).map(([a, b]) => [`${a} ${b}`]) },
  { weight: 6, arbitrary: graphRun },
  { weight: 1, arbitrary: soupLine.map((l) => [l]) },
), { maxLength: 12 }).map((parts) => parts.flat());

const anchorLines: fc.Arbitrary<string[]> = fc.tuple(
  fc.option(pick(GO_VERSIONS).map((v) => `go ${v}`), { nil: undefined }),
  block('anchor', fc.tuple(path, version, fc.constantFrom('', ' // pinned')).map(([p, v, c]) => `${p} ${v}${c}`), 5),
  block('allow-replace', fc.oneof(path, replaceLine), 2),
  block('ban', fc.tuple(path, fc.option(version, { nil: '' }), fc.constantFrom('', ' // CVE')).map(([p, v, c]) => `${p} ${v}${c}`.replace(/\s+$/, '')), 2),
  fc.array(soupLine, { maxLength: 3 }),
).map(([g, a, ar, b, soup]) => [...(g ? [g] : []), ...a, ...ar, ...b, ...soup]);

const severity = fc.constantFrom('error', 'warning', 'info', 'off', 'fatal', '', 'ERROR');
const configValue = fc.oneof(
  { weight: 4, arbitrary: fc.record({
    rules: fc.dictionary(pick([...RULE_IDS, 'no-such-rule']), fc.oneof(severity,
      fc.record({ severity, options: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 })) }, { requiredKeys: [] })), { maxKeys: 4 }),
    ignore: fc.array(fc.oneof(pick(['a', 'a/**', 'svc/*', '**', '../x', '/etc', '-lead', '[', '\u0000'])), { maxLength: 3 }),
  }, { requiredKeys: [] }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 1, arbitrary: garbage(60) },
  { weight: 1, arbitrary: fc.constantFrom('{"rules":{"__proto__":"off"}}', '{"constructor":{}}', '{"ignore":"x"}', '[]', 'null', '{', '\uFEFF{}', '{"rules":' + '['.repeat(5000) + ']'.repeat(5000) + '}') },
);

// ---------------------------------------------------------------------------------------------
// Hostile layouts of a file: garbage, NUL bytes, invalid UTF-8, CRLF, BOM, nesting, huge lines

function hostileText(lines: fc.Arbitrary<string[]>, size: SizeOptions): fc.Arbitrary<Content> {
  const hugeWeight = size.hugeLineWeight ?? 10;
  const hugeLength = size.hugeLineLength ?? 1024 * 1024;
  const joined = fc.tuple(lines, pick(NEWLINES), fc.boolean(), fc.nat({ max: 9 }))
    .map(([ls, nl, bom, tail]) => (bom && tail < 2 ? '\uFEFF' : '') + ls.join(nl) + (tail < 7 ? nl : ''));
  const nested = fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.constantFrom('require (\n', '(\n', 'require (', '((', 'replace (\n\trequire (\n'), lines)
    .map(([depth, opener, ls]) => opener.repeat(depth) + ls.join('\n') + ')\n'.repeat(depth >> 1));
  const withNul = fc.tuple(lines, fc.nat({ max: 20 })).map(([ls, at]) => {
    const s = ls.join('\n');
    const i = Math.min(at, s.length);
    return s.slice(0, i) + '\u0000\u0000' + s.slice(i);
  });
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.tuple(lines, fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat({ max: 100 })).map(([ls, bad, at]) => {
      const good = Buffer.from(ls.join('\n'));
      const i = Math.min(at, good.length);
      // 0xC3 0x28, 0xED 0xA0 0x80 (an encoded surrogate), 0xFF: none valid UTF-8.
      return Buffer.concat([good.subarray(0, i), Buffer.from([0xc3, 0x28, 0xed, 0xa0, 0x80, 0xff]), Buffer.from(bad), good.subarray(i)]);
    }),
  ).map((b) => new Uint8Array(b));
  const huge = fc.tuple(lines, fc.constantFrom('x', 'require ', 'a@v1.0.0 ', '(', '\u00e9', ' ', '\u0000', 'example.com/a v1.2.3 h1:'), fc.nat({ max: 3 }))
    .map(([ls, unit, where]) => {
      const big = unit.repeat(Math.ceil(hugeLength / unit.length));
      const out = [...ls];
      out.splice(Math.min(where, out.length), 0, big);
      return out.join('\n');
    });
  return fc.oneof(
    { weight: 700, arbitrary: joined },
    { weight: 60, arbitrary: garbage(400) },
    { weight: 15, arbitrary: nested },
    { weight: 40, arbitrary: withNul },
    { weight: 60, arbitrary: bytes },
    ...(hugeWeight > 0 ? [{ weight: hugeWeight, arbitrary: huge }] : []),
  );
}

/** contentArb returns the generator of one file format's contents. */
export function contentArb(target: ParserTarget, size: SizeOptions = {}): fc.Arbitrary<Content> {
  switch (target) {
    case 'gomod': return hostileText(goModLines, size);
    case 'gowork': return hostileText(goWorkLines, size);
    case 'gosum': return hostileText(goSumLines, size);
    case 'graph': return hostileText(graphLines, size);
    case 'anchors': return hostileText(anchorLines, size);
    case 'config': return fc.oneof({ weight: 9, arbitrary: configValue }, { weight: 1, arbitrary: hostileText(fc.array(soupLine, { maxLength: 4 }), size) });
  }
}

/** Module directories: nested, with spaces, unicode, a leading dash, a skipped name. */
export const MODULE_DIRS = ['.', 'a', 'a/b', 'b', 'svc/x y', 'ünï/ç', '-lead', 'vendor/v', 'go.mod.d'];

/** repoArb returns the generator of whole repositories. */
export function repoArb(size: SizeOptions = {}): fc.Arbitrary<RepoCase> {
  const moduleArb = fc.record({
    goMod: contentArb('gomod', size),
    goSum: fc.option(contentArb('gosum', size), { nil: undefined, freq: 2 }),
    graph: fc.option(contentArb('graph', size), { nil: undefined, freq: 2 }),
  });
  return fc.record({
    modules: fc.uniqueArray(fc.tuple(pick(MODULE_DIRS), moduleArb), { minLength: 0, maxLength: 4, selector: ([d]) => d }),
    work: fc.option(contentArb('gowork', size), { nil: undefined, freq: 3 }),
    workSum: fc.option(contentArb('gosum', size), { nil: undefined, freq: 3 }),
    anchors: fc.option(contentArb('anchors', size), { nil: undefined, freq: 4 }),
    config: fc.option(contentArb('config', size), { nil: undefined, freq: 3 }),
    withGraph: fc.boolean(),
  }).map((r) => {
    const files: Array<[string, Content]> = [];
    const at = (dir: string, name: string) => (dir === '.' ? name : `${dir}/${name}`);
    for (const [dir, m] of r.modules) {
      files.push([at(dir, 'go.mod'), m.goMod]);
      if (m.goSum !== undefined) files.push([at(dir, 'go.sum'), m.goSum]);
      if (m.graph !== undefined && r.withGraph) files.push([at(dir, 'graph.txt'), m.graph]);
    }
    if (r.work !== undefined) files.push(['go.work', r.work]);
    // Read only beside a go.work, as the go command reads it; generated alone too.
    if (r.workSum !== undefined) files.push(['go.work.sum', r.workSum]);
    if (r.anchors !== undefined) files.push(['anchor.lock', r.anchors]);
    if (r.config !== undefined) files.push(['modguard.json', r.config]);
    return r.withGraph ? { files, graphFile: 'graph.txt' } : { files };
  });
}

// ---------------------------------------------------------------------------------------------
// Invariants

/** asText decodes content as the loader does (`readFile(..., 'utf8')`: invalid bytes become U+FFFD). */
export function asText(content: Content): string {
  return typeof content === 'string' ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
}

/** LineTable answers "is this line/column inside the file" in the parsers' terms. */
export class LineTable {
  /** Length of each line in code points (a lone surrogate counts as one), lines split at `\n`. */
  private readonly lengths: number[] = [];
  constructor(text: string) {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) { this.lengths.push(n); n = 0; continue; }
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      n++;
    }
    this.lengths.push(n);
  }
  get lineCount(): number { return this.lengths.length; }
  lineLength(line: number): number { return this.lengths[line - 1] ?? -1; }
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n);
}

/**
 * positionProblem says what is wrong with a reported position in a file of `table` ('' when fine).
 * Lines and columns are 1-based; `allowUnknownColumn` admits column 0 (ParseError's "unknown").
 */
export function positionProblem(table: LineTable, line: unknown, column: unknown, allowUnknownColumn: boolean): string {
  if (!isCount(line) || !isCount(column)) return `non-integer position ${String(line)}:${String(column)}`;
  if (line < 1) return `line ${line} < 1`;
  if (column < (allowUnknownColumn ? 0 : 1)) return `column ${column} < ${allowUnknownColumn ? 0 : 1}`;
  if (line > table.lineCount) return `line ${line} > ${table.lineCount} lines`;
  const len = table.lineLength(line);
  if (column > len + 1) return `column ${column} > line length ${len} + 1`;
  return '';
}

function clip(s: string, n = 160): string {
  return s.length > n ? `${s.slice(0, n)}...` : s;
}

/** errorProblems checks parse errors against the texts of their files. */
function errorProblems(errors: readonly ParseError[], tables: (file: string) => LineTable | undefined, where: string): string[] {
  const out: string[] = [];
  for (const e of errors) {
    if (typeof e.message !== 'string' || e.message === '') out.push(`${where}: error without a message at ${e.file}`);
    const t = tables(e.file);
    if (!t) continue;
    const p = positionProblem(t, e.line, e.column, true);
    if (p) out.push(`${where}: ${e.file}:${e.line}:${e.column}: ${p} (${clip(e.message)})`);
  }
  return out;
}

function tableCache(texts: Map<string, string>): (file: string) => LineTable | undefined {
  const cache = new Map<string, LineTable>();
  return (file) => {
    let t = cache.get(file);
    if (t) return t;
    const text = texts.get(file);
    if (text === undefined) return undefined;
    t = new LineTable(text);
    cache.set(file, t);
    return t;
  };
}

/** bytesOf is content as the bytes of a file (text as UTF-8), and the text a loader decodes from them. */
function bytesOf(content: Content, text: string): { bytes: Buffer; decoded: string } {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  // Text with a lone surrogate is not the text of its UTF-8 bytes (the surrogate became U+FFFD).
  return { bytes, decoded: typeof content === 'string' && bytes.toString('utf8') !== text ? bytes.toString('utf8') : text };
}

// The readers a check uses on files (their bytes) keep state from one file to the next, as in a
// check: the graph reader's runs and key pool, the go.sum table. The inputs of one fuzz run are read
// one after another, so each is read after a long line of others; the graph reader's caches are
// made to start again every few inputs, and the go.sum tables are started again every 500 inputs.
const GRAPH_LIMITS = [{ runBytes: 1 << 25, poolBytes: 1 << 24 }, { runBytes: 256, poolBytes: 1 << 24 }, { runBytes: 4096, poolBytes: 512 }, { runBytes: 64, poolBytes: 128 }];
let graphInputs = 0;

/** graphBytesProblem says how the graph reader of bytes read an input differently from the text reader, if it did. */
function graphBytesProblem(content: Content, text: string, fromText: ModGraph): string | undefined {
  const { bytes, decoded } = bytesOf(content, text);
  const want = decoded === text ? fromText : parseModGraph(decoded, 'graph.txt');
  const before = setCacheLimits(GRAPH_LIMITS[graphInputs++ % GRAPH_LIMITS.length]!);
  let got: ModGraph;
  try {
    got = parseModGraphBytes(bytes, 'graph.txt');
  } finally {
    setCacheLimits(before);
  }
  const view = (g: ModGraph) => JSON.stringify({ nodes: g.nodes.map(nodeKey), edges: [...g.edges], lines: [...edgeLinesOf(g)], errors: g.errors, main: g.main });
  return view(got) === view(want) ? undefined : `graph: the bytes reader read ${clip(view(got))}, the text reader ${clip(view(want))}`;
}

let sumTables = { bytes: new SumTable(), text: new SumTable(), inputs: 0 };

/** sumBytesProblem says how the go.sum reader of bytes read an input (into a table other inputs filled) differently from the text reader, if it did. */
function sumBytesProblem(content: Content, text: string, fromText: GoSum): string | undefined {
  if (++sumTables.inputs > 500) sumTables = { bytes: new SumTable(), text: new SumTable(), inputs: 1 };
  const { bytes, decoded } = bytesOf(content, text);
  const want = decoded === text ? fromText : parseGoSum(decoded, 'go.sum');
  const got = parseGoSumBytes(bytes, 'go.sum', sumTables.bytes);
  const intoTable = parseGoSum(decoded, 'go.sum', sumTables.text);
  const view = (g: GoSum) => JSON.stringify({ entries: g.entries, errors: g.errors, warnings: g.warnings ?? [] });
  if (view(got) !== view(want)) return `gosum: the bytes reader read ${clip(view(got))}, the text reader ${clip(view(want))}`;
  if (view(intoTable) !== view(want)) return `gosum: the text reader into a table read ${clip(view(intoTable))}, alone ${clip(view(want))}`;
  if (sumTables.bytes.keys.length !== sumTables.text.keys.length || sumTables.bytes.keys.some((k, i) => sumTables.text.keys[i] !== k)) return 'gosum: the bytes reader added other keys to its table than the text reader';
  return undefined;
}

/** parserProblems runs one parser on one input and returns what went wrong (empty when nothing). */
export function parserProblems(target: ParserTarget, content: Content): string[] {
  const text = asText(content);
  const file = target === 'gomod' ? 'go.mod' : target === 'gowork' ? 'go.work' : target === 'gosum' ? 'go.sum'
    : target === 'graph' ? 'graph.txt' : target === 'anchors' ? 'anchor.lock' : 'modguard.json';
  const tables = tableCache(new Map([[file, text]]));
  try {
    switch (target) {
      case 'gomod': {
        const r = parseModFile(text, file);
        const lax = parseModFile(text, file, { lax: true });
        if (!r.ok && r.errors.length === 0) return ['gomod: not ok but no errors'];
        return [...errorProblems(r.errors, tables, 'gomod'), ...errorProblems(lax.errors, tables, 'gomod lax')];
      }
      case 'gowork': {
        const r = parseWorkFile(text, file);
        if (!r.ok && r.errors.length === 0) return ['gowork: not ok but no errors'];
        return errorProblems(r.errors, tables, 'gowork');
      }
      case 'gosum': {
        const s = parseGoSum(text, file);
        const out = [...errorProblems(s.errors, tables, 'gosum'), ...errorProblems(s.warnings ?? [], tables, 'gosum warning')];
        const t = tables(file)!;
        for (const e of s.entries) if (!isCount(e.line) || e.line < 1 || e.line > t.lineCount) out.push(`gosum: entry line ${e.line} outside 1..${t.lineCount}`);
        const bytes = sumBytesProblem(content, text, s);
        if (bytes) out.push(bytes);
        return out;
      }
      case 'graph': {
        const g = parseModGraph(text, file);
        const out = errorProblems(g.errors, tables, 'graph');
        const t = tables(file)!;
        const lines = g.edgeLines ?? [];
        for (let i = 0; i < lines.length; i++) if (lines[i]! < 1 || lines[i]! > t.lineCount) { out.push(`graph: edge line ${lines[i]} outside 1..${t.lineCount}`); break; }
        for (let i = 0; i < g.edges.length; i++) if (g.edges[i]! >= g.nodes.length) { out.push(`graph: edge to missing node ${g.edges[i]}`); break; }
        const bytes = graphBytesProblem(content, text, g);
        if (bytes) out.push(bytes);
        return out;
      }
      case 'anchors': {
        const l = parseAnchorLock(text, file);
        const out = errorProblems(l.errors, tables, 'anchors');
        const t = tables(file)!;
        for (const a of l.anchors.values()) {
          const p = positionProblem(t, a.line, a.column, false);
          if (p) out.push(`anchors: anchor ${a.path} at ${a.line}:${a.column}: ${p}`);
        }
        for (const b of [...l.bans, ...l.allowReplace]) {
          const p = positionProblem(t, b.line, b.column, false);
          if (p) out.push(`anchors: entry ${b.path} at ${b.line}:${b.column}: ${p}`);
        }
        return out;
      }
      case 'config': {
        try {
          parseConfig(text, file);
        } catch (err) {
          if ((err as Error)?.name !== 'UsageError') return [`config: ${String((err as Error)?.stack ?? err)}`];
          const message = (err as Error).message;
          if (!message.startsWith(file)) return [`config: usage error not naming the file: ${clip(message)}`];
        }
        return [];
      }
    }
  } catch (err) {
    return [`${target}: exception escaped: ${String((err as Error)?.stack ?? err)}`];
  }
}

/** configFor parses a case's modguard.json as the loader would: undefined without one, 'invalid' for a usage error. */
function configFor(text: string | undefined): Config | undefined | 'invalid' {
  if (text === undefined) return undefined;
  try {
    return parseConfig(text, 'modguard.json');
  } catch (err) {
    if ((err as Error)?.name === 'UsageError') return 'invalid';
    throw err;
  }
}

export interface RepoOutcome {
  problems: string[];
  /** Set when the configuration was rejected (the CLI then exits 2 with a one-line message). */
  configRejected?: boolean;
  result?: CheckResult;
  repo?: Repository;
}

/** resultProblems checks a check result's findings against the file texts. */
export function resultProblems(result: CheckResult, texts: Map<string, string>): string[] {
  const out: string[] = [];
  const tables = tableCache(texts);
  for (const f of result.findings) {
    if (typeof f.message !== 'string' || typeof f.file !== 'string') { out.push(`finding of ${f.rule} without message or file`); continue; }
    if (f.messageId === 'internal-error') out.push(`rule ${f.rule} crashed: ${clip(f.message, 400)}`);
    const t = tables(f.file);
    if (!t) {
      if (!isCount(f.line) || !isCount(f.column) || f.line < 1 || f.column < 1) out.push(`finding ${f.rule} ${f.file}:${f.line}:${f.column}: bad position`);
      continue;
    }
    const p = positionProblem(t, f.line, f.column, false);
    if (p) out.push(`finding ${f.rule}/${f.messageId} ${f.file}:${f.line}:${f.column}: ${p} (${clip(f.message)})`);
  }
  return out;
}

/**
 * repoProblems assembles a repository from a case in memory, checks it, renders every output format
 * and returns what went wrong: an exception escaping, a rule crashing, a position outside its file.
 */
export function repoProblems(c: RepoCase, opts: { reporters?: boolean; today?: string } = {}): RepoOutcome {
  const texts = new Map<string, string>();
  for (const [f, content] of c.files) texts.set(f, asText(content));
  let config: Config | undefined | 'invalid';
  try {
    config = configFor(texts.get('modguard.json'));
  } catch (err) {
    return { problems: [`parseConfig threw a non-usage error: ${String((err as Error)?.stack ?? err)}`] };
  }
  if (config === 'invalid') return { problems: [], configRejected: true };
  const files = new Map([...texts].filter(([f]) => f !== 'modguard.json'));
  let repo: Repository;
  let result: CheckResult;
  try {
    repo = assembleRepository({ root: '/repo', files, config: config ?? emptyConfig(), ...(c.graphFile ? { graphFile: c.graphFile } : {}) });
  } catch (err) {
    return { problems: [`assembleRepository threw: ${String((err as Error)?.stack ?? err)}`] };
  }
  try {
    result = check(repo, { today: opts.today ?? '2026-06-01' });
  } catch (err) {
    return { problems: [`check threw: ${String((err as Error)?.stack ?? err)}`], repo };
  }
  const problems: string[] = [];
  const tables = tableCache(texts);
  for (const m of repo.modules) {
    problems.push(...errorProblems(m.errors, tables, 'go.mod'));
    if (m.sum) problems.push(...errorProblems(m.sum.errors, tables, 'go.sum'));
    if (m.graph) problems.push(...errorProblems(m.graph.errors, tables, 'graph'));
  }
  for (const w of repo.workFiles) {
    problems.push(...errorProblems(w.errors, tables, 'go.work'));
    if (w.sum) problems.push(...errorProblems(w.sum.errors, tables, 'go.work.sum'));
  }
  if (repo.anchors) problems.push(...errorProblems(repo.anchors.errors, tables, 'anchor.lock'));
  problems.push(...resultProblems(result, texts));
  if (opts.reporters !== false) {
    const metas = rules.map((r) => r.meta);
    for (const name of FORMAT_NAMES) {
      try {
        const out = reporters[name](result, { color: name === 'text', rules: metas, root: '/repo' });
        if (typeof out !== 'string') problems.push(`reporter ${name} returned ${typeof out}`);
        if (name === 'json' || name === 'sarif') JSON.parse(out);
      } catch (err) {
        problems.push(`reporter ${name} threw: ${String((err as Error)?.stack ?? err)}`);
      }
    }
  }
  return { problems, result, repo };
}

/** serializeCase writes a case for a counterexample file: file names and contents, bytes as base64. */
export function serializeCase(target: Target, value: Content | RepoCase): string {
  const enc = (c: Content) => (typeof c === 'string' ? { text: c } : { base64: Buffer.from(c).toString('base64') });
  if (target === 'repo') {
    const r = value as RepoCase;
    return JSON.stringify({ target, graphFile: r.graphFile, files: r.files.map(([f, c]) => ({ file: f, ...enc(c) })) }, null, 2);
  }
  return JSON.stringify({ target, ...enc(value as Content) }, null, 2);
}

/** deserializeCase reads what serializeCase wrote (to replay a counterexample). */
export function deserializeCase(json: string): { target: Target; value: Content | RepoCase } {
  const o = JSON.parse(json) as { target: Target; text?: string; base64?: string; graphFile?: string; files?: Array<{ file: string; text?: string; base64?: string }> };
  const dec = (x: { text?: string; base64?: string }): Content => (x.text !== undefined ? x.text : new Uint8Array(Buffer.from(x.base64 ?? '', 'base64')));
  if (o.target === 'repo') {
    return { target: 'repo', value: { files: (o.files ?? []).map((f) => [f.file, dec(f)] as [string, Content]), ...(o.graphFile ? { graphFile: o.graphFile } : {}) } };
  }
  return { target: o.target, value: dec(o) };
}

/** arbFor returns the generator of a target. */
export function arbFor(target: Target, size: SizeOptions = {}): fc.Arbitrary<Content | RepoCase> {
  return target === 'repo' ? repoArb(size) : contentArb(target, size);
}

/** problemsFor runs the invariant checks of a target on one input. */
export function problemsFor(target: Target, value: Content | RepoCase): string[] {
  return target === 'repo' ? repoProblems(value as RepoCase).problems : parserProblems(target, value as Content);
}
