// PR mode end to end: temporary git repositories with a base and a head commit, checked through the CLI.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tempGitRepo, type TempRepo } from '../support/git-repo.ts';
import { runCli } from '../support/run-cli.ts';

const lock = 'go 1.22\nanchor golang.org/x/net v0.24.0\nban github.com/pkg/errors // use the standard library\n';
const goMod = (name: string, body = '') => `module example.com/shop/${name}\n\ngo 1.22\n${body ? `\n${body}\n` : ''}`;

/** base: lib (already requiring x/net below the pin: a pre-existing finding), app depends on lib, tool alone. */
function baseFiles(): Record<string, string> {
  return {
    'anchor.lock': lock,
    'lib/go.mod': goMod('lib', 'require golang.org/x/net v0.23.0'),
    'app/go.mod': goMod('app', 'require (\n\texample.com/shop/lib v0.0.0-00010101000000-000000000000\n\tgithub.com/redis/go-redis/v8 v8.11.5\n)\n\nreplace example.com/shop/lib => ../lib'),
    'tool/go.mod': goMod('tool', 'require golang.org/x/net v0.22.0'),
    'README.md': 'shop\n',
  };
}

function json(stdout: string) {
  return JSON.parse(stdout) as { findings: Array<{ rule: string; file: string; dependency: string; isNew?: boolean }>; summary: { errors: number; preexisting?: number }; notices: string[] };
}

describe('check --base (PR mode)', function () {
  this.timeout(60_000);
  let repo: TempRepo;
  beforeEach(() => {
    repo = tempGitRepo('modguard-pr-');
    repo.write(baseFiles());
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
  });
  afterEach(() => repo.cleanup());

  it('compares the affected go.sum files with every other go.sum at the base too: an old hash conflict is not new', async () => {
    const h = (c: string) => `h1:${c.repeat(43)}=`;
    repo.write({ 'lib/go.sum': `golang.org/x/net v0.23.0 ${h('A')}\n`, 'tool/go.sum': `golang.org/x/net v0.23.0 ${h('B')}\n` });
    repo.commit('sums');
    const base = repo.git('rev-parse', 'HEAD').trim();
    repo.write({ 'lib/go.mod': goMod('lib', 'require (\n\tgithub.com/pkg/errors v0.9.1\n\tgolang.org/x/net v0.23.0\n)') });
    repo.commit('lib uses pkg/errors', '2026-01-02T12:00:00Z');
    const r = await runCli(['check', '--base', base, '--format', 'json'], repo.dir);
    const out = json(r.stdout);
    const conflict = out.findings.find((f) => f.rule === 'gosum-hash-conflict' && f.file === 'lib/go.sum');
    assert.ok(conflict, r.stdout);
    assert.equal(conflict.isNew, false, 'lib/go.sum and tool/go.sum disagreed before the change');
    assert.ok(!out.findings.some((f) => f.file.startsWith('tool/')), 'tool is not affected and must not be reported');
    // A conflict the change brings in is new.
    repo.write({ 'tool/go.sum': `golang.org/x/net v0.23.0 ${h('A')}\ngolang.org/x/text v0.1.0 ${h('C')}\n`, 'lib/go.sum': `golang.org/x/net v0.23.0 ${h('A')}\ngolang.org/x/text v0.1.0 ${h('D')}\n` });
    repo.commit('text', '2026-01-03T12:00:00Z');
    const r2 = await runCli(['check', '--base', base, '--format', 'json'], repo.dir);
    const out2 = json(r2.stdout);
    const text = out2.findings.find((f) => f.rule === 'gosum-hash-conflict' && f.file === 'lib/go.sum' && f.dependency === 'golang.org/x/text');
    assert.equal(text?.isNew, true, r2.stdout);
  });

  it('keeps the same facts and findings from a full check with and without worker threads', async () => {
    // A large repository's full check reads its go.sum and graph files in a worker thread by
    // default; the pack PR mode reads must not depend on where they were read.
    const h = (c: string) => `h1:${c.repeat(43)}=`;
    repo.write({ 'lib/go.sum': `golang.org/x/net v0.23.0 ${h('A')}\n`, 'tool/go.sum': `golang.org/x/net v0.23.0 ${h('B')}\ngolang.org/x/net v0.22.0 ${h('C')}\n` });
    repo.commit('sums');
    const kept: Array<Map<string, Buffer>> = [];
    for (const workers of ['0', '2']) {
      const cache = mkdtempSync(path.join(tmpdir(), 'modguard-workers-'));
      try {
        const r = await runCli(['check', '--format', 'json', '--cache-dir', cache, '--workers', workers], repo.dir);
        assert.ok(json(r.stdout).findings.length > 0, r.stderr);
        const files = new Map<string, Buffer>();
        for (const f of readdirSync(cache)) if (f.endsWith('.pack') || f.endsWith('.findings')) files.set(f, readFileSync(path.join(cache, f)));
        kept.push(files);
      } finally {
        rmSync(cache, { recursive: true, force: true });
      }
    }
    assert.deepEqual([...kept[0]!.keys()].map((f) => f.slice(f.lastIndexOf('.'))).sort(), ['.findings', '.pack']);
    assert.deepEqual(kept[1], kept[0]);
  });

  it('knows an old hash conflict of a go.sum line the change bumped, with and without kept facts', async () => {
    // At the base lib/go.sum and tool/go.sum disagree on x/net v0.23.0. The change moves lib to
    // v0.24.0, on which they disagree too: the same debt (rule, file, dependency), not a new one,
    // though the head's go.sum files no longer list the base's version.
    const h = (c: string) => `h1:${c.repeat(43)}=`;
    repo.write({
      'lib/go.sum': `golang.org/x/net v0.23.0 ${h('A')}\n`,
      'tool/go.sum': `golang.org/x/net v0.23.0 ${h('B')}\ngolang.org/x/net v0.24.0 ${h('C')}\n`,
    });
    repo.commit('sums');
    const base = repo.git('rev-parse', 'HEAD').trim();
    repo.write({ 'lib/go.mod': goMod('lib', 'require golang.org/x/net v0.24.0'), 'lib/go.sum': `golang.org/x/net v0.24.0 ${h('D')}\n` });
    repo.commit('lib moves to the pin', '2026-01-02T12:00:00Z');
    const cache = path.join(repo.dir, '.cache-facts');
    for (const extra of [['--no-cache'], ['--cache-dir', cache], ['--cache-dir', cache]]) {
      const r = await runCli(['check', '--base', base, '--format', 'json', ...extra], repo.dir);
      const conflict = json(r.stdout).findings.find((f) => f.rule === 'gosum-hash-conflict' && f.file === 'lib/go.sum');
      assert.equal(conflict?.isNew, false, `${extra.join(' ')}: ${r.stdout}`);
    }
  });

  it('reads go.work.sum at the head and at the base: a conflict the change brings there is new, an old one is not', async () => {
    const h = (c: string) => `h1:${c.repeat(43)}=`;
    repo.write({
      'go.work': 'go 1.22\n\nuse (\n\t./lib\n\t./app\n)\n',
      'go.work.sum': `golang.org/x/text v0.1.0 ${h('T')}\n`,
      'lib/go.sum': `golang.org/x/net v0.23.0 ${h('A')}\ngolang.org/x/text v0.1.0 ${h('T')}\n`,
    });
    repo.commit('workspace');
    const base = repo.git('rev-parse', 'HEAD').trim();
    const cache = path.join(repo.dir, '.cache-facts');
    // A full check of the base keeps its findings for PR mode.
    await runCli(['check', '--format', 'json', '--cache-dir', cache], repo.dir);
    repo.write({ 'go.work.sum': `golang.org/x/text v0.1.0 ${h('T')}\ngolang.org/x/net v0.23.0 ${h('B')}\n` });
    repo.commit('workspace sum', '2026-01-02T12:00:00Z');
    // Without the cache, and with what the full check of the base kept (the base not checked again).
    const conflicts = async (ref: string) => {
      const seen: string[][] = [];
      for (const extra of [['--no-cache'], ['--cache-dir', cache]]) {
        const r = await runCli(['--debug', 'check', '--base', ref, '--format', 'json', ...extra], repo.dir);
        if (extra[0] === '--cache-dir') assert.match(r.stderr, /the base's findings: those a full check kept/, r.stderr);
        const found = json(r.stdout).findings.filter((f) => f.rule === 'gosum-hash-conflict');
        seen.push(found.map((f) => `${f.file} ${f.dependency} ${f.isNew}`).sort());
      }
      assert.deepEqual(seen[1], seen[0], 'the same with and without the cache');
      return seen[0];
    };
    assert.deepEqual(await conflicts(base), ['go.work.sum golang.org/x/net true', 'lib/go.sum golang.org/x/net true']);
    // The next change touches lib alone: the conflict with go.work.sum is old news.
    const base2 = repo.git('rev-parse', 'HEAD').trim();
    await runCli(['check', '--format', 'json', '--cache-dir', cache], repo.dir);
    repo.write({ 'lib/go.mod': goMod('lib', 'require (\n\tgolang.org/x/net v0.23.0\n\tgolang.org/x/text v0.1.0\n)') });
    repo.commit('lib uses x/text', '2026-01-03T12:00:00Z');
    assert.deepEqual(await conflicts(base2), ['go.work.sum golang.org/x/net false', 'lib/go.sum golang.org/x/net false']);
  });

  it('a removed module affects the modules that replaced it by its directory, and the workspaces that used it', async () => {
    repo.write({ 'go.work': 'go 1.22\n\nuse (\n\t./lib\n\t./app\n)\n' });
    repo.commit('workspace');
    const base = repo.git('rev-parse', 'HEAD').trim();
    const cache = path.join(repo.dir, '.cache-facts');
    await runCli(['check', '--format', 'json', '--cache-dir', cache], repo.dir);
    repo.write({ 'lib/go.mod': null });
    repo.commit('remove lib', '2026-01-02T12:00:00Z');
    for (const extra of [['--no-cache'], ['--cache-dir', cache]]) {
      const r = await runCli(['check', '--base', base, '--format', 'json', ...extra], repo.dir);
      const out = json(r.stdout);
      const found = out.findings.filter((f) => f.isNew).map((f) => `${f.rule} ${f.file}`).sort();
      assert.deepEqual(found, ['broken-workspace go.work', 'replace-directive app/go.mod'], `${extra.join(' ')}: ${r.stdout}`);
      assert.equal(r.code, 1);
    }
  });

  it('a removed module affects the modules that replaced it by its directory, with the links a pack of the head\'s shape keeps too', async () => {
    // No workspace here: app is affected through its replace of ../lib alone.
    const base = repo.git('rev-parse', 'HEAD').trim();
    const cache = path.join(repo.dir, '.cache-facts');
    repo.write({ 'lib/go.mod': null });
    repo.commit('remove lib', '2026-01-02T12:00:00Z');
    // Without the cache; a first run with it (no pack yet: it writes one, its module graph of the
    // head's shape, where app has no link to a lib that is gone); a run with that pack.
    for (const extra of [['--no-cache'], ['--cache-dir', cache], ['--cache-dir', cache]]) {
      const r = await runCli(['--debug', 'check', '--base', base, '--format', 'json', ...extra], repo.dir);
      const out = json(r.stdout);
      assert.deepEqual(out.findings.filter((f) => f.isNew).map((f) => `${f.rule} ${f.file}`), ['replace-directive app/go.mod'], `${extra.join(' ')}: ${r.stdout}\n${r.stderr}`);
      // A removed module's siblings may require its path: every module is checked.
      assert.match(out.notices[0]!, /2 of 2 modules affected/);
    }
  });

  /**
   * hashConflictsAfter commits `before`, keeps a full check's findings of it, commits `change` and
   * returns the go.sum hash conflicts (file and isNew) PR mode reports without the cache, with a new
   * one and with the full check's, one list per run.
   */
  async function hashConflictsAfter(before: Record<string, string>, change: Record<string, string | null>): Promise<string[][]> {
    repo.write(before);
    repo.commit('before');
    const base = repo.git('rev-parse', 'HEAD').trim();
    const cache = path.join(repo.dir, '.cache-facts');
    await runCli(['check', '--format', 'json', '--cache-dir', cache], repo.dir);
    repo.write(change);
    repo.commit('change', '2026-01-02T12:00:00Z');
    const runs: string[][] = [];
    for (const extra of [['--no-cache'], ['--cache-dir', path.join(repo.dir, '.cache-new')], ['--cache-dir', cache]]) {
      const r = await runCli(['check', '--base', base, '--format', 'json', ...extra], repo.dir);
      runs.push(json(r.stdout).findings.filter((f) => f.rule === 'gosum-hash-conflict').map((f) => `${f.file} ${f.isNew}`));
    }
    return runs;
  }
  const hashOf = (c: string) => `h1:${c.repeat(43)}=`;
  const netSum = (c: string) => `golang.org/x/net v0.23.0 ${hashOf(c)}\n`;

  it('reads the go.sum of a module the change removed at the base: a conflict it had there is old news', async () => {
    // At the base tool/go.sum disagrees with lib's and app's on x/net v0.23.0. The change removes
    // tool (its go.sum stays behind, no module's now) and gives lib tool's hash: lib now disagrees
    // with app, and both go.sum files had a conflict on that line at the base too.
    const runs = await hashConflictsAfter(
      { 'tool/go.sum': netSum('A'), 'lib/go.sum': netSum('B'), 'app/go.sum': netSum('B') },
      { 'tool/go.mod': null, 'lib/go.sum': netSum('A') },
    );
    for (const run of runs) assert.deepEqual(run, ['app/go.sum false', 'lib/go.sum false']);
  });

  it('reads the go.work.sum of a workspace the change removed at the base: a conflict it had there is old news', async () => {
    // At the base go.work.sum disagrees with lib/go.sum on x/net v0.23.0. The change removes go.work
    // (its go.work.sum stays behind) and gives tool a third hash: lib's line now disagrees with
    // tool's, and it had a conflict at the base too.
    const runs = await hashConflictsAfter(
      { 'go.work': 'go 1.22\n\nuse (\n\t./lib\n\t./app\n)\n', 'go.work.sum': netSum('A'), 'lib/go.sum': netSum('B') },
      { 'go.work': null, 'tool/go.sum': netSum('C') },
    );
    for (const run of runs) assert.deepEqual(run, ['lib/go.sum false', 'tool/go.sum true']);
  });

  it('uses the unchanged graph files of affected modules at the base as well as at the head', async () => {
    // tool requires the pin, but a dependency pulls x/net up to v0.25.0 in its module graph.
    const graph = 'example.com/shop/tool golang.org/x/net@v0.24.0\nexample.com/shop/tool github.com/a/b@v1.0.0\ngithub.com/a/b@v1.0.0 golang.org/x/net@v0.25.0\n';
    repo.write({ 'tool/graph.txt': graph, 'tool/go.mod': goMod('tool', 'require (\n\tgithub.com/a/b v1.0.0\n\tgolang.org/x/net v0.24.0\n)') });
    repo.commit('graph');
    const base = repo.git('rev-parse', 'HEAD').trim();
    repo.write({ 'tool/go.mod': goMod('tool', 'require (\n\tgithub.com/a/b v1.0.0\n\tgithub.com/pkg/errors v0.9.1\n\tgolang.org/x/net v0.24.0\n)') });
    repo.commit('tool uses pkg/errors', '2026-01-02T12:00:00Z');
    const r = await runCli(['check', '--base', base, '--format', 'json', '--graph-file', 'graph.txt'], repo.dir);
    const out = json(r.stdout);
    const drift = out.findings.find((f) => f.rule === 'anchor-drift' && f.file === 'tool/go.mod');
    assert.ok(drift, r.stdout);
    assert.equal(drift.isNew, false, 'the graph selected x/net v0.25.0 at the base too');
    assert.equal(out.findings.find((f) => f.rule === 'banned-module')?.isNew, true);
  });

  it('sees a change of a graph file named by a path below each module, under a root below the top level', async () => {
    // The shop moves into monorepo/, its graph files into deps/ beside each go.mod.
    const files = Object.entries(baseFiles()).map(([f, text]) => [`monorepo/${f}`, text]);
    // tool requires the pin; what its dependency requires decides what the module graph selects.
    const graph = (netVersion: string) => `example.com/shop/tool golang.org/x/net@v0.24.0\nexample.com/shop/tool github.com/a/b@v1.0.0\ngithub.com/a/b@v1.0.0 golang.org/x/net@${netVersion}\n`;
    repo.write({ ...Object.fromEntries(files), 'monorepo/tool/deps/graph.txt': graph('v0.22.0'), 'monorepo/tool/go.mod': goMod('tool', 'require (\n\tgithub.com/a/b v1.0.0\n\tgolang.org/x/net v0.24.0\n)') });
    repo.commit('into monorepo/');
    const base = repo.git('rev-parse', 'HEAD').trim();
    const root = path.join(repo.dir, 'monorepo');
    const args = ['check', '--root', root, '--base', base, '--format', 'json', '--graph-file', 'deps/graph.txt', '--no-cache'];
    const none = await runCli(args, repo.dir);
    assert.match(none.stderr, /no go\.mod, go\.sum, go\.work or anchor\.lock changed/);
    // Only the graph file changes: the dependency now selects x/net v0.25.0 beyond the pin.
    repo.write({ 'monorepo/tool/deps/graph.txt': graph('v0.25.0') });
    // The same file however it is written.
    for (const name of ['deps/graph.txt', './deps/graph.txt', 'deps//graph.txt', 'deps/../deps/graph.txt']) {
      const r = await runCli(args.map((a) => (a === 'deps/graph.txt' ? name : a)), repo.dir);
      const out = json(r.stdout);
      assert.match(out.notices[0]!, /1 of 3 modules affected/, `${name}: ${r.stdout}`);
      const drift = out.findings.find((f) => f.rule === 'anchor-drift' && f.file === 'tool/go.mod');
      assert.ok(drift, r.stdout);
      assert.equal(drift.isNew, true, r.stdout);
    }
    // A name that leaves the module's directory, or names none, is a usage error.
    for (const name of ['../graph.txt', '/tmp/graph.txt', '', 'deps/']) {
      const r = await runCli(args.map((a) => (a === 'deps/graph.txt' ? name : a)), repo.dir);
      assert.equal(r.code, 2, `${JSON.stringify(name)}: ${r.stderr}`);
      assert.match(r.stderr, /--graph-file .*: name the file beside each go\.mod/);
    }
  });

  it('sees a change of an anchors file above the root, and reads it at the base; one outside the work tree is not asked of git', async () => {
    // The modules move into monorepo/; anchor.lock stays at the top, named from the root as ../anchor.lock.
    const files = Object.entries(baseFiles()).filter(([f]) => f !== 'anchor.lock').map(([f, text]) => [`monorepo/${f}`, text]);
    repo.write(Object.fromEntries(files));
    repo.commit('into monorepo/');
    // A user's setting that makes diffs name files from the current directory changes nothing.
    repo.git('config', 'diff.relative', 'true');
    const root = path.join(repo.dir, 'monorepo');
    const args = (anchors: string) => ['check', '--root', root, '--base', 'HEAD', '--format', 'json', '--anchors', anchors, '--no-cache'];
    // The pin moves up (lib and tool were below it before, and are still).
    repo.write({ 'anchor.lock': lock.replace('v0.24.0', 'v0.25.0') });
    const r = await runCli(args(path.join(repo.dir, 'anchor.lock')), repo.dir);
    const out = json(r.stdout);
    assert.match(out.notices[0]!, /\.\.\/anchor\.lock changed: all 3 modules checked/, r.stdout);
    // Both modules are below both pins, so both mismatches are old: the base's anchors were read
    // from git (had the head's been used at the base too, the same; had none, both would be new).
    const mismatches = out.findings.filter((f) => f.rule === 'anchor-mismatch').map((f) => `${f.file} ${f.isNew}`);
    assert.deepEqual(mismatches, ['lib/go.mod false', 'tool/go.mod false'], r.stdout);
    // An anchors file outside the work tree: git is not asked about it, and the change of the
    // module files is checked as usual.
    const outside = mkdtempSync(path.join(tmpdir(), 'modguard-pr-anchors-'));
    try {
      writeFileSync(path.join(outside, 'anchor.lock'), lock);
      repo.write({ 'monorepo/tool/go.mod': goMod('tool', 'require golang.org/x/net v0.24.0') });
      const away = await runCli(args(path.join(outside, 'anchor.lock')), repo.dir);
      assert.equal(away.code, 0, away.stderr);
      assert.match(json(away.stdout).notices[0]!, /1 of 3 modules affected/, away.stdout);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('takes no graph file git does not track for the base\'s: what such a graph decides counts as new, and a notice says why', async () => {
    // The job makes the graph files, and git ignores them: the base has none.
    const graph = (b: string, net: string) => `example.com/shop/tool golang.org/x/net@v0.24.0\nexample.com/shop/tool github.com/a/b@${b}\ngithub.com/a/b@${b} golang.org/x/net@${net}\n`;
    repo.write({ '.gitignore': 'graph.txt\n', 'tool/go.mod': goMod('tool', 'require (\n\tgithub.com/a/b v1.0.0\n\tgolang.org/x/net v0.24.0\n)') });
    repo.commit('tool requires a/b');
    const base = repo.git('rev-parse', 'HEAD').trim();
    // The change moves a/b to a version that pulls x/net above the pin; the job's graph shows it.
    repo.write({ 'tool/go.mod': goMod('tool', 'require (\n\tgithub.com/a/b v1.1.0\n\tgolang.org/x/net v0.24.0\n)'), 'tool/graph.txt': graph('v1.1.0', 'v0.25.0') });
    const r = await runCli(['check', '--base', base, '--format', 'json', '--graph-file', 'graph.txt', '--no-cache'], repo.dir);
    const out = json(r.stdout);
    const drift = out.findings.find((f) => f.rule === 'anchor-drift' && f.file === 'tool/go.mod');
    assert.ok(drift, r.stdout);
    assert.equal(drift.isNew, true, 'the head\'s graph is not the base\'s');
    assert.ok(out.notices.some((n) => /1 graph file of the affected modules not in git \(tool\/graph\.txt\): the base.s module graph of those modules is not known/.test(n)), out.notices.join('\n'));
    // --new-only does not let it through.
    const gate = await runCli(['check', '--base', base, '--new-only', '--graph-file', 'graph.txt', '--no-cache'], repo.dir);
    assert.equal(gate.code, 1, gate.stdout);
  });

  it('passes at once with one line when no module file changed', async () => {
    repo.write({ 'README.md': 'shop, now with docs\n', 'lib/x.go': 'package lib\n' });
    repo.commit('docs only', '2026-01-02T12:00:00Z');
    const r = await runCli(['check', '--base', 'main'], repo.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /no go\.mod, go\.sum, go\.work or anchor\.lock changed since main \(merge base [0-9a-f]{12}\); nothing to check/);
    assert.equal(r.stdout, '');
  });

  it('checks the changed module and its dependents only, marking new findings', async () => {
    repo.write({ 'lib/go.mod': goMod('lib', 'require (\n\tgithub.com/pkg/errors v0.9.1\n\tgolang.org/x/net v0.23.0\n)') });
    repo.commit('lib uses pkg/errors', '2026-01-02T12:00:00Z');
    const r = await runCli(['check', '--base', 'main', '--format', 'json'], repo.dir);
    assert.equal(r.code, 1, r.stderr);
    const out = json(r.stdout);
    const files = new Set(out.findings.map((f) => f.file));
    assert.ok(!files.has('tool/go.mod'), 'tool is not affected and must not be reported');
    const banned = out.findings.find((f) => f.rule === 'banned-module');
    assert.equal(banned?.isNew, true);
    const mismatch = out.findings.find((f) => f.rule === 'anchor-mismatch' && f.file === 'lib/go.mod');
    assert.equal(mismatch?.isNew, false, 'the x/net mismatch was already on the base');
    assert.match(out.notices[0]!, /PR mode against main \(merge base [0-9a-f]{12}\): 2 of 3 modules affected/);
  });

  it('--new-only reports only what the change introduced and counts the rest', async () => {
    repo.write({ 'lib/go.mod': goMod('lib', 'require (\n\tgithub.com/pkg/errors v0.9.1\n\tgolang.org/x/net v0.23.0\n)') });
    repo.commit('lib uses pkg/errors', '2026-01-02T12:00:00Z');
    const r = await runCli(['check', '--base', 'main', '--new-only', '--format', 'json'], repo.dir);
    assert.equal(r.code, 1);
    const out = json(r.stdout);
    assert.deepEqual(out.findings.map((f) => f.rule), ['banned-module']);
    assert.equal(out.summary.preexisting, 1);
  });

  it('--new-only passes a change that only touches a module with old findings', async () => {
    repo.write({ 'tool/go.mod': goMod('tool', '// a comment\nrequire golang.org/x/net v0.22.0') });
    repo.commit('comment', '2026-01-02T12:00:00Z');
    const r = await runCli(['check', '--base', 'main', '--new-only', '--format', 'json'], repo.dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(json(r.stdout).summary.preexisting, 1);
  });

  it('reports a major-version jump against the base, and accepts the acknowledgement', async () => {
    const bumped = goMod('app', 'require (\n\texample.com/shop/lib v0.0.0-00010101000000-000000000000\n\tgithub.com/redis/go-redis/v9 v9.5.1\n)\n\nreplace example.com/shop/lib => ../lib');
    repo.write({ 'app/go.mod': bumped });
    repo.commit('redis v9', '2026-01-02T12:00:00Z');
    const r = await runCli(['check', '--base', 'main', '--format', 'json'], repo.dir);
    const jumps = json(r.stdout).findings.filter((f) => f.rule === 'major-version-jump');
    assert.deepEqual(jumps.map((f) => [f.file, f.dependency, f.isNew]), [['app/go.mod', 'github.com/redis/go-redis/v9', true]]);
    assert.equal(r.code, 1);

    repo.write({ 'app/go.mod': bumped.replace('v9.5.1\n', 'v9.5.1 // modguard:major v9 keeps the client API we use\n') });
    const ok = await runCli(['check', '--base', 'main', '--format', 'json'], repo.dir);
    assert.equal(json(ok.stdout).findings.filter((f) => f.rule === 'major-version-jump').length, 0);
    assert.equal(ok.code, 0, ok.stdout);
  });

  it('with what a full check of the merge base kept, takes a changed go.mod\'s base from its facts: no git object is read', async () => {
    const cache = path.join(repo.dir, '.cache-facts');
    await runCli(['check', '--format', 'json', '--cache-dir', cache], repo.dir);
    const bumped = goMod('app', 'require (\n\texample.com/shop/lib v0.0.0-00010101000000-000000000000\n\tgithub.com/redis/go-redis/v9 v9.5.1\n)\n\nreplace example.com/shop/lib => ../lib');
    repo.write({ 'app/go.mod': bumped });
    repo.commit('redis v9', '2026-01-02T12:00:00Z');
    // git as modguard runs it, each call's subcommand written down.
    const bin = mkdtempSync(path.join(tmpdir(), 'modguard-git-log-'));
    try {
      const log = path.join(bin, 'calls');
      const real = path.join(repo.git('--exec-path').trim(), 'git');
      writeFileSync(path.join(bin, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
      const env = { PATH: `${bin}${path.delimiter}${process.env.PATH}` };
      const kept = await runCli(['--debug', 'check', '--base', 'main', '--format', 'json', '--cache-dir', cache], repo.dir, env);
      assert.match(kept.stderr, /the base's findings: those a full check kept/, kept.stderr);
      const calls = readFileSync(log, 'utf8').trim().split('\n');
      // (Not `cat-file` for the base's texts, nor `rev-parse --show-prefix` to name them from the top.)
      assert.deepEqual(calls.filter((c) => / cat-file | rev-parse --show-prefix/.test(` ${c} `)), [], calls.join('\n'));
      assert.ok(calls.some((c) => / diff .*--merge-base/.test(c)), calls.join('\n'));
      const checked = await runCli(['check', '--base', 'main', '--format', 'json', '--no-cache'], repo.dir);
      const jumps = (r: typeof kept) => json(r.stdout).findings.filter((f) => f.rule === 'major-version-jump').map((f) => [f.file, f.dependency, f.isNew]);
      assert.deepEqual(jumps(kept), [['app/go.mod', 'github.com/redis/go-redis/v9', true]], kept.stdout);
      assert.deepEqual(json(kept.stdout).findings, json(checked.stdout).findings);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('PR mode in shards: merged, the shards\' results are the unsharded run\'s, notices included', async () => {
    // More modules, so that each of two shards gets some of those a change affects.
    const more: Record<string, string> = {};
    for (let i = 0; i < 8; i++) more[`svc${i}/go.mod`] = goMod(`svc${i}`, `require (\n\texample.com/shop/lib v0.0.0-00010101000000-000000000000\n\tgolang.org/x/net v0.2${i % 4}.0\n)\n\nreplace example.com/shop/lib => ../lib`);
    repo.write(more);
    repo.commit('services');
    const base = repo.git('rev-parse', 'HEAD').trim();
    // lib changes: every service depends on it; tool does not.
    repo.write({ 'lib/go.mod': goMod('lib', 'require (\n\tgithub.com/pkg/errors v0.9.1\n\tgolang.org/x/net v0.23.0\n)') });
    repo.commit('lib uses pkg/errors', '2026-01-02T12:00:00Z');
    for (const change of ['lib', 'anchors']) {
      if (change === 'anchors') {
        repo.write({ 'anchor.lock': lock.replace('v0.24.0', 'v0.25.0') });
        repo.commit('move the pin', '2026-01-03T12:00:00Z');
      }
      const whole = await runCli(['check', '--base', base, '--format', 'json', '--no-cache'], repo.dir);
      const shards: string[] = [];
      for (const k of [1, 2]) {
        const file = path.join(repo.dir, `.shard-${k}.json`);
        const r = await runCli(['check', '--base', base, '--shard', `${k}/2`, '--format', `json=${file}`, '--no-cache'], repo.dir);
        assert.ok(r.code === 0 || r.code === 1, r.stderr);
        shards.push(file);
      }
      const merged = await runCli(['merge', ...shards, '--format', 'json'], repo.dir);
      assert.equal(merged.code, whole.code, merged.stderr);
      type Result = { findings: unknown[]; summary: unknown; notices: string[] };
      const { findings, summary, notices } = JSON.parse(whole.stdout) as Result;
      const m = JSON.parse(merged.stdout) as Result;
      assert.deepEqual({ findings: m.findings, summary: m.summary, notices: m.notices }, { findings, summary, notices }, change);
      // lib, app and the eight services (all but tool), or every module.
      assert.match(notices[0]!, change === 'lib' ? /10 of 11 modules affected/ : /anchor\.lock changed: all 11 modules checked/);
    }
  });

  it('an anchor.lock change checks every module', async () => {
    repo.write({ 'anchor.lock': lock.replace('v0.24.0', 'v0.25.0') });
    repo.commit('move the pin', '2026-01-02T12:00:00Z');
    const r = await runCli(['check', '--base', 'main', '--format', 'json'], repo.dir);
    const out = json(r.stdout);
    assert.deepEqual([...new Set(out.findings.filter((f) => f.rule === 'anchor-mismatch').map((f) => f.file))].sort(), ['lib/go.mod', 'tool/go.mod']);
    assert.match(out.notices[0]!, /anchor\.lock changed: all 3 modules checked/);
  });

  it('sees uncommitted and untracked changes', async () => {
    repo.write({ 'new/go.mod': goMod('new', 'require github.com/pkg/errors v0.9.1') });
    const r = await runCli(['check', '--base', 'main', '--format', 'json'], repo.dir);
    assert.deepEqual(json(r.stdout).findings.map((f) => [f.rule, f.file, f.isNew]), [['banned-module', 'new/go.mod', true]]);
  });

  it('outside a git work tree, says --base needs one (exit 2, no internal error)', async () => {
    const plain = mkdtempSync(path.join(tmpdir(), 'modguard-no-git-'));
    try {
      writeFileSync(path.join(plain, 'go.mod'), goMod('lone'));
      const r = await runCli(['check', '--base', 'main'], plain);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /is not inside a git work tree: comparing with the commit "main" needs one/);
      assert.doesNotMatch(r.stderr, /internal error/);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it('rejects a ref that would be read as an option, and an unknown ref', async () => {
    const dash = await runCli(['check', '--base=--output=/tmp/x'], repo.dir);
    assert.equal(dash.code, 2);
    assert.match(dash.stderr, /invalid git ref "--output=\/tmp\/x": it starts with "-"/);
    const unknown = await runCli(['check', '--base', 'nope'], repo.dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /cannot find the commit "nope"/);
    const newOnly = await runCli(['check', '--new-only'], repo.dir);
    assert.equal(newOnly.code, 2);
    assert.match(newOnly.stderr, /--new-only compares with a git base/);
  });

  it('--baseline counts the findings of an earlier run as pre-existing', async () => {
    const first = await runCli(['check', '--format', 'json'], repo.dir);
    writeFileSync(path.join(repo.dir, 'baseline.json'), first.stdout);
    const again = await runCli(['check', '--baseline', 'baseline.json', '--format', 'json'], repo.dir);
    assert.equal(again.code, 0, again.stdout);
    const out = json(again.stdout);
    assert.equal(out.findings.length, 0);
    assert.equal(out.summary.preexisting, json(first.stdout).findings.length);

    repo.write({ 'tool/go.mod': goMod('tool', 'require (\n\tgithub.com/pkg/errors v0.9.1\n\tgolang.org/x/net v0.22.0\n)') });
    const worse = await runCli(['check', '--baseline', 'baseline.json', '--format', 'json'], repo.dir);
    assert.equal(worse.code, 1);
    assert.deepEqual(json(worse.stdout).findings.map((f) => f.rule), ['banned-module']);
    const broken = await runCli(['check', '--baseline', 'README.md'], repo.dir);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /README\.md/);
  });
});
