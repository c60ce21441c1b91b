// Property tests: whatever the input, the parsers return (never throw or hang) and every position
// they report lies inside the input.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  editSetRequire, applyTextEdits, formatFile, parseModFile, parseSyntax, parseWorkFile,
} from '../../src/gomod/index.ts';
import type { FileSyntax, ParseError, Position, Token } from '../../src/gomod/index.ts';
import { CORPUS, corpusFiles, hasShared } from '../conformance/shared.ts';

const SAMPLE = `// Copyright
module example.com/m // eol

go 1.22.0

toolchain go1.22.5

require (
\tgithub.com/a/b v1.2.3
\t"quoted.io/x" v0.0.0-20240101000000-abcdefabcdef // indirect
)

replace github.com/a/b v1.2.3 => ../b

retract [v1.0.0, v1.0.1] // oops
`;

/** Per-text line table, computed once so the checks stay linear on large inputs. */
class Lines {
  private readonly widths: number[];
  constructor(readonly text: string) {
    this.widths = text.split('\n').map((l) => {
      let n = 0;
      for (const _ of l) n++;
      return n;
    });
  }
  get count(): number {
    return this.widths.length;
  }
  width(line: number): number {
    return this.widths[line - 1]!;
  }
}

function assertPositionInside(lines: Lines, p: Position, what: string): void {
  assert.ok(p.line >= 1 && p.line <= lines.count, `${what}: line ${p.line} outside 1..${lines.count}`);
  assert.ok(p.column >= 1 && p.column <= lines.width(p.line) + 1, `${what}: column ${p.column} outside line ${p.line}`);
  assert.ok(p.offset >= 0 && p.offset <= lines.text.length, `${what}: offset ${p.offset} outside 0..${lines.text.length}`);
}

function assertErrorsInside(lines: Lines, errors: ParseError[]): void {
  for (const e of errors) {
    if (e.line === 0) continue;
    assert.ok(e.line >= 1 && e.line <= lines.count, `error line ${e.line} outside 1..${lines.count}: ${e.message}`);
    assert.ok(e.column === 0 || (e.column >= 2 && e.column <= lines.width(e.line) + 1), `error column ${e.column} outside line ${e.line}: ${e.message}`);
  }
}

function assertTokensInside(lines: Lines, syntax: FileSyntax): void {
  const text = lines.text;
  const token = (t: Token): void => {
    assertPositionInside(lines, t.start, `token ${JSON.stringify(t.text)}`);
    assertPositionInside(lines, t.end, `end of ${JSON.stringify(t.text)}`);
    assert.equal(text.slice(t.start.offset, t.end.offset), t.text);
  };
  for (const s of syntax.stmts) {
    assertPositionInside(lines, s.start, 'statement');
    for (const c of [...s.comments.before, ...s.comments.suffix]) if (c.token !== '') assert.equal(text.slice(c.start.offset, c.start.offset + c.token.length), c.token);
    if (s.kind === 'line') s.tokens.forEach(token);
    if (s.kind === 'block') {
      s.tokens.forEach(token);
      assertPositionInside(lines, s.lparen, '(');
      assertPositionInside(lines, s.rparen, ')');
      for (const l of s.lines) l.tokens.forEach(token);
    }
  }
}

function checkAll(text: string): void {
  const lines = new Lines(text);
  const syn = parseSyntax(text, 'go.mod');
  assertErrorsInside(lines, syn.errors);
  assertTokensInside(lines, syn.syntax);
  for (const r of [parseModFile(text, 'go.mod'), parseModFile(text, 'go.mod', { lax: true }), parseWorkFile(text, 'go.work')]) {
    assertErrorsInside(lines, r.errors);
    assert.equal(r.ok, r.errors.length === 0);
  }
  if (syn.errors.length === 0) {
    // Printing is stable: what the printer writes parses and prints to itself.
    const once = formatFile(syn.syntax);
    const again = parseSyntax(once, 'go.mod');
    assert.deepEqual(again.errors, [], `reprinted text does not parse: ${JSON.stringify(once)}`);
    assert.equal(formatFile(again.syntax), once);
  }
}

const ALPHABET = ['module', 'require', 'replace', 'retract', 'go', 'toolchain', 'exclude', 'godebug', 'tool', 'ignore', 'use',
  ' ', '\t', '\n', '\r\n', '(', ')', '[', ']', ',', '{', '}', '=>', '//', '// indirect', '/*', '"', '`', '\\', 'x.y/z', 'v1.2.3',
  'v2.0.0+incompatible', '1.22', 'go1.22.1', '../dir', '\u00a0', '\ufeff', '\x00', '😀', 'é', 'key=value', '[v1.0.0, v1.1.0]'];

const goModish = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 60 }).map((parts) => parts.join(''));

/** Mutations of a valid file: insert, delete or replace a piece at some position. */
function mutated(base: string): fc.Arbitrary<string> {
  const op = fc.record({
    at: fc.nat({ max: base.length }),
    len: fc.nat({ max: 12 }),
    piece: fc.oneof(fc.constantFrom(...ALPHABET), fc.string({ unit: 'binary', maxLength: 4 })),
  });
  return fc.array(op, { minLength: 1, maxLength: 4 }).map((ops) => {
    let t = base;
    for (const o of ops) {
      const at = Math.min(o.at, t.length);
      t = t.slice(0, at) + o.piece + t.slice(Math.min(t.length, at + o.len));
    }
    return t;
  });
}

describe('parser properties', () => {
  it('never throws on arbitrary text and reports positions inside it', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), checkAll), { numRuns: 250 });
  });

  it('never throws on go.mod-like token soup', () => {
    fc.assert(fc.property(goModish, checkAll), { numRuns: 600 });
  });

  it('never throws on mutations of a valid go.mod', () => {
    fc.assert(fc.property(mutated(SAMPLE), checkAll), { numRuns: 600 });
  });

  it('never throws on mutations of corpus files', function () {
    if (!hasShared()) this.skip();
    const files = corpusFiles();
    const texts = [0, 7, 42, 99, 150, 200, 286].map((i) => readFileSync(path.join(CORPUS, files[i % files.length]!), 'utf8'));
    fc.assert(fc.property(fc.constantFrom(...texts).chain(mutated), checkAll), { numRuns: 150 });
  });

  it('finishes on pathological input (deep nesting, huge lines, many blocks)', function () {
    // A bound on hanging, not a speed assertion: a slow shared machine must not fail it.
    this.timeout(120_000);
    checkAll('('.repeat(20_000));
    checkAll('require (\n'.repeat(2_000));
    checkAll('x'.repeat(100_000));
    checkAll('// c\n'.repeat(5_000));
    checkAll(`require (\n${'\tx.y/z v1.0.0 // indirect\n'.repeat(5_000)})\n`);
  });

  it('edits of requirements in mutated files keep a parseable file', () => {
    fc.assert(fc.property(mutated(SAMPLE), fc.constantFrom('github.com/a/b', 'quoted.io/x', 'new.io/dep'), (text, dep) => {
      const r = parseModFile(text, 'go.mod');
      if (!r.ok) return;
      const out = applyTextEdits(text, editSetRequire(r.value, dep, 'v1.9.9'));
      const again = parseModFile(out, 'go.mod');
      assert.ok(again.ok, `edited text does not parse: ${JSON.stringify(out)}`);
      assert.equal(again.value.require.find((q) => q.mod.path === dep)?.mod.version, 'v1.9.9');
    }), { numRuns: 300 });
  });
});

describe('parser error bounds', () => {
  it('keeps at most a thousand errors of a file of bad lines, plus one saying the rest is not reported', async () => {
    const { MAX_ERRORS } = await import('../../src/gomod/modfile.ts');
    const { parseAnchorLock } = await import('../../anchors/lock.ts');
    const text = 'module m\n' + 'require x.y/z 1.0\n'.repeat(5000);
    const r = parseModFile(text, 'go.mod');
    assert.equal(r.errors.length, MAX_ERRORS + 1);
    assert.match(r.errors.at(-1)!.message, /too many errors/);
    assert.equal(r.errors[0]!.line, 2);
    const lock = parseAnchorLock('anchor x.y/z 1.0\n'.repeat(5000), 'anchor.lock');
    assert.equal(lock.errors.length, MAX_ERRORS + 1);
  });
});
