import { strict as assert } from 'node:assert';
import path from 'node:path';
import fc from 'fast-check';
import { assembleRepository, dirOf, graphDirOf, removedByChange, siblingFile } from '../../src/engine/assemble.ts';

const H = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

function files(entries: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(entries));
}

describe('engine/assemble', () => {
  it('parses each go.mod with its go.sum and graph file and indexes modules by path', () => {
    const repo = assembleRepository({
      root: '/repo',
      graphFile: 'graph.txt',
      files: files({
        'svc/b/go.mod': 'module example.com/b\n\ngo 1.22\n\nrequire example.com/a v0.0.0\n\nreplace example.com/a => ../../lib/a\n',
        'svc/b/go.sum': `golang.org/x/net v0.24.0 ${H}\ngolang.org/x/net v0.24.0/go.mod ${H}\n`,
        'svc/b/graph.txt': 'example.com/b golang.org/x/net@v0.24.0\n',
        'lib/a/go.mod': 'module example.com/a\n\ngo 1.22\n',
        'go.mod': 'module example.com/root\n',
        'anchor.lock': 'anchor golang.org/x/net v0.24.0\n',
        'go.work': 'go 1.22\n\nuse ./lib/a\n',
        'README.md': 'not a module file',
      }),
    });
    assert.equal(repo.root, '/repo');
    assert.deepEqual(repo.modules.map((m) => m.dir), ['.', 'lib/a', 'svc/b']);
    const b = repo.modulesByPath.get('example.com/b')!;
    assert.equal(b.goModFile, 'svc/b/go.mod');
    assert.equal(b.modulePath, 'example.com/b');
    assert.deepEqual(b.errors, []);
    assert.equal(b.mod?.require[0]?.mod.path, 'example.com/a');
    assert.equal(b.mod?.replace[0]?.new.path, '../../lib/a');
    assert.equal(b.sum?.file, 'svc/b/go.sum');
    assert.equal(b.sum?.entries.length, 2);
    assert.equal(b.sumText?.startsWith('golang.org/x/net'), true);
    assert.equal(b.graph?.file, 'svc/b/graph.txt');
    assert.equal(b.graph?.nodes.length, 2);
    assert.equal(repo.modulesByPath.get('example.com/a')?.sum, undefined);
    assert.equal(repo.modulesByPath.get('example.com/a')?.graph, undefined);
    assert.equal(repo.workFiles.length, 1);
    assert.equal(repo.workFiles[0]!.dir, '.');
    assert.equal(repo.workFiles[0]!.work?.use[0]?.path, './lib/a');
    assert.equal(repo.anchors?.anchors.get('golang.org/x/net')?.version, 'v0.24.0');
    assert.deepEqual(repo.config, { file: '', rules: {}, ignore: [] });
    assert.deepEqual(repo.loadErrors, []);
  });

  it('keeps parse errors on the module instead of throwing, in strict mode', () => {
    const repo = assembleRepository({
      root: '/r',
      files: files({
        'bad/go.mod': 'module example.com/bad\n\nrequire example.com/x\n',
        'odd/go.mod': 'module example.com/odd\nfrobnicate x\n',
        'bad/go.sum': 'garbage line\n',
      }),
    });
    const bad = repo.modules.find((m) => m.dir === 'bad')!;
    assert.equal(bad.errors.length > 0, true);
    assert.equal(bad.errors[0]!.file, 'bad/go.mod');
    assert.equal(bad.errors[0]!.line, 3);
    assert.equal(bad.sum?.errors[0]?.file, 'bad/go.sum');
    assert.equal(bad.sum?.errors[0]?.line, 1);
    // An unknown directive is an error for a repository's own go.mod (strict mode).
    const odd = repo.modules.find((m) => m.dir === 'odd')!;
    assert.equal(odd.errors.length > 0, true);
    assert.equal(odd.errors[0]!.line, 2);
  });

  it('lets the first go.mod win when two declare the same module path', () => {
    const repo = assembleRepository({
      root: '/r',
      files: files({ 'b/go.mod': 'module example.com/same\n', 'a/go.mod': 'module example.com/same\n' }),
    });
    assert.equal(repo.modules.length, 2);
    assert.equal(repo.modulesByPath.get('example.com/same')?.dir, 'a');
  });

  it('leaves out modules under configured ignore patterns and reads a custom anchors file', () => {
    const repo = assembleRepository({
      root: '/r',
      anchorsFile: 'policy/pins.lock',
      config: { file: 'modguard.json', rules: {}, ignore: ['legacy', '**/examples'] },
      files: files({
        'go.mod': 'module example.com/r\n',
        'legacy/old/go.mod': 'module example.com/old\n',
        'svc/examples/go.mod': 'module example.com/ex\n',
        'legacy/go.work': 'go 1.22\n',
        'policy/pins.lock': 'ban example.com/evil // no\n',
        'anchor.lock': 'anchor example.com/x v1.0.0\n',
      }),
    });
    assert.deepEqual(repo.modules.map((m) => m.dir), ['.']);
    assert.equal(repo.workFiles.length, 0);
    assert.equal(repo.anchors?.file, 'policy/pins.lock');
    assert.equal(repo.anchors?.bans[0]?.path, 'example.com/evil');
    assert.equal(repo.anchors?.anchors.size, 0);
    assert.equal(repo.config.file, 'modguard.json');
  });

  it('has no anchors without the file, keeps load errors, and handles an empty input', () => {
    const loadErrors = [{ file: 'x/go.mod', line: 1, column: 0, message: 'is a directory' }];
    const repo = assembleRepository({ root: '/r', files: new Map(), loadErrors });
    assert.equal(repo.anchors, undefined);
    assert.deepEqual(repo.modules, []);
    assert.deepEqual(repo.loadErrors, loadErrors);
    assert.notEqual(repo.loadErrors, loadErrors);
  });

  it('records anchor.lock errors with positions', () => {
    const repo = assembleRepository({ root: '/r', files: files({ 'anchor.lock': 'anchor example.com/x\n' }) });
    assert.equal(repo.anchors?.errors.length, 1);
    assert.equal(repo.anchors?.errors[0]?.line, 1);
  });

  it('tells the go.mod and go.work files a change removed: changed, and no module\'s or workspace\'s of the head', () => {
    const repo = assembleRepository({ root: '/r', files: files({
      'go.mod': 'module example.com/root\n', 'a/go.mod': 'module example.com/a\n', 'a/b/go.mod': 'module example.com/b\n',
      'go.work': 'go 1.22\n\nuse ./a\n',
    }) });
    // The model: a set of every head file.
    const model = (changed: string[]) => {
      const head = new Set([...repo.modules.map((m) => m.goModFile), ...repo.workFiles.map((w) => w.file)]);
      const gone = changed.filter((f) => !head.has(f));
      return { goMods: gone.filter((f) => f === 'go.mod' || f.endsWith('/go.mod')), goWorks: gone.filter((f) => f === 'go.work' || f.endsWith('/go.work')) };
    };
    const file = fc.constantFrom('go.mod', 'a/go.mod', 'a/b/go.mod', 'c/go.mod', 'a/c/go.mod', 'go.work', 'a/go.work', 'a/go.sum', 'xgo.mod', 'a/xgo.mod', 'go.mod/go.mod');
    fc.assert(fc.property(fc.uniqueArray(file, { maxLength: 6 }), (changed) => {
      assert.deepEqual(removedByChange(changed, repo), model(changed), changed.join(' '));
    }), { numRuns: 2000 });
  });

  it('splits directories and joins names', () => {
    assert.equal(dirOf('go.mod'), '.');
    assert.equal(dirOf('a/b/go.mod'), 'a/b');
    // dirOf is path.posix.dirname ('.' for ''), double and trailing slashes included.
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', '/', '.', 'é'), maxLength: 10 }), (p) => {
      const want = path.posix.dirname(p);
      assert.equal(dirOf(p), want === '' ? '.' : want, JSON.stringify(p));
    }), { numRuns: 5000 });
    assert.equal(siblingFile('.', 'go.sum'), 'go.sum');
    assert.equal(siblingFile('a/b', 'go.sum'), 'a/b/go.sum');
    // graphDirOf undoes siblingFile for a graph file named by a name or by a path.
    for (const graph of ['graph.txt', 'deps/graph.txt']) {
      for (const dir of ['.', 'a', 'a/b']) assert.equal(graphDirOf(siblingFile(dir, graph), graph), dir, `${dir} ${graph}`);
    }
    assert.equal(graphDirOf('a/xgraph.txt', 'graph.txt'), undefined);
    assert.equal(graphDirOf('a/graph.txt', 'deps/graph.txt'), undefined);
    assert.equal(graphDirOf('/graph.txt', 'graph.txt'), undefined);
    assert.equal(graphDirOf('a/graph.txt', undefined), undefined);
    assert.equal(graphDirOf('a/graph.txt', ''), undefined);
  });

  it('reuses the parse of an unchanged go.mod and parses a changed one', () => {
    const files = (b: string) => new Map([['a/go.mod', 'module example.com/a\n'], ['b/go.mod', b]]);
    const head = assembleRepository({ root: '/r', files: files('module example.com/b\nrequire x v1.0.0\n') });
    const base = assembleRepository({ root: '/r', files: files('module example.com/b\nrequire x v0.9.0\nbad line\n'), reuse: new Map(head.modules.map((m) => [m.goModFile, m])) });
    assert.equal(base.modules[0]!.mod, head.modules[0]!.mod);
    assert.notEqual(base.modules[0], head.modules[0]);
    assert.notEqual(base.modules[1]!.mod, head.modules[1]!.mod);
    assert.equal(base.modules[1]!.mod?.require[0]?.mod.version, 'v0.9.0');
    assert.equal(base.modules[1]!.errors.length, 1);
    assert.equal(base.modulesByPath.get('example.com/a'), base.modules[0]);
  });
});
