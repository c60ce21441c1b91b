// PR mode and shards give the same JSON and exit code with or without a cache, over a few generated
// monorepos in git (`npm run fuzz:pr` runs many more seeds of the same comparisons).
import { strict as assert } from 'node:assert';
import { generateCase, runCase } from './pr-differential.ts';
import { cliEnv } from '../support/run-cli.ts';

describe('hardening/pr-differential: PR mode and shards against the cache, on generated monorepos', function () {
  this.timeout(120_000);

  it('generates the same case from the same seed, and other cases from other seeds', () => {
    assert.deepEqual(generateCase(7), generateCase(7));
    const cases = [1, 2, 3, 4, 5].map((seed) => JSON.stringify({ ...generateCase(seed), seed: 0 }));
    assert.equal(new Set(cases).size, cases.length);
    // Every case has something to compare: modules at the base and a change.
    for (let seed = 1; seed <= 5; seed++) {
      const c = generateCase(seed);
      assert.ok(Object.keys(c.files).some((f) => f.endsWith('go.mod')), `seed ${seed}: no go.mod`);
      assert.ok(Object.keys(c.change.committed).length + Object.keys(c.change.uncommitted).length > 0, `seed ${seed}: no change`);
    }
  });

  // Seeds with three or four shards: 4 edits a go.work and a go.sum (no graph files), 16 breaks and
  // renames modules and adds one, 24 moves, renames and deletes modules.
  for (const seed of [4, 16, 24]) {
    it(`seed ${seed}: no cache, a cold and a warm pack, the base's kept findings, every shard and full checks agree`, () => {
      const c = generateCase(seed);
      const result = runCase(seed, { env: cliEnv() });
      assert.equal(result.seed, seed);
      assert.deepEqual(result.differences, [], result.differences.map((d) => `${d.what}\n  ${d.a}\n  ${d.b}\n${d.diff}`).join('\n\n'));
      // Six comparisons besides the shards, two per PR shard.
      assert.equal(result.comparisons, 6 + 2 * c.shards);
      assert.ok(result.comparisons > 10);
      assert.equal(result.dir, undefined);
    });
  }
});
