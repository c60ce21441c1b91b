import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, symlinkSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { loadRepository, resolveRoot, toRootRelative, GO_GRAPH_NAME, skippedReplaceTargets, mayNameSkipped, pseudoConflicts } from '../../src/engine/load.ts';
import { assembleRepository } from '../../src/engine/assemble.ts';
import { RequireTally } from '../../src/engine/tally.ts';
import fc from 'fast-check';
import { UsageError } from '../../src/commands/context.ts';
import { readRepositoryFiles } from '../../src/io/read.ts';
import { tempGitRepo } from '../support/git-repo.ts';

function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

const SUM = 'golang.org/x/net v0.24.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';

describe('engine/load', () => {
  let root: string;
  let outside: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'modguard-load-'));
    outside = mkdtempSync(path.join(tmpdir(), 'modguard-load-out-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('reads go.mod, go.sum, graph files, go.work, anchor.lock and modguard.json', async () => {
    writeTree(root, {
      'anchor.lock': 'anchor golang.org/x/net v0.24.0\n',
      'modguard.json': '{"ignore": ["legacy"], "rules": {"version-divergence": "off"}}',
      'go.work': 'go 1.22\n\nuse ./a\n',
      'a/go.mod': 'module example.com/a\n\ngo 1.22\n',
      'a/go.sum': SUM,
      'a/graph.txt': 'example.com/a golang.org/x/net@v0.24.0\n',
      'b/go.mod': 'module example.com/b\n',
      'legacy/go.mod': 'module example.com/legacy\n',
    });
    const repo = await loadRepository({ root, graphFile: 'graph.txt' });
    assert.equal(repo.root, root);
    assert.deepEqual(repo.modules.map((m) => m.dir), ['a', 'b']);
    const a = repo.modules[0]!;
    assert.equal(a.sum?.entries.length, 1);
    assert.equal(a.graph?.file, 'a/graph.txt');
    assert.equal(repo.modules[1]!.sum, undefined);
    assert.equal(repo.workFiles[0]?.file, 'go.work');
    assert.equal(repo.anchors?.anchors.size, 1);
    assert.equal(repo.config.file, 'modguard.json');
    assert.deepEqual(repo.config.rules, { 'version-divergence': { severity: 'off' } });
    assert.deepEqual(repo.sources, { anchorsFile: 'anchor.lock', configFile: 'modguard.json', graphFile: 'graph.txt' });
    assert.deepEqual(repo.loadErrors, []);
  });

  it('reads the go.work.sum beside each go.work into the go.sum table, its errors kept; a bad one is a load error', async () => {
    const H = (c: string) => `h1:${c.repeat(43)}=`;
    writeTree(root, {
      'go.work': 'go 1.22\n\nuse ./a\n',
      'go.work.sum': `golang.org/x/net v0.24.0 ${H('A')}\nnot a checksum line\n`,
      'a/go.mod': 'module example.com/a\n\ngo 1.22\n',
      'a/go.sum': `golang.org/x/net v0.24.0 ${H('A')}\n`,
      'ws/go.work': 'go 1.22\n\nuse ./b\n',
      'ws/b/go.mod': 'module example.com/b\n',
      'other/go.work.sum': `golang.org/x/net v0.24.0 ${H('B')}\n`,
    });
    mkdirSync(path.join(root, 'ws', 'go.work.sum'));
    const repo = await loadRepository({ root });
    assert.deepEqual(repo.workFiles.map((w) => [w.file, w.sum?.file]), [['go.work', 'go.work.sum'], ['ws/go.work', undefined]]);
    const sum = repo.workFiles[0]!.sum!;
    assert.equal(sum.compact?.table, repo.sumTable, 'interned with the modules\' go.sum files');
    assert.deepEqual(sum.entries.map((e) => `${e.path} ${e.version} ${e.line}`), ['golang.org/x/net v0.24.0 1']);
    assert.deepEqual(sum.errors.map((e) => e.line), [2]);
    assert.equal(repo.workFiles[0]!.sumText, `golang.org/x/net v0.24.0 ${H('A')}\nnot a checksum line\n`);
    // The directory in place of ws/go.work.sum is a load error, not a crash.
    assert.deepEqual(repo.loadErrors.map((e) => e.file), ['ws/go.work.sum']);
  });

  it('resolves --anchors and --config against cwd, also outside the root', async () => {
    writeTree(root, { 'a/go.mod': 'module example.com/a\n' });
    writeTree(outside, { 'pins.lock': 'ban example.com/evil // no\n', 'cfg.json': '{"rules": {"banned-module": "warning"}}' });
    const repo = await loadRepository({ root, cwd: outside, anchorsFile: 'pins.lock', configFile: 'cfg.json' });
    const rel = toRootRelative(root, path.join(outside, 'pins.lock'));
    assert.match(rel, /^\.\.\//);
    assert.equal(repo.anchors?.file, rel);
    assert.equal(repo.anchors?.bans.length, 1);
    assert.equal(repo.config.rules['banned-module']?.severity, 'warning');
    assert.equal(repo.sources?.anchorsFile, rel);
  });

  it('throws UsageError for a missing root, anchors file or config file, and a bad config', async () => {
    await assert.rejects(loadRepository({ root: path.join(root, 'nope') }), (e: Error) => e instanceof UsageError && /--root .*no such directory/.test(e.message));
    await assert.rejects(loadRepository({ root, cwd: root, anchorsFile: 'x.lock' }), (e: Error) => e instanceof UsageError && /--anchors x\.lock: no such file/.test(e.message));
    await assert.rejects(loadRepository({ root, cwd: root, configFile: 'x.json' }), (e: Error) => e instanceof UsageError && /--config x\.json: no such file/.test(e.message));
    writeTree(root, { 'modguard.json': '{"rules": {"nope": "off"}}' });
    await assert.rejects(loadRepository({ root }), (e: Error) => e instanceof UsageError && /^modguard\.json: rules\.nope: unknown rule/.test(e.message));
  });

  it('keeps unusable files as load errors: a go.sum directory, a go.sum linking out of the root, a go.mod directory', async () => {
    writeTree(root, { 'a/go.mod': 'module example.com/a\n', 'b/go.mod': 'module example.com/b\n', 'c/go.mod/x': '' });
    mkdirSync(path.join(root, 'a', 'go.sum'));
    writeTree(outside, { 'go.sum': SUM });
    symlinkSync(path.join(outside, 'go.sum'), path.join(root, 'b', 'go.sum'));
    const repo = await loadRepository({ root });
    assert.deepEqual(repo.modules.map((m) => m.dir), ['a', 'b']);
    assert.equal(repo.modules[1]!.sum, undefined);
    assert.deepEqual(repo.loadErrors.map((e) => e.file).sort(), ['a/go.sum', 'b/go.sum', 'c/go.mod']);
    for (const e of repo.loadErrors) assert.equal(e.line, 1);
  });

  it('defaults the root to the git top level of cwd, else cwd', async () => {
    const git = tempGitRepo('modguard-load-git-');
    try {
      git.write({ 'sub/dir/x.txt': 'x' });
      assert.equal(await resolveRoot({ cwd: path.join(git.dir, 'sub', 'dir') }), git.dir);
      assert.equal(await resolveRoot({ cwd: root }), root);
    } finally {
      git.cleanup();
    }
  });

  it('runs go mod graph with go: true and groups failures into notices', async () => {
    writeTree(root, {
      'a/go.mod': 'module example.com/a\n',
      'b/go.mod': 'module example.com/b\n',
      'c/go.mod': 'module example.com/c\n',
    });
    const bin = path.join(outside, 'bin');
    mkdirSync(bin);
    // Fails in b and c with the same message, succeeds in a.
    writeFileSync(path.join(bin, 'go'), '#!/bin/sh\ncase "$PWD" in *"/a") echo "example.com/a golang.org/x/net@v0.24.0";; *) echo "go: no network" >&2; exit 1;; esac\n');
    chmodSync(path.join(bin, 'go'), 0o755);
    const repo = await loadRepository({ root, go: true, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    assert.equal(repo.modules[0]!.graph?.file, `a/${GO_GRAPH_NAME}`);
    assert.equal(repo.modules[0]!.graph?.nodes.length, 2);
    assert.equal(repo.modules[1]!.graph, undefined);
    assert.equal(repo.notices?.length, 1);
    assert.match(repo.notices![0]!, /^go mod graph failed in 2 modules \(b, c\): .*no network/);
  });

  it('reads many files, leaves out missing optional ones and reports oversized ones', async () => {
    writeTree(root, Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`m${i}/go.mod`, `module example.com/m${i}\n`])));
    const requests = Array.from({ length: 50 }, (_, i) => ({ file: `m${i}/go.mod` }));
    const { files, errors } = await readRepositoryFiles(root, [...requests, { file: 'missing/go.sum', optional: true }, { file: 'missing/go.mod' }]);
    assert.equal(files.size, 50);
    assert.equal(files.get('m7/go.mod'), 'module example.com/m7\n');
    assert.deepEqual(errors.map((e) => [e.file, e.message]), [['missing/go.mod', 'cannot read: no such file']]);
    const big = await readRepositoryFiles(root, [{ file: 'm1/go.mod' }], { maxBytes: 5 });
    assert.deepEqual(big.errors.map((e) => [e.file, e.message]), [['m1/go.mod', 'the file is 22 bytes, more than the 5 bytes modguard reads']]);
    execFileSync('mkfifo', [path.join(root, 'm2', 'go.sum')]);
    const fifo = await readRepositoryFiles(root, [{ file: 'm2/go.sum', optional: true }]);
    assert.deepEqual(fifo.errors.map((e) => [e.file, e.message]), [['m2/go.sum', 'not a regular file']]);
  });

  it('finds replace targets in skipped directories: quoted, in blocks, never outside the root', () => {
    const goMod = 'module x\nreplace a => ../../pdata/testdata\nreplace (\n\tb v1 => ./vendor/b\n\tc => "../testdata/q"\n' +
      '\td => ../../../out/testdata\n\te => ../../lib\n\tf => ../../\n)\n';
    assert.deepEqual(skippedReplaceTargets(new Map([['cmd/x/go.mod', goMod]]), new Set(['go.mod'])),
      ['cmd/testdata/q/go.mod', 'cmd/x/vendor/b/go.mod', 'pdata/testdata/go.mod']);
  });

  it('tells a text that may name a skipped directory exactly as the regular expression it replaced', () => {
    const pattern = /vendor|testdata|node_modules|[/\\]\.[^./\\]/;
    const text = fc.array(fc.constantFrom('/', '\\', '.', '..', 'a', 'vendor', 'testdat', 'testdata', 'node_modules', '\n', ' ', '=>', 'x/.git'), { maxLength: 12 }).map((p) => p.join(''));
    fc.assert(fc.property(text, (t) => assert.equal(mayNameSkipped(t), pattern.test(t), JSON.stringify(t))), { numRuns: 5000 });
    assert.equal(mayNameSkipped('replace a => ../../libs/x\n'), false);
    assert.equal(mayNameSkipped('replace a => ../.hidden/x\n'), true);
  });

  it('loads a module under testdata that a sibling replaces a dependency with, and what it replaces in turn', async () => {
    writeTree(root, {
      'a/go.mod': 'module example.com/a\n\nrequire example.com/fixtures v0.0.0\n\nreplace example.com/fixtures => ../pkg/testdata\n',
      'pkg/testdata/go.mod': 'module example.com/fixtures\n\nreplace example.com/more => ./testdata/more\n',
      'pkg/testdata/go.sum': SUM,
      'pkg/testdata/testdata/more/go.mod': 'module example.com/more\n',
      'pkg/other/testdata/go.mod': 'module example.com/unreferenced\n',
    });
    const repo = await loadRepository({ root });
    assert.deepEqual(repo.modules.map((m) => m.dir), ['a', 'pkg/testdata', 'pkg/testdata/testdata/more']);
    assert.equal(repo.modules[1]!.sum?.entries.length, 1);
    assert.deepEqual(repo.loadErrors, []);
  });

  describe('focus (PR mode)', () => {
    const h = (c: string) => `h1:${c.repeat(43)}=`;
    beforeEach(() => {
      writeTree(root, {
        'a/go.mod': 'module example.com/a\n\nrequire golang.org/x/net v0.24.0\n',
        'a/go.sum': `golang.org/x/net v0.24.0 ${h('A')}\ngolang.org/x/text v0.14.0 ${h('T')}\n`,
        'a/graph.txt': 'example.com/a golang.org/x/net@v0.24.0\n',
        'b/go.mod': 'module example.com/b\n',
        // Line 3 conflicts with a's hash; the other lines are versions a never lists.
        'b/go.sum': `golang.org/x/text v0.15.0 ${h('U')}\nnot a go.sum line\ngolang.org/x/net v0.24.0 ${h('B')}\ngolang.org/x/net v0.24.0/go.mod ${h('C')}\n`,
        'b/graph.txt': 'example.com/b golang.org/x/net@v0.24.0\n',
      });
    });

    it('reads graphs and whole go.sum files of the focused modules only, and other go.sum files for the versions those list', async () => {
      let seen: string[] = [];
      const repo = await loadRepository({ root, graphFile: 'graph.txt', focus: (r) => { seen = r.modules.map((m) => m.dir); return new Set(['a']); } });
      assert.deepEqual(seen, ['a', 'b']);
      const [a, b] = repo.modules;
      assert.equal(a!.graph?.edges.length, 2);
      assert.equal(a!.sum?.entries.length, 2);
      assert.equal(b!.graph, undefined);
      // b keeps its line numbers and only the entry a also records.
      assert.deepEqual(b!.sum?.entries.map((e) => [e.line, e.path, e.version, e.hash]), [[3, 'golang.org/x/net', 'v0.24.0', h('B')]]);
      assert.equal(b!.sumText, readFileSync(path.join(root, 'b/go.sum'), 'utf8'));
    });

    it('finds the same hash conflicts in the focused modules as a full load', async () => {
      const { check } = await import('../../src/engine/run.ts');
      const findingsOf = async (focus?: Set<string>) => {
        const repo = await loadRepository({ root, graphFile: 'graph.txt', ...(focus ? { focus: () => focus } : {}) });
        repo.focus = new Set(['a']);
        return check(repo).findings.filter((f) => f.rule === 'gosum-hash-conflict');
      };
      const full = await findingsOf();
      assert.equal(full.length, 1);
      assert.deepEqual(await findingsOf(new Set(['a'])), full);
    });

    it('loads everything when focus returns undefined', async () => {
      const repo = await loadRepository({ root, graphFile: 'graph.txt', focus: () => undefined });
      assert.deepEqual(repo.modules.map((m) => [m.sum?.entries.length, m.graph?.edges.length]), [[2, 2], [3, 2]]);
    });
  });
});

describe('engine/load: pseudoConflicts, the paths whose uses PR mode makes of the modules a tally counts', () => {
  const PATHS = ['github.com/a/x', 'github.com/b/y', 'golang.org/x/z'];
  const VERSIONS = ['v1.0.0', 'v1.2.0', 'v0.0.0-20240101000000-aaaaaaaaaaaa', 'v0.0.0-20240202000000-bbbbbbbbbbbb', 'v1.2.1-0.20240303000000-cccccccccccc'];
  /** The pseudo-versions of VERSIONS, by index. */
  const PSEUDO = new Set([2, 3, 4]);
  const modText = (i: number, reqs: readonly (readonly [number, number])[]) =>
    `module example.com/mono/m${i}\n\ngo 1.22\n${reqs.map(([p, v]) => `\nrequire ${PATHS[p]} ${VERSIONS[v]}${p === 2 && v === 0 ? ' // indirect' : ''}\n`).join('')}`;

  it('is, of the given paths, those required at two pseudo-versions or more, counted or not (300 generated repositories)', () => {
    fc.assert(fc.property(
      fc.array(fc.record({
        reqs: fc.uniqueArray(fc.tuple(fc.nat(PATHS.length - 1), fc.nat(VERSIONS.length - 1)), { maxLength: 3, selector: (r) => r[0] }),
        counted: fc.boolean(),
      }), { minLength: 1, maxLength: 6 }),
      fc.subarray(PATHS),
      (modules, asked) => {
        const files = new Map<string, string>();
        modules.forEach((m, i) => files.set(`m${i}/go.mod`, modText(i, m.reqs)));
        const repo = assembleRepository({ root: '/r', files });
        const tally = new RequireTally();
        const uncounted = [];
        for (const [i, m] of modules.entries()) {
          const module = repo.modules.find((x) => x.dir === `m${i}`)!;
          if (m.counted) assert.ok(tally.addModule(module.modulePath, module.mod!, 1));
          else uncounted.push(module);
        }
        // The model: every module's pseudo-versions of each asked path, counted or not.
        const expected = new Set<string>();
        for (const p of asked) {
          const pseudo = new Set(modules.flatMap((m) => m.reqs.filter(([q, v]) => PATHS[q] === p && PSEUDO.has(v)).map(([, v]) => v)));
          if (pseudo.size >= 2) expected.add(p);
        }
        assert.deepEqual([...pseudoConflicts(new Set(asked), tally, uncounted)].sort(), [...expected].sort());
      },
    ), { numRuns: 300 });
  });
});
