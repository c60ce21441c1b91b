import { strict as assert } from 'node:assert';
import { formatFile, formatParseError, parseSyntax } from '../../src/gomod/index.ts';
import type { Line, LineBlock } from '../../src/gomod/index.ts';

describe('parseSyntax', () => {
  it('gives every token its line, code-point column and string offset', () => {
    const text = 'module example.com/m\n\nrequire (\n\tx.y/z v1.2.3 // indirect\n)\n';
    const { syntax, errors } = parseSyntax(text, 'go.mod');
    assert.deepEqual(errors, []);
    assert.equal(syntax.stmts.length, 2);
    const mod = syntax.stmts[0] as Line;
    assert.deepEqual(mod.tokens.map((t) => [t.text, t.start.line, t.start.column, t.start.offset]), [
      ['module', 1, 1, 0], ['example.com/m', 1, 8, 7],
    ]);
    const block = syntax.stmts[1] as LineBlock;
    assert.equal(block.kind, 'block');
    assert.deepEqual(block.lparen, { line: 3, column: 9, offset: 30 });
    const line = block.lines[0]!;
    assert.equal(line.inBlock, true);
    assert.deepEqual(line.tokens.map((t) => t.text), ['x.y/z', 'v1.2.3']);
    assert.deepEqual(line.start, { line: 4, column: 2, offset: 33 });
    assert.equal(text.slice(line.tokens[1]!.start.offset, line.tokens[1]!.end.offset), 'v1.2.3');
    assert.deepEqual(line.comments.suffix.map((c) => [c.token, c.suffix]), [['// indirect', true]]);
    assert.deepEqual(block.rparen, { line: 5, column: 1, offset: text.lastIndexOf(')') });
  });

  it('counts columns in code points, so astral characters are one column', () => {
    const text = 'module m\nrequire x.y/😀z v1.0.0 // 😀\n';
    const { syntax } = parseSyntax(text, 'go.mod');
    const line = syntax.stmts[1] as Line;
    assert.equal(line.tokens[1]!.text, 'x.y/😀z');
    assert.equal(line.tokens[2]!.start.column, 16);
    assert.equal(line.tokens[2]!.start.offset, 9 + 16);
    assert.equal(line.comments.suffix[0]!.token, '// 😀');
  });

  it('treats \\r as a blank, so CRLF files parse like LF ones', () => {
    const crlf = parseSyntax('module m\r\n\r\nrequire (\r\n\tx.y/z v1.0.0 // c\r\n)\r\n', 'go.mod');
    const lf = parseSyntax('module m\n\nrequire (\n\tx.y/z v1.0.0 // c\n)\n', 'go.mod');
    assert.deepEqual(crlf.errors, []);
    assert.equal(formatFile(crlf.syntax), formatFile(lf.syntax));
    const line = (crlf.syntax.stmts[1] as LineBlock).lines[0]!;
    assert.equal(line.comments.suffix[0]!.token, '// c');
  });

  it('attaches comments as x/mod does: whole-line before, end-of-line as suffix, lone runs as comment blocks', () => {
    const text = '// head\n\n// about m\nmodule m // eol\n\nrequire ( // open\n\t// inside\n\tx.y/z v1.0.0\n\n\t// trailing\n) // close\n';
    const { syntax } = parseSyntax(text, 'go.mod');
    assert.equal(syntax.stmts[0]!.kind, 'comments');
    assert.deepEqual(syntax.stmts[0]!.comments.before.map((c) => c.token), ['// head']);
    const mod = syntax.stmts[1] as Line;
    assert.deepEqual(mod.comments.before.map((c) => c.token), ['// about m']);
    assert.deepEqual(mod.comments.suffix.map((c) => c.token), ['// eol']);
    const block = syntax.stmts[2] as LineBlock;
    assert.deepEqual(block.lparenComments?.suffix.map((c) => c.token), ['// open']);
    assert.deepEqual(block.lines[0]!.comments.before.map((c) => c.token), ['// inside']);
    assert.deepEqual(block.rparenComments.before.map((c) => c.token), ['', '// trailing']);
    assert.deepEqual(block.rparenComments.suffix.map((c) => c.token), ['// close']);
    // x/mod prints comments before `)` at the outer margin.
    assert.equal(formatFile(syntax), text.replace('\t// trailing', '// trailing'));
  });

  it('keeps parsing verbs it does not know (anchor.lock uses the same syntax)', () => {
    const { syntax, errors } = parseSyntax('anchor (\n\tgolang.org/x/net v0.24.0\n)\nban x.y/z\n', 'anchor.lock');
    assert.deepEqual(errors, []);
    assert.equal((syntax.stmts[0] as LineBlock).tokens[0]!.text, 'anchor');
    assert.deepEqual((syntax.stmts[1] as Line).tokens.map((t) => t.text), ['ban', 'x.y/z']);
  });

  const errorCases: Array<[string, string, string]> = [
    ['unterminated block', 'module m\nrequire (\n\tx v1\n', 'go.mod:4: syntax error (unterminated block started at go.mod:2:1)'],
    ['newline in string', 'module "m\n', 'go.mod:1:10: unexpected newline in string'],
    ['EOF in string', 'module m\nrequire "x', 'go.mod:2:9: unexpected EOF in string'],
    ['NUL', 'module m\x00\n', "go.mod:1:9: unexpected input character '\\x00'"],
    ['BOM', '\ufeffmodule m\n', "go.mod:1: unexpected input character '\\ufeff'"],
    ['block comment', 'module m\n/* no */\n', 'go.mod:2: mod files must use // comments (not /* */ comments)'],
    ['text after )', 'require (\n\tx v1\n) x\n', 'go.mod:3:4: syntax error (expected newline after closing paren)'],
    ['form feed', 'module m\f\n', "go.mod:1:9: unexpected input character '\\f'"],
  ];
  for (const [name, text, want] of errorCases) {
    it(`reports ${name} where x/mod does`, () => {
      const r = parseSyntax(text, 'go.mod');
      assert.deepEqual(r.errors.map(formatParseError), [want]);
    });
  }

  it('reports an error column only past the first column, like x/mod', () => {
    const r = parseSyntax('\ufeffmodule m\n', 'go.mod');
    assert.equal(r.errors[0]!.column, 0);
    const s = parseSyntax('module m\x00', 'go.mod');
    assert.equal(s.errors[0]!.column, 9);
  });
});
