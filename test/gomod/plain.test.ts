import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parsePlainSyntax, parseSyntax, plainLineCount, readTokens, tokenStarts } from '../../src/gomod/syntax.ts';
import { usualLineCount } from '../../src/gomod/modfile.ts';
import { formatFile, parseModFile } from '../../src/gomod/index.ts';
import { CONFORMANCE, CORPUS, corpusFiles, hasShared } from '../conformance/shared.ts';

/** same asserts that the plain reader, when it takes a text, gives parseSyntax's tree; it returns whether it took it. */
function same(text: string, file = 'go.mod'): boolean {
  const plain = parsePlainSyntax(text, file);
  if (!plain) return false;
  const full = parseSyntax(text, file);
  assert.deepEqual(full.errors, [], `the plain reader took a text parseSyntax rejects: ${JSON.stringify(text)}`);
  assert.equal(JSON.stringify(plain), JSON.stringify(full.syntax), `trees differ for ${JSON.stringify(text)}`);
  return true;
}

describe('parsePlainSyntax', () => {
  it('reads the plain form as parseSyntax does: blocks, suffix comments, CR LF, tabs, a last line without newline', () => {
    const texts = [
      '',
      'module example.com/m\n',
      'module example.com/m\n\ngo 1.22\n\nrequire (\n\tgithub.com/a/b v1.2.3\n\tgithub.com/c/d v0.1.0 // indirect\n)\n',
      'module m\r\nrequire (\r\n\tx.y/z v1.0.0 // indirect\r\n)\r\n',
      'module m\nrequire x.y/z v1.0.0 // indirect',
      'module m\nrequire x.y/z v1.0.0 // indirect\r',
      'module m\nreplace (\n  a.b/c => ../c\n  d.e/f v1.0.0 => g.h/i v1.1.0 //note\n)\n',
      'module m\nrequire (\n)\n\n\n',
      'module m\nexclude   a.b/c\tv1.0.0\n',
      "module m\nrequire it's/odd v1\n",
    ];
    for (const t of texts) assert.equal(same(t), true, JSON.stringify(t));
  });

  it('leaves every other form to parseSyntax', () => {
    const texts = [
      '// header\nmodule m\n',
      'module m\nrequire (\n\ta v1\n\n\tb v1\n)\n',
      'module m\nrequire ( // c\n\ta v1\n)\n',
      'module m\nrequire (\n\ta v1\n) // c\n',
      'module m\nrequire (\n\t// c\n\ta v1\n)\n',
      'module "m"\n',
      'module m\nrequire(\n\ta v1\n)\n',
      'module m\nrequire (\n\ta v1\n',
      'module m\nretract [v1.0.0, v1.1.0]\n',
      'module m\nrequire a v1 (\n)\n',
      'module m\nrequire ()\n',
      'module é\n',
      'module m\n/* c */\n',
      'module m//c\n',
      'module m\x00\n',
    ];
    for (const t of texts) assert.equal(parsePlainSyntax(t, 'go.mod'), undefined, JSON.stringify(t));
  });

  it('gives parseSyntax\'s tree for generated texts whenever it takes one', () => {
    const pieces = ['module', 'require', 'replace', 'go', 'x.y/z', 'v1.2.3', '../dir', '=>', ' ', '  ', '\t', '\n', '\r\n', '\r',
      '(', ')', '// indirect', '//c', '"q"', '[', ',', 'é', '/*', ')x', '(y'];
    const text = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((p) => p.join(''));
    let taken = 0;
    fc.assert(fc.property(text, (t) => { if (same(t)) taken++; }), { numRuns: 4000 });
    // The generator makes plain texts often enough for the comparison to mean something.
    assert.ok(taken > 200, `only ${taken} generated texts were plain`);
  });

  it('makes the tokens of lazy lines as parseSyntax makes them, and keeps a canonicalized version on its token', () => {
    const text = 'module m\n\ngo 1.22\n\nrequire (\n\ta.b/c v1.2.3 // indirect\n\td.e/f v0.1.0\n)\n\nreplace a.b/c => ../c\n';
    const lazy = parseModFile(text, 'go.mod');
    assert.equal(lazy.ok, true);
    assert.equal(JSON.stringify(lazy.value!.syntax), JSON.stringify(parseSyntax(text, 'go.mod').syntax));
    assert.deepEqual(lazy.value!.require.map((r) => [r.mod.path, r.mod.version, r.indirect, r.syntax.start.line, r.syntax.tokens[1]!.start.column]),
      [['a.b/c', 'v1.2.3', true, 6, 8], ['d.e/f', 'v0.1.0', false, 7, 8]]);
    assert.equal(formatFile(lazy.value!.syntax), text);
    // Whether a requirement is indirect is read from the comment's text, for lazy lines as for others.
    const crlf = 'module m\r\nrequire (\r\n\ta.b/c v1.0.0 // indirect\r\n\td.e/f v1.0.0 // indirect; kept\r\n\tg.h/i v1.0.0 // indirectly\r\n)\r\nrequire x.y/z v1.0.0 // indirect';
    const eager = parseModFile(crlf.replace(/^module m/, 'module "m"'), 'go.mod');
    assert.deepEqual(parseModFile(crlf, 'go.mod').value!.require.map((r) => r.indirect), [true, true, false, true]);
    assert.deepEqual(eager.value!.require.map((r) => r.indirect), [true, true, false, true]);
    assert.equal(JSON.stringify(parseModFile(crlf, 'go.mod').value!.syntax), JSON.stringify(parseSyntax(crlf, 'go.mod').syntax));
    // The same lines again, met before, in CR LF and LF files and at other offsets.
    for (const again of [`module n\r\n\r\n${crlf.slice(10)}`, crlf.replace(/\r\n/g, '\n'), `${crlf}\n`]) {
      assert.equal(JSON.stringify(parseModFile(again, 'go.mod').value!.syntax), JSON.stringify(parseSyntax(again, 'go.mod').syntax), JSON.stringify(again));
    }
    // `v1.2` is read as v1.2.0 and printed so: the token made for it carries the canonical text.
    const short = parseModFile('module m\nrequire a.b/c v1.2\n', 'go.mod');
    assert.equal(short.value!.require[0]!.mod.version, 'v1.2.0');
    assert.equal(formatFile(short.value!.syntax), 'module m\n\nrequire a.b/c v1.2.0\n');
    // Errors point where parseSyntax's tokens are.
    const bad = parseModFile('module m\nrequire (\n\ta.b/c nope\n)\n', 'go.mod');
    assert.deepEqual(bad.errors.map((e) => [e.line, e.column, e.message]), [[3, 2, 'require a.b/c: version "nope" invalid: must be of the form v1.2.3']]);
  });

  it('reads requirements and replacements of generated plain files as the general path does, strict and lax', () => {
    const path = fc.constantFrom('a.b/c', 'a.b/c/v2', 'x.y/z.v3', 'gopkg.in/yaml.v2', 'bad', 'a.b/C', '../dir', './d', 'a.b/c/v1');
    const version = fc.constantFrom('v1.2.3', 'v2.0.0', 'v1.2', 'v0.0.0-20200101000000-abcdefabcdef', 'v2.0.0+incompatible', 'latest', 'v3.1.0', "v1'");
    const require = fc.tuple(path, version, fc.boolean()).map(([p, v, ind]) => `\t${p} ${v}${ind ? ' // indirect' : ''}`);
    const replace = fc.oneof(
      fc.tuple(path, path).map(([a, b]) => `\t${a} => ${b}`),
      fc.tuple(path, version, path, version).map(([a, v, b, w]) => `\t${a} ${v} => ${b} ${w}`),
      fc.tuple(path, path, version).map(([a, b, w]) => `\t${a} => ${b} ${w}`),
    );
    const file = fc.tuple(fc.array(require, { maxLength: 5 }), fc.array(replace, { maxLength: 5 }))
      .map(([rs, ps]) => `module m\n\nrequire (\n${rs.map((r) => `${r}\n`).join('')})\n\nreplace (\n${ps.map((r) => `${r}\n`).join('')})\n`);
    const view = (r: ReturnType<typeof parseModFile>, shift: number) => ({
      require: r.value?.require.map((q) => [q.mod.path, q.mod.version, q.indirect, q.syntax.start.line - shift]),
      replace: r.value?.replace.map((q) => [q.old.path, q.old.version, q.new.path, q.new.version, q.syntax.start.line - shift]),
      errors: r.errors.map((e) => [e.line - shift, e.column, e.message]),
    });
    fc.assert(fc.property(file, fc.boolean(), (text, lax) => {
      assert.ok(parsePlainSyntax(text, 'go.mod'));
      // A whole-line comment first sends the same statements, a line lower, through the general lexer.
      const general = parseModFile(`// general\n${text}`, 'go.mod', { lax });
      assert.deepEqual(view(parseModFile(text, 'go.mod', { lax }), 0), view(general, 1));
    }), { numRuns: 1500 });
  });

  it('remembers short lines only: long words and lines are read every time, so the tables stay small whatever the input', () => {
    const block = (n: number, pathOf: (i: number) => string) =>
      `module m\n\nrequire (\n${Array.from({ length: n }, (_, i) => `\t${pathOf(i)} v1.0.${i}\n`).join('')})\n`;
    const lines = plainLineCount();
    const usual = usualLineCount();
    const short = parseModFile(block(300, (i) => `short.example/p${i}`), 'go.mod');
    assert.equal(short.value!.require.length, 300);
    assert.ok(plainLineCount() - lines === 300 || plainLineCount() < lines, 'short lines are remembered (or the table was emptied when full)');
    assert.ok(usualLineCount() - usual === 300 || usualLineCount() < usual);
    const before = [plainLineCount(), usualLineCount()];
    const long = parseModFile(block(300, (i) => `long.example/${'x'.repeat(300)}${i}`), 'go.mod');
    assert.deepEqual([plainLineCount(), usualLineCount()], before);
    assert.deepEqual(long.value!.require.map((r) => r.mod.version).slice(0, 2), ['v1.0.0', 'v1.0.1']);
    assert.equal(long.value!.require[299]!.mod.path, `long.example/${'x'.repeat(300)}299`);
    assert.equal(JSON.stringify(long.value!.syntax), JSON.stringify(parseSyntax(block(300, (i) => `long.example/${'x'.repeat(300)}${i}`), 'go.mod').syntax));
  });

  it('gives parseSyntax\'s tree for every corpus go.mod it takes, and takes most of them', function () {
    if (!hasShared()) this.skip();
    const files = corpusFiles();
    let taken = 0;
    for (const f of files) if (same(readFileSync(path.join(CORPUS, f), 'utf8'), f)) taken++;
    assert.ok(taken * 2 > files.length, `the plain reader took ${taken} of ${files.length} corpus files`);
  });

  it('gives parseSyntax\'s tree through parseModFile for every corpus go.mod, lines met before included', function () {
    if (!hasShared()) this.skip();
    const texts = corpusFiles().map((f) => [f, readFileSync(path.join(CORPUS, f), 'utf8')] as const);
    // Twice over: the second time every block line was met before (in this file, a pass earlier).
    for (let pass = 0; pass < 2; pass++) {
      for (const [f, text] of texts) {
        const mod = parseModFile(text, f);
        if (!mod.value) continue;
        assert.equal(JSON.stringify(mod.value.syntax), JSON.stringify(parseSyntax(text, f).syntax), f);
      }
    }
  });

  it('gives the token starts of every requirement and replacement line as its tokens have them, before and after they are made', function () {
    if (!hasShared()) this.skip();
    const out = new Int32Array(12);
    let lines = 0;
    for (const f of corpusFiles()) {
      const mod = parseModFile(readFileSync(path.join(CORPUS, f), 'utf8'), f).value;
      if (!mod) continue;
      for (const line of [...mod.require, ...mod.replace].map((r) => r.syntax)) {
        const n = tokenStarts(line, out);
        const tokens = readTokens(line);
        assert.equal(n, Math.min(4, tokens.length), f);
        for (let k = 0; k < n; k++) assert.deepEqual([out[3 * k], out[3 * k + 1], out[3 * k + 2]], [tokens[k]!.start.line, tokens[k]!.start.column, tokens[k]!.start.offset], `${f}:${line.start.line}`);
        // Once made, the tokens themselves answer.
        void line.tokens;
        out.fill(0);
        assert.equal(tokenStarts(line, out), n);
        assert.equal(out[3 * (n - 1) + 2], tokens[n - 1]!.start.offset);
        lines++;
      }
    }
    assert.ok(lines > 1000, `${lines} lines`);
  });

  it('gives parseSyntax\'s tree for the conformance inputs it takes', function () {
    if (!hasShared()) this.skip();
    const cases = JSON.parse(readFileSync(path.join(CONFORMANCE, 'edge-cases.json'), 'utf8')) as Array<{ name: string; input: string }>;
    for (const c of cases) same(c.input, `${c.name}.mod`);
    const dir = path.join(CONFORMANCE, 'xmod-format');
    for (const f of readdirSync(dir)) if (f.endsWith('.in') || f.endsWith('.golden')) same(readFileSync(path.join(dir, f), 'utf8'), f);
  });
});
