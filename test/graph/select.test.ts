import { strict as assert } from 'node:assert';
import { parseModGraph } from '../../src/graph/parse.ts';
import fc from 'fast-check';
import { selectVersions, selectBuildList, selectPaths, pathIndex, reachableFromMain } from '../../src/graph/select.ts';
import { shortestPath, explainSelected, formatChain } from '../../src/graph/why.ts';
import { toGraphlib } from '../../src/graph/build.ts';
import { alg } from '@dagrejs/graphlib';

const GRAPH = [
  'example.com/main go@1.22',
  'example.com/main example.com/a@v1.2.0',
  'example.com/main github.com/x/y@v1.8.0',
  'example.com/main example.com/c@v0.3.0',
  'example.com/a@v1.2.0 example.com/b@v1.5.0',
  'example.com/a@v1.2.0 go@1.21',
  'example.com/b@v1.5.0 github.com/x/y@v1.9.0',
  'example.com/c@v0.3.0 github.com/x/y@v1.9.0-rc.1',
  'example.com/c@v0.3.0 example.com/b@v1.4.0',
  'example.com/b@v1.4.0 github.com/x/y@v1.7.0',
  // Not reachable from the main module: must not count.
  'example.com/orphan@v1.0.0 github.com/x/y@v2.0.0+incompatible',
].join('\n');

describe('selectVersions', () => {
  const g = parseModGraph(GRAPH, 'graph.txt');

  it('selects the highest reachable version of each path and leaves out the main and go nodes', () => {
    const sel = selectVersions(g);
    assert.deepEqual(Object.fromEntries([...sel].sort()), {
      'example.com/a': 'v1.2.0',
      'example.com/b': 'v1.5.0',
      'example.com/c': 'v0.3.0',
      'github.com/x/y': 'v1.9.0',
    });
  });

  it('selects only the paths asked for', () => {
    assert.deepEqual([...selectVersions(g, { only: new Set(['github.com/x/y', 'nowhere.com/z']) })], [['github.com/x/y', 'v1.9.0']]);
  });

  it('orders versions as the go command does (shorthands, pseudo-versions, prereleases, +incompatible)', () => {
    const g3 = parseModGraph([
      'm a.com/p@v1.2', 'm a.com/p@v1.2.1-0.20240101000000-abcdefabcdef', 'm a.com/p@v1.2.1-rc.1',
      'm a.com/q@v1.10.0', 'm a.com/q@v1.9.9',
      'm a.com/r@v2.0.0+incompatible', 'm a.com/r@v1.99.0',
      'm a.com/s@v1.0.0-alpha.10', 'm a.com/s@v1.0.0-alpha.9',
    ].join('\n'), 'g');
    assert.deepEqual(Object.fromEntries(selectVersions(g3)), {
      'a.com/p': 'v1.2.1-rc.1', 'a.com/q': 'v1.10.0', 'a.com/r': 'v2.0.0+incompatible', 'a.com/s': 'v1.0.0-alpha.10',
    });
  });

  it('counts every node when the graph has no main module', () => {
    const g2 = parseModGraph('a.com/p@v1.0.0 a.com/q@v1.1.0\na.com/r@v1.0.0 a.com/q@v1.3.0\n', 'g');
    assert.equal(g2.main, -1);
    assert.equal(reachableFromMain(g2).every((x) => x === 1), true);
    assert.equal(selectVersions(g2).get('a.com/q'), 'v1.3.0');
  });

  it('applies a same-path versioned replacement to the selected version only', () => {
    const replace = [{ old: { path: 'github.com/x/y', version: 'v1.9.0' }, new: { path: 'github.com/x/y', version: 'v1.8.0' } }];
    assert.equal(selectVersions(g, { replace }).get('github.com/x/y'), 'v1.8.0');
    const other = [{ old: { path: 'github.com/x/y', version: 'v1.7.0' }, new: { path: 'github.com/x/y', version: 'v1.0.0' } }];
    assert.equal(selectVersions(g, { replace: other }).get('github.com/x/y'), 'v1.9.0');
  });

  it('prefers a versioned replacement over a wildcard one, and keeps forks and directories as selected', () => {
    const replace = [
      { old: { path: 'github.com/x/y', version: '' }, new: { path: 'github.com/x/y', version: 'v1.6.0' } },
      { old: { path: 'github.com/x/y', version: 'v1.9.0' }, new: { path: 'github.com/x/y', version: 'v1.8.5' } },
      { old: { path: 'example.com/b', version: '' }, new: { path: 'github.com/fork/b', version: 'v1.5.1' } },
      { old: { path: 'example.com/a', version: '' }, new: { path: '../a', version: '' } },
    ];
    const list = selectBuildList(g, { replace });
    assert.equal(list.get('github.com/x/y')!.version, 'v1.8.5');
    assert.equal(list.get('github.com/x/y')!.selected, 'v1.9.0');
    assert.deepEqual(list.get('example.com/b'), { selected: 'v1.5.0', version: 'v1.5.0', replacement: replace[2] });
    assert.equal(list.get('example.com/a')!.version, 'v1.2.0');
    assert.equal(list.get('example.com/a')!.replacement!.new.path, '../a');
  });
});

describe('workspace graphs (go mod graph under go.work)', () => {
  // Under go.work, go mod graph prints the requirements of every module the workspace uses, each
  // without a version: one build list with several roots.
  const WORK = [
    'example.com/ws/a example.com/ws/b@v0.0.0-00010101000000-000000000000',
    'example.com/ws/a github.com/x/y@v1.2.0',
    'example.com/ws/b github.com/x/y@v1.4.0',
    'example.com/ws/b github.com/x/z@v0.3.0',
    'github.com/x/z@v0.3.0 example.com/ws/a@v1.0.0',
    'example.com/ws/a@v1.0.0 github.com/x/w@v9.0.0+incompatible',
  ].join('\n');

  it('selects over every main module, never a version of a main module', () => {
    const g = parseModGraph(WORK, 'graph.txt');
    assert.deepEqual(Object.fromEntries([...selectVersions(g)].sort()), {
      // A version of a main module's path is not selected (the workspace's own module is), but what
      // it requires was read into the graph and counts, as in the go command's graph.
      'github.com/x/w': 'v9.0.0+incompatible',
      'github.com/x/y': 'v1.4.0',
      'github.com/x/z': 'v0.3.0',
    });
    assert.deepEqual(selectPaths(g, pathIndex(['github.com/x/z', 'example.com/ws/b'])), [{ k: 0, selection: { selected: 'v0.3.0', version: 'v0.3.0' } }]);
  });

  it('explains a selection from whichever main module requires it', () => {
    const g = parseModGraph(WORK, 'graph.txt');
    assert.equal(explainSelected(g, 'github.com/x/z', 'v0.3.0')?.text, 'example.com/ws/b requires github.com/x/z@v0.3.0');
  });

  it('a single module\'s graph: a dependency requiring the main module back does not select it', () => {
    const g = parseModGraph('m a.io/x@v1.0.0\na.io/x@v1.0.0 m@v1.5.0\nm@v1.5.0 a.io/y@v1.0.0\n', 'g');
    assert.deepEqual(Object.fromEntries(selectVersions(g)), { 'a.io/x': 'v1.0.0', 'a.io/y': 'v1.0.0' });
  });
});

describe('selectPaths', () => {
  it('selects the asked paths as selectBuildList does, those the graph reaches in asked order, on random graphs and replacements', () => {
    const path = fc.constantFrom('a.io/x', 'a.io/y', 'b.io/z', 'main.io/m');
    const version = fc.constantFrom('v1.0.0', 'v1.2.0', 'v2.0.0+incompatible', 'v0.0.0-20240101000000-abcdefabcdef', 'v1.2.0-rc.1');
    const node = fc.oneof(fc.constant('main.io/m'), fc.tuple(path, version).map(([p, v]) => `${p}@${v}`));
    const graphText = fc.array(fc.tuple(node, node).map(([a, b]) => `${a} ${b}`), { minLength: 1, maxLength: 12 }).map((ls) => ls.join('\n'));
    const replacement = fc.record({
      old: fc.record({ path, version: fc.oneof(fc.constant(''), version) }),
      new: fc.oneof(fc.record({ path, version }), fc.record({ path: fc.constant('../dir'), version: fc.constant('') })),
    });
    fc.assert(fc.property(graphText, fc.array(replacement, { maxLength: 3 }), fc.uniqueArray(path, { maxLength: 3 }), (text, replace, asked) => {
      const g = parseModGraph(text, 'graph.txt');
      const list = selectBuildList(g, { replace, only: new Set(asked) });
      const got = selectPaths(g, pathIndex(asked), replace);
      assert.deepEqual(got, asked.flatMap((p, k) => (list.has(p) ? [{ k, selection: list.get(p)! }] : [])));
    }), { numRuns: 2000 });
  });
});

describe('reachableFromMain', () => {
  it('marks exactly the nodes a breadth-first search reaches from the main module, in any edge order', () => {
    // Edges in any order, with cycles, orphans and chains longer than the scans it takes before
    // falling back to the search.
    const node = fc.oneof(fc.constant('m'), fc.constant('w'), fc.integer({ min: 0, max: 9 }).map((i) => `a.io/p${i}@v1.0.0`));
    const graphText = fc.array(fc.tuple(node, node).map(([a, b]) => `${a} ${b}`), { minLength: 1, maxLength: 30 })
      .map((ls) => ['m a.io/p0@v1.0.0', ...ls].join('\n'));
    fc.assert(fc.property(graphText, (text) => {
      const g = parseModGraph(text, 'graph.txt');
      const reached = new Uint8Array(g.nodes.length);
      // Every versionless node is a main module (several under go.work).
      const queue = g.nodes.flatMap((n, i) => (n.version === '' ? [i] : []));
      for (const v of queue) reached[v] = 1;
      while (queue.length > 0) {
        const v = queue.shift()!;
        for (let e = 0; e < g.edges.length; e += 2) {
          if (g.edges[e] === v && !reached[g.edges[e + 1]!]) { reached[g.edges[e + 1]!] = 1; queue.push(g.edges[e + 1]!); }
        }
      }
      assert.deepEqual([...reachableFromMain(g)], [...reached]);
    }), { numRuns: 3000 });
  });

  it('reaches what go mod graph order reaches, and leaves out what only an orphan requires', () => {
    const g = parseModGraph('m a.io/x@v1.0.0\na.io/x@v1.0.0 a.io/y@v1.0.0\na.io/y@v1.0.0 a.io/z@v1.0.0\na.io/o@v1.0.0 a.io/y@v2.0.0\n', 'g');
    const names = g.nodes.map((n) => `${n.path}@${n.version}`);
    const reach = reachableFromMain(g);
    assert.deepEqual(names.filter((_, i) => reach[i]).sort(), ['a.io/x@v1.0.0', 'a.io/y@v1.0.0', 'a.io/z@v1.0.0', 'm@']);
  });
});

describe('shortestPath and explainSelected', () => {
  const g = parseModGraph(GRAPH, 'graph.txt');

  it('finds the shortest chain from the main module', () => {
    const chain = shortestPath(g, 'github.com/x/y', 'v1.9.0')!;
    assert.deepEqual(chain.map((n) => `${n.path}@${n.version}`), [
      'example.com/main@', 'example.com/a@v1.2.0', 'example.com/b@v1.5.0', 'github.com/x/y@v1.9.0',
    ]);
    // Without a version the nearest node of the path wins: the direct requirement.
    assert.equal(shortestPath(g, 'github.com/x/y')!.length, 2);
    assert.equal(shortestPath(g, 'github.com/x/y', 'v2.0.0+incompatible'), undefined);
    assert.equal(shortestPath(g, 'nowhere.com/z'), undefined);
  });

  it('phrases the chain for messages', () => {
    assert.equal(explainSelected(g, 'github.com/x/y', 'v1.9.0')!.text,
      'example.com/a@v1.2.0 -> example.com/b@v1.5.0 requires github.com/x/y@v1.9.0');
    assert.equal(explainSelected(g, 'github.com/x/y', 'v1.8.0')!.text, 'example.com/main requires github.com/x/y@v1.8.0');
    assert.equal(explainSelected(g, 'github.com/x/y', 'v9.9.9'), undefined);
    assert.equal(formatChain([{ path: 'a.com/x', version: 'v1.0.0' }]), 'a.com/x@v1.0.0');
  });

  it('searches from every unrequired node when there is no main module', () => {
    const g2 = parseModGraph('a.com/p@v1.0.0 a.com/q@v1.1.0\na.com/q@v1.1.0 a.com/z@v1.0.0\n', 'g');
    assert.equal(explainSelected(g2, 'a.com/z', 'v1.0.0')!.text, 'a.com/p@v1.0.0 -> a.com/q@v1.1.0 requires a.com/z@v1.0.0');
  });
});

describe('toGraphlib', () => {
  it('builds a graphlib graph with node labels and edge lines', () => {
    const g = toGraphlib(parseModGraph(GRAPH, 'graph.txt'));
    assert.equal(g.nodeCount(), 13);
    assert.equal(g.edgeCount(), 11);
    assert.deepEqual(g.node('github.com/x/y@v1.9.0'), { path: 'github.com/x/y', version: 'v1.9.0' });
    assert.deepEqual(g.edge('example.com/a@v1.2.0', 'example.com/b@v1.5.0'), { line: 5 });
    assert.equal(alg.isAcyclic(g), true);
  });
});

describe('stronglyConnected', () => {
  it('finds the same cycles as graphlib, on random graphs', async () => {
    const { stronglyConnected, findCycles, dirGraph } = await import('../../src/graph/build.ts');
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(rnd() * 12);
      const dependsOn = new Map<string, Set<string>>();
      for (let i = 0; i < n; i++) dependsOn.set(`m${i}`, new Set());
      const links = Math.floor(rnd() * n * 2);
      for (let e = 0; e < links; e++) dependsOn.get(`m${Math.floor(rnd() * n)}`)!.add(`m${Math.floor(rnd() * n)}`);
      assert.deepEqual(stronglyConnected(dependsOn), findCycles(dirGraph(dependsOn)), JSON.stringify([...dependsOn].map(([k, v]) => [k, [...v]])));
    }
  });
  it('walks a chain of 100,000 modules without overflowing the stack', async () => {
    const { stronglyConnected } = await import('../../src/graph/build.ts');
    const dependsOn = new Map<string, Set<string>>();
    for (let i = 0; i < 100_000; i++) dependsOn.set(`m${i}`, new Set(i + 1 < 100_000 ? [`m${i + 1}`] : ['m0']));
    const cycles = stronglyConnected(dependsOn);
    assert.equal(cycles.length, 1);
    assert.equal(cycles[0]!.length, 100_000);
  });
});
