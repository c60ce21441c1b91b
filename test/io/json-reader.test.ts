import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { UsageError } from '../../src/commands/context.ts';
import { parseObjectSkipping } from '../../src/io/json-reader.ts';

describe('io/json-reader', () => {
  it('parseObjectSkipping reads an object as JSON.parse does, the members it skips as [] (arrays) or null', () => {
    const skip = new Set(['big', 'findings']);
    fc.assert(fc.property(fc.dictionary(fc.constantFrom('big', 'findings', 'a', 'b', '__proto__', 'n'), fc.jsonValue({ maxDepth: 3 })), fc.constantFrom(0, 2), (obj, space) => {
      const text = JSON.stringify(obj, null, space);
      const expected = JSON.parse(text) as Record<string, unknown>;
      for (const k of Object.keys(expected)) if (skip.has(k)) Object.defineProperty(expected, k, { value: Array.isArray(expected[k]) ? [] : null, enumerable: true, writable: true, configurable: true });
      assert.deepEqual(parseObjectSkipping(Buffer.from(text), 'o.json', skip), expected);
    }), { numRuns: 500 });
    // Outside what it skips, what JSON.parse refuses is refused, with its place.
    assert.throws(() => parseObjectSkipping(Buffer.from('{"big": [1, 2], "a": tru}'), 'o.json', skip), (e: Error) => e instanceof UsageError && /^o\.json: invalid JSON at line 1, column 25: /.test(e.message));
    assert.throws(() => parseObjectSkipping(Buffer.from('{"big": [1, "2]}'), 'o.json', skip), (e: Error) => e instanceof UsageError && /a string that does not end/.test(e.message));
    assert.throws(() => parseObjectSkipping(Buffer.from('[1]'), 'o.json', skip), (e: Error) => e instanceof UsageError && /not a JSON object/.test(e.message));
  });

  it('names the column of an error far along one line (in characters, a line of megabytes never made one string)', () => {
    // Two-byte characters across the 4 MB pieces the place is counted in.
    const text = `{"a": "${'é'.repeat(3_000_001)}", "b": tru}`;
    assert.throws(() => parseObjectSkipping(Buffer.from(text), 'one-line.json', new Set()),
      (e: Error) => e instanceof UsageError && e.message.startsWith(`one-line.json: invalid JSON at line 1, column ${text.length}: `));
  });
});
