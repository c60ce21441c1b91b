import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseGoSum, EMPTY_GO_MOD_HASH, SumTable, SUM_STRIDE } from '../../src/gosum/parse.ts';

const H = 'h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
const H2 = 'h1:MDBk5O1uM2M2ka8DrdUM2TOvDxXd5PmmgrH0n/wBKTw=';

describe('parseGoSum', () => {
  it('reads version and /go.mod lines with their line numbers', () => {
    const text = `golang.org/x/net v0.24.0 ${H}\ngolang.org/x/net v0.24.0/go.mod ${H2}\n\ngithub.com/a/b/v2 v2.0.1-0.20240101000000-abcdefabcdef ${H}\n`;
    const sum = parseGoSum(text, 'svc/go.sum');
    assert.deepEqual(sum.errors, []);
    assert.deepEqual(sum.entries, [
      { path: 'golang.org/x/net', version: 'v0.24.0', isGoMod: false, hash: H, line: 1 },
      { path: 'golang.org/x/net', version: 'v0.24.0', isGoMod: true, hash: H2, line: 2 },
      { path: 'github.com/a/b/v2', version: 'v2.0.1-0.20240101000000-abcdefabcdef', isGoMod: false, hash: H, line: 4 },
    ]);
    assert.equal(sum.file, 'svc/go.sum');
  });

  it('accepts CRLF, tabs and repeated spaces as the go command does', () => {
    const sum = parseGoSum(`a.com/x v1.0.0 ${H}\r\n  a.com/y\tv1.0.0/go.mod   ${H2}  \r\n`, 'go.sum');
    assert.deepEqual(sum.errors, []);
    assert.deepEqual(sum.entries.map((e) => [e.path, e.version, e.isGoMod, e.hash, e.line]), [
      ['a.com/x', 'v1.0.0', false, H, 1],
      ['a.com/y', 'v1.0.0', true, H2, 2],
    ]);
  });

  it('reports a wrong number of fields at the first field', () => {
    const sum = parseGoSum(`a.com/x v1.0.0 ${H}\n   a.com/y v1.0.0\na.com/z v1 ${H} extra\n`, 'm/go.sum');
    assert.equal(sum.entries.length, 1);
    assert.deepEqual(sum.errors.map((e) => [e.file, e.line, e.column]), [['m/go.sum', 2, 4], ['m/go.sum', 3, 1]]);
    assert.match(sum.errors[0]!.message, /wrong number of fields 2/);
    assert.match(sum.errors[1]!.message, /wrong number of fields 4/);
  });

  it('rejects damaged h1 hashes and hashes without an algorithm, at the hash column', () => {
    const sum = parseGoSum([
      'a.com/x v1.0.0 h1:short=',
      `a.com/x v1.0.0 ${H.slice(3)}`,
      `a.com/x v1.0.0 ${H.replace('=', '*')}`,
    ].join('\n'), 'go.sum');
    assert.equal(sum.entries.length, 0);
    assert.deepEqual(sum.errors.map((e) => [e.line, e.column]), [[1, 16], [2, 16], [3, 16]]);
    assert.match(sum.errors[0]!.message, /invalid h1 hash "h1:short="/);
    assert.match(sum.errors[1]!.message, /no algorithm prefix/);
  });

  it('keeps unknown hash algorithms with a warning, as the go command keeps them', () => {
    const sum = parseGoSum(`a.com/x v1.0.0 h2:abcdef\n`, 'go.sum');
    assert.deepEqual(sum.errors, []);
    assert.equal(sum.entries.length, 1);
    assert.equal(sum.entries[0]!.hash, 'h2:abcdef');
    assert.equal(sum.warnings!.length, 1);
    assert.match(sum.warnings![0]!.message, /unknown hash algorithm "h2:"/);
    assert.equal(sum.warnings![0]!.column, 16);
  });

  it('drops the old empty-go.mod hash with a warning', () => {
    const sum = parseGoSum(`a.com/x v1.0.0/go.mod ${EMPTY_GO_MOD_HASH}\n`, 'go.sum');
    assert.equal(sum.entries.length, 0);
    assert.equal(sum.errors.length, 0);
    assert.equal(sum.warnings!.length, 1);
  });

  it('rejects versions that are not versions', () => {
    const sum = parseGoSum(`a.com/x 1.0.0 ${H}\na.com/x v1.0.0/go.sum ${H}\n`, 'go.sum');
    assert.equal(sum.entries.length, 0);
    assert.deepEqual(sum.errors.map((e) => [e.line, e.column]), [[1, 9], [2, 9]]);
    assert.match(sum.errors[0]!.message, /invalid version "1.0.0"/);
  });

  it('counts columns in code points', () => {
    const sum = parseGoSum(`\u{1F600} 𝔸 v1.0.0\n`, 'go.sum');
    // The fields are 😀, 𝔸 and v1.0.0: "𝔸" is in the version place and starts in code-point column 3.
    assert.equal(sum.errors.length, 1);
    assert.equal(sum.errors[0]!.column, 3);
  });

  it('accepts an empty file and a file of blank lines', () => {
    assert.deepEqual(parseGoSum('', 'go.sum').entries, []);
    const sum = parseGoSum('\n \n\t\r\n', 'go.sum');
    assert.deepEqual([sum.entries, sum.errors], [[], []]);
  });

  describe('properties', () => {
    const lineArb = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.constantFrom(`a.com/x v1.0.0 ${H}`, `a.com/x v1.0.0/go.mod ${H2}`, 'a b c', '\u0000 \uD800 v1', 'x v1 h1:'),
      fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), fc.string({ maxLength: 50 })).map((t) => t.join(' ')),
    );
    const textArb = fc.oneof(fc.string({ maxLength: 400, unit: 'binary' }), fc.array(lineArb, { maxLength: 30 }).map((ls) => ls.join('\n')),
      fc.array(lineArb, { maxLength: 30 }).map((ls) => ls.join('\r\n')));

    it('never throws and every position lies inside the input', () => {
      fc.assert(fc.property(textArb, (text) => {
        const sum = parseGoSum(text, 'go.sum');
        const lines = text.split('\n');
        for (const p of [...sum.errors, ...(sum.warnings ?? [])]) {
          assert.ok(p.line >= 1 && p.line <= lines.length, `line ${p.line} of ${lines.length}`);
          const lineLen = [...lines[p.line - 1]!].length;
          assert.ok(p.column >= 1 && p.column <= lineLen, `column ${p.column} of ${lineLen}`);
        }
        for (const e of sum.entries) {
          assert.ok(e.line >= 1 && e.line <= lines.length);
          assert.ok(lines[e.line - 1]!.includes(e.hash));
        }
      }), { numRuns: 2000 });
    });

    it('reads the same entries, errors and warnings into a shared table as without one', () => {
      // One table across many texts: a key or hash first met on an odd line (or a warning line)
      // must not let a later line skip the checks it needs.
      const table = new SumTable();
      const mixedArb = fc.array(fc.oneof(lineArb,
        fc.constantFrom(`a.com/x v1.0.0 h2:abc`, `a.com/x v1.0.0  ${H}`, `a.com/x v1.0.0/go.mod ${EMPTY_GO_MOD_HASH}`,
          `a.com/x v1.0.0 ${EMPTY_GO_MOD_HASH}`, `a.com/x v1.0.0 h1:${'A'.repeat(43)}!`, `a.com/x\tv1.0.0 ${H2}`, `a.com/x v1.0.0/x ${H}`)),
      { maxLength: 30 }).map((ls) => ls.join('\n'));
      fc.assert(fc.property(fc.oneof(textArb, mixedArb), (text) => {
        const plain = parseGoSum(text, 'go.sum');
        const compact = parseGoSum(text, 'go.sum', table);
        assert.ok(compact.compact && compact.compact.table === table);
        assert.equal(compact.compact.data.length, plain.entries.length * SUM_STRIDE);
        // The column kept for each line is that of its hash.
        const lines = text.split('\n');
        for (let i = 0; i < compact.compact.data.length; i += SUM_STRIDE) {
          const raw = lines[compact.compact.data[i + 2]! - 1]!;
          const col = compact.compact.data[i + 3]!;
          assert.ok([...raw].slice(col - 1).join('').startsWith(table.hashes[compact.compact.data[i + 1]!]!), `${JSON.stringify(raw)} column ${col}`);
        }
        assert.deepEqual(compact.entries, plain.entries);
        assert.deepEqual(compact.errors, plain.errors);
        assert.deepEqual(compact.warnings, plain.warnings);
      }), { numRuns: 3000 });
    });

    it('reads only the lines of known keys with keysBelow, as if the other lines were blank', () => {
      // The reference: a line with two spaces whose text up to the second space is not a wanted
      // key is blanked; every other line is kept for the parser to judge.
      const blank = (text: string, keys: ReadonlySet<string>) => text.split('\n').map((line) => {
        const sp = line.indexOf(' ');
        const sp2 = sp > 0 ? line.indexOf(' ', sp + 1) : -1;
        return sp2 < 0 || keys.has(line.slice(0, sp2)) ? line : '';
      }).join('\n');
      const pool = [`a.com/x v1.0.0 ${H}`, `a.com/x v1.0.0/go.mod ${H2}`, `b.com/y v0.1.0 ${H}`, `b.com/y v0.1.0 ${H2}`,
        `c.com/z v2.0.0/go.mod ${H}`, `a.com/x v1.0.0 h2:abc`, `a.com/x  v1.0.0 ${H}`, `a.com/x v1.0.0\t${H2}`, `a.com/x v1.0.0 ${H} extra`, 'a.com/x v1.0.0'];
      const lines = fc.array(fc.oneof(fc.constantFrom(...pool), lineArb), { maxLength: 25 });
      fc.assert(fc.property(lines, lines, fc.boolean(), (wanted, other, crlf) => {
        const table = new SumTable();
        const first = parseGoSum(wanted.join('\n'), 'a/go.sum', table);
        const keys = new Set(first.entries.map((e) => `${e.path} ${e.version}${e.isGoMod ? '/go.mod' : ''}`));
        const below = table.keys.length;
        const text = other.join(crlf ? '\r\n' : '\n');
        const got = parseGoSum(text, 'b/go.sum', table, { keysBelow: below });
        const want = parseGoSum(blank(text, keys), 'b/go.sum');
        assert.deepEqual(got.entries, want.entries);
        assert.deepEqual(got.errors, want.errors);
        assert.deepEqual(got.warnings, want.warnings);
      }), { numRuns: 3000 });
    });

    it('round-trips well-formed entries', () => {
      const seg = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
      const entry = fc.record({
        path: fc.array(seg, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')),
        version: fc.tuple(fc.nat(30), fc.nat(30), fc.nat(30)).map(([a, b, c]) => `v${a}.${b}.${c}`),
        isGoMod: fc.boolean(),
        hash: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => 'h1:' + Buffer.from(b).toString('base64')),
      });
      fc.assert(fc.property(fc.array(entry, { maxLength: 20 }), (entries) => {
        const text = entries.map((e) => `${e.path} ${e.version}${e.isGoMod ? '/go.mod' : ''} ${e.hash}\n`).join('');
        const sum = parseGoSum(text, 'go.sum');
        const expected = entries.filter((e) => !(e.isGoMod && e.hash === EMPTY_GO_MOD_HASH)).map((e) => ({ ...e }));
        assert.deepEqual(sum.errors, []);
        assert.deepEqual(sum.entries.map(({ line, ...rest }) => rest), expected);
        // The general path (taken for any other spacing) agrees with the fast one.
        const spaced = parseGoSum(text.replace(/ /g, ' \t '), 'go.sum');
        assert.deepEqual(spaced.entries, sum.entries);
      }));
    });
  });
});
