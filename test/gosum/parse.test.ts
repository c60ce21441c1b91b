import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parseGoSum, parseGoSumBytes, EMPTY_GO_MOD_HASH, SumTable, SUM_STRIDE, type CompactOptions } from '../../src/gosum/parse.ts';
import type { GoSum } from '../../src/engine/types.ts';

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
    // A line of many fields is counted whole, its fields not all kept.
    const many = parseGoSum(`${'a '.repeat(100_000)}\n`, 'm/go.sum');
    assert.deepEqual(many.errors.map((e) => [e.line, e.column, e.message]), [[1, 1, 'malformed go.sum line: wrong number of fields 100000 (want "module version[/go.mod] hash")']]);
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

    describe('parseGoSumBytes', () => {
      const enc = (s: string) => Buffer.from(s, 'utf8');
      // Line parts: keys and hashes from small pools, so that files share them, with odd ones among them.
      const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
      const h1 = (n: number) => `h1:${Array.from({ length: 43 }, (_, i) => B64[(n * 7 + i * 13 + (n >> 2) * i) % 64]).join('')}=`;
      const pathArb = fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom('a.com/x', 'b.org/y/v2', 'github.com/acme/backoff', 'golang.org/x/net', 'c.io/zz') },
        fc.constantFrom('é.com/x', 'a\u0001.com/x', 'a\u007f.com/x', '\u{1F600}/p', 'x\u00a0y', 'a.com/\ufffd'),
        fc.constantFrom(4095, 4096, 4097, 6000).map((n) => 'p'.repeat(n)),
        fc.string({ minLength: 1, maxLength: 12 }),
      );
      const versionArb = fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom('v1.0.0', 'v1.0.0/go.mod', 'v0.24.0', 'v0.24.0/go.mod', 'v2.1.3-pre', 'v2.1.3-pre/go.mod') },
        fc.constantFrom('1.0.0', 'v1.0.0/x', 'v1/go.mod/go.mod', 'vX', 'v1.0.0/go.mod\u0000', '/go.mod', 'v1/go.mod'),
      );
      const hashArb = fc.oneof(
        { weight: 8, arbitrary: fc.nat(5).map(h1) },
        fc.constantFrom(EMPTY_GO_MOD_HASH, `h1:${'A'.repeat(43)}!`, `h2:${'B'.repeat(43)}=`, 'h2:abc', `h1:${'C'.repeat(44)}=`, `h1:${'D'.repeat(42)}=`,
          `h1:${'E'.repeat(20)} ${'E'.repeat(22)}=`, `h1:${'F'.repeat(20)}\u00e9${'F'.repeat(21)}=`, 'h1:', `${h1(1)}\u0000`),
      );
      const sepArb = fc.oneof({ weight: 10, arbitrary: fc.constant(' ') }, fc.constantFrom('  ', '\t', ' \t', '\u00a0', '\r'));
      const sumLineArb = fc.tuple(pathArb, sepArb, versionArb, sepArb, hashArb, fc.constantFrom('', '', '', ' ', ' extra', '\r', '\u2028'))
        .map(([p, s1, v, s2, h, tail]) => enc(`${p}${s1}${v}${s2}${h}${tail}`));
      // Bytes that are not UTF-8, or not text: lone continuation bytes, cut sequences, surrogates, overlongs, NUL.
      const junkArb = fc.oneof(
        fc.constantFrom(...[[0xff], [0x80], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf0, 0x9f, 0x98], [0x00], [0xef, 0xbb, 0xbf], [0x0d]]
          .map((b) => Uint8Array.from(b))),
        fc.uint8Array({ maxLength: 12 }),
      );
      const partArb = fc.oneof(
        { weight: 12, arbitrary: sumLineArb },
        { weight: 2, arbitrary: lineArb.map(enc) },
        { weight: 2, arbitrary: fc.tuple(sumLineArb, fc.nat(100), junkArb).map(([l, at, j]) => Buffer.concat([l.subarray(0, at % (l.length + 1)), j, l.subarray(at % (l.length + 1))])) },
        { weight: 1, arbitrary: junkArb },
        { weight: 1, arbitrary: fc.constant(enc('')) },
      );
      const fileArb = fc.tuple(fc.array(fc.tuple(partArb, fc.constantFrom('\n', '\n', '\n', '\r\n', '\r', '\r\r\n')), { maxLength: 25 }), fc.constantFrom('', '', '\n', '\r', '\r\n'))
        .map(([lines, last]) => {
          const parts: Uint8Array[] = [];
          lines.forEach(([l, end], i) => parts.push(l, enc(i === lines.length - 1 ? last : end)));
          return Buffer.concat(parts);
        });
      const anyFileArb = fc.oneof({ weight: 6, arbitrary: fileArb }, fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
        textArb.map(enc));
      // As a caller may pass them: a Buffer, or a plain Uint8Array that is a view into a larger buffer.
      const viewArb = (b: Buffer) => fc.constantFrom(b, (() => {
        const big = new Uint8Array(b.length + 7);
        big.set(b, 3);
        return big.subarray(3, 3 + b.length);
      })());

      const sameSum = (got: GoSum, want: GoSum, label: string) => {
        assert.equal(got.file, want.file);
        assert.deepEqual(got.compact!.data, want.compact!.data, label);
        assert.deepEqual(got.errors, want.errors, label);
        assert.deepEqual(got.warnings, want.warnings, label);
        assert.deepEqual(got.entries, want.entries, label);
      };
      const sameTable = (got: SumTable, want: SumTable) => {
        assert.deepEqual(got.keys, want.keys);
        assert.deepEqual(got.paths, want.paths);
        assert.deepEqual(got.versions, want.versions);
        assert.deepEqual(got.goMod, want.goMod);
        assert.deepEqual(got.hashes, want.hashes);
        assert.deepEqual(got.wellFormed, want.wellFormed);
      };

      it('reads bytes as parseGoSum reads their UTF-8 text, into a table shared across files', () => {
        // Each file is read into two tables that agree so far: one from the bytes, one from the text.
        fc.assert(fc.property(
          fc.array(fc.tuple(anyFileArb, fc.option(fc.nat(40), { nil: undefined }), fc.boolean()), { minLength: 1, maxLength: 6 }),
          (files) => {
            const byBytes = new SumTable();
            const byText = new SumTable();
            files.forEach(([bytes, below, view], i) => {
              const opts: CompactOptions = below === undefined ? {} : { keysBelow: below };
              const input = view ? Uint8Array.from(bytes) : bytes;
              const want = parseGoSum(bytes.toString('utf8'), `m${i}/go.sum`, byText, opts);
              const got = parseGoSumBytes(input, `m${i}/go.sum`, byBytes, opts);
              sameSum(got, want, `file ${i}: ${JSON.stringify(bytes.toString('latin1').slice(0, 2000))}`);
              sameTable(byBytes, byText);
            });
          }), { numRuns: 1500 });
      });

      it('reads a view into a larger buffer as its own bytes', () => {
        fc.assert(fc.property(fileArb.chain((b) => fc.tuple(fc.constant(b), viewArb(b))), ([bytes, input]) => {
          const byBytes = new SumTable();
          const byText = new SumTable();
          for (let k = 0; k < 2; k++) {
            sameSum(parseGoSumBytes(input, 'go.sum', byBytes), parseGoSum(bytes.toString('utf8'), 'go.sum', byText), 'view');
          }
          sameTable(byBytes, byText);
        }), { numRuns: 300 });
      });

      it('reads a table the text parser filled, and fills one the text parser reads on', () => {
        fc.assert(fc.property(fc.array(fc.tuple(fileArb, fc.boolean()), { minLength: 2, maxLength: 6 }), (files) => {
          const mixed = new SumTable();
          const byText = new SumTable();
          for (const [bytes, asText] of files) {
            const text = bytes.toString('utf8');
            const want = parseGoSum(text, 'go.sum', byText);
            sameSum(asText ? parseGoSum(text, 'go.sum', mixed) : parseGoSumBytes(bytes, 'go.sum', mixed), want, 'mixed');
          }
          sameTable(mixed, byText);
        }), { numRuns: 500 });
      });

      it('reads lines of keys too long for the byte index, with and without keysBelow', () => {
        const table = new SumTable();
        const byText = new SumTable();
        for (const n of [4080, 4095, 4096, 4097, 9000]) {
          const text = `${'p'.repeat(n)} v1.0.0 ${h1(1)}\na.com/x v1.0.0 ${h1(2)}\n${'q'.repeat(n)}/x v1.0.0/go.mod ${h1(3)}\n`;
          for (const opts of [{}, { keysBelow: 1 }, { keysBelow: 1000 }]) {
            sameSum(parseGoSumBytes(enc(text), 'go.sum', table, opts), parseGoSum(text, 'go.sum', byText, opts), `${n} ${JSON.stringify(opts)}`);
          }
        }
        sameTable(table, byText);
      });

      it('keeps the error cap on files of many bad lines', () => {
        const bytes = enc(Array.from({ length: 4000 }, (_, i) => (i % 3 === 0 ? `a.com/x v1.0.0 ${h1(i % 4)}` : i % 3 === 1 ? 'bad' : 'a.com/x v1.0.0 h2:x')).join('\n'));
        const got = parseGoSumBytes(bytes, 'go.sum', new SumTable());
        sameSum(got, parseGoSum(bytes.toString('utf8'), 'go.sum', new SumTable()), 'cap');
        assert.equal(got.errors.length, 1001);
        assert.equal(got.warnings!.length, 1001);
      });

      const bench = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/out/monorepo-1000-s1');
      it('reads the benchmark go.sum files as the text parser does', function () {
        if (!existsSync(bench)) this.skip();
        this.timeout(120_000);
        const files: string[] = [];
        const walk = (dir: string) => {
          for (const e of readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name === 'go.sum') files.push(p);
          }
        };
        walk(bench);
        files.sort();
        assert.ok(files.length >= 1000, `${files.length} go.sum files`);
        const byBytes = new SumTable();
        const byText = new SumTable();
        for (const file of files) {
          const bytes = readFileSync(file);
          const want = parseGoSum(bytes.toString('utf8'), file, byText);
          const got = parseGoSumBytes(bytes, file, byBytes);
          assert.deepEqual(got.compact!.data, want.compact!.data, file);
          assert.deepEqual(got.errors, want.errors, file);
          assert.deepEqual(got.warnings, want.warnings, file);
        }
        sameTable(byBytes, byText);
        // Every key again, read only for the first half of the keys.
        const below = byText.keys.length >> 1;
        for (const file of files.slice(0, 50)) {
          const bytes = readFileSync(file);
          const want = parseGoSum(bytes.toString('utf8'), file, byText, { keysBelow: below });
          assert.deepEqual(parseGoSumBytes(bytes, file, byBytes, { keysBelow: below }).compact!.data, want.compact!.data, file);
        }
      });
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
