import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli.ts';
import { parseTarget } from '../../src/commands/why-run.ts';
import { fakeContext } from '../support/context.ts';

const FILES: Record<string, string> = {
  'svc/a/go.mod': 'module corp.com/svc/a\n\ngo 1.22\n\nrequire (\n\texample.com/a v1.2.0\n\tgithub.com/x/y v1.8.0\n)\n',
  'svc/a/graph.txt': [
    'corp.com/svc/a go@1.22',
    'corp.com/svc/a example.com/a@v1.2.0',
    'corp.com/svc/a github.com/x/y@v1.8.0',
    'example.com/a@v1.2.0 example.com/b@v1.5.0',
    'example.com/b@v1.5.0 github.com/x/y@v1.9.0',
    '',
  ].join('\n'),
  'svc/b/go.mod': 'module corp.com/svc/b\n\ngo 1.22\n\nrequire example.com/b v1.5.0\n',
  'svc/b/graph.txt': 'corp.com/svc/b example.com/b@v1.5.0\nexample.com/b@v1.5.0 github.com/x/y@v1.9.0\n',
  'svc/c/go.mod': 'module corp.com/svc/c\n\ngo 1.22\n\nrequire example.com/z v1.0.0\n',
  'svc/c/graph.txt': 'corp.com/svc/c example.com/z@v1.0.0\n',
  'svc/d/go.mod': 'module corp.com/svc/d\n\ngo 1.22\n',
};

describe('modguard why', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'modguard-why-'));
    for (const [rel, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the shortest chain from every module that needs the dependency', async () => {
    const ctx = fakeContext(dir);
    const code = await main(['why', 'github.com/x/y@v1.9.0', '--root', dir, '--graph-file', 'graph.txt'], ctx);
    assert.equal(code, 0, ctx.err());
    assert.equal(ctx.out(), [
      '# github.com/x/y@v1.9.0 in svc/a (selected v1.9.0)',
      'corp.com/svc/a',
      'example.com/a@v1.2.0',
      'example.com/b@v1.5.0',
      'github.com/x/y@v1.9.0',
      '',
      '# github.com/x/y@v1.9.0 in svc/b (selected v1.9.0)',
      'corp.com/svc/b',
      'example.com/b@v1.5.0',
      'github.com/x/y@v1.9.0',
      '',
      '2 of 4 modules need github.com/x/y@v1.9.0; 1 without a module graph (svc/d)',
      '',
    ].join('\n'));
  });

  it('takes the nearest node of any version without @version, and narrows to one module with --in', async () => {
    const ctx = fakeContext(path.join(dir, 'svc'));
    const code = await main(['why', 'github.com/x/y', '--root', dir, '--graph-file', 'graph.txt', '--in', 'a', '--json'], ctx);
    assert.equal(code, 0, ctx.err());
    assert.deepEqual(JSON.parse(ctx.out()), {
      version: 1,
      target: { path: 'github.com/x/y', version: '' },
      needed: [{ dir: 'svc/a', module: 'corp.com/svc/a', selected: 'v1.9.0', chain: ['corp.com/svc/a', 'github.com/x/y@v1.8.0'] }],
      notNeeded: [],
      noGraph: [],
    });
  });

  it('says which modules do not need it', async () => {
    const ctx = fakeContext(dir);
    assert.equal(await main(['why', 'example.com/nothing', '--root', dir, '--graph-file', 'graph.txt'], ctx), 0);
    assert.equal(ctx.out(), '0 of 4 modules need example.com/nothing; 1 without a module graph (svc/d); not needed by svc/a, svc/b, svc/c\n');
  });

  it('is a usage error without a graph source, with a bad target, or with --in outside any module', async () => {
    for (const args of [
      ['why', 'github.com/x/y', '--root', dir],
      ['why', 'github.com/x/y@latest', '--root', dir, '--graph-file', 'graph.txt'],
      ['why', 'github.com/x/y', '--root', dir, '--graph-file', 'graph.txt', '--in', 'nowhere'],
    ]) {
      const ctx = fakeContext(dir);
      assert.equal(await main(args, ctx), 2, args.join(' '));
      assert.ok(ctx.err().length > 0);
    }
  });

  it('parses targets', () => {
    assert.deepEqual(parseTarget('a.com/x@v1.2.3'), { path: 'a.com/x', version: 'v1.2.3' });
    assert.deepEqual(parseTarget('a.com/x'), { path: 'a.com/x', version: '' });
    assert.throws(() => parseTarget('@v1.0.0'), /not a module path/);
    assert.throws(() => parseTarget('-x'), /not a module path/);
  });
});
