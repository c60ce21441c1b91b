import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { FNV_OFFSET, fnvWords, grown, hashWord, sameBytes, wordHash } from '../../src/util/bytes.ts';

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

describe('util/bytes', () => {
  it('hashWord ends a word at its first byte outside 33-126 and hashes it as fnvWords does, at any offset', () => {
    const word = fc.string({ unit: fc.integer({ min: 33, max: 126 }).map((c) => String.fromCharCode(c)), maxLength: 40 });
    const stop = fc.constantFrom('', ' ', '\n', '\r\n', '\t', '\u0000', '\u007f', 'é');
    fc.assert(fc.property(fc.nat(7), word, stop, word, fc.integer(), (pad, w, s, rest, seed) => {
      const bytes = Buffer.from(`${'x'.repeat(pad)}${w}${s}${rest}`, 'utf8');
      const end = hashWord(bytes, view(bytes), pad, bytes.length, seed | 0);
      assert.equal(end, s === '' ? pad + w.length + rest.length : pad + w.length);
      assert.equal(wordHash, fnvWords(bytes, view(bytes), pad, end, seed | 0));
    }), { numRuns: 2000 });
    assert.equal(hashWord(Buffer.from('ab'), view(Buffer.from('ab')), 0, 2, FNV_OFFSET), 2);
  });

  it('sameBytes compares two ranges as their bytes, whatever their offsets', () => {
    // The same bytes at two offsets, one byte of the second copy changed or not.
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(8), fc.nat(8), fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }))), (base, ai, bi, change) => {
      const a = new Uint8Array(ai + base.length);
      a.set(base, ai);
      const b = new Uint8Array(bi + base.length + 3);
      b.set(base, bi);
      if (change && base.length > 0) b[bi + (change[0] % base.length)] = change[1];
      const want = Buffer.from(a.subarray(ai)).equals(Buffer.from(b.subarray(bi, bi + base.length)));
      assert.equal(sameBytes(a, view(a), ai, b, view(b), bi, base.length), want);
    }), { numRuns: 3000 });
    const same = Buffer.from('corp.example.com/mono/libs/x@v1.0.0 corp.example.com/mono/libs/x@v1.0.0');
    assert.ok(sameBytes(same, view(same), 0, same, view(same), 36, 35));
  });

  it('grown keeps an array that is long enough and copies one that is not into one twice as long as needed', () => {
    const a = Int32Array.from([1, 2, 3]);
    assert.equal(grown(a, 3), a);
    const b = grown(a, 4);
    assert.ok(b instanceof Int32Array);
    assert.deepEqual([...b], [1, 2, 3, 0, 0, 0]);
    const c = grown(new Uint8Array(2), 9);
    assert.ok(c instanceof Uint8Array && c.length === 16);
    assert.equal(grown(new Uint32Array(0), 1).length, 2);
  });
});
