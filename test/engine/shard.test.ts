import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { UsageError } from '../../src/commands/context.ts';
import { hashString, parseShardSpec, selectShard, shardOf } from '../../src/engine/shard.ts';

const dirs = (n: number, prefix = 'svc/m') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('engine/shard', () => {
  describe('parseShardSpec', () => {
    for (const [s, k, n] of [['1/1', 1, 1], ['2/4', 2, 4], [' 4/4 ', 4, 4], ['10/16', 10, 16]] as const) {
      it(`reads ${JSON.stringify(s)}`, () => assert.deepEqual(parseShardSpec(s), { k, n }));
    }
    for (const [s, why] of [
      ['0/4', /K must be between 1 and N \(4\)/],
      ['5/4', /K must be between 1 and N \(4\)/],
      ['1/0', /N must be between 1 and 10000/],
      ['1/20000', /N must be between 1 and 10000/],
      ['2', /expects K\/N, e\.g\. 2\/4, got "2"/],
      ['-1/4', /expects K\/N/],
      ['1.5/4', /expects K\/N/],
      ['a/b', /expects K\/N/],
      ['', /expects K\/N/],
    ] as const) {
      it(`rejects ${JSON.stringify(s)} with a UsageError`, () => {
        assert.throws(() => parseShardSpec(s), (e: Error) => e instanceof UsageError && why.test(e.message));
      });
    }
  });

  it('hashes with a fixed recipe (FNV-1a + murmur3 finalizer over UTF-8): changing it reshuffles every CI setup', () => {
    // Values computed independently from the recipe; they must never change.
    assert.equal(hashString(''), 2872998923);
    assert.equal(hashString('.'), 1953056956);
    assert.equal(hashString('svc/a'), 3615594824);
    assert.equal(hashString('svc/b'), 1090384777);
    assert.equal(hashString('ünï/cödé'), 3564248857);
    assert.equal(shardOf('svc/a', 4), 1);
    assert.equal(shardOf('svc/b', 4), 2);
  });

  it('splits any module list into N disjoint shards that cover it', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.string({ maxLength: 20 }), { maxLength: 60 }), fc.integer({ min: 1, max: 9 }), (list, n) => {
      const seen = new Set<string>();
      for (let k = 1; k <= n; k++) {
        for (const d of selectShard(list, k, n)) {
          assert.ok(!seen.has(d), `${d} is in two shards`);
          seen.add(d);
        }
      }
      assert.deepEqual([...seen].sort(), [...list].sort());
    }));
  });

  it('keeps every other module in its shard when a module is added or removed', () => {
    const before = dirs(500);
    const after = [...before.slice(1), 'svc/new', 'a/first'];
    for (let k = 1; k <= 8; k++) {
      const a = selectShard(before, k, 8);
      const b = selectShard(after, k, 8);
      for (const d of before.slice(1)) assert.equal(a.has(d), b.has(d), `${d} moved`);
    }
  });

  it('does not depend on the order of the list', () => {
    const list = dirs(200);
    assert.deepEqual([...selectShard([...list].reverse(), 3, 5)].sort(), [...selectShard(list, 3, 5)].sort());
  });

  it('balances similar paths over the shards', () => {
    const list = dirs(2000);
    for (const n of [2, 4, 7]) {
      const sizes = Array.from({ length: n }, (_, i) => selectShard(list, i + 1, n).size);
      const even = list.length / n;
      for (const s of sizes) assert.ok(Math.abs(s - even) < even * 0.15, `shard sizes ${sizes.join(', ')} for N=${n}`);
    }
  });

  it('gives a go.work that uses no module of the repository to exactly one shard, and one that uses modules to none by itself', async () => {
    const { shardFocus } = await import('../../src/engine/shard.ts');
    const { buildRepository } = await import('../support/rule-tester.ts');
    const repo = buildRepository({
      files: {
        'a/go.mod': 'module example.com/a\n', 'b/go.mod': 'module example.com/b\n',
        'ws/go.work': 'go 1.22\n\nuse ./gone\n', 'go.work': 'go 1.22\n\nuse ./a\n',
      },
    });
    for (const n of [1, 2, 3, 5]) {
      const foci = Array.from({ length: n }, (_, i) => shardFocus(repo, i + 1, n));
      assert.equal(foci.filter((f) => f.has('ws')).length, 1, `n=${n}`);
      assert.equal(foci.filter((f) => f.has('.')).length, 0, `n=${n}: the root go.work goes with a/`);
      assert.deepEqual(foci.map((f) => [...f].filter((d) => d !== 'ws').sort()), foci.map((_, i) => [...selectShard(['a', 'b'], i + 1, n)].sort()));
    }
  });

  it('rejects an impossible shard', () => {
    assert.throws(() => selectShard(['a'], 0, 2), UsageError);
    assert.throws(() => selectShard(['a'], 3, 2), UsageError);
    assert.throws(() => selectShard(['a'], 1, 1.5), UsageError);
  });
});
