import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { reporters } from '../../src/reporters/index.ts';
import { jsonChunks, sortKeys } from '../../src/reporters/json.ts';
import { OPTIONS, empty, finding, hostile, sample } from './fixtures.ts';

describe('reporters/json', () => {
  it('prints the version 1 contract with a fixed key order, sorted findings and sorted data keys', () => {
    const out = reporters.json(sample(), OPTIONS);
    assert.ok(out.endsWith('}\n'));
    const parsed = JSON.parse(out);
    assert.deepEqual(Object.keys(parsed), ['version', 'root', 'findings', 'summary', 'notices']);
    assert.deepEqual(parsed.findings.map((f: { line: number; file: string }) => `${f.file}:${f.line}`), ['svc/a/go.mod:5', 'svc/a/go.mod:12', 'svc/b/go.mod:3', 'svc/b/go.mod:7']);
    for (const f of parsed.findings) {
      assert.deepEqual(Object.keys(f), ['rule', 'severity', 'file', 'line', 'column', 'message', 'module', 'dependency', 'data']);
    }
    assert.equal(out.split('\n').slice(0, 20).join('\n'), [
      '{',
      '  "version": 1,',
      '  "root": "/repo",',
      '  "findings": [',
      '    {',
      '      "rule": "anchor-mismatch",',
      '      "severity": "error",',
      '      "file": "svc/a/go.mod",',
      '      "line": 5,',
      '      "column": 2,',
      '      "message": "golang.org/x/net v0.20.0 is pinned to v0.24.0",',
      '      "module": "example.com/svc/a",',
      '      "dependency": "golang.org/x/net",',
      '      "data": {',
      '        "pin": "v0.24.0",',
      '        "version": "v0.20.0"',
      '      }',
      '    },',
      '    {',
      '      "rule": "anchor-mismatch",',
    ].join('\n'));
    assert.deepEqual(parsed.summary, { modules: 3, errors: 2, warnings: 1, infos: 1, suppressed: 0, byRule: { 'anchor-mismatch': 2, 'go-version-drift': 1, 'version-divergence': 1 } });
  });

  it('prints the empty case exactly', () => {
    assert.equal(reporters.json(empty(), OPTIONS), [
      '{',
      '  "version": 1,',
      '  "root": "/repo",',
      '  "findings": [],',
      '  "summary": {',
      '    "modules": 3,',
      '    "errors": 0,',
      '    "warnings": 0,',
      '    "infos": 0,',
      '    "suppressed": 0,',
      '    "byRule": {}',
      '  },',
      '  "notices": []',
      '}',
      '',
    ].join('\n'));
  });

  it('keeps isNew only when defined, writes POSIX paths, pre-existing counts and the shard', () => {
    const r = empty(1);
    r.findings = [finding({ file: 'svc\\a\\go.mod', isNew: false }), finding({ line: 2 })];
    r.summary = { ...r.summary, errors: 2, preexisting: 4, byRule: { 'anchor-mismatch': 2 } };
    r.shard = { index: 2, count: 4 };
    const parsed = JSON.parse(reporters.json(r, OPTIONS));
    assert.deepEqual(Object.keys(parsed), ['version', 'root', 'findings', 'summary', 'notices', 'shard']);
    assert.deepEqual(parsed.shard, { index: 2, count: 4 });
    assert.equal(parsed.summary.preexisting, 4);
    const a = parsed.findings.find((f: { line: number }) => f.line === 1);
    const b = parsed.findings.find((f: { line: number }) => f.line === 2);
    assert.equal(a.file, 'svc/a/go.mod');
    assert.equal(a.isNew, false);
    assert.equal('isNew' in b, false);
    assert.equal('messageId' in a, false);
  });

  it('gives identical bytes whatever order the findings and data keys came in', () => {
    const a = sample();
    const b = sample();
    b.findings.reverse();
    b.findings[0]!.data = Object.fromEntries(Object.entries(b.findings[0]!.data).reverse());
    assert.equal(reporters.json(a, OPTIONS), reporters.json(b, OPTIONS));
  });
});

describe('reporters/json in pieces', () => {
  it('joins to exactly the text of json(), with findings, without, with a shard and with isNew', () => {
    const results = [sample(), empty(), hostile(), { ...sample(), shard: { index: 2, count: 4 } },
      { ...sample(), findings: sample().findings.map((f, i) => ({ ...f, isNew: i % 2 === 0 })), notices: ['a\nb', 'c'] }];
    for (const r of results) assert.equal([...jsonChunks(r)].join(''), reporters.json(r, OPTIONS));
  });

  it('joins to exactly the text of json() for generated findings', () => {
    const text = fc.string({ maxLength: 12 });
    const data = fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(text, fc.integer(), fc.array(fc.oneof(text, fc.record({ m: fc.integer() })), { maxLength: 3 })), { maxKeys: 4 });
    const one = fc.record({ file: text, line: fc.nat(), column: fc.nat(), message: text, dependency: text, data });
    fc.assert(fc.property(fc.array(one, { maxLength: 6 }), fc.array(text, { maxLength: 3 }), (fs, notices) => {
      const r = { ...sample(), findings: fs.map((f) => finding(f)), notices };
      assert.equal([...jsonChunks(r)].join(''), reporters.json(r, OPTIONS));
    }), { numRuns: 300 });
  });

  it('sortKeys sorts the keys of every plain object, and gives a value already sorted back as it is', () => {
    // The keys as they are enumerated, at every level (integer-like keys come first in any object).
    const canonical = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(canonical);
      if (v !== null && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
      return v;
    };
    const keysInOrder = (v: unknown): boolean => {
      if (Array.isArray(v)) return v.every(keysInOrder);
      if (v === null || typeof v !== 'object') return true;
      const ks = Object.keys(v);
      return JSON.stringify(ks) === JSON.stringify(Object.keys(canonical(v) as object)) && ks.every((k) => keysInOrder((v as Record<string, unknown>)[k]));
    };
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const sorted = sortKeys(v);
      assert.equal(JSON.stringify(sorted), JSON.stringify(canonical(v)));
      assert.ok(keysInOrder(sorted));
      assert.equal(sortKeys(sorted), sorted, 'a sorted value is not copied');
      if (keysInOrder(v)) assert.equal(sorted, v);
    }), { numRuns: 500 });
    const parsed = JSON.parse('{"b":1,"__proto__":{"y":1,"x":2},"a":[{"d":1,"c":2}]}') as unknown;
    assert.equal(JSON.stringify(sortKeys(parsed)), '{"__proto__":{"x":2,"y":1},"a":[{"c":2,"d":1}],"b":1}');
  });
});
