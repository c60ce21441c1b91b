import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runParse } from '../../src/commands/parse-run.ts';
import { readNamedInput } from '../../src/io/read.ts';
import { spawn, spawnSync } from 'node:child_process';
import { fakeContext } from '../support/context.ts';

describe('modguard parse', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'modguard-parse-'));
    writeFileSync(path.join(dir, 'go.mod'), 'module example.com/m\n\ngo 1.22\n\nrequire x.y/z v1.2 // indirect\n');
    mkdirSync(path.join(dir, 'bad'));
    writeFileSync(path.join(dir, 'bad', 'go.mod'), 'module m\nrequire x.y/z 1.0\nfrob\n');
    writeFileSync(path.join(dir, 'go.work'), 'go 1.22\n\nuse ./a\n');
    writeFileSync(path.join(dir, 'dep.mod'), 'module m\ngo v1.21.0\nfrob\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function lines(out: string): Array<Record<string, unknown>> {
    return out.trim().split('\n').map((l) => JSON.parse(l));
  }

  it('prints one JSON line per file, in order, with the x/mod shape', async () => {
    const ctx = fakeContext(dir);
    const code = await runParse(['go.mod', 'go.work'], { lax: false }, ctx);
    assert.equal(code, 0);
    assert.deepEqual(lines(ctx.out()), [
      {
        file: 'go.mod', ok: true,
        mod: {
          Module: { Path: 'example.com/m', Deprecated: '', Line: 1 }, Go: { Version: '1.22', Line: 3 }, Godebug: null,
          Require: [{ Path: 'x.y/z', Version: 'v1.2.0', Indirect: true, Line: 5 }],
          Exclude: null, Replace: null, Retract: null, Tool: null, Ignore: null,
        },
      },
      { file: 'go.work', ok: true, work: { Go: { Version: '1.22', Line: 1 }, Godebug: null, Use: [{ Path: './a', ModulePath: '', Line: 3 }], Replace: null } },
    ]);
  });

  it('reports errors as x/mod prints them, keeps going past unreadable files, and exits 1', async () => {
    const ctx = fakeContext(dir);
    const code = await runParse(['bad/go.mod', 'missing/go.mod', 'go.mod'], { lax: false }, ctx);
    assert.equal(code, 1);
    const out = lines(ctx.out());
    assert.deepEqual(out[0], {
      file: 'bad/go.mod', ok: false,
      errors: ['bad/go.mod:2: require x.y/z: version "1.0" invalid: must be of the form v1.2.3', 'bad/go.mod:3: unknown directive: frob'],
    });
    assert.deepEqual(out[1], { file: 'missing/go.mod', ok: false, errors: ['missing/go.mod: cannot read: no such file'] });
    assert.equal(out[2]!.ok, true);
  });

  it('keeps a byte order mark, which x/mod refuses, as the check does', async () => {
    writeFileSync(path.join(dir, 'bom.mod'), '\uFEFFmodule example.com/m\n\ngo 1.22\n');
    const ctx = fakeContext(dir);
    assert.equal(await runParse(['bom.mod'], { lax: false }, ctx), 1);
    const [record] = lines(ctx.out());
    assert.equal(record!.ok, false);
    assert.match(String((record!.errors as string[])[0]), /^bom\.mod:1: unexpected input character '\\ufeff'/);
  });

  it('reads a named pipe as it comes, and refuses a device without end at the size limit instead of reading it forever', async () => {
    const fifo = path.join(dir, 'fifo');
    if (spawnSync('mkfifo', [fifo]).status === 0) {
      const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', path.join(dir, 'go.mod'), fifo], { stdio: 'ignore' });
      const ctx = fakeContext(dir);
      assert.equal(await runParse(['fifo'], { lax: false }, ctx), 0);
      assert.equal((lines(ctx.out())[0]!.mod as { Module: { Path: string } }).Module.Path, 'example.com/m');
      await new Promise((resolve) => writer.on('close', resolve));
    }
    assert.throws(() => readNamedInput('/dev/zero', 1 << 16), (e: NodeJS.ErrnoException) => e.code === 'EFBIG' && /the file is more than the 64\.0 KB modguard reads/.test(e.message));
    assert.throws(() => readNamedInput(dir, 1 << 16), (e: NodeJS.ErrnoException) => e.code === 'EISDIR');
    assert.equal(readNamedInput(path.join(dir, 'go.mod')).toString('utf8'), 'module example.com/m\n\ngo 1.22\n\nrequire x.y/z v1.2 // indirect\n');
    const ctx = fakeContext(dir);
    assert.equal(await runParse(['/dev/zero'], { lax: false }, ctx), 1);
    assert.match(ctx.out(), /"\/dev\/zero: cannot read: the file is more than the 256\.0 MB modguard reads"/);
  });

  it('parses as a dependency with --lax', async () => {
    const strict = fakeContext(dir);
    assert.equal(await runParse(['dep.mod'], { lax: false }, strict), 1);
    const lax = fakeContext(dir);
    assert.equal(await runParse(['dep.mod'], { lax: true }, lax), 0);
    assert.deepEqual((lines(lax.out())[0]!.mod as Record<string, unknown>).Go, { Version: '1.21', Line: 2 });
  });
});
