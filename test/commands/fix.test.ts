import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli.ts';
import { loadRepository } from '../../src/engine/load.ts';
import { check } from '../../src/engine/run.ts';
import { fakeContext } from '../support/context.ts';
import { runFix } from '../../src/commands/fix-run.ts';

const files: Record<string, string> = {
  'anchor.lock': '// pins\ngo 1.22\n\nanchor (\n\tgolang.org/x/net v0.24.0\n\tgoogle.golang.org/grpc v1.64.0 // owner: rpc\n)\n',
  'svc/a/go.mod': 'module example.com/svc/a\n\ngo 1.21\n\nrequire (\n\tgolang.org/x/net v0.20.0\n\tgoogle.golang.org/grpc v1.60.0 // pinned for a reason\n)\n',
  'svc/b/go.mod': 'module example.com/svc/b\n\ngo 1.22\n\nrequire golang.org/x/net v0.24.0\n\nrequire google.golang.org/grpc v1.63.0 // indirect\n',
  'lib/c/go.mod': '// the shared library\nmodule example.com/lib/c\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.22.0\n\n\tgithub.com/stretchr/testify v1.9.0\n)\n',
  'tools/d/go.mod': 'module example.com/tools/d\n\ngo 1.22\n\nrequire github.com/stretchr/testify v1.9.0\n',
};

async function writeFixture(): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'modguard-fix-'));
  for (const [f, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, f)), { recursive: true });
    await fs.writeFile(path.join(root, f), text);
  }
  return root;
}

async function anchorFindings(root: string): Promise<Array<{ rule: string; file: string }>> {
  const repo = await loadRepository({ cwd: root, root });
  return check(repo).findings.filter((f) => f.rule === 'anchor-mismatch' || f.rule === 'go-version-drift').map((f) => ({ rule: f.rule, file: f.file }));
}

async function read(root: string, f: string): Promise<string> {
  return fs.readFile(path.join(root, f), 'utf8');
}

describe('modguard fix (end to end on a fixture monorepo)', () => {
  let root: string;
  beforeEach(async () => { root = await writeFixture(); });
  afterEach(async () => { await fs.rm(root, { recursive: true, force: true }); });

  it('check finds the anchor findings, fix fixes them, check then finds none', async () => {
    const found = await anchorFindings(root);
    assert.equal(found.filter((f) => f.rule === 'anchor-mismatch').length, 4);
    assert.equal(found.filter((f) => f.rule === 'go-version-drift').length, 1);

    const ctx = fakeContext(root);
    assert.equal(await main(['fix', '--root', root], ctx), 0, ctx.err());
    const out = ctx.out();
    assert.match(out, /^3 files changed, 5 edits made$/m);
    assert.match(out, /fixed svc\/a\/go.mod:\n {2}go 1.21 -> 1.22\n {2}require golang.org\/x\/net v0.20.0 -> v0.24.0\n {2}require google.golang.org\/grpc v1.60.0 -> v1.64.0\n/);
    assert.match(out, /\(cd svc\/a && go mod tidy\)/);
    assert.match(out, /\(cd lib\/c && go mod tidy\)/);
    assert.doesNotMatch(out, /tools\/d/);

    assert.deepEqual(await anchorFindings(root), []);
    assert.equal(await read(root, 'svc/a/go.mod'), files['svc/a/go.mod']!.replace('go 1.21', 'go 1.22').replace('v0.20.0', 'v0.24.0').replace('v1.60.0', 'v1.64.0'));
    assert.equal(await read(root, 'svc/b/go.mod'), files['svc/b/go.mod']!.replace('v1.63.0', 'v1.64.0'));
    assert.equal(await read(root, 'lib/c/go.mod'), files['lib/c/go.mod']!.replace('v0.22.0', 'v0.24.0'));

    const again = fakeContext(root);
    assert.equal(await main(['fix', '--root', root], again), 0);
    assert.match(again.out(), /^0 files changed, 0 edits made$/m);
  });

  it('leaves a go.mod that changed between read and write alone, reports it, and fixes the others', async () => {
    const ctx = fakeContext(root);
    const edited = `${files['svc/b/go.mod']}\nrequire github.com/new/dep v1.0.0\n`;
    const code = await runFix({
      rules: [], modules: [], dryRun: false, tidy: false, root,
      beforeApply: async (plan) => {
        assert.ok(plan.patches.some((p) => p.file === 'svc/b/go.mod'));
        await fs.writeFile(path.join(root, 'svc/b/go.mod'), edited);
      },
    }, ctx);
    assert.equal(code, 1);
    assert.equal(await read(root, 'svc/b/go.mod'), edited);
    assert.match(ctx.err(), /svc\/b\/go.mod: changed since it was read; left alone \(run modguard fix again\)/);
    assert.match(ctx.out(), /^2 files changed, 4 edits made$/m);
    assert.doesNotMatch(ctx.out(), /cd svc\/b/);
    assert.equal(await read(root, 'lib/c/go.mod'), files['lib/c/go.mod']!.replace('v0.22.0', 'v0.24.0'));
  });

  it('--dry-run prints unified diffs and writes nothing', async () => {
    const ctx = fakeContext(root);
    assert.equal(await main(['fix', '--root', root, '--dry-run'], ctx), 0, ctx.err());
    const out = ctx.out();
    assert.match(out, /^--- a\/svc\/b\/go.mod\n\+\+\+ b\/svc\/b\/go.mod\n@@ -4,4 \+4,4 @@\n \n require golang.org\/x\/net v0.24.0\n \n-require google.golang.org\/grpc v1.63.0 \/\/ indirect\n\+require google.golang.org\/grpc v1.64.0 \/\/ indirect\n/m);
    assert.match(out, /3 files would change \(5 edits\); nothing was written/);
    for (const [f, text] of Object.entries(files)) assert.equal(await read(root, f), text, f);
  });

  it('names the graph files of the modules it changes, to capture again (stale-graph reports them until then)', async () => {
    // svc/b's graph, captured from its go.mod as it is; lib/c's the same; tools/d has none changed.
    await fs.writeFile(path.join(root, 'svc/b/graph.txt'), 'example.com/svc/b golang.org/x/net@v0.24.0\nexample.com/svc/b google.golang.org/grpc@v1.63.0\n');
    await fs.mkdir(path.join(root, 'tools/d/deps'));
    await fs.writeFile(path.join(root, 'tools/d/deps/graph.txt'), 'example.com/tools/d github.com/stretchr/testify@v1.9.0\n');
    const stale = async (graphFile: string) => {
      const repo = await loadRepository({ cwd: root, root, graphFile });
      return check(repo).findings.filter((f) => f.rule === 'stale-graph').map((f) => f.file);
    };
    assert.deepEqual(await stale('graph.txt'), []);
    const dry = fakeContext(root);
    assert.equal(await main(['fix', '--root', root, '--graph-file', 'graph.txt', '--dry-run'], dry), 0, dry.err());
    assert.match(dry.out(), /then capture the module graph again \(stale-graph reports it until then\):\n {2}\(cd svc\/b && go mod graph > graph\.txt\)\n/);
    const ctx = fakeContext(root);
    assert.equal(await main(['fix', '--root', root, '--graph-file', 'graph.txt'], ctx), 0, ctx.err());
    assert.match(ctx.out(), /\(cd svc\/b && go mod graph > graph\.txt\)\n/);
    assert.doesNotMatch(ctx.out(), /tools\/d/);
    // The fix moved svc/b's grpc to the pin: its graph is of the go.mod before.
    assert.deepEqual(await stale('graph.txt'), ['svc/b/go.mod']);
    // A module the fix did not change keeps its graph, named by a path or not.
    assert.deepEqual(await stale('deps/graph.txt'), []);
  });

  it('--rule and --module narrow the fix', async () => {
    const ctx = fakeContext(root);
    assert.equal(await main(['fix', '--root', root, '--rule', 'go-version-drift'], ctx), 0, ctx.err());
    assert.equal(await read(root, 'svc/a/go.mod'), files['svc/a/go.mod']!.replace('go 1.21', 'go 1.22'));
    const ctx2 = fakeContext(root);
    assert.equal(await main(['fix', '--root', root, '--module', 'lib/c'], ctx2), 0, ctx2.err());
    assert.equal(await read(root, 'svc/b/go.mod'), files['svc/b/go.mod']);
    assert.equal(await read(root, 'lib/c/go.mod'), files['lib/c/go.mod']!.replace('v0.22.0', 'v0.24.0'));
  });

  it('rejects an unknown rule and an unknown module directory with exit 2', async () => {
    const ctx = fakeContext(root);
    assert.equal(await main(['fix', '--root', root, '--rule', 'multiple-majors'], ctx), 2);
    assert.match(ctx.err(), /modguard fix can fix anchor-mismatch, anchor-drift, go-version-drift, replace-directive/);
    const ctx2 = fakeContext(root);
    assert.equal(await main(['fix', '--root', root, '--module', 'nope'], ctx2), 2);
    assert.match(ctx2.err(), /--module nope: no go.mod in that directory/);
  });

  it('--tidy runs the follow-up commands with go from PATH and reports failures per module', async () => {
    const bin = path.join(root, '.bin');
    await fs.mkdir(bin);
    const log = path.join(root, 'go.log');
    await fs.writeFile(path.join(bin, 'go'), [
      '#!/bin/sh',
      `echo "$(pwd) $*" >> "${log}"`,
      'case "$(pwd)" in */lib/c) echo "go: lib/c cannot reach the proxy" >&2; exit 1;; esac',
      'exit 0',
      '',
    ].join('\n'), { mode: 0o755 });
    const ctx = fakeContext(root, { PATH: bin });
    assert.equal(await main(['fix', '--root', root, '--tidy'], ctx), 1);
    const lines = (await fs.readFile(log, 'utf8')).trim().split('\n').sort();
    const real = await fs.realpath(root);
    assert.deepEqual(lines, [`${real}/lib/c mod tidy`, `${real}/svc/a mod tidy`, `${real}/svc/b mod tidy`]);
    assert.match(ctx.out(), /ran \(cd svc\/a && go mod tidy\)/);
    assert.match(ctx.err(), /\(cd lib\/c && go mod tidy\) failed:\n {2}go: lib\/c cannot reach the proxy/);
  });

  it('--tidy without go on PATH says so per module', async () => {
    const ctx = fakeContext(root, { PATH: path.join(root, 'empty') });
    assert.equal(await main(['fix', '--root', root, '--tidy', '--module', 'svc/b'], ctx), 1);
    assert.match(ctx.err(), /\(cd svc\/b && go mod tidy\) failed:\n {2}go is not on PATH/);
  });
});
