import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { discoverFiles, hasSkippedDir, isSkippedDir } from '../../src/io/discover.ts';
import { tempGitRepo } from '../support/git-repo.ts';
import { Git } from '../../src/io/git.ts';

function write(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

const LAYOUT: Record<string, string> = {
  'go.mod': 'module example.com/root\n',
  'go.work': 'go 1.22\n',
  'svc/a/go.mod': 'module example.com/a\n',
  'svc/a/go.sum': '',
  'lib/b/go.mod': 'module example.com/b\n',
  'lib/b/notgo.mod': 'x',
  'vendor/example.com/v/go.mod': 'module example.com/v\n',
  'svc/a/testdata/go.mod': 'module example.com/t\n',
  'web/node_modules/x/go.mod': 'module example.com/n\n',
  '.hidden/go.mod': 'module example.com/h\n',
  'svc/.cache/go.mod': 'module example.com/c\n',
  'legacy/old/go.mod': 'module example.com/old\n',
};

describe('io/discover', () => {
  it('classifies skipped directories', () => {
    for (const n of ['vendor', 'testdata', 'node_modules', '.git', '.x']) assert.equal(isSkippedDir(n), true, n);
    for (const n of ['src', 'vendors', '_x', '.', '..']) assert.equal(isSkippedDir(n), false, n);
    assert.equal(hasSkippedDir('a/vendor/go.mod'), true);
    // A path up out of the root (an anchors file named `../anchor.lock`) passes no hidden directory.
    assert.equal(hasSkippedDir('../anchor.lock'), false);
    assert.equal(hasSkippedDir('./a/go.mod'), false);
    assert.equal(hasSkippedDir('a/b/go.mod'), false);
    assert.equal(hasSkippedDir('.go.mod'), false);
  });

  it('finds a skipped directory in any path as its parts, one by one, say', () => {
    // The model: every part but the last, each one a skipped name (the rule as written out), which
    // isSkippedDir gives for each name too.
    const skippedName = (n: string) => n === 'vendor' || n === 'testdata' || n === 'node_modules' || (n.startsWith('.') && n !== '.' && n !== '..');
    const model = (rel: string) => rel.split('/').slice(0, -1).some(skippedName);
    const part = fc.oneof(
      fc.constantFrom('', '.', '..', '...', '.x', '.git', '..x', 'x.', 'x..', '.vendor', 'vendor', 'vendors', 'xvendor', 'testdata', 'testdat', 'node_modules', 'node_module', 'go.mod', 'a'),
      fc.string({ unit: fc.constantFrom('.', 'a', 'v', '\\'), maxLength: 4 }),
    );
    fc.assert(fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), (parts) => {
      const rel = parts.join('/');
      assert.equal(hasSkippedDir(rel), model(rel), rel);
      for (const p of parts) assert.equal(isSkippedDir(p), skippedName(p), p);
    }), { numRuns: 5000 });
  });

  describe('directory walk', () => {
    let root: string;
    let outside: string;
    beforeEach(() => {
      root = mkdtempSync(path.join(tmpdir(), 'modguard-walk-'));
      outside = mkdtempSync(path.join(tmpdir(), 'modguard-outside-'));
    });
    afterEach(() => {
      rmSync(root, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    });

    it('finds go.mod and go.work files and skips vendor, testdata, node_modules and hidden directories', async () => {
      write(root, LAYOUT);
      const found = await discoverFiles(root, { git: false });
      assert.equal(found.via, 'walk');
      assert.deepEqual(found.goMods, ['go.mod', 'legacy/old/go.mod', 'lib/b/go.mod', 'svc/a/go.mod']);
      assert.deepEqual(found.goWorks, ['go.work']);
      assert.deepEqual(found.errors, []);
    });

    it('honours ignore patterns', async () => {
      write(root, LAYOUT);
      const found = await discoverFiles(root, { git: false, ignore: ['legacy', 'svc/*'] });
      assert.deepEqual(found.goMods, ['go.mod', 'lib/b/go.mod']);
    });

    it('survives a symlink loop and never follows a directory link out of the root', async () => {
      write(root, { 'a/go.mod': 'module example.com/a\n' });
      write(outside, { 'go.mod': 'module example.com/outside\n', 'deep/go.mod': 'module example.com/deep\n' });
      symlinkSync(root, path.join(root, 'a', 'loop'));
      symlinkSync('..', path.join(root, 'a', 'up'));
      symlinkSync(outside, path.join(root, 'escape'));
      const found = await discoverFiles(root, { git: false });
      assert.deepEqual(found.goMods, ['a/go.mod']);
      assert.deepEqual(found.errors, []);
    });

    it('reports a go.mod that links out of the root, a dangling link and a go.mod directory', async () => {
      write(root, { 'in/go.mod': 'module example.com/in\n', 'real/go.mod': 'module example.com/real\n' });
      write(outside, { 'go.mod': 'module example.com/outside\n' });
      mkdirSync(path.join(root, 'out'));
      symlinkSync(path.join(outside, 'go.mod'), path.join(root, 'out', 'go.mod'));
      mkdirSync(path.join(root, 'dangling'));
      symlinkSync(path.join(root, 'nowhere'), path.join(root, 'dangling', 'go.mod'));
      mkdirSync(path.join(root, 'isdir', 'go.mod'), { recursive: true });
      mkdirSync(path.join(root, 'linked'));
      symlinkSync('../real/go.mod', path.join(root, 'linked', 'go.mod'));
      const found = await discoverFiles(root, { git: false });
      assert.deepEqual(found.goMods, ['in/go.mod', 'linked/go.mod', 'real/go.mod']);
      assert.deepEqual(found.errors.map((e) => e.file), ['dangling/go.mod', 'isdir/go.mod', 'out/go.mod']);
      assert.match(found.errors[0]!.message, /broken symbolic link/);
      assert.match(found.errors[1]!.message, /is a directory/);
      assert.match(found.errors[2]!.message, /outside the repository root: not followed/);
      for (const e of found.errors) assert.equal(e.line, 1);
    });

    it('reports a go.mod link loop', async () => {
      mkdirSync(path.join(root, 'x'));
      symlinkSync('go.mod', path.join(root, 'x', 'go.mod'));
      const found = await discoverFiles(root, { git: false });
      assert.deepEqual(found.goMods, []);
      assert.equal(found.errors.length, 1);
      assert.match(found.errors[0]!.message, /loop/);
    });

    it('reports a go.mod that is not a regular file (a named pipe) instead of blocking on it', async function () {
      write(root, { 'ok/go.mod': 'module example.com/ok\n' });
      mkdirSync(path.join(root, 'pipe'));
      try {
        execFileSync('mkfifo', [path.join(root, 'pipe', 'go.mod')]);
      } catch {
        this.skip(); // no mkfifo on this system
      }
      const found = await discoverFiles(root, { git: false });
      assert.deepEqual(found.goMods, ['ok/go.mod']);
      assert.deepEqual(found.errors.map((e) => [e.file, e.message]), [['pipe/go.mod', 'go.mod is not a regular file']]);
    });

    it('walks a root that is itself a symbolic link', async () => {
      write(root, { 'a/go.mod': 'module example.com/a\n' });
      const link = path.join(outside, 'link');
      symlinkSync(root, link);
      const found = await discoverFiles(link, { git: false });
      assert.deepEqual(found.goMods, ['a/go.mod']);
    });

    it('falls back to walking when the root is not in a git work tree', async () => {
      write(root, { 'go.mod': 'module example.com/r\n' });
      const found = await discoverFiles(root);
      assert.equal(found.via, 'walk');
      assert.deepEqual(found.goMods, ['go.mod']);
    });
  });

  describe('git work tree', () => {
    it('lists tracked and untracked files, leaves out ignored and deleted ones', async () => {
      const repo = tempGitRepo('modguard-discover-');
      try {
        repo.write({ ...LAYOUT, '.gitignore': 'build/\n', 'build/go.mod': 'module example.com/build\n', 'gone/go.mod': 'module example.com/gone\n' });
        repo.commit('initial');
        repo.write({ 'gone/go.mod': null, 'new/go.mod': 'module example.com/new\n' });
        const found = await discoverFiles(repo.dir);
        assert.equal(found.via, 'git');
        assert.deepEqual(found.goMods, ['go.mod', 'legacy/old/go.mod', 'lib/b/go.mod', 'new/go.mod', 'svc/a/go.mod']);
        assert.deepEqual(found.goWorks, ['go.work']);
        assert.deepEqual(found.errors, []);
      } finally {
        repo.cleanup();
      }
    });

    it('finds the same files from the untracked files a caller listed, reading only the index itself', async () => {
      const repo = tempGitRepo('modguard-discover-');
      try {
        repo.write({ ...LAYOUT, '.gitignore': 'build/\n', 'build/go.mod': 'module example.com/build\n', 'gone/go.mod': 'module example.com/gone\n', 'sub/x/go.mod/f': 'x' });
        repo.commit('initial');
        repo.write({
          'gone/go.mod': null, 'new/go.mod': 'module example.com/new\n', 'new/go.work': 'go 1.22\n', 'new/README': 'x',
          'untracked/go.mod/f': 'x', 'build/other/go.mod': 'module example.com/b2\n',
        });
        for (const root of [repo.dir, path.join(repo.dir, 'sub')]) {
          const alone = await discoverFiles(root);
          // Every untracked file, or one listing of the files a check reads with their index entries.
          for (const git of [new Git(root), new Git(root, process.env, { graphFile: 'graph.txt', anchorsFile: 'anchor.lock' })]) {
            const shared = await discoverFiles(root, { listing: git.listing() });
            assert.equal(shared.via, 'git');
            assert.deepEqual(shared, alone, root);
          }
        }
        assert.deepEqual((await discoverFiles(repo.dir)).goMods, ['go.mod', 'legacy/old/go.mod', 'lib/b/go.mod', 'new/go.mod', 'svc/a/go.mod']);
        assert.deepEqual((await discoverFiles(repo.dir)).errors.map((e) => e.file), ['sub/x/go.mod', 'untracked/go.mod']);
        // A listing that failed: git is asked as without one.
        const failed = Promise.reject(new Error('x'));
        failed.catch(() => undefined);
        assert.deepEqual(await discoverFiles(repo.dir, { listing: failed }), await discoverFiles(repo.dir));
      } finally {
        repo.cleanup();
      }
    });

    it('with the changes git found, looks again only at changed, untracked, linked and flagged files, and finds the same', async () => {
      const repo = tempGitRepo('modguard-discover-');
      const outsideDir = mkdtempSync(path.join(tmpdir(), 'modguard-discover-out-'));
      try {
        writeFileSync(path.join(outsideDir, 'go.mod'), 'module example.com/outside\n');
        repo.write({
          ...LAYOUT, 'gone/go.mod': 'module example.com/gone\n', 'dir/go.mod': 'module example.com/dir\n',
          'skip/go.mod': 'module example.com/skip\n', 'assume/go.mod': 'module example.com/assume\n',
        });
        symlinkSync(path.join(outsideDir, 'go.mod'), path.join(repo.dir, 'escape.go.mod'));
        mkdirSync(path.join(repo.dir, 'link'));
        symlinkSync(path.join(outsideDir, 'go.mod'), path.join(repo.dir, 'link', 'go.mod'));
        const base = repo.commit('initial');
        // Deleted, replaced by a directory, new; removed under skip-worktree, turned into a directory
        // under assume-unchanged (git does not look at either in the work tree).
        repo.write({ 'gone/go.mod': null, 'dir/go.mod': null, 'new/go.mod': 'module example.com/new\n' });
        mkdirSync(path.join(repo.dir, 'dir', 'go.mod'));
        repo.git('update-index', '--skip-worktree', 'skip/go.mod');
        rmSync(path.join(repo.dir, 'skip', 'go.mod'));
        repo.git('update-index', '--assume-unchanged', 'assume/go.mod');
        rmSync(path.join(repo.dir, 'assume', 'go.mod'));
        mkdirSync(path.join(repo.dir, 'assume', 'go.mod'));
        const alone = await discoverFiles(repo.dir);
        // Git asked for every untracked file, or for the files a check reads with their index entries.
        for (const git of [new Git(repo.dir), new Git(repo.dir, process.env, { graphFile: 'graph.txt' })]) {
          const changed = new Set(await git.changedFiles(base));
          assert.ok(changed.has('gone/go.mod') && changed.has('new/go.mod') && !changed.has('skip/go.mod') && !changed.has('assume/go.mod'), [...changed].join(' '));
          const fast = await discoverFiles(repo.dir, { listing: git.listing(), changed });
          assert.deepEqual(fast, alone);
          assert.deepEqual(fast.goMods, ['go.mod', 'legacy/old/go.mod', 'lib/b/go.mod', 'new/go.mod', 'svc/a/go.mod']);
          assert.deepEqual(fast.errors.map((e) => e.file), ['assume/go.mod', 'dir/go.mod', 'link/go.mod']);
          // The files git calls unchanged are not looked at again: a set that leaves out a deleted
          // file (as no real listing of changes does) keeps it.
          const lying = await discoverFiles(repo.dir, { listing: git.listing(), changed: new Set([...changed].filter((f) => f !== 'gone/go.mod')) });
          assert.ok(lying.goMods.includes('gone/go.mod'));
        }
      } finally {
        repo.cleanup();
        rmSync(outsideDir, { recursive: true, force: true });
      }
    });

    it('lists relative to a root below the top level and reports a go.mod directory', async () => {
      const repo = tempGitRepo('modguard-discover-');
      try {
        repo.write({
          'go.mod': 'module example.com/top\n', 'sub/a/go.mod': 'module example.com/a\n', 'sub/b/go.mod/file': 'x',
          // At the root below, and nested twice (the first go.mod directory is the one reported).
          'sub/go.mod/x': 'x', 'sub/c/d/go.mod/e/go.mod/f': 'x', 'sub/c/xgo.mod/f': 'x',
        });
        repo.commit('initial');
        const found = await discoverFiles(path.join(repo.dir, 'sub'), { ignore: [] });
        assert.equal(found.via, 'git');
        assert.deepEqual(found.goMods, ['a/go.mod']);
        assert.deepEqual(found.errors.map((e) => [e.file, e.message]), [
          ['b/go.mod', 'go.mod is a directory, not a file'],
          ['c/d/go.mod', 'go.mod is a directory, not a file'],
          ['go.mod', 'go.mod is a directory, not a file'],
        ]);
      } finally {
        repo.cleanup();
      }
    });

    it('reports a tracked go.mod link that points out of the work tree', async () => {
      const repo = tempGitRepo('modguard-discover-');
      const outside = mkdtempSync(path.join(tmpdir(), 'modguard-outside-'));
      try {
        write(outside, { 'go.mod': 'module example.com/outside\n' });
        repo.write({ 'a/go.mod': 'module example.com/a\n' });
        mkdirSync(path.join(repo.dir, 'b'));
        symlinkSync(path.join(outside, 'go.mod'), path.join(repo.dir, 'b', 'go.mod'));
        repo.commit('initial');
        const found = await discoverFiles(repo.dir);
        assert.deepEqual(found.goMods, ['a/go.mod']);
        assert.equal(found.errors.length, 1);
        assert.equal(found.errors[0]!.file, 'b/go.mod');
      } finally {
        repo.cleanup();
        rmSync(outside, { recursive: true, force: true });
      }
    });

    it('names the git submodules under the root, whose go.mod files git does not list', async () => {
      const lib = tempGitRepo('modguard-discover-sub-');
      const repo = tempGitRepo('modguard-discover-');
      try {
        lib.write({ 'x/go.mod': 'module example.com/x\n' });
        lib.commit('lib');
        repo.write({ 'go.mod': 'module example.com/app\n', 'go/a/go.mod': 'module example.com/a\n' });
        for (const at of ['go/ext', 'vendor/ext', 'other']) repo.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', lib.dir, at);
        repo.commit('with submodules');
        const top = await discoverFiles(repo.dir);
        assert.equal(top.via, 'git');
        assert.deepEqual(top.goMods, ['go.mod', 'go/a/go.mod']);
        // vendor/ is skipped anyway; the others are named.
        assert.deepEqual(top.submodules, ['go/ext', 'other']);
        // The check says so.
        const { loadRepository } = await import('../../src/engine/load.ts');
        const loaded = await loadRepository({ root: repo.dir });
        assert.deepEqual(loaded.notices, ['2 git submodules not searched for go.mod files (go/ext, other): git lists no file of a submodule; check each as a repository of its own']);
        // Below the top level: those under the root, relative to it.
        const below = await discoverFiles(path.join(repo.dir, 'go'));
        assert.deepEqual(below.goMods, ['a/go.mod']);
        assert.deepEqual(below.submodules, ['ext']);
        // Left out by the configuration's ignore patterns: not named.
        assert.equal((await discoverFiles(path.join(repo.dir, 'go'), { ignore: ['ext/**'] })).submodules, undefined);
        // A walk (no git) finds their go.mod files and names none.
        const walked = await discoverFiles(repo.dir, { git: false });
        assert.deepEqual(walked.goMods, ['go.mod', 'go/a/go.mod', 'go/ext/x/go.mod', 'other/x/go.mod']);
        assert.equal(walked.submodules, undefined);
      } finally {
        repo.cleanup();
        lib.cleanup();
      }
    });
  });
});
