import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseModGraph, parseModGraphBytes, createModGraphParser, parseNodeKey, nodeKey, MAX_LINE, edgeLinesOf, setCacheLimits, graphCacheStats } from '../../src/graph/parse.ts';
import type { ModGraph } from '../../src/engine/types.ts';

/** edgeKeys lists a graph's edges as `from to` strings. */
export function edgeKeys(g: ModGraph): string[] {
  const out: string[] = [];
  for (let e = 0; e < g.edges.length; e += 2) out.push(`${nodeKey(g.nodes[g.edges[e]!]!)} ${nodeKey(g.nodes[g.edges[e + 1]!]!)}`);
  return out;
}

const SAMPLE = [
  'example.com/main go@1.22',
  'example.com/main toolchain@go1.22.3',
  'example.com/main github.com/a/b@v1.2.0',
  'example.com/main golang.org/x/net@v0.24.0',
  'github.com/a/b@v1.2.0 golang.org/x/net@v0.20.0',
  'github.com/a/b@v1.2.0 go@1.21',
  'golang.org/x/net@v0.24.0 golang.org/x/text@v0.14.0',
  '',
].join('\n');

describe('parseModGraph', () => {
  it('interns nodes, keeps edges in order with their lines, and finds the main module', () => {
    const g = parseModGraph(SAMPLE, 'svc/graph.txt');
    assert.deepEqual(g.errors, []);
    assert.equal(g.edges.length, 14);
    assert.ok(g.edges instanceof Uint16Array);
    assert.deepEqual(edgeKeys(g), SAMPLE.trim().split('\n'));
    assert.deepEqual([...edgeLinesOf(g)], [1, 2, 3, 4, 5, 6, 7]);
    // Edge i on line i + 1 throughout: no line list is kept.
    assert.equal(g.edgeLines, undefined);
    assert.equal(g.nodes.length, 8);
    assert.deepEqual(g.nodes[g.main!], { path: 'example.com/main', version: '' });
    assert.equal(g.index!.get('github.com/a/b@v1.2.0'), 3);
  });

  it('marks go and toolchain pseudo-nodes', () => {
    assert.deepEqual(parseNodeKey('go@1.22'), { path: 'go', version: '1.22', kind: 'go' });
    assert.deepEqual(parseNodeKey('toolchain@go1.22.3'), { path: 'toolchain', version: 'go1.22.3', kind: 'toolchain' });
    assert.deepEqual(parseNodeKey('example.com/m'), { path: 'example.com/m', version: '' });
    assert.deepEqual(parseNodeKey('gopkg.in/yaml.v3@v3.0.1'), { path: 'gopkg.in/yaml.v3', version: 'v3.0.1' });
  });

  it('gives the same graph whatever the chunking', () => {
    const whole = parseModGraph(SAMPLE, 'g');
    for (const size of [1, 2, 3, 7, 64]) {
      const p = createModGraphParser('g');
      for (let i = 0; i < SAMPLE.length; i += size) p.push(SAMPLE.slice(i, i + size));
      const g = p.end();
      assert.deepEqual(edgeKeys(g), edgeKeys(whole), `chunk size ${size}`);
      assert.deepEqual([...edgeLinesOf(g)], [...edgeLinesOf(whole)]);
    }
  });

  it('reads lines without a space between ones with spaces alike, in one chunk and in bytes', () => {
    // The search for a line's space is shared between lines (it runs past a line without one).
    const text = ['x', 'm a.com/x@v1.0.0', 'y', 'z', 'm a.com/y@v1.0.0', 'a.com/y@v1.0.0 a.com/z@v1.2.0', 'w', ''].join('\n');
    const fromText = parseModGraph(text, 'graph.txt');
    const fromBytes = parseModGraphBytes(new TextEncoder().encode(text), 'graph.txt');
    assert.deepEqual(edgeKeys(fromText), ['m a.com/x@v1.0.0', 'm a.com/y@v1.0.0', 'a.com/y@v1.0.0 a.com/z@v1.2.0']);
    assert.deepEqual(edgeKeys(fromBytes), edgeKeys(fromText));
    assert.deepEqual(fromText.errors.map((e) => e.line), [1, 3, 4, 7]);
    assert.deepEqual(fromBytes.errors.map((e) => [e.line, e.message]), fromText.errors.map((e) => [e.line, e.message]));
  });

  it('reports malformed lines with positions and keeps the good ones', () => {
    const text = [
      'm a.com/x@v1.0.0',
      'm',
      'm a.com/x@v1.0.0 extra',
      'm @v1.0.0',
      'm a.com/y@',
      'm a.com/y@1.0.0',
      '  m\ta.com/z@v1.0.0  ',
      'm a@b@v1',
      'm go@x',
    ].join('\r\n');
    const g = parseModGraph(text, 'graph.txt');
    assert.deepEqual(edgeKeys(g), ['m a.com/x@v1.0.0', 'm a.com/z@v1.0.0']);
    assert.deepEqual([...edgeLinesOf(g)], [1, 7]);
    assert.deepEqual([...g.edgeLines!], [1, 7]);
    assert.deepEqual(g.errors.map((e) => [e.line, e.column]), [[2, 1], [3, 1], [4, 3], [5, 3], [6, 11], [8, 3], [9, 6]]);
    assert.match(g.errors[0]!.message, /want two fields/);
    assert.match(g.errors[3]!.message, /empty version/);
    assert.match(g.errors[4]!.message, /must start with "v"/);
    assert.ok(g.errors.every((e) => e.file === 'graph.txt'));
  });

  it('skips an overlong line without keeping it in memory', () => {
    const p = createModGraphParser('g');
    p.push('m a.com/x@v1.0.0\n');
    const big = 'x'.repeat(MAX_LINE / 4);
    for (let i = 0; i < 10; i++) p.push(big);
    p.push('\nm a.com/y@v1.0.0\n');
    const g = p.end();
    assert.deepEqual(edgeKeys(g), ['m a.com/x@v1.0.0', 'm a.com/y@v1.0.0']);
    assert.deepEqual([...edgeLinesOf(g)], [1, 3]);
    assert.equal(g.errors.length, 1);
    assert.deepEqual([g.errors[0]!.line, g.errors[0]!.column], [2, 1]);
  });

  it('caps the error list of a garbage file', () => {
    const g = parseModGraph('bad\n'.repeat(5000), 'g');
    assert.equal(g.errors.length, 1001);
    assert.match(g.errors[1000]!.message, /4000 more malformed graph lines/);
  });

  it('grows its edge arrays past their first size', () => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) lines.push(`m a.com/m${i % 700}@v1.${i}.0`);
    const g = parseModGraph(lines.join('\n'), 'g');
    assert.equal(g.edges.length, 10000);
    assert.equal(edgeLinesOf(g)[4999], 5000);
    assert.equal(nodeKey(g.nodes[g.edges[9999]!]!), 'a.com/m99@v1.4999.0');
  });

  it('gives each graph its own edges when parsers follow each other or read at the same time', () => {
    const big = Array.from({ length: 3000 }, (_, i) => `m a.com/m${i % 300}@v1.${i}.0`).join('\n');
    const small = 'x y@v1.0.0\nx z@v1.0.0\n';
    const alone = [parseModGraph(big, 'big'), parseModGraph(small, 'small')].map(edgeKeys);
    // One after another: the second parser works in the first one's arrays, longer than its graph.
    const first = parseModGraph(big, 'big');
    const second = parseModGraph(small, 'small');
    assert.deepEqual([first, second].map(edgeKeys), alone);
    assert.equal(edgeLinesOf(second).length, 2);
    // Several at once, fed in turns, and a graph ended before the others start again.
    const parsers = [createModGraphParser('a'), createModGraphParser('b'), createModGraphParser('c')];
    const texts = [big, small, `${small}${big}\n`];
    for (let at = 0; at < big.length + small.length + 1; at += 997) texts.forEach((t, i) => parsers[i]!.push(t.slice(at, at + 997)));
    const ended = parsers.map((p) => p.end());
    const again = parseModGraph(big, 'big');
    assert.deepEqual(ended.map(edgeKeys), texts.map((t) => edgeKeys(parseModGraph(t, 't'))));
    assert.deepEqual(edgeKeys(again), alone[0]);
    // A graph handed out stays as it was while later ones are read.
    assert.deepEqual(edgeKeys(first), alone[0]);
  });

  it('keeps edges in 16 bits up to 65,536 nodes and in 32 bits past that', () => {
    const graphOf = (n: number) => parseModGraphBytes(Buffer.from(Array.from({ length: n - 1 }, (_, i) => `m a.com/x@v1.${i}.0\n`).join('')), 'g');
    const small = graphOf(0x10000);
    assert.equal(small.nodes.length, 0x10000);
    assert.ok(small.edges instanceof Uint16Array);
    assert.equal(nodeKey(small.nodes[small.edges[small.edges.length - 1]!]!), `a.com/x@v1.${0x10000 - 2}.0`);
    const large = graphOf(0x10001);
    assert.ok(large.edges instanceof Uint32Array);
    assert.equal(large.edges[large.edges.length - 1], 0x10000);
    assert.equal(nodeKey(large.nodes[0x10000]!), `a.com/x@v1.${0x10000 - 1}.0`);
  });

  describe('properties', () => {
    const lineArb = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom('m a.com/x@v1.0.0', 'a.com/x@v1.0.0 go@1.21', 'x@ y', '@ @', 'm toolchain@go1.22', '\u0000 \uDC00@v1'),
      fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([a, b]) => `${a} ${b}`),
    );
    const textArb = fc.oneof(fc.string({ maxLength: 400, unit: 'binary' }), fc.array(lineArb, { maxLength: 40 }).map((ls) => ls.join('\n')));

    it('never throws, positions lie inside the input, edges point at real lines', () => {
      fc.assert(fc.property(textArb, fc.integer({ min: 1, max: 50 }), (text, chunk) => {
        const p = createModGraphParser('g');
        for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk));
        const g = p.end();
        const lines = text.split('\n');
        for (const e of g.errors) {
          assert.ok(e.line >= 1 && e.line <= lines.length);
          const len = [...lines[e.line - 1]!].length;
          assert.ok(e.column >= 1 && e.column <= Math.max(len, 1), `column ${e.column} of ${len}`);
        }
        for (let i = 0; i < g.edges.length; i++) assert.ok(g.edges[i]! < g.nodes.length);
        for (const l of edgeLinesOf(g)) assert.ok(l >= 1 && l <= lines.length);
        assert.deepEqual(edgeKeys(g), edgeKeys(parseModGraph(text, 'g')));
      }), { numRuns: 2000 });
    });

    it('reads bytes exactly as it reads their UTF-8 text: nodes, edges, lines, errors', () => {
      const plain = (g: ModGraph) => ({ ...g, edges: [...g.edges], edgeLines: [...edgeLinesOf(g)], index: [...g.index!] });
      const bytesArb = fc.oneof(
        textArb.map((t) => Buffer.from(t, 'utf8')),
        fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
        fc.array(fc.constantFrom('m a@v1', 'a@v1 b@v2', 'a@v1 é@v2', '\r', '\n', '\r\n', ' ', '\t', '\u00ff', '@', 'go@x', 'x@'), { maxLength: 60 })
          .map((parts) => Buffer.from(parts.join(''), 'utf8')),
      );
      fc.assert(fc.property(bytesArb, (bytes) => {
        assert.deepEqual(plain(parseModGraphBytes(bytes, 'g')), plain(parseModGraph(bytes.toString('utf8'), 'g')));
      }), { numRuns: 3000 });
    });

    it('applies the line limit to bytes as to text, counting characters, not bytes', () => {
      const cases = [
        'x'.repeat(MAX_LINE) + '\nm a@v1\n',
        'm ' + 'y'.repeat(MAX_LINE - 2) + '\r\nm b@v1',
        'm ' + 'é'.repeat(MAX_LINE / 2) + '@v1\n',
        'm ' + 'é'.repeat(MAX_LINE - 10) + '@v1\n',
      ];
      for (const text of cases) {
        const g1 = parseModGraphBytes(Buffer.from(text, 'utf8'), 'g');
        const g2 = parseModGraph(text, 'g');
        assert.deepEqual(edgeKeys(g1), edgeKeys(g2));
        assert.deepEqual(g1.errors, g2.errors);
      }
    });

    it('reads any other spacing the way it reads the go command\'s single spaces', () => {
      const seg = fc.stringMatching(/^[a-z][a-z0-9.-]{0,12}$/);
      const node = fc.tuple(fc.array(seg, { minLength: 1, maxLength: 3 }), fc.option(fc.tuple(fc.nat(20), fc.nat(20)), { nil: undefined }))
        .map(([parts, v]) => parts.join('/') + (v ? `@v1.${v[0]}.${v[1]}` : ''));
      fc.assert(fc.property(fc.array(fc.tuple(node, node), { maxLength: 30 }), (pairs) => {
        const plain = pairs.map(([a, b]) => `${a} ${b}`).join('\n');
        const spaced = pairs.map(([a, b]) => ` \t${a}\t  ${b} `).join('\r\n');
        const g1 = parseModGraph(plain, 'g');
        const g2 = parseModGraph(spaced, 'g');
        assert.deepEqual(edgeKeys(g2), edgeKeys(g1));
        assert.deepEqual(g2.errors.map((e) => e.line), g1.errors.map((e) => e.line));
        assert.deepEqual([...edgeLinesOf(g2)], [...edgeLinesOf(g1)]);
      }));
    });
  });
});

describe('parseModGraphBytes', () => {
  const plain = (g: ModGraph) => ({ ...g, edges: [...g.edges], edgeLines: [...edgeLinesOf(g)], index: [...g.index!] });
  const same = (text: string, what = JSON.stringify(text.length > 60 ? text.slice(0, 60) + '...' : text)) => {
    const bytes = parseModGraphBytes(Buffer.from(text, 'utf8'), 'g');
    assert.deepEqual(plain(bytes), plain(parseModGraph(text, 'g')), what);
    return bytes;
  };

  it('tells a repeated source from one that differs in its last byte or goes on past it', () => {
    const g = same([
      'a.com/src@v1.0.0 b.com/x@v1.0.0',
      'a.com/src@v1.0.0 b.com/y@v1.0.0',
      'a.com/src@v1.0.1 b.com/x@v1.0.0',
      'a.com/src@v1.0.1 b.com/z@v1.0.0',
      'a.com/src@v1.0.10 b.com/x@v1.0.0',
      'a.com/src@v1.0.1 b.com/z@v1.0.1',
      'a.com/src@v1.0.1\tb.com/w@v1.0.0',
      'a.com/src@v1.0.1 b.com/w@v1.0.0 extra',
      'a.com/src@v1.0.1 b.com/é@v1.0.0',
      'a.com/src@v1.0.1  b.com/w@v1.0.0',
      'a.com/src@v1.0.1 b.com/w@v1.0.0',
      'a.com/src@v1.0.1',
      'a.com/src@v1.0.1 ',
      'a.com/src@v1.0.1 x@',
      'a.com/src@v1.0.1 b.com/v@v1.0.0',
      '',
    ].join('\n'));
    assert.deepEqual(g.nodes.filter((n) => n.path === 'a.com/src').map((n) => n.version), ['v1.0.0', 'v1.0.1', 'v1.0.10']);
    assert.deepEqual([...edgeLinesOf(g)], [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 15]);
  });

  it('finds a key of any length to be one node, mid-file or at the end, after LF, CRLF or a lone CR', () => {
    const letters = 'abcdefghijklmnopq';
    for (let len = 1; len <= letters.length; len++) {
      const k = letters.slice(0, len);
      for (const sep of ['\n', '\r\n']) {
        for (const ending of ['', '\n', '\r', '\r\n', '\r\r\n', ' ', '\t']) {
          const text = [`s ${k}`, `${k} t`, `${k} u@v1`, `${k}@v2 ${k}`, `q ${k}`].join(sep) + ending;
          const g = same(text);
          assert.equal(g.index!.get(k), 1, JSON.stringify(text));
        }
      }
    }
    same('m a@v1\rm b@v1\r\nm\rc@v1\r\r\nm d@v1\r');
    same('m a@v1\n\n\r\n \nm b@v1');
  });

  it('keeps a line exactly as long as the limit and skips one a byte longer, CR or not', () => {
    for (const longSource of [false, true]) {
      for (let len = MAX_LINE - 2; len <= MAX_LINE + 1; len++) {
        // A line then ends with LF or CRLF and another follows, or it is the last, with or without a CR.
        for (const ending of ['\n', '\r\n', '', '\r']) {
          const source = longSource ? 'z'.repeat(MAX_LINE - 8) : 'm';
          const line = `${source} ${'y'.repeat(len - source.length - 1)}`;
          const more = ending.endsWith('\n');
          const g = same(`${source} a@v1\n${line}${ending}${more ? `${source} b@v1\n` : ''}`, `${longSource} ${len} ${JSON.stringify(ending)}`);
          const kept = len + (ending.startsWith('\r') ? 1 : 0) <= MAX_LINE;
          assert.equal(g.edges.length / 2, 1 + (kept ? 1 : 0) + (more ? 1 : 0));
          assert.equal(g.errors.length, kept ? 0 : 1);
        }
      }
    }
  });

  it('reads bytes from any offset of a Uint8Array', () => {
    const raw = Buffer.from(SAMPLE + 'a.com/abcdefgh@v1 a.com/abcdefgh@v2\na.com/abcdefgh@v1 b@v1', 'utf8');
    for (let off = 0; off < 8; off++) {
      const view = new Uint8Array(new ArrayBuffer(raw.length + 16), off, raw.length);
      view.set(raw);
      assert.deepEqual(plain(parseModGraphBytes(view, 'g')), plain(parseModGraph(raw.toString('utf8'), 'g')), `offset ${off}`);
    }
  });

  it('agrees with text for keys known from other files or first read by the general path', () => {
    parseModGraphBytes(Buffer.from('m k.com/x@v1.0.0\nk.com/x@v1.0.0 k.com/y@v1.0.0\n'), 'a');
    same(' m  k.com/x@v1.0.0\nm k.com/x@v1.0.0\nk.com/x@v1.0.0 k.com/y@v1.0.0\nm k.com/z@v1.0.0\nm\tk.com/z@v1.0.0\n');
    same('k.com/y@v1.0.0 k.com/x@v1.0.0\nm k.com/x@v1.0.0\nm k.com/x@v1.0.0 \nk.com/x@v1.0.0 k.com/y@v1.0.0\n');
  });

  it('hands out the nodes of the shared pool even after that pool has started again', function () {
    this.timeout(60000);
    const text = 'm pool.example.com/k@v1.0.0\n';
    parseModGraphBytes(Buffer.from(text), 'a');
    const flood: string[] = [];
    for (let i = 0; i <= 1 << 18; i++) flood.push(`m flood.example.com/k${i}@v1.0.0`);
    parseModGraph(flood.join('\n'), 'flood');
    const fromText = parseModGraph(text, 'b');
    const fromBytes = parseModGraphBytes(Buffer.from(text), 'c');
    assert.equal(fromBytes.nodes[1], fromText.nodes[1]);
  });

  it('keeps one node per key when the shared pool starts again in the middle of a file', function () {
    this.timeout(60000);
    const flood: string[] = ['m again.example.com/k@v1.0.0', 'again.example.com/k@v1.0.0 again.example.com/j@v1.0.0'];
    for (let i = 0; i <= 1 << 18; i++) flood.push(`m again.example.com/f${i}@v1.0.0`);
    flood.push('m again.example.com/k@v1.0.0', 'again.example.com/k@v1.0.0 again.example.com/j@v1.0.0', 'm again.example.com/j@v1.0.0', '');
    const g = parseModGraphBytes(Buffer.from(flood.join('\n')), 'g');
    assert.equal(g.nodes.length, (1 << 18) + 4);
    const k = g.index!.get('again.example.com/k@v1.0.0');
    const j = g.index!.get('again.example.com/j@v1.0.0');
    const last = g.edges.length;
    assert.deepEqual([...g.edges.slice(0, 4)], [0, k, k, j]);
    assert.deepEqual([...g.edges.slice(last - 6)], [0, k, k, j, 0, j]);
    assert.equal(new Set(g.nodes.map(nodeKey)).size, g.nodes.length);
  });

  it('takes a source\'s run of edges met in an earlier file whole, and reads any file that departs from it line by line', () => {
    // Runs are the edges of one source, printed the same way in graph after graph.
    const base = ['m a.com/x@v1.0.0', 'm b.com/y@v1.0.0', 'a.com/x@v1.0.0 c.com/z@v1.0.0', 'a.com/x@v1.0.0 d.com/w@v1.2.0', 'a.com/x@v1.0.0 e.com/q@v0.1.0',
      'b.com/y@v1.0.0 c.com/z@v1.1.0', 'b.com/y@v1.0.0 d.com/w@v1.2.0', ''].join('\n');
    same(base);
    // The same runs in another file, after other lines, numbered from where they are.
    const later = same('\n\nm2 b.com/y@v1.0.0\nm2 a.com/x@v1.0.0\nb.com/y@v1.0.0 c.com/z@v1.1.0\nb.com/y@v1.0.0 d.com/w@v1.2.0\n' +
      'a.com/x@v1.0.0 c.com/z@v1.0.0\na.com/x@v1.0.0 d.com/w@v1.2.0\na.com/x@v1.0.0 e.com/q@v0.1.0\n');
    assert.deepEqual([...edgeLinesOf(later)], [3, 4, 5, 6, 7, 8, 9]);
    // A run that goes on, one that differs in its last byte or line, stops short, ends the file
    // without LF, has CR LF line ends, or is cut by a bad line.
    same('a.com/x@v1.0.0 c.com/z@v1.0.0\na.com/x@v1.0.0 d.com/w@v1.2.0\na.com/x@v1.0.0 e.com/q@v0.1.0\na.com/x@v1.0.0 f.com/n@v1.0.0\n');
    same('a.com/x@v1.0.0 c.com/z@v1.0.0\na.com/x@v1.0.0 d.com/w@v1.2.0\na.com/x@v1.0.0 e.com/q@v0.1.1\n');
    same('a.com/x@v1.0.0 c.com/z@v1.0.0\na.com/x@v1.0.0 d.com/w@v1.2.0\nm a.com/x@v1.0.0\n');
    same('a.com/x@v1.0.0 c.com/z@v1.0.0\na.com/x@v1.0.0 d.com/w@v1.2.0\na.com/x@v1.0.0 e.com/q@v0.1.0');
    same('a.com/x@v1.0.0 c.com/z@v1.0.0\r\na.com/x@v1.0.0 d.com/w@v1.2.0\r\na.com/x@v1.0.0 e.com/q@v0.1.0\r\n');
    same('a.com/x@v1.0.0 c.com/z@v1.0.0\r\na.com/x@v1.0.0 d.com/w@v1.2.0\r\na.com/x@v1.0.0 e.com/q@v0.1.0\r\n');
    same('a.com/x@v1.0.0 c.com/z@v1.0.0\na.com/x@v1.0.0 d.com/w@v1.2.0 extra\na.com/x@v1.0.0 e.com/q@v0.1.0\n');
    same('a.com/x@v1.0.0 c.com/z@v1.0.0\na.com/x@v1.0.0 d.com/w@v1.2.0\na.com/x@v1.0.0 e.com/q@v0.1.0\na.com/x@v1.0.0 c.com/z@v1.0.0\n');
    // The main module's own run, met again as a whole file.
    same(base);
    // A run longer than any kept (over a megabyte) reads the same the first time and the next.
    const long = Array.from({ length: 70000 }, (_, i) => `long.example.com/m long.example.com/k${i}@v1.0.0\n`).join('');
    same(long, 'long run');
    same(long, 'long run again');
  });

  it('reads any sequence of graph files that share runs exactly as their text', () => {
    const key = fc.constantFrom('m', 'corp.example.com/mono/a', 'a.com/x@v1.0.0', 'a.com/x@v1.0.1', 'b.com/y@v2.0.0', 'c.com/z@v0.0.0-20240101000000-abcdefabcdef',
      'go@1.22', 'x@', 'é.com/q@v1.0.0', 'd.com/w@v1.2.0');
    const runArb = fc.tuple(key, fc.array(key, { minLength: 1, maxLength: 6 }));
    const edit = fc.constantFrom('none', 'none', 'none', 'drop', 'dup', 'crlf', 'blank', 'junk', 'nolf');
    const fileArb = fc.array(fc.tuple(runArb, edit), { minLength: 1, maxLength: 6 }).map((parts) => parts.map(([[from, tos], e]) => {
      let ls = tos.map((t) => `${from} ${t}`);
      if (e === 'drop' && ls.length > 1) ls = ls.slice(0, -1);
      if (e === 'dup') ls = [...ls, ls[0]!];
      if (e === 'junk') ls = [...ls.slice(0, 1), `${from}  ${tos[0]}`, ...ls.slice(1)];
      const text = ls.join(e === 'crlf' ? '\r\n' : '\n');
      return e === 'blank' ? `\n${text}\n` : e === 'nolf' ? text : `${text}${e === 'crlf' ? '\r\n' : '\n'}`;
    }).join(''));
    fc.assert(fc.property(fc.array(fileArb, { minLength: 1, maxLength: 8 }), (files) => {
      for (const text of files) same(text);
    }), { numRuns: 1500 });
    // The same with caches that start again every few lines: the runs when keeping one fills their
    // bytes (also right before a run is taken whole), the pool when a new key fills its bytes.
    for (const limits of [{ runBytes: 120 }, { runBytes: 400 }, { poolBytes: 150 }, { runBytes: 200, poolBytes: 300 }]) {
      const before = setCacheLimits(limits);
      try {
        fc.assert(fc.property(fc.array(fileArb, { minLength: 1, maxLength: 8 }), (files) => {
          for (const text of files) same(text);
        }), { numRuns: 1000 });
      } finally {
        setCacheLimits(before);
      }
    }
  });

  it('takes no run whole that keeping the run before it has cleared', () => {
    // Two sources' runs, each a file of its own: the second file reads y's lines line by line, and
    // keeping their run fills the runs' bytes, which start again, just as x's run (kept before)
    // would be taken whole. Taken from the cleared runs, x's lines were skipped without an edge.
    const x = ['a.com/x@v1.0.0 c.com/z@v1.0.0', 'a.com/x@v1.0.0 d.com/w@v1.2.0', ''].join('\n');
    const y = ['b.com/y@v1.0.0 c.com/z@v1.0.0', 'b.com/y@v1.0.0 d.com/w@v1.2.0', 'b.com/y@v1.0.0 e.com/q@v0.1.0', ''].join('\n');
    const before = setCacheLimits({ runBytes: x.length + y.length - 1 });
    try {
      same(x);
      const g = same(y + x);
      assert.equal(g.edges.length / 2, 5);
    } finally {
      setCacheLimits(before);
    }
  });

  it("keeps no main module's run, so that the runs every graph shares outlast many main modules", () => {
    // Each file is one module's graph: its main's requirements (many lines, met in no other file)
    // and the run of a module version all of them share.
    const shared = ['c.com/z@v1.0.0 d.com/w@v1.2.0', 'c.com/z@v1.0.0 e.com/q@v0.1.0', ''].join('\n');
    const file = (i: number) => Array.from({ length: 30 }, (_, k) => `corp.example.com/mono/m${i} corp.example.com/mono/lib${k}@v0.0.0-00010101000000-000000000000`)
      .concat('corp.example.com/mono/m' + i + ' c.com/z@v1.0.0', '').join('\n') + shared;
    // Room for the shared run and a few main runs at most: keeping every main's run would fill it
    // within a few files and start the runs again.
    const before = setCacheLimits({ runBytes: shared.length + 3 * file(0).length });
    try {
      same(file(0));
      const kept = graphCacheStats();
      assert.ok(kept.runs >= 1);
      for (let i = 1; i <= 20; i++) same(file(i));
      const after = graphCacheStats();
      assert.equal(after.runs, kept.runs, 'no run was kept or cleared for the main modules');
      assert.equal(after.runBytes, kept.runBytes);
      assert.ok(after.runBytes < file(0).length, 'the main module\'s lines are not among the runs');
    } finally {
      setCacheLimits(before);
    }
  });

  it('reads graphs of long keys, repeated sources and mixed line ends exactly as their text', () => {
    const part = fc.constantFrom('corp.example.com/mono/', 'libs/', 'a', 'ab', 'abc', 'abcd', 'é', '@', '@v1.2.3', '@v1.2.4', 'go@1.22', 'go@x', '\t', ' ', '\r');
    const key = fc.array(part, { minLength: 1, maxLength: 5 }).map((ps) => ps.join(''));
    const graph = fc.tuple(
      fc.array(key, { minLength: 1, maxLength: 6 }),
      fc.array(fc.tuple(fc.nat(5), fc.nat(5), fc.constantFrom('\n', '\n', '\r\n')), { maxLength: 40 }),
      fc.constantFrom('', '\n', '\r', '\r\n'),
    ).map(([keys, lines, ending]) =>
      lines.map(([f, t, sep]) => `${keys[f % keys.length]} ${keys[t % keys.length]}${sep}`).join('').replace(/\r?\n$/, '') + ending);
    fc.assert(fc.property(graph, (text) => { same(text); }), { numRuns: 3000 });
  });
});
