import { strict as assert } from 'node:assert';
import { isRelevant, modulesAffectedBy, baseFilesFor, markNew, subtractBaseline, findingKey, recount } from '../../src/engine/pr.ts';
import type { Finding, Repository, CheckResult } from '../../src/engine/types.ts';

const opts = { anchorsFile: 'anchor.lock', configFile: 'modguard.json', graphFile: 'graph.txt' };

function finding(over: Partial<Finding>): Finding {
  return {
    rule: 'anchor-mismatch', severity: 'error', file: 'a/go.mod', line: 3, column: 2, messageId: 'mismatch',
    message: 'm', module: 'x/a', dependency: 'dep', data: {}, ...over,
  };
}

function repoWithDirs(dirs: string[]): Repository {
  return { modules: dirs.map((dir) => ({ dir })), workFiles: [] } as unknown as Repository;
}

describe('engine/pr', () => {
  it('tells module files, anchors, config and graph files from other files', () => {
    for (const f of ['go.mod', 'svc/a/go.mod', 'svc/a/go.sum', 'go.work', 'go.work.sum', 'anchor.lock', 'modguard.json', 'svc/a/graph.txt']) {
      assert.equal(isRelevant(f, opts), true, f);
    }
    for (const f of ['README.md', 'svc/a/main.go', 'svc/a/go.mod.bak', 'sub/anchor.lock', 'x/modguard.json']) {
      assert.equal(isRelevant(f, opts), false, f);
    }
    assert.equal(isRelevant('svc/a/graph.txt', { anchorsFile: 'anchor.lock' }), false);
  });

  it('affects changed modules and, transitively, their dependents', () => {
    const repo = repoWithDirs(['lib', 'mid', 'app', 'other', 'tools/x']);
    const dependsOn = new Map<string, Set<string>>([['lib', new Set(['other'])], ['mid', new Set(['lib'])], ['app', new Set(['mid'])], ['other', new Set()], ['tools/x', new Set()]]);
    const dependents = new Map<string, readonly string[]>([['lib', ['mid']], ['mid', ['app']], ['other', ['lib']]]);
    const changes = { ref: 'main', mergeBase: 'abc', files: ['lib/go.sum'], everything: false };
    assert.deepEqual([...modulesAffectedBy(repo, changes, { dependsOn, dependents })].sort(), ['app', 'lib', 'mid']);
  });

  it('affects every module below a changed go.work', () => {
    const repo = repoWithDirs(['.', 'a', 'a/b', 'c']);
    const changes = { ref: 'main', mergeBase: 'abc', files: ['a/go.work'], everything: false };
    assert.deepEqual([...modulesAffectedBy(repo, changes, { dependsOn: new Map(), dependents: new Map() })].sort(), ['a', 'a/b']);
    const root = { ...changes, files: ['go.work'] };
    assert.deepEqual([...modulesAffectedBy(repo, root, { dependsOn: new Map(), dependents: new Map() })].sort(), ['.', 'a', 'a/b', 'c']);
  });

  it('ignores changes in directories that are not modules (a deleted module) that nothing used', () => {
    const repo = repoWithDirs(['a']);
    const changes = { ref: 'main', mergeBase: 'abc', files: ['gone/go.mod', 'gone/go.sum'], everything: false };
    assert.equal(modulesAffectedBy(repo, changes, { dependsOn: new Map(), dependents: new Map() }).size, 0);
  });

  it('affects the modules that replaced a dependency by a removed module\'s directory, and the workspaces that used it', async () => {
    const { buildRepository } = await import('../support/rule-tester.ts');
    const mod = (name: string, body = '') => `module example.com/${name}\n\ngo 1.22\n${body}`;
    const repo = buildRepository({
      files: {
        'svc/a/go.mod': mod('a', '\nreplace example.com/gone => ../../libs/gone/\n'),
        'svc/b/go.mod': mod('b', '\nreplace example.com/gone => github.com/fork/gone v1.0.0\nreplace example.com/other => ../other\n'),
        'svc/c/go.mod': mod('c'),
        'ws/go.work': 'go 1.22\n\nuse (\n\t./x\n\t../libs/gone\n)\n',
        'ws/x/go.mod': mod('x'),
        'ws/x/y/go.mod': mod('y'),
      },
    });
    const none = { dependsOn: new Map(), dependents: new Map() };
    const changes = { ref: 'main', mergeBase: 'abc', files: ['libs/gone/go.mod'], everything: false };
    assert.deepEqual([...modulesAffectedBy(repo, changes, none)].sort(), ['svc/a', 'ws/x', 'ws/x/y']);
    // A go.sum left behind is no module removed.
    assert.equal(modulesAffectedBy(repo, { ...changes, files: ['libs/gone/go.sum'] }, none).size, 0);
    // A graph file, by the name it has beside each go.mod: a name, or a path below the module.
    for (const graphFile of ['graph.txt', 'deps/graph.txt']) {
      assert.deepEqual([...modulesAffectedBy(repo, { ...changes, files: [`svc/a/${graphFile}`], graphFile }, none)], ['svc/a'], graphFile);
    }
    assert.equal(modulesAffectedBy(repo, { ...changes, files: ['svc/a/deps/graph.txt'], graphFile: 'graph.txt' }, none).size, 0, 'deps/ is no module');
  });

  it('reads every go.mod and go.sum at the base but graphs only of affected modules', () => {
    const files = ['a/go.mod', 'a/go.sum', 'a/graph.txt', 'b/go.mod', 'b/go.sum', 'b/graph.txt', 'anchor.lock', 'go.work',
      'vendor/x/go.mod', 'a/testdata/go.mod', '.hidden/go.mod', 'a/main.go'];
    assert.deepEqual(baseFilesFor(files, new Set(['a']), opts), ['a/go.mod', 'a/go.sum', 'a/graph.txt', 'b/go.mod', 'b/go.sum', 'anchor.lock', 'go.work']);
    assert.deepEqual(baseFilesFor(files, undefined, opts).length, 8);
  });

  it('keys findings without line numbers', () => {
    assert.equal(findingKey(finding({ line: 1 })), findingKey(finding({ line: 99 })));
    assert.notEqual(findingKey(finding({})), findingKey(finding({ dependency: 'other' })));
  });

  it('marks findings the base did not have as new, counting duplicates', () => {
    const base = [finding({ line: 4 })];
    const head = [finding({ line: 5 }), finding({ line: 9 }), finding({ rule: 'banned-module', messageId: 'banned' })];
    assert.deepEqual(markNew(head, base).map((f) => f.isNew), [false, true, true]);
  });

  it('subtracts a baseline and counts what it removed', () => {
    const { kept, dropped } = subtractBaseline([finding({}), finding({ file: 'b/go.mod' })], [finding({ line: 1 })]);
    assert.deepEqual(dropped.map((f) => f.file), ['a/go.mod']);
    assert.deepEqual(kept.map((f) => f.file), ['b/go.mod']);
  });

  it('recounts a summary after filtering', () => {
    const result: CheckResult = { version: 1, root: '/r', findings: [], notices: [],
      summary: { modules: 3, errors: 9, warnings: 9, infos: 9, suppressed: 1, byRule: { x: 9 } } };
    const dropped = [finding({ line: 2 }), finding({ file: 'go.work', rule: 'broken-workspace' }), finding({ file: 'ws/go.work' }), finding({ file: 'go.work', line: 7 })];
    const out = recount({ ...result, summary: { ...result.summary, workFiles: { 'go.work': { suppressed: 1 } } } },
      [finding({}), finding({ severity: 'warning', rule: 'multiple-majors' })], dropped);
    assert.deepEqual(out.summary, {
      modules: 3, errors: 1, warnings: 1, infos: 0, suppressed: 1, byRule: { 'anchor-mismatch': 1, 'multiple-majors': 1 }, preexisting: 4,
      // Of those, the go.work files' (counted once when shards are merged).
      workFiles: { 'go.work': { suppressed: 1, preexisting: 2 }, 'ws/go.work': { preexisting: 1 } },
    });
  });
});
