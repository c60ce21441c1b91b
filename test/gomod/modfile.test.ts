import { strict as assert } from 'node:assert';
import {
  formatFile, formatParseError, parseModFile, parseSyntax, parseWorkFile, toXmodJson, toXmodWorkJson,
} from '../../src/gomod/index.ts';

describe('parseModFile', () => {
  it('reads every directive into typed statements that point at their lines', () => {
    const text = `// Deprecated: use example.com/n.
module example.com/m

go 1.23.0

toolchain go1.23.4

godebug default=go1.21

require (
\tgithub.com/a/b v1.2 // indirect
\tgopkg.in/yaml.v3 v3.0.1
)

exclude x.y/z v1.0.0

replace x.y/z v1.0.0 => ../z

retract (
\t// bad release
\t[v1.0.0, v1.0.5]
)

tool example.com/m/cmd/gen

ignore ./testdata
`;
    const r = parseModFile(text, 'go.mod');
    assert.ok(r.ok);
    const m = r.value;
    assert.equal(m.module?.deprecated, 'use example.com/n.');
    assert.equal(m.go?.version, '1.23.0');
    assert.equal(m.toolchain?.name, 'go1.23.4');
    assert.deepEqual(m.godebug.map((g) => [g.key, g.value]), [['default', 'go1.21']]);
    assert.deepEqual(m.require.map((q) => [q.mod.path, q.mod.version, q.indirect, q.syntax.start.line]), [
      ['github.com/a/b', 'v1.2.0', true, 11], ['gopkg.in/yaml.v3', 'v3.0.1', false, 12],
    ]);
    assert.deepEqual(m.exclude.map((x) => x.mod), [{ path: 'x.y/z', version: 'v1.0.0' }]);
    assert.deepEqual(m.replace.map((x) => [x.old, x.new]), [[{ path: 'x.y/z', version: 'v1.0.0' }, { path: '../z', version: '' }]]);
    assert.deepEqual(m.retract.map((x) => [x.low, x.high, x.rationale]), [['v1.0.0', 'v1.0.5', 'bad release']]);
    assert.deepEqual(m.tool.map((x) => x.path), ['example.com/m/cmd/gen']);
    assert.deepEqual(m.ignore.map((x) => x.path), ['./testdata']);
    // The version token still reads as written; the printer shows x/mod's canonical form.
    const tok = m.require[0]!.syntax.tokens[1]!;
    assert.equal(text.slice(tok.start.offset, tok.end.offset), 'v1.2');
    assert.match(formatFile(m.syntax), /github\.com\/a\/b v1\.2\.0 \/\/ indirect/);
  });

  it('refuses to parse a file of more than a million lines or 16 MiB, saying so at its first line', () => {
    const many = parseModFile(`module m\n${'x\n'.repeat(1_000_000)}`, 'a/go.mod');
    assert.deepEqual(many.errors, [{ file: 'a/go.mod', line: 1, column: 0, message: 'more than 1,000,000 lines', tooLarge: true }]);
    const wide = parseWorkFile(`go 1.22\n// ${'x'.repeat(17 << 20)}\n`, 'go.work');
    assert.deepEqual(wide.errors.map((e) => e.message), ['17 MiB, over the 16 MiB limit (the most of a go.mod the go command reads)']);
    assert.deepEqual(parseSyntax(`anchor a v1\n${'x\n'.repeat(1_000_000)}`, 'anchor.lock').errors.map((e) => e.message), ['more than 1,000,000 lines']);
    // Just under both bounds: parsed as ever.
    assert.equal(parseModFile(`module m\n${'// c\n'.repeat(999_000)}`, 'a/go.mod').ok, true);
  });

  it('collects every statement error with its line and keeps the valid statements', () => {
    const text = 'module m\nrequire x.y/z 1.0\nrequire a.b/c/v2 v3.0.0\nrequire (\n\td.e/f v1.0.0\n)\nfrob\n';
    const r = parseModFile(text, 'dir/go.mod');
    assert.equal(r.ok, false);
    assert.deepEqual(r.errors.map(formatParseError), [
      'dir/go.mod:2: require x.y/z: version "1.0" invalid: must be of the form v1.2.3',
      'dir/go.mod:3: require a.b/c/v2: version "v3.0.0" invalid: should be v2, not v3',
      'dir/go.mod:7: unknown directive: frob',
    ]);
    assert.deepEqual(r.value?.require.map((q) => q.mod.path), ['d.e/f']);
  });

  it('reports errors inside a block at the entry, with its column as x/mod does', () => {
    const r = parseModFile('module m\nrequire (\n\tx.y/z master\n)\n', 'go.mod');
    assert.deepEqual(r.errors.map(formatParseError), ['go.mod:3:2: require x.y/z: version "master" invalid: must be of the form v1.2.3']);
    assert.deepEqual(r.errors.map((e) => [e.line, e.column]), [[3, 2]]);
  });

  it('in lax mode ignores what dependencies may carry and salvages a go version', () => {
    const text = 'module m\ngo v1.21.0\ntoolchain nope\nreplace x => y\nfrob\nrequire x.y/z v1.0.0\n';
    assert.equal(parseModFile(text, 'go.mod').ok, false);
    const lax = parseModFile(text, 'go.mod', { lax: true });
    assert.ok(lax.ok, lax.errors.map(formatParseError).join('\n'));
    assert.equal(lax.value.go?.version, '1.21');
    assert.equal(lax.value.replace.length, 0);
    assert.deepEqual(toXmodJson(lax.value).Require, [{ Path: 'x.y/z', Version: 'v1.0.0', Indirect: false, Line: 6 }]);
  });

  it('returns no typed value on a syntax error, never an exception', () => {
    const r = parseModFile('module m\nrequire (\n', 'go.mod');
    assert.equal(r.ok, false);
    assert.equal(r.value, undefined);
    assert.deepEqual(r.errors.map(formatParseError), ['go.mod:3: syntax error (unterminated block started at go.mod:2:1)']);
  });

  it('reads the deprecation paragraph only', () => {
    const r = parseModFile('// Some module.\n//\n// Deprecated: gone,\n// use other.\n//\n// More.\nmodule m\n', 'go.mod');
    assert.ok(r.ok);
    assert.equal(r.value.module?.deprecated, 'gone,\nuse other.');
  });
});

describe('parseWorkFile', () => {
  it('reads go, toolchain, godebug, use and replace', () => {
    const text = 'go 1.23.0\n\ntoolchain go1.23.1\n\ngodebug panicnil=1\n\nuse (\n\t./a\n\t"./b c"\n)\n\nreplace x.y/z => ./z\n';
    const r = parseWorkFile(text, 'go.work');
    assert.ok(r.ok, r.errors.map(formatParseError).join('\n'));
    assert.deepEqual(toXmodWorkJson(r.value), {
      Go: { Version: '1.23.0', Line: 1 },
      Toolchain: { Name: 'go1.23.1', Line: 3 },
      Godebug: [{ Key: 'panicnil', Value: '1', Line: 5 }],
      Use: [{ Path: './a', ModulePath: '', Line: 8 }, { Path: './b c', ModulePath: '', Line: 9 }],
      Replace: [{ Old: { Path: 'x.y/z', Version: '' }, New: { Path: './z', Version: '' }, Line: 12 }],
    });
  });

  it('rejects go.mod-only directives', () => {
    const r = parseWorkFile('go 1.22\nrequire x.y/z v1.0.0\nmodule m\n', 'go.work');
    assert.deepEqual(r.errors.map(formatParseError), ['go.work:2: unknown directive: require', 'go.work:3: unknown directive: module']);
  });
});
