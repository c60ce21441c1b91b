import { strict as assert } from 'node:assert';
import { posix } from 'node:path';
import fc from 'fast-check';
import { buildRepoGraph, buildRepoGraphLike, affectedModules, resolveDir, DirResolver, isDirectoryTarget, cyclesThrough, PackedLinks, stronglyConnectedNumbers, type RepoGraph } from '../../src/graph/repo-graph.ts';
import { stronglyConnected } from '../../src/graph/build.ts';
import { moduleInfo, repository, workInfo } from './repo-fixture.ts';
import type { Repository } from '../../src/engine/types.ts';
import { joinDir } from '../../rules/support/syntax.ts';

const sorted = (s: Iterable<string> | undefined) => [...(s ?? [])].sort();

describe('buildRepoGraph', () => {
  it('links sibling requirements, local replaces and workspace members, and lists dependents', () => {
    const repo = repository([
      moduleInfo({ dir: 'lib/log', path: 'corp.com/lib/log', require: [['github.com/x/y', 'v1.0.0']] }),
      moduleInfo({ dir: 'lib/db', path: 'corp.com/lib/db', require: [['corp.com/lib/log', 'v0.0.0-00010101000000-000000000000']],
        replace: [['corp.com/lib/log', '', '../log', '']] }),
      // Required by path only (no replace): still a sibling.
      moduleInfo({ dir: 'svc/api', path: 'corp.com/svc/api', require: [['corp.com/lib/db', 'v1.0.0'], ['github.com/x/y', 'v1.0.0']] }),
      // A local replace of a path that is not the sibling's module path still links the directory.
      moduleInfo({ dir: 'svc/worker', path: 'corp.com/svc/worker', require: [['corp.com/renamed', 'v1.0.0']],
        replace: [['corp.com/renamed', '', './../../lib/log', '']] }),
      moduleInfo({ dir: 'tools', path: 'corp.com/tools', require: [['corp.com/svc/api', 'v1.0.0']] }),
      // Declares the same path as svc/api: the go.work below makes tools resolve to it instead.
      moduleInfo({ dir: 'forks/api', path: 'corp.com/svc/api' }),
    ], { workFiles: [workInfo('.', ['./tools', './forks/api', './missing'])] });
    const g = buildRepoGraph(repo);
    assert.deepEqual(sorted(g.dependsOn.get('lib/db')), ['lib/log']);
    assert.deepEqual(sorted(g.dependsOn.get('svc/api')), ['lib/db']);
    assert.deepEqual(sorted(g.dependsOn.get('svc/worker')), ['lib/log']);
    assert.deepEqual(sorted(g.dependsOn.get('tools')), ['forks/api']);
    assert.deepEqual(sorted(g.dependsOn.get('lib/log')), []);
    assert.deepEqual(sorted(g.dependents.get('lib/log')), ['lib/db', 'svc/worker']);
    assert.deepEqual(g.cycles, []);
    assert.deepEqual(g.workspaces.get('.'), ['tools', 'forks/api']);
    assert.deepEqual(affectedModules(g, ['lib/log']), ['lib/db', 'lib/log', 'svc/api', 'svc/worker']);
    assert.deepEqual(affectedModules(g, ['forks/api']), ['forks/api', 'tools']);
  });

  it('reads a module\'s workspace from the nearest go.work that uses it, with go.work\'s replaces over the module\'s own', () => {
    const repo = repository([
      moduleInfo({ dir: 'libs/x', path: 'example.com/x' }),
      moduleInfo({ dir: 'old/x', path: 'example.com/x' }),
      moduleInfo({ dir: 'svc/x', path: 'example.com/x' }),
      // Nearest go.work: svc/go.work, whose member svc/x declares the path.
      moduleInfo({ dir: 'svc/a', path: 'example.com/a', require: [['example.com/x', 'v1.0.0']] }),
      // go.work replaces the path: its replace, and its requirement by path, give way.
      moduleInfo({ dir: 'ws/b', path: 'example.com/b', require: [['example.com/x', 'v1.0.0']], replace: [['example.com/x', '', '../../libs/x', '']] }),
      // Replaced by a directory that holds no module: built from there, linked to no sibling.
      moduleInfo({ dir: 'p', path: 'example.com/p', require: [['example.com/x', 'v1.0.0']], replace: [['example.com/x', '', './vendored/x', '']] }),
      // A replace of another version than the one required does not apply: the sibling declaring the path is built.
      moduleInfo({ dir: 'r', path: 'example.com/r', require: [['example.com/y', 'v1.2.0']], replace: [['example.com/y', 'v1.0.0', '../old/x', '']] }),
      moduleInfo({ dir: 's', path: 'example.com/s', require: [['example.com/y', 'v1.0.0']], replace: [['example.com/y', 'v1.0.0', '../old/x', '']] }),
      moduleInfo({ dir: 'y', path: 'example.com/y' }),
    ], {
      workFiles: [
        workInfo('.', ['./svc/a', './libs/x']),
        workInfo('svc', ['./a', './x']),
        { ...workInfo('ws', ['./b']), work: { ...workInfo('ws', ['./b']).work!, replace: [{ old: { path: 'example.com/x', version: '' }, new: { path: '../old/x', version: '' } }] } } as never,
      ],
    });
    const g = buildRepoGraph(repo);
    assert.deepEqual(sorted(g.dependsOn.get('svc/a')), ['svc/x']);
    assert.deepEqual(sorted(g.dependsOn.get('ws/b')), ['old/x']);
    assert.deepEqual(sorted(g.dependsOn.get('p')), []);
    assert.deepEqual(sorted(g.dependsOn.get('r')), ['y']);
    assert.deepEqual(sorted(g.dependsOn.get('s')), ['old/x']);
  });

  it('reports cycles between modules', () => {
    const repo = repository([
      moduleInfo({ dir: 'a', path: 'corp.com/a', require: [['corp.com/b', 'v1.0.0']] }),
      moduleInfo({ dir: 'b', path: 'corp.com/b', require: [['corp.com/c', 'v1.0.0']] }),
      moduleInfo({ dir: 'c', path: 'corp.com/c', require: [['corp.com/a', 'v1.0.0']] }),
      moduleInfo({ dir: 'd', path: 'corp.com/d', require: [['corp.com/e', 'v1.0.0']] }),
      moduleInfo({ dir: 'e', path: 'corp.com/e', replace: [['corp.com/d', '', '../d', '']], require: [['corp.com/d', 'v1.0.0']] }),
      moduleInfo({ dir: 'f', path: 'corp.com/f', require: [['corp.com/a', 'v1.0.0'], ['corp.com/f', 'v1.0.0']] }),
    ]);
    const g = buildRepoGraph(repo);
    assert.deepEqual(g.cycles, [['a', 'b', 'c'], ['d', 'e']]);
    assert.deepEqual(affectedModules(g, ['b']), ['a', 'b', 'c', 'f']);
  });

  it('derives the graph of a repository from one that differs in a few go.mod files, equal to computing it anew', () => {
    const dirs = ['a', 'b', 'c', 'd/e', 'd/f'];
    const pathOf = (d: string) => `corp.com/${d}`;
    // Per module: sibling requirements and directory replaces of siblings.
    const links = fc.array(fc.tuple(fc.constantFrom(...dirs), fc.boolean()), { maxLength: 4 });
    const spec = (dir: string, ls: Array<[string, boolean]>) => moduleInfo({
      dir, path: pathOf(dir),
      require: ls.map(([to]) => [pathOf(to), 'v1.0.0'] as [string, string]),
      replace: ls.filter(([, viaDir]) => viaDir).map(([to]) => [pathOf(to), '', `${'../'.repeat(dir.split('/').length)}${to}`, ''] as [string, string, string, string]),
    });
    fc.assert(fc.property(fc.array(links, { minLength: 5, maxLength: 5 }), fc.array(fc.option(links), { minLength: 5, maxLength: 5 }), (before, edits) => {
      const head = repository(dirs.map((d, i) => spec(d, before[i]!)));
      // The base shares the parse of every module it did not change, as PR mode's base does.
      const baseModules = head.modules.map((m, i) => (edits[i] ? spec(dirs[i]!, edits[i]!) : { ...m }));
      const base = repository(baseModules);
      const derived = buildRepoGraphLike(base, head);
      const anew = buildRepoGraph(repository(baseModules.map((m) => ({ ...m }))));
      for (const d of dirs) {
        assert.deepEqual(sorted(derived.dependsOn.get(d)), sorted(anew.dependsOn.get(d)), d);
        assert.deepEqual(sorted(derived.dependents.get(d)), sorted(anew.dependents.get(d)), d);
      }
      assert.deepEqual(derived.cycles, anew.cycles);
      // Asked again, the base's graph is the one derived.
      assert.equal(buildRepoGraph(base), derived);
    }), { numRuns: 300 });
  });

  it('links modules as the plain reading of requirements, replaces and go.work does, whatever the repository', () => {
    // The reference: for every module, its directory replaces of modules of the list, then its
    // requirements of paths not replaced by a directory, by go.work member or by modulesByPath.
    const reference = (repo: Repository) => {
      const byDir = new Map(repo.modules.map((m) => [m.dir, m]));
      const wsOf = new Map<string, Map<string, string>>();
      for (const w of repo.workFiles) {
        const byPath = new Map<string, string>();
        const members: string[] = [];
        for (const u of w.work!.use) {
          const m = byDir.get(resolveDir(w.dir, u.path));
          if (!m) continue;
          members.push(m.dir);
          if (m.modulePath && !byPath.has(m.modulePath)) byPath.set(m.modulePath, m.dir);
        }
        for (const d of members) if (!wsOf.has(d)) wsOf.set(d, byPath);
      }
      const out = new Map<string, string[]>();
      for (const m of repo.modules) {
        const deps = new Set<string>();
        const replaced = new Set<string>();
        if (!m.mod) {
          out.set(m.dir, []);
          continue;
        }
        for (const r of m.mod.replace) {
          if (!isDirectoryTarget(r.new.path)) continue;
          const dir = resolveDir(m.dir, r.new.path);
          // Replaced by a directory, the path is built from there, a module of the list or not.
          replaced.add(r.old.path);
          if (!byDir.has(dir)) continue;
          if (dir !== m.dir) deps.add(dir);
        }
        for (const q of m.mod.require) {
          if (replaced.has(q.mod.path)) continue;
          const dir = wsOf.get(m.dir)?.get(q.mod.path) ?? repo.modulesByPath.get(q.mod.path)?.dir;
          if (dir !== undefined && dir !== m.dir && byDir.has(dir)) deps.add(dir);
        }
        out.set(m.dir, [...deps].sort());
      }
      return out;
    };
    const dirs = ['.', 'a', 'b', 'a/c', 'd/e', 'ghost'];
    const paths = ['corp.com/a', 'corp.com/b', 'corp.com/c', 'corp.com/x', 'other.org/y'];
    const targets = ['../b', './c', '../elsewhere', './elsewhere', '../../a', '..', '.', '../ghost', '../d/e', './../a/c', '/abs/b', 'c', '../a//c', 'corp.com/b'];
    const mod = fc.record({
      path: fc.constantFrom(...paths),
      require: fc.array(fc.constantFrom(...paths), { maxLength: 5 }),
      replace: fc.array(fc.tuple(fc.constantFrom(...paths), fc.constantFrom(...targets)), { maxLength: 4 }),
    });
    // modulesByPath as other callers may build it: a path mapped to a module declaring another one,
    // or to a module outside the list.
    const alias = fc.option(fc.tuple(fc.constantFrom(...paths), fc.nat(dirs.length - 1)));
    // Some modules' go.mod did not parse (no facts): they link to nothing, and others still to them.
    const unparsed = fc.array(fc.boolean(), { minLength: dirs.length - 1, maxLength: dirs.length - 1 }).map((bs) => bs.map((b, i) => b && i % 2 === 1));
    fc.assert(fc.property(fc.array(mod, { minLength: dirs.length - 1, maxLength: dirs.length - 1 }), fc.option(fc.subarray(['./a', './b', './a/c', './missing'])), alias, unparsed, (specs, uses, extra, noMod) => {
      const modules = specs.map((sp, i) => moduleInfo({
        dir: dirs[i]!, path: sp.path,
        require: sp.require.map((r) => [r, 'v1.0.0'] as [string, string]),
        replace: sp.replace.map(([o, t]) => [o, '', t, ''] as [string, string, string, string]),
      }));
      for (let i = 0; i < modules.length; i++) if (noMod[i]) delete modules[i]!.mod;
      // Requirement values shared between modules, as the go.mod reader shares them.
      const values = new Map<string, { path: string; version: string }>();
      for (const m of modules) {
        for (const q of m.mod?.require ?? []) {
          const k = `${q.mod.path}@${q.mod.version}`;
          if (!values.has(k)) values.set(k, q.mod);
          q.mod = values.get(k)!;
        }
      }
      const repo = repository(modules, uses ? { workFiles: [workInfo('.', uses)] } : {});
      if (extra) {
        const [path, i] = extra;
        repo.modulesByPath.set(path, i < modules.length ? modules[i]! : moduleInfo({ dir: 'elsewhere', path }));
      }
      const want = reference(repo);
      const got = buildRepoGraph(repo);
      for (const m of modules) assert.deepEqual(sorted(got.dependsOn.get(m.dir)), want.get(m.dir), m.dir);
      const sets = new Map(modules.map((m) => [m.dir, new Set(want.get(m.dir))]));
      assert.deepEqual(got.cycles, stronglyConnected(sets));
      assert.deepEqual(new Map([...got.dependents].map(([d, l]) => [d, [...l].sort()])), new Map(modules.map((m) => [m.dir, modules.filter((x) => sets.get(x.dir)!.has(m.dir)).map((x) => x.dir).sort()])));
    }), { numRuns: 1000 });
  });

  it('resolves directory references the way go.mod means them', () => {
    assert.equal(resolveDir('svc/a', '../b'), 'svc/b');
    assert.equal(resolveDir('.', './lib/'), 'lib');
    assert.equal(resolveDir('lib', '..'), '.');
    assert.equal(resolveDir('lib', '..\\x'), 'x');
    // An absolute reference names a directory of the machine, never one of the repository.
    assert.equal(resolveDir('.', '/a/..'), '/');
    assert.equal(resolveDir('svc/a', '/opt/x/'), '/opt/x');
    assert.equal(resolveDir('svc/a', 'C:\\x'), 'C:/x');
    for (const p of ['./x', '../x', '/abs', 'C:\\x', '.', '..']) assert.equal(isDirectoryTarget(p), true, p);
    for (const p of ['example.com/x', 'x', '.x/y']) assert.equal(isDirectoryTarget(p), false, p);
  });

  it('resolves every directory reference as posix.join and normalize do (the usual `../../x` shape has a path of its own)', () => {
    const part = fc.constantFrom('a', 'b', 'lib', 'svc', '.', '..', '', '.x', 'x.y');
    const rel = fc.array(part, { maxLength: 6 }).map((ps) => ps.join('/'));
    const dir = fc.oneof(fc.constant('.'), fc.array(fc.constantFrom('a', 'b', 'lib', 'svc', '.x'), { minLength: 1, maxLength: 4 }).map((ps) => ps.join('/')));
    const climb = fc.tuple(fc.nat({ max: 5 }), rel).map(([n, r]) => '../'.repeat(n) + r);
    fc.assert(fc.property(dir, fc.oneof(rel, climb), (from, target) => {
      const absolute = target.startsWith('/');
      const want = absolute ? posix.normalize(target).replace(/(.)\/$/, '$1') : posix.normalize(posix.join(from, target)).replace(/\/$/, '') || '.';
      assert.equal(resolveDir(from, target), want === './' ? '.' : want);
    }), { numRuns: 3000 });
  });

  it('confirms a module dir in place exactly when the rules\' joinDir resolves the reference to it', () => {
    const name = fc.constantFrom('a', 'b', 'lib', '.', '..', '', '.x', 'a\\b');
    const target = fc.tuple(fc.nat({ max: 4 }), fc.array(name, { maxLength: 4 }).map((ps) => ps.join('/')))
      .map(([n, r]) => '../'.repeat(n) + r);
    const dir = fc.oneof(fc.constant('.'), fc.array(fc.constantFrom('a', 'b', 'lib'), { minLength: 1, maxLength: 3 }).map((ps) => ps.join('/')));
    const resolver = new DirResolver();
    fc.assert(fc.property(dir, fc.oneof(target, fc.constant('/abs/a')), dir, (from, t, moduleDir) => {
      assert.equal(resolver.resolve(from, t) === moduleDir, joinDir(from, t) === moduleDir);
    }), { numRuns: 3000 });
  });

  it('joins a directory reference as the rules read it: undefined when absolute or above the root, by parts otherwise', () => {
    // The model: the reference's parts applied to the base's, one at a time.
    const model = (base: string, rel: string): string | undefined => {
      const target = rel.replace(/\\/g, '/');
      if (/^([/\\]|[A-Za-z]:[/\\])/.test(target)) return undefined;
      const parts = base === '.' ? [] : base.split('/');
      for (const part of target.split('/')) {
        if (part === '' || part === '.') continue;
        if (part !== '..') parts.push(part);
        else if (parts.length === 0) return undefined;
        else parts.pop();
      }
      return parts.length === 0 ? '.' : parts.join('/');
    };
    const name = fc.constantFrom('a', 'b', 'lib', '.', '..', '', '.x', 'a\\b', 'C:');
    const rel = fc.array(name, { maxLength: 6 }).map((ps) => ps.join('/'));
    const base = fc.oneof(fc.constant('.'), fc.array(fc.constantFrom('a', 'b', 'lib'), { minLength: 1, maxLength: 3 }).map((ps) => ps.join('/')));
    fc.assert(fc.property(base, fc.oneof(rel, rel.map((r) => `/${r}`), rel.map((r) => `C:\\${r}`)), (b, r) => {
      assert.equal(joinDir(b, r), model(b, r));
    }), { numRuns: 5000 });
  });

  it('resolves references as resolveDir does, whatever it resolved before (DirResolver)', () => {
    // Lists of (module dir, reference) taken in turn by one resolver, with references repeated
    // from dirs of the same and of other heads, as a monorepo's go.mod files repeat them.
    const name = fc.constantFrom('a', 'b', 'lib', 'svc', '.', '..', '', '.x', 'a\\b', 'C:');
    const rel = fc.array(name, { maxLength: 5 }).map((ps) => ps.join('/'));
    const target = fc.oneof(
      fc.tuple(fc.nat({ max: 4 }), rel).map(([n, r]) => '../'.repeat(n) + r),
      rel.map((r) => `/${r}`),
      fc.constantFrom('../../lib/a', '../lib/a', '../../../lib/a', './a', '.', '..', '../'),
    );
    const dir = fc.oneof(fc.constant('.'), fc.array(fc.constantFrom('a', 'b', 'lib', 'svc', '.x'), { minLength: 1, maxLength: 4 }).map((ps) => ps.join('/')));
    fc.assert(fc.property(fc.array(fc.tuple(dir, target), { minLength: 1, maxLength: 30 }), (pairs) => {
      const resolver = new DirResolver();
      for (const [from, t] of [...pairs, ...pairs.map(([f], i) => [f, pairs[(i + 1) % pairs.length]![1]] as const)]) {
        assert.equal(resolver.resolve(from, t), resolveDir(from, t), `${t} from ${from}`);
        assert.equal(resolver.resolveDirectory(from, t), isDirectoryTarget(t) ? resolveDir(from, t) : undefined);
      }
    }), { numRuns: 3000 });
  });
});

describe('affectedModules', () => {
  it('gives the changed modules and all that depend on them, as a walk of the inverse links does, on random graphs and long chains', () => {
    const n = 14;
    const dir = fc.integer({ min: 0, max: n - 1 }).map((i) => `m${i}`);
    // Chains make the forward scans run out of passes (the inverse links finish the walk).
    const graphOf = (links: Array<[string, string]>) => {
      const dependsOn = new Map<string, Set<string>>();
      for (let i = 0; i < n; i++) dependsOn.set(`m${i}`, new Set());
      for (const [from, to] of links) dependsOn.get(from)!.add(to);
      const dependents = new Map<string, string[]>();
      for (const d of dependsOn.keys()) dependents.set(d, []);
      for (const [from, tos] of dependsOn) for (const to of tos) dependents.get(to)!.push(from);
      return { dependsOn, dependents };
    };
    const walk = (g: ReturnType<typeof graphOf>, changed: string[]) => {
      const seen = new Set(changed);
      const stack = [...changed];
      while (stack.length > 0) for (const p of g.dependents.get(stack.pop()!) ?? []) if (!seen.has(p)) { seen.add(p); stack.push(p); }
      return [...seen].sort();
    };
    const chain = fc.integer({ min: 2, max: n }).map((k) => Array.from({ length: k - 1 }, (_, i) => [`m${i + 1}`, `m${i}`] as [string, string]));
    fc.assert(fc.property(fc.array(fc.tuple(dir, dir), { maxLength: 30 }), chain, fc.uniqueArray(fc.oneof(dir, fc.constant('gone')), { maxLength: 3 }), (links, chained, changed) => {
      for (const all of [links, [...links, ...chained]]) {
        const g = graphOf(all);
        assert.deepEqual(affectedModules(g, changed), walk(g, changed));
      }
    }), { numRuns: 3000 });
  });
});

describe('PackedLinks', () => {
  it('reads as the plain map of sets it stands for, and finds the same affected modules, whichever links are known as numbers', () => {
    const n = 12;
    const dir = fc.integer({ min: 0, max: n - 1 }).map((i) => `m${i}`);
    fc.assert(fc.property(
      fc.array(fc.tuple(dir, dir), { maxLength: 40 }), fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      fc.uniqueArray(fc.oneof(dir, fc.constant('gone')), { maxLength: 3 }), fc.boolean(),
      // A chain of dependents makes the forward scans run out of passes (the inverse links finish).
      fc.integer({ min: 0, max: n }),
      (links, isKnown, changed, readFirst, chainLength) => {
        const order = Array.from({ length: n }, (_, i) => `m${i}`);
        const plain = new Map<string, Set<string>>(order.map((d) => [d, new Set<string>()]));
        for (const [from, to] of links) plain.get(from)!.add(to);
        for (let i = 1; i < chainLength; i++) plain.get(`m${i}`)!.add(`m${i - 1}`);
        // The pack numbers the dirs in another order, and knows one dir that is no module any more.
        const packDirs = [...order].reverse().concat('old');
        const number = new Map(packDirs.map((d, i) => [d, i]));
        const deps = packDirs.map((d) => [...(plain.get(d) ?? [])].map((to) => number.get(to)!));
        const start = [0];
        for (const l of deps) start.push(start[start.length - 1]! + l.length);
        const targets = Uint32Array.from(deps.flat());
        const valid = new Map(order.filter((_, i) => isKnown[i]).map((d) => [d, number.get(d)!]));
        const fresh = new Map(order.filter((_, i) => !isKnown[i]).map((d) => [d, new Set(plain.get(d))]));
        const packed = new PackedLinks(order, { dirs: packDirs, start: Uint32Array.from(start), targets, valid }, fresh);
        const dependents = new Map<string, string[]>(order.map((d) => [d, []]));
        for (const [from, tos] of plain) for (const to of tos) dependents.get(to)!.push(from);
        // Some sets made before the walk, some not.
        if (readFirst) for (const d of order.slice(0, n / 2)) packed.get(d);
        assert.deepEqual(packed.affected(changed), affectedModules({ dependsOn: plain, dependents }, changed));
        assert.deepEqual(affectedModules({ dependsOn: packed, dependents: new Map() }, changed), packed.affected(changed));
        assert.equal(packed.size, n);
        assert.deepEqual([...packed.keys()], order);
        assert.deepEqual([...packed].map(([d, tos]) => [d, sorted(tos)]), [...plain].map(([d, tos]) => [d, sorted(tos)]));
        assert.deepEqual([...packed.values()].map(sorted), [...plain.values()].map(sorted));
        const each: string[] = [];
        packed.forEach((tos, d) => each.push(`${d}:${sorted(tos).join(',')}`));
        assert.deepEqual(each, order.map((d) => `${d}:${sorted(plain.get(d)).join(',')}`));
        for (const d of order) assert.equal(packed.get(d), packed.get(d), 'one set per dir, made once');
        assert.equal(packed.get('gone'), undefined);
        assert.deepEqual(stronglyConnected(packed), stronglyConnected(plain));
        // On the numbers, with no set made: the same cycles, dependents and links.
        const fromNumbers = new PackedLinks(order, { dirs: packDirs, start: Uint32Array.from(start), targets, valid }, fresh);
        assert.deepEqual(fromNumbers.cycles(), stronglyConnected(plain));
        assert.deepEqual(fromNumbers.dependents(), dependents);
        for (const d of order) assert.deepEqual(sorted(fromNumbers.linksOf(d)), sorted(plain.get(d)));
      },
    ), { numRuns: 2000 });
  });
});

describe('PackedLinks with a set given for a dir it knows as numbers', () => {
  it('reads the given set in get, links, cycles, dependents and affected alike', () => {
    // b's kept numbers link it back to a; the set given for b links it nowhere.
    const packed = new PackedLinks(['a', 'b'], { dirs: ['a', 'b'], start: [0, 1, 2], targets: [1, 0], valid: new Map([['a', 0], ['b', 1]]) }, new Map([['b', new Set<string>()]]));
    assert.deepEqual([...packed.get('b')!], []);
    assert.deepEqual([...packed.linksOf('b')], []);
    assert.deepEqual(packed.cycles(), []);
    assert.deepEqual(packed.dependents(), new Map([['a', []], ['b', ['a']]]));
    assert.deepEqual(packed.affected(['a']), ['a']);
    assert.deepEqual(packed.affected(['b']), ['a', 'b']);
  });
});

describe('stronglyConnectedNumbers', () => {
  it('walks long chains without recursion: one cycle through all of them, or none', () => {
    const n = 200_000;
    const row = Int32Array.from({ length: n + 1 }, (_, p) => Math.min(p, n - 1));
    const chain = Int32Array.from({ length: n - 1 }, (_, p) => p + 1);
    // Node p links to p + 1; the last links nowhere.
    assert.deepEqual(stronglyConnectedNumbers(n, row, chain), []);
    const closed = Int32Array.from({ length: n }, (_, p) => (p + 1) % n);
    const ring = Int32Array.from({ length: n + 1 }, (_, p) => p);
    const groups = stronglyConnectedNumbers(n, ring, closed);
    assert.equal(groups.length, 1);
    assert.equal(groups[0]!.length, n);
  });

  it('finds the groups stronglyConnected finds, self links among them, on random graphs', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 30 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 80 }))), ([n, edges]) => {
      const sets = new Map<string, Set<string>>(Array.from({ length: n }, (_, i) => [`m${i}`, new Set<string>()]));
      for (const [a, b] of edges) sets.get(`m${a}`)!.add(`m${b}`);
      const row = new Int32Array(n + 1);
      const links: number[] = [];
      for (let p = 0; p < n; p++) {
        row[p] = links.length;
        for (const to of sets.get(`m${p}`)!) links.push(Number(to.slice(1)));
      }
      row[n] = links.length;
      const got = stronglyConnectedNumbers(n, row, links).map((g) => g.map((p) => `m${p}`).sort()).sort((x, y) => (x[0]! < y[0]! ? -1 : 1));
      assert.deepEqual(got, stronglyConnected(sets));
    }), { numRuns: 2000 });
  });
});

describe('cyclesThrough', () => {
  it('gives the cycles holding one of the given modules, as the whole graph\'s cycles filtered, on random graphs', () => {
    const dir = fc.integer({ min: 0, max: 11 }).map((i) => `m${i}`);
    fc.assert(fc.property(fc.array(fc.tuple(dir, dir), { maxLength: 40 }), fc.uniqueArray(dir, { maxLength: 4 }), (links, focus) => {
      const dependsOn = new Map<string, Set<string>>();
      for (let i = 0; i < 12; i++) dependsOn.set(`m${i}`, new Set());
      for (const [from, to] of links) dependsOn.get(from)!.add(to);
      const dependents = new Map<string, string[]>();
      for (const d of dependsOn.keys()) dependents.set(d, []);
      for (const [from, tos] of dependsOn) for (const to of tos) dependents.get(to)!.push(from);
      const graph: RepoGraph = { dependsOn, dependents, cycles: stronglyConnected(dependsOn), workspaces: new Map() };
      const dirs = new Set(focus);
      assert.deepEqual(cyclesThrough(graph, dirs), graph.cycles.filter((members) => members.some((d) => dirs.has(d))));
    }), { numRuns: 3000 });
  });
});
