import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseModGraph, parseModGraphBytes, createModGraphParser, parseNodeKey, nodeKey, MAX_LINE } from '../../src/graph/parse.ts';
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
    assert.ok(g.edges instanceof Uint32Array);
    assert.deepEqual(edgeKeys(g), SAMPLE.trim().split('\n'));
    assert.deepEqual([...g.edgeLines!], [1, 2, 3, 4, 5, 6, 7]);
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
      assert.deepEqual([...g.edgeLines!], [...whole.edgeLines!]);
    }
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
    assert.deepEqual([...g.edgeLines!], [1, 3]);
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
    assert.equal(g.edgeLines![4999], 5000);
    assert.equal(nodeKey(g.nodes[g.edges[9999]!]!), 'a.com/m99@v1.4999.0');
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
        for (const l of g.edgeLines!) assert.ok(l >= 1 && l <= lines.length);
        assert.deepEqual(edgeKeys(g), edgeKeys(parseModGraph(text, 'g')));
      }), { numRuns: 2000 });
    });

    it('reads bytes exactly as it reads their UTF-8 text: nodes, edges, lines, errors', () => {
      const plain = (g: ModGraph) => ({ ...g, edges: [...g.edges], edgeLines: [...g.edgeLines!], index: [...g.index!] });
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
        assert.deepEqual([...g2.edgeLines!], [...g1.edgeLines!]);
      }));
    });
  });
});
