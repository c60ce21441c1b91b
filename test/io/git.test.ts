import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Git, validateRef, gitEnv, indexEntries, listingEntries, readPathspecs } from '../../src/io/git.ts';
import { findChanges, isRelevant } from '../../src/engine/pr.ts';
import { UsageError } from '../../src/commands/context.ts';
import { gitCommand, runGit } from '../../src/io/git-exec.ts';
import { tempGitRepo, type TempRepo } from '../support/git-repo.ts';

describe('io/git', () => {
  describe('validateRef', () => {
    for (const ok of ['main', 'origin/main', 'v1.2.3', 'HEAD~3', 'main^', 'release/2026.11', 'a1b2c3d4e5f6', 'HEAD^2~1']) {
      it(`accepts ${ok}`, () => assert.equal(validateRef(ok), ok));
    }
    for (const bad of ['-n', '--output=/tmp/x', '', 'a..b', 'main@{1}', 'a b', 'x;rm -rf /', 'ref.lock', '/abs', 'a//b', '$(id)']) {
      it(`rejects ${JSON.stringify(bad)} with a usage error`, () => assert.throws(() => validateRef(bad), UsageError));
    }
  });

  it('reads index entries, trusting only plain regular files at stage 0', () => {
    const id = 'a'.repeat(40);
    const out = [
      `H 100644 ${id} 0\ta/go.mod`, `H 100755 ${id} 0\tb/go.mod`, `S 100644 ${id} 0\tskip/go.mod`, `h 100644 ${id} 0\tassume/go.mod`,
      `H 120000 ${id} 0\tlink/go.mod`, `H 100644 ${id} 2\tconflict/go.mod`, '? new/go.mod', `H 100644 ${id} 0\ttab\tin/go.mod`, '',
    ].join('\0');
    assert.deepEqual(indexEntries(out).map((e) => `${e.file} ${e.plain}`), [
      'a/go.mod true', 'b/go.mod true', 'skip/go.mod false', 'assume/go.mod false', 'link/go.mod false', 'conflict/go.mod false', 'tab\tin/go.mod true',
    ]);
  });

  it('reads the untracked files of a listing that has index entries too', () => {
    const id = 'a'.repeat(40);
    const out = [`H 100644 ${id} 0\ta/go.mod`, '? new/go.mod', '? ? odd/go.mod', `h 100644 ${id} 0\t? tracked/go.mod`, '? tab\tin/go.mod', ''].join('\0');
    const { cached, untracked } = listingEntries(out);
    assert.deepEqual(untracked, ['new/go.mod', '? odd/go.mod', 'tab\tin/go.mod']);
    assert.deepEqual(cached.map((e) => e.file), ['a/go.mod', '? tracked/go.mod']);
  });

  it('reads a listing in one pass as entry by entry', () => {
    // The reading of each NUL-separated entry on its own (the listing's meaning).
    const byEntry = (out: string) => {
      const cached: { file: string; plain: boolean }[] = [];
      const untracked: string[] = [];
      for (const entry of out.split('\0')) {
        if (entry.startsWith('? ')) { untracked.push(entry.slice(2)); continue; }
        const tab = entry.indexOf('\t');
        if (tab < 0) continue;
        cached.push({ file: entry.slice(tab + 1), plain: (entry.startsWith('H 100644 ') || entry.startsWith('H 100755 ')) && entry.endsWith(' 0', tab) });
      }
      return { cached, untracked };
    };
    const name = fc.string({ unit: fc.constantFrom('a', '/', '?', ' ', '\t', '0', 'H', 'é'), maxLength: 8 });
    const entry = fc.oneof(
      name.map((f) => `? ${f}`),
      fc.tuple(fc.constantFrom('H', 'S', 'h', 'M', 'C', '?'), fc.constantFrom('100644', '100755', '120000', '160000'), fc.constantFrom('0', '1', '2', '3'), name)
        .map(([tag, mode, stage, f]) => `${tag} ${mode} ${'b'.repeat(40)} ${stage}\t${f}`),
      name,
    );
    fc.assert(fc.property(fc.array(entry, { maxLength: 12 }), fc.boolean(), (entries, trailing) => {
      const out = entries.join('\0') + (trailing && entries.length > 0 ? '\0' : '');
      assert.deepEqual(listingEntries(out), byEntry(out));
    }), { numRuns: 2000 });
  });

  (process.platform === 'win32' ? it.skip : it)('runs the first executable git of PATH by its path, as execvp would find it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'modguard-gitpath-'));
    try {
      const [plain, dirNamed, runnable, later, loop, real, broken] = ['plain', 'dir', 'run', 'later', 'loop', 'real', 'broken'].map((d) => path.join(dir, d));
      for (const d of [plain, dirNamed, runnable, later, loop, real, path.join(real, 'sub'), broken]) mkdirSync(d);
      writeFileSync(path.join(plain, 'git'), '');
      mkdirSync(path.join(dirNamed, 'git'));
      for (const d of [runnable, later, real]) {
        writeFileSync(path.join(d, 'git'), '#!/bin/sh\n');
        chmodSync(path.join(d, 'git'), 0o755);
      }
      // Not executable, a directory: passed over, as execvp passes over them.
      assert.equal(gitCommand({ PATH: [plain, dirNamed, runnable, later].join(':') }), `${runnable}/git`);
      // None found: the bare name (the spawn then fails as it would have).
      assert.equal(gitCommand({ PATH: [plain, dirNamed].join(':') }), 'git');
      // A relative or empty directory before it, or no PATH: the bare name, searched as ever.
      assert.equal(gitCommand({ PATH: ['bin', runnable].join(':') }), 'git');
      assert.equal(gitCommand({ PATH: ['', runnable].join(':') }), 'git');
      assert.equal(gitCommand({}), 'git');
      // A link loop stops execvp with an error: the bare name, which fails the same way.
      symlinkSync('git', path.join(loop, 'git'));
      assert.equal(gitCommand({ PATH: [loop, runnable].join(':') }), 'git');
      // `..` after a link is the kernel's: the directory above the link's target.
      symlinkSync(path.join(real, 'sub'), path.join(dir, 'lnk'));
      assert.equal(gitCommand({ PATH: [`${dir}/lnk/..`, runnable].join(':') }), `${dir}/lnk/../git`);
      // Looked for at each call: a git put earlier in PATH since is the one found.
      writeFileSync(path.join(plain, 'git'), '#!/bin/sh\n');
      chmodSync(path.join(plain, 'git'), 0o755);
      assert.equal(gitCommand({ PATH: [plain, runnable].join(':') }), `${plain}/git`);
      // A git found that cannot be started (its interpreter is missing): the real git of PATH runs, as
      // execvp passes over it.
      writeFileSync(path.join(broken, 'git'), '#!/nonexistent/interpreter\n');
      chmodSync(path.join(broken, 'git'), 0o755);
      const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
      const env = { PATH: [broken, path.dirname(realGit)].join(':') };
      assert.equal(gitCommand(env), `${broken}/git`);
      assert.match(await runGit(dir, ['--version'], env), /^git version /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('drops variables that redirect git', () => {
    const env = gitEnv({ PATH: '/bin', GIT_DIR: '/evil', GIT_WORK_TREE: '/evil', GIT_CONFIG_KEY_0: 'core.fsmonitor', GIT_CONFIG_VALUE_0: 'x', HOME: '/h' });
    assert.equal(env.GIT_DIR, undefined);
    assert.equal(env.GIT_WORK_TREE, undefined);
    assert.equal(env.GIT_CONFIG_KEY_0, undefined);
    assert.equal(env.PATH, '/bin');
    assert.equal(env.GIT_TERMINAL_PROMPT, '0');
  });

  it('never runs a content filter the repository\'s config defines (directly, included, or of a worktree), when it compares the work tree', async () => {
    const repo = tempGitRepo();
    try {
      const marker = path.join(repo.dir, 'RAN');
      repo.write({ '.gitattributes': 'go.mod filter=evil\ngo.sum filter=other\n', 'a/go.mod': 'module x/a\n', 'a/go.sum': '' });
      repo.commit('base');
      repo.git('config', 'filter.evil.clean', `touch ${marker}; cat`);
      repo.write({ 'evil.inc': `[filter "other"]\n\tclean = touch ${marker}; cat\n` });
      repo.git('config', 'include.path', '../evil.inc');
      // Timestamps changed, content not: git hashes the files again, through their filters if it may.
      execFileSync('touch', ['-d', '2030-01-01', path.join(repo.dir, 'a/go.mod'), path.join(repo.dir, 'a/go.sum')]);
      assert.deepEqual(await new Git(repo.dir).changedFiles('HEAD'), ['evil.inc']);
      assert.equal(existsSync(marker), false, 'a filter ran');
      // A worktree: its .git is a file, the config the common one's.
      const tree = path.join(repo.dir, '..', `${path.basename(repo.dir)}-wt`);
      repo.git('worktree', 'add', '-q', tree);
      try {
        execFileSync('touch', ['-d', '2030-01-01', path.join(tree, 'a/go.mod')]);
        assert.deepEqual(await new Git(tree).changedFiles('HEAD'), []);
        assert.equal(existsSync(marker), false, 'a filter ran in the worktree');
      } finally {
        rmSync(tree, { recursive: true, force: true });
      }
    } finally {
      repo.cleanup();
    }
  });

  describe('on a repository', () => {
    let repo: TempRepo;
    let base: string;
    before(() => {
      repo = tempGitRepo();
      repo.write({ 'a/go.mod': 'module x/a\n', 'b/go.mod': 'module x/b\n', 'README.md': 'hi\n', 'ünï/go.mod': 'module x/u\n' });
      base = repo.commit('base');
      repo.git('checkout', '-q', '-b', 'feature');
      repo.write({ 'a/go.mod': 'module x/a\n\ngo 1.22\n', 'c/go.mod': 'module x/c\n' });
      repo.commit('change a, add c', '2026-01-02T12:00:00Z');
      repo.write({ 'b/go.sum': 'x v1.0.0 h1:abc=\n', 'd/go.mod': 'module x/d\n' }); // uncommitted + untracked
    });
    after(() => repo.cleanup());

    it('finds the merge base with HEAD', async () => {
      assert.equal(await new Git(repo.dir).mergeBase('main'), base);
    });
    it('lists committed, uncommitted and untracked changes, unquoted', async () => {
      repo.write({ 'ünï/go.mod': 'module x/u\n\ngo 1.22\n' });
      const files = await new Git(repo.dir).changedFiles(base);
      assert.deepEqual(files, ['a/go.mod', 'b/go.sum', 'c/go.mod', 'd/go.mod', 'ünï/go.mod']);
    });
    it('told the files a check reads, lists the same of them as changed as a listing of everything, and nothing else', async () => {
      const other = tempGitRepo();
      try {
        // Graph files named by a name or by a path below each module, names with glob characters,
        // anchors and configuration files in a subdirectory.
        const cases = [
          { graphFile: 'graph.txt', anchorsFile: 'anchor.lock', configFile: 'modguard.json' },
          { graphFile: 'deps/graph.txt', anchorsFile: 'cfg/anchors [1].lock', configFile: 'cfg/m*.json' },
          { graphFile: 'g?[1]*.txt', anchorsFile: 'anchor.lock' },
        ];
        const files = ['a/go.mod', 'a/go.sum', 'a/graph.txt', 'a/deps/graph.txt', 'a/xgraph.txt', 'a/g?[1]*.txt', 'a/gx1y.txt', 'go.work',
          'anchor.lock', 'cfg/anchors [1].lock', 'cfg/m*.json', 'cfg/mx.json', 'modguard.json', 'README.md', 'src/main.go'];
        other.write(Object.fromEntries(files.map((f) => [f, 'one\n'])));
        const first = other.commit('base');
        // Every file changed, and each again as a new untracked file in another directory.
        other.write(Object.fromEntries(files.flatMap((f) => [[f, 'two\n'], [`new/${f}`, 'x\n']])));
        const everything = await new Git(other.dir).changedFiles(first);
        for (const reads of cases) {
          const want = everything.filter((f) => isRelevant(f, reads));
          const got = (await new Git(other.dir, process.env, reads).changedFiles(first)).filter((f) => isRelevant(f, reads));
          assert.deepEqual(got, want, JSON.stringify(reads));
          assert.ok(want.includes(reads.anchorsFile) && want.includes(`a/${reads.graphFile}`) && want.includes(`new/a/${reads.graphFile}`), want.join(' '));
          const listing = await new Git(other.dir, process.env, reads).listing();
          assert.ok(!listing.untracked.includes('new/README.md') && !listing.cached!.some((e) => e.file === 'src/main.go'), 'no source files');
        }
        // A graph file named by a path out of its module's directory: git is asked for everything.
        assert.equal(readPathspecs({ graphFile: '../graph.txt' }), undefined);
        assert.deepEqual(await new Git(other.dir, process.env, { graphFile: '../graph.txt' }).changedFiles(first), everything);
      } finally {
        other.cleanup();
      }
    });
    it('finds the changes since the merge base, also where a ref and HEAD have two merge bases', async () => {
      const other = tempGitRepo();
      try {
        const opts = { anchorsFile: 'anchor.lock' };
        other.write({ 'a/go.mod': 'module x/a\n', 'b/go.mod': 'module x/b\n' });
        other.commit('root');
        other.git('checkout', '-q', '-b', 'x');
        other.write({ 'a/go.mod': 'module x/a\n\ngo 1.21\n' });
        const onX = other.commit('x', '2026-01-02T12:00:00Z');
        other.git('checkout', '-q', 'main');
        other.git('checkout', '-q', '-b', 'y');
        other.write({ 'b/go.mod': 'module x/b\n\ngo 1.21\n' });
        const onY = other.commit('y', '2026-01-03T12:00:00Z');
        // One merge base (the root commit): the changes of y and of the work tree since it, not x's.
        other.write({ 'c/go.mod': 'module x/c\n' });
        let changes = await findChanges(new Git(other.dir), 'x', opts);
        assert.equal(changes.mergeBase, other.git('merge-base', 'x', 'HEAD').trim());
        assert.deepEqual(changes.files, ['b/go.mod', 'c/go.mod']);
        other.write({ 'c/go.mod': null });
        // A criss-cross: x and y each merge the other, so x and HEAD have two merge bases (onX and
        // onY); the changes are counted from the one git merge-base names.
        other.git('merge', '-q', '--no-edit', 'x');
        other.git('checkout', '-q', 'x');
        other.git('merge', '-q', '--no-edit', onY);
        other.write({ 'a/go.mod': 'module x/a\n\ngo 1.22\n' });
        other.commit('x again', '2026-01-04T12:00:00Z');
        other.git('checkout', '-q', 'y');
        const bases = other.git('merge-base', '--all', 'x', 'HEAD').trim().split('\n').sort();
        assert.deepEqual(bases, [onX, onY].sort());
        changes = await findChanges(new Git(other.dir), 'x', opts);
        const base = other.git('merge-base', 'x', 'HEAD').trim();
        assert.equal(changes.mergeBase, base);
        const want = other.git('diff', '--name-only', base).split('\n').filter((f) => f !== '');
        assert.deepEqual(changes.files, want);
        assert.ok(want.length > 0, 'the merge base differs from HEAD');
      } finally {
        other.cleanup();
      }
    });
    it('reads many files of one commit in one process, skipping missing ones', async () => {
      const got = await new Git(repo.dir).readFiles(base, ['a/go.mod', 'c/go.mod', 'b/go.mod', 'ünï/go.mod']);
      assert.deepEqual([...got.entries()], [['a/go.mod', 'module x/a\n'], ['b/go.mod', 'module x/b\n'], ['ünï/go.mod', 'module x/u\n']]);
    });
    it('lists the files of a commit relative to a subdirectory root', async () => {
      const files = await new Git(`${repo.dir}/a`).listFiles(base);
      assert.deepEqual(files, ['go.mod']);
      const read = await new Git(`${repo.dir}/a`).readFiles(base, ['go.mod']);
      assert.equal(read.get('go.mod'), 'module x/a\n');
    });
    it('lists the blob ids of the named files only, regular files, relative to a subdirectory root too', async () => {
      const other = tempGitRepo();
      try {
        other.write({
          'go.mod': 'module r\n', 'svc/a/go.mod': 'module a\n', 'svc/a/go.sum': 'x v1.0.0 h1:x=\n', 'svc/a/main.go': 'package main\n',
          'svc/a/deps/graph.txt': 'a b@v1\n', 'svc/a/graph.txt': 'not the named one\n', 'svc/b/notgo.mod': 'x\n',
          'svc/b/go.work': 'go 1.22\n', 'svc/b/go.work.sum': '', 'pins/anchor.lock': 'anchor x v1\n', 'we*ird/go.mod': 'module w\n',
        });
        symlinkSync('../a/go.mod', `${other.dir}/svc/b/go.mod`);
        const head = other.commit('files');
        const blob = (f: string) => other.git('rev-parse', `${head}:${f}`).trim();
        const names = ['go.mod', 'go.sum', 'go.work', 'go.work.sum', 'deps/graph.txt', 'pins/anchor.lock'];
        const all = await new Git(other.dir).blobIds(head, names);
        assert.deepEqual([...all.keys()].sort(), ['go.mod', 'pins/anchor.lock', 'svc/a/deps/graph.txt', 'svc/a/go.mod', 'svc/a/go.sum', 'svc/b/go.work', 'svc/b/go.work.sum', 'we*ird/go.mod']);
        for (const [f, id] of all) assert.equal(id, blob(f), f);
        // The same as the whole tree's listing, for those files.
        const whole = await new Git(other.dir).blobIds(head);
        for (const [f, id] of all) assert.equal(whole.get(f), id);
        // From a subdirectory root: its files only, relative to it; HEAD resolved by name.
        const sub = await new Git(`${other.dir}/svc`).blobIds('HEAD', names);
        assert.deepEqual([...sub.keys()].sort(), ['a/deps/graph.txt', 'a/go.mod', 'a/go.sum', 'b/go.work', 'b/go.work.sum']);
        assert.equal((await new Git(other.dir).blobIds(head, [])).size, 0);
      } finally { other.cleanup(); }
    });
    it('reports an unknown ref as a usage error naming it', async () => {
      await assert.rejects(new Git(repo.dir).mergeBase('no-such-branch'), (e: Error) => e instanceof UsageError && /git cannot find the commit "no-such-branch"/.test(e.message));
    });
    it('peels an annotated tag to its commit, and takes HEAD~N', async () => {
      repo.git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'tag', '-a', '-m', 'release', 'v1.0.0', base);
      assert.equal(await new Git(repo.dir).mergeBase('v1.0.0'), base);
      assert.equal(await new Git(repo.dir).mergeBase('HEAD~1'), base);
    });
    it('tells a ref without common history from an unknown one', async () => {
      const tree = repo.git('rev-parse', `${base}^{tree}`).trim();
      const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
      const orphan = execFileSync('git', ['commit-tree', tree, '-m', 'unrelated'], { cwd: repo.dir, env, encoding: 'utf8' }).trim();
      repo.git('branch', 'unrelated', orphan);
      await assert.rejects(new Git(repo.dir).mergeBase('unrelated'), (e: Error) => e instanceof UsageError && /no common history.*git fetch --unshallow/.test(e.message));
      // A tag of a tree is no commit.
      repo.git('tag', 'a-tree', tree);
      await assert.rejects(new Git(repo.dir).mergeBase('a-tree'), (e: Error) => e instanceof UsageError && /git cannot find the commit "a-tree"/.test(e.message));
    });
    it('ignores GIT_DIR pointing elsewhere', async () => {
      const other = tempGitRepo();
      try {
        other.write({ 'z/go.mod': 'module z\n' });
        other.commit('other');
        const git = new Git(repo.dir, { ...process.env, GIT_DIR: `${other.dir}/.git` });
        assert.equal(await git.mergeBase('main'), base);
      } finally { other.cleanup(); }
    });
  });
});
