import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli.ts';
import { parseAnchorLock } from '../../anchors/lock.ts';
import { fakeContext } from '../support/context.ts';

async function fixture(files: Record<string, string>): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'modguard-anchors-'));
  for (const [f, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, f)), { recursive: true });
    await fs.writeFile(path.join(root, f), text);
  }
  return root;
}

const modules: Record<string, string> = {
  'svc/a/go.mod': 'module example.com/svc/a\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.20.0\n\tgoogle.golang.org/grpc v1.64.0\n\texample.com/lib/c v0.0.0\n)\n\nreplace example.com/lib/c => ../../lib/c\n',
  'svc/b/go.mod': 'module example.com/svc/b\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.24.0\n\tgoogle.golang.org/grpc v1.64.0\n\tgithub.com/only/once v1.0.0\n)\n',
  'svc/e/go.mod': 'module example.com/svc/e\n\ngo 1.21\n\nrequire (\n\tgolang.org/x/net v0.20.0\n\texample.com/lib/c v0.0.0\n)\n\nreplace example.com/lib/c => ../../lib/c\n',
  'lib/c/go.mod': 'module example.com/lib/c\n\ngo 1.22\n',
};

async function run(root: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const ctx = fakeContext(root);
  const code = await main([...args, '--root', root], ctx);
  return { code, out: ctx.out(), err: ctx.err() };
}

describe('modguard anchors', () => {
  let root: string;
  afterEach(async () => { if (root) await fs.rm(root, { recursive: true, force: true }); });

  it('init proposes the most used versions of dependencies used by N modules, and check accepts it', async () => {
    root = await fixture(modules);
    const dry = await run(root, ['anchors', 'init', '--dry-run']);
    assert.equal(dry.code, 0, dry.err);
    const lock = parseAnchorLock(dry.out, 'anchor.lock');
    assert.deepEqual(lock.errors, []);
    assert.deepEqual([...lock.anchors.values()].map((a) => [a.path, a.version, a.comment]), [
      ['golang.org/x/net', 'v0.20.0', 'used by 3 modules, 2 at this version (2 versions in use)'],
      ['google.golang.org/grpc', 'v1.64.0', 'used by 2 modules'],
    ]);
    assert.equal(lock.go?.version, '1.22');
    await assert.rejects(fs.stat(path.join(root, 'anchor.lock')));

    const highest = await run(root, ['anchors', 'init', '--dry-run', '--strategy', 'highest', '--min-modules', '1']);
    const hl = parseAnchorLock(highest.out, 'anchor.lock');
    assert.equal(hl.anchors.get('golang.org/x/net')?.version, 'v0.24.0');
    assert.equal(hl.anchors.get('github.com/only/once')?.version, 'v1.0.0');
    assert.equal(hl.anchors.has('example.com/lib/c'), false, 'sibling modules are not anchored');

    const written = await run(root, ['anchors', 'init']);
    assert.equal(written.code, 0, written.err);
    assert.match(written.out, /wrote anchor.lock with 2 anchors/);
    assert.equal(await fs.readFile(path.join(root, 'anchor.lock'), 'utf8'), dry.out);
    const checked = await run(root, ['anchors', 'check']);
    assert.equal(checked.code, 0, checked.out);
    assert.match(checked.out, /anchor.lock: ok \(2 anchors, 0 allow-replaces, 0 bans\)/);

    const again = await run(root, ['anchors', 'init']);
    assert.equal(again.code, 2);
    assert.match(again.err, /anchor.lock exists/);
    assert.equal((await run(root, ['anchors', 'init', '--force', '--min-modules', '3'])).code, 0);
    assert.equal(parseAnchorLock(await fs.readFile(path.join(root, 'anchor.lock'), 'utf8'), 'a').anchors.size, 1);
  });

  it('init --force keeps the bans and allowed replaces of the lock it replaces and never anchors a banned module', async () => {
    root = await fixture({ ...modules, 'anchor.lock': 'anchor golang.org/x/net v0.1.0\nallow-replace example.com/lib/c\nban github.com/only/once // use the other one\n' });
    const r = await run(root, ['anchors', 'init', '--force', '--min-modules', '1']);
    assert.equal(r.code, 0, r.err);
    const lock = parseAnchorLock(await fs.readFile(path.join(root, 'anchor.lock'), 'utf8'), 'anchor.lock');
    assert.deepEqual(lock.errors, []);
    assert.equal(lock.anchors.has('github.com/only/once'), false);
    assert.equal(lock.anchors.get('golang.org/x/net')?.version, 'v0.20.0');
    assert.deepEqual(lock.bans.map((b) => [b.path, b.reason]), [['github.com/only/once', 'use the other one']]);
    assert.deepEqual(lock.allowReplace.map((a) => a.path), ['example.com/lib/c']);
  });

  it('set adds and moves pins keeping comments, rm removes them', async () => {
    const text = '// pins\ngo 1.22\n\nanchor (\n\tgolang.org/x/net v0.24.0 // owner: net\n)\n\nban github.com/pkg/errors // use errors\n';
    root = await fixture({ 'anchor.lock': text });
    const file = path.join(root, 'anchor.lock');
    const moved = await run(root, ['anchors', 'set', 'golang.org/x/net@v0.25.0']);
    assert.equal(moved.code, 0, moved.err);
    assert.match(moved.out, /moved golang.org\/x\/net from v0.24.0 to v0.25.0 in anchor.lock/);
    assert.equal(await fs.readFile(file, 'utf8'), text.replace('v0.24.0', 'v0.25.0'));
    const added = await run(root, ['anchors', 'set', 'google.golang.org/grpc@v1.64.0', '--reason', 'owner: rpc']);
    assert.equal(added.code, 0, added.err);
    assert.equal(await fs.readFile(file, 'utf8'), text.replace('v0.24.0', 'v0.25.0').replace('// owner: net\n', '// owner: net\n\tgoogle.golang.org/grpc v1.64.0 // owner: rpc\n'));
    const same = await run(root, ['anchors', 'set', 'google.golang.org/grpc@v1.64.0']);
    assert.match(same.out, /already pinned/);
    const rm = await run(root, ['anchors', 'rm', 'golang.org/x/net']);
    assert.equal(rm.code, 0, rm.err);
    assert.equal(await fs.readFile(file, 'utf8'), '// pins\ngo 1.22\n\nanchor (\n\tgoogle.golang.org/grpc v1.64.0 // owner: rpc\n)\n\nban github.com/pkg/errors // use errors\n');
    const missing = await run(root, ['anchors', 'rm', 'golang.org/x/net']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /golang.org\/x\/net is not anchored in anchor.lock/);
  });

  it('set rejects a bad spec or version with exit 2 and writes nothing', async () => {
    root = await fixture({ 'anchor.lock': 'anchor a.com/x v1.0.0\n' });
    for (const [spec, msg] of [['a.com/x', /expected module@version/], ['a.com/x@v1.2', /not canonical: write v1.2.0/], ['a.com/x/v2@v1.0.0', /major suffix/]] as const) {
      const r = await run(root, ['anchors', 'set', spec]);
      assert.equal(r.code, 2);
      assert.match(r.err, msg);
    }
    assert.equal(await fs.readFile(path.join(root, 'anchor.lock'), 'utf8'), 'anchor a.com/x v1.0.0\n');
  });

  it('set creates anchor.lock when there is none, --anchors picks another file', async () => {
    root = await fixture({});
    assert.equal((await run(root, ['anchors', 'set', 'a.com/x@v1.0.0'])).code, 0);
    assert.equal(await fs.readFile(path.join(root, 'anchor.lock'), 'utf8'), 'anchor a.com/x v1.0.0\n');
    assert.equal((await run(root, ['anchors', 'set', 'a.com/y@v1.0.0', '--anchors', path.join(root, 'other.lock')])).code, 0);
    assert.equal(await fs.readFile(path.join(root, 'other.lock'), 'utf8'), 'anchor a.com/y v1.0.0\n');
  });

  it('set, rm and sync edit a lock with a byte order mark; a lock in a missing directory and an unpinnable marked version are usage errors', async () => {
    root = await fixture({
      'anchor.lock': '\uFEFFgo 1.22\nanchor golang.org/x/net v0.24.0\n',
      'go.mod': 'module example.com/root\n\ngo 1.22\n\nrequire golang.org/x/text v0.15.0 // anchor\n',
    });
    for (const args of [['anchors', 'set', 'golang.org/x/sys@v0.20.0'], ['anchors', 'rm', 'golang.org/x/net'], ['anchors', 'sync']]) {
      const r = await run(root, args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
    }
    const lock = await fs.readFile(path.join(root, 'anchor.lock'), 'utf8');
    assert.ok(lock.startsWith('\uFEFFgo 1.22\n'), lock);
    assert.deepEqual([...parseAnchorLock(lock, 'anchor.lock').anchors.keys()].sort(), ['golang.org/x/sys', 'golang.org/x/text']);

    const missing = await run(root, ['anchors', 'set', 'a.com/x@v1.0.0', '--anchors', path.join(root, 'nope', 'x.lock')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope\/x\.lock: the directory .*nope does not exist; not written/);
    assert.doesNotMatch(missing.err, /internal error/);

    await fs.writeFile(path.join(root, 'go.mod'), 'module example.com/root\n\ngo 1.22\n\nrequire golang.org/x/text v0.16.0+incompatible // anchor\n');
    const sync = await run(root, ['anchors', 'sync']);
    assert.equal(sync.code, 2);
    assert.match(sync.err, /go\.mod:5: golang\.org\/x\/text v0\.16\.0\+incompatible is marked anchor, but anchor\.lock cannot pin it/);
    assert.equal(await fs.readFile(path.join(root, 'anchor.lock'), 'utf8'), lock);
  });

  it('check reports errors, missing directory targets and contradicted root go.mod anchors', async () => {
    root = await fixture({
      'anchor.lock': 'anchor a.com/x v1.0.0\nanchor a.com/x v1.1.0\nallow-replace b.com/y => ./third_party/y\nallow-replace c.com/z => ./third_party/z\nanchor d.com/w v1.5.0\n',
      'third_party/z/go.mod': 'module c.com/z\n',
      'go.mod': 'module example.com/root\n\ngo 1.22\n\nrequire (\n\td.com/w v1.4.0 // indirect, anchor\n\te.com/v v1.0.0 // anchor\n\tf.com/u v1.0.0 // anchored elsewhere\n)\n',
    });
    const r = await run(root, ['anchors', 'check']);
    assert.equal(r.code, 1);
    assert.equal(r.out, [
      'anchor.lock:2:8: error: duplicate anchor for a.com/x (first at line 1): keep one pin per module',
      'anchor.lock:3:15: error: allow-replace target ./third_party/y is not a directory (looked for third_party/y relative to anchor.lock); fix the path or remove the line',
      'go.mod:6:2: error: d.com/w is marked anchor at v1.4.0 in go.mod but anchor.lock:5 pins v1.5.0; run modguard anchors sync (go.mod wins) or change go.mod',
      'go.mod:7:2: warning: e.com/v v1.0.0 is marked anchor in go.mod but not pinned in anchor.lock; run modguard anchors sync',
      'anchor.lock: 3 errors',
      '',
    ].join('\n'));
  });

  it('sync copies root go.mod anchors and the graph-selected versions of their trees', async () => {
    const lock = '// pins\nanchor (\n\tz.com/hand v1.0.0 // by hand\n\td.com/w v1.0.0 // held back\n)\n';
    root = await fixture({
      'anchor.lock': lock,
      'go.mod': 'module example.com/root\n\ngo 1.22\n\nrequire (\n\ta.com/x v1.2.0 // anchor\n\tb.com/y v1.0.0\n\td.com/w v1.1.0 // indirect, anchor\n)\n',
      'graph.txt': [
        'example.com/root a.com/x@v1.2.0',
        'example.com/root b.com/y@v1.0.0',
        'example.com/root d.com/w@v1.1.0',
        'a.com/x@v1.2.0 c.com/t@v0.3.0',
        'a.com/x@v1.2.0 z.com/hand@v1.1.0',
        'b.com/y@v1.0.0 c.com/t@v0.5.0',
        'c.com/t@v0.5.0 go@1.21',
        '',
      ].join('\n'),
    });
    const plain = await run(root, ['anchors', 'sync', '--dry-run']);
    assert.equal(plain.code, 0, plain.err);
    assert.match(plain.out, /^--- a\/anchor.lock/);
    assert.match(plain.out, /2 requirements marked anchor in go.mod: 1 added, 1 moved; nothing was written/);

    const r = await run(root, ['anchors', 'sync', '--graph-file', 'graph.txt']);
    assert.equal(r.code, 0, r.err);
    const after = await fs.readFile(path.join(root, 'anchor.lock'), 'utf8');
    assert.equal(after, [
      '// pins',
      'anchor (',
      '\tz.com/hand v1.0.0 // by hand',
      '\td.com/w v1.1.0 // held back',
      '\ta.com/x v1.2.0 // anchored in go.mod',
      '\tc.com/t v0.5.0 // derived from a.com/x',
      ')',
      '',
    ].join('\n'));
    const again = await run(root, ['anchors', 'sync', '--graph-file', 'graph.txt']);
    assert.match(again.out, /anchor.lock is up to date/);
    assert.equal((await run(root, ['anchors', 'check'])).code, 0);
  });
});
