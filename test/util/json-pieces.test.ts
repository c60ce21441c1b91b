import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { batched, jsonPieces } from '../../src/util/json-pieces.ts';

// Values as a program hands them to JSON.stringify: JSON, plus members JSON leaves out (undefined,
// functions), holes and undefined in arrays, objects with toJSON (dates) and integer-like keys.
const odd = fc.constantFrom<unknown>(undefined, () => 1, new Date(Date.UTC(2026, 0, 2)), { toJSON: () => ['x'] }, { 10: 'a', 2: 'b', k: [] }, []);
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), odd, fc.array(tie('v'), { maxLength: 5 }), fc.dictionary(fc.string({ maxLength: 4 }), tie('v'), { maxKeys: 5 })),
})).v.filter((v) => JSON.stringify(v) !== undefined);

describe('util/json-pieces', () => {
  it('joins to exactly what JSON.stringify writes, for any spacing and depth', () => {
    fc.assert(fc.property(value, fc.constantFrom(0, 2, 4), fc.integer({ min: 0, max: 5 }), (v, space, depth) => {
      assert.equal([...jsonPieces(v, space, depth)].join(''), JSON.stringify(v, null, space));
    }), { numRuns: 2000 });
  });

  it('takes arrays and objects apart an element at a time down to the depth asked', () => {
    const v = { a: [1, { b: [2, 3] }], c: 'x' };
    const pieces = [...jsonPieces(v, 2, 2)];
    assert.deepEqual(pieces, ['{\n  "a": ', '[\n    ', '1', ',\n    ', '{\n      "b": [\n        2,\n        3\n      ]\n    }', '\n  ]', ',\n  "c": ', '"x"', '\n}']);
    assert.deepEqual([...jsonPieces(v, 0, 0)], [JSON.stringify(v)]);
  });

  it('batches pieces into writes of about the size asked, losing nothing', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 30 })), fc.integer({ min: 1, max: 64 }), (pieces, size) => {
      const out = [...batched(pieces, size)];
      assert.equal(out.join(''), pieces.join(''));
      for (const b of out.slice(0, -1)) assert.ok(b.length >= size);
      assert.ok(out.every((b) => b !== ''));
    }));
  });
});
