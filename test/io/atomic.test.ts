import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConflictError, makeDirectory, RefusedWrite, writeFileAtomic } from '../../src/io/atomic.ts';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'modguard-atomic-')); });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('replaces the content and leaves no temporary file behind', async () => {
    const file = path.join(dir, 'go.mod');
    await fs.writeFile(file, 'module a\n');
    await writeFileAtomic(file, 'module b\n', { expected: 'module a\n' });
    assert.equal(await fs.readFile(file, 'utf8'), 'module b\n');
    assert.deepEqual(await fs.readdir(dir), ['go.mod']);
  });

  it('writes through a symbolic link: the link stays, the file it leads to gets the content', async () => {
    await fs.mkdir(path.join(dir, 'shared'));
    const target = path.join(dir, 'shared', 'a.mod');
    await fs.writeFile(target, 'module a\n');
    const link = path.join(dir, 'go.mod');
    await fs.symlink(path.join('shared', 'a.mod'), link);
    await writeFileAtomic(link, 'module b\n', { expected: 'module a\n' });
    assert.ok((await fs.lstat(link)).isSymbolicLink());
    assert.equal(await fs.readFile(target, 'utf8'), 'module b\n');
    assert.deepEqual((await fs.readdir(path.join(dir, 'shared'))), ['a.mod']);
    const dangling = path.join(dir, 'gone.mod');
    await fs.symlink('nowhere.mod', dangling);
    await assert.rejects(writeFileAtomic(dangling, 'x\n'), (e: unknown) => e instanceof RefusedWrite && /leads nowhere/.test(e.message));
    assert.ok((await fs.lstat(dangling)).isSymbolicLink());
  });

  it('writes through a link only into the directory given as within', async () => {
    const repo = path.join(dir, 'repo');
    await fs.mkdir(repo);
    const outside = path.join(dir, 'outside.lock');
    await fs.writeFile(outside, '');
    await fs.writeFile(path.join(repo, 'shared.lock'), '');
    await fs.symlink(outside, path.join(repo, 'anchor.lock'));
    await fs.symlink('shared.lock', path.join(repo, 'inside.lock'));
    await assert.rejects(writeFileAtomic(path.join(repo, 'anchor.lock'), 'anchor a v1.0.0\n', { expected: '', within: repo }),
      (e: unknown) => e instanceof RefusedWrite && /a symbolic link to .*outside\.lock, outside .*repo; not written through/.test(e.message));
    assert.equal(await fs.readFile(outside, 'utf8'), '');
    await writeFileAtomic(path.join(repo, 'inside.lock'), 'anchor a v1.0.0\n', { expected: '', within: repo });
    assert.equal(await fs.readFile(path.join(repo, 'shared.lock'), 'utf8'), 'anchor a v1.0.0\n');
  });

  it('refuses to edit a file that is not UTF-8, whose bytes its text cannot keep', async () => {
    const file = path.join(dir, 'go.mod');
    const bytes = Buffer.concat([Buffer.from('// owner: J'), Buffer.from([0xfc]), Buffer.from('rgen\nmodule a\n')]);
    await fs.writeFile(file, bytes);
    const text = bytes.toString('utf8');
    await assert.rejects(writeFileAtomic(file, text.replace('module a', 'module b'), { expected: text }), (e: unknown) => {
      assert.ok(e instanceof RefusedWrite && !(e instanceof ConflictError));
      assert.match(e.message, /not valid UTF-8/);
      return true;
    });
    assert.deepEqual(await fs.readFile(file), bytes);
    // A byte order mark is UTF-8: kept as it is.
    await fs.writeFile(file, '\uFEFFmodule a\n');
    await writeFileAtomic(file, '\uFEFFmodule b\n', { expected: '\uFEFFmodule a\n' });
    assert.equal(await fs.readFile(file, 'utf8'), '\uFEFFmodule b\n');
  });

  it('keeps the file mode', async () => {
    const file = path.join(dir, 'anchor.lock');
    await fs.writeFile(file, 'x\n');
    await fs.chmod(file, 0o600);
    await writeFileAtomic(file, 'y\n');
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
    await fs.chmod(file, 0o755);
    await writeFileAtomic(file, 'z\n', { expected: 'y\n' });
    assert.equal((await fs.stat(file)).mode & 0o777, 0o755);
  });

  it('refuses with a ConflictError when the file changed since it was read', async () => {
    const file = path.join(dir, 'go.mod');
    await fs.writeFile(file, 'module changed\n');
    await assert.rejects(writeFileAtomic(file, 'module b\n', { expected: 'module a\n' }), (e: unknown) => {
      assert.ok(e instanceof ConflictError);
      assert.equal(e.file, file);
      assert.match(e.message, /changed since it was read/);
      return true;
    });
    assert.equal(await fs.readFile(file, 'utf8'), 'module changed\n');
    assert.deepEqual(await fs.readdir(dir), ['go.mod']);
  });

  it('refuses when the file was removed, and when a new file appeared with expected null', async () => {
    const file = path.join(dir, 'go.mod');
    await assert.rejects(writeFileAtomic(file, 'x\n', { expected: 'module a\n' }), ConflictError);
    await writeFileAtomic(file, 'first\n', { expected: null });
    assert.equal(await fs.readFile(file, 'utf8'), 'first\n');
    await assert.rejects(writeFileAtomic(file, 'second\n', { expected: null }), ConflictError);
    assert.equal(await fs.readFile(file, 'utf8'), 'first\n');
  });

  it('creates a new file with mode 0644 when no check is asked', async () => {
    const file = path.join(dir, 'new.lock');
    await writeFileAtomic(file, 'anchor x v1.0.0\n');
    assert.equal(await fs.readFile(file, 'utf8'), 'anchor x v1.0.0\n');
    assert.equal((await fs.stat(file)).mode & 0o777, 0o644);
  });

  it('fails cleanly in a missing directory', async () => {
    await assert.rejects(writeFileAtomic(path.join(dir, 'nope', 'go.mod'), 'x'), (e: unknown) => e instanceof RefusedWrite && /directory .*nope does not exist; not written/.test(e.message));
  });
});

describe('makeDirectory', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'modguard-mkdir-')); });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('makes the missing levels, and accepts a directory that exists', async () => {
    const deep = path.join(dir, 'a', 'b', 'c');
    await makeDirectory(deep);
    assert.ok((await fs.stat(deep)).isDirectory());
    await makeDirectory(deep);
    await makeDirectory(dir);
  });

  it('fails with ENOTDIR where a file stands in the way, and creates nothing', async () => {
    await fs.writeFile(path.join(dir, 'file'), 'x');
    for (const target of [path.join(dir, 'file'), path.join(dir, 'file', 'sub', 'deeper')]) {
      await assert.rejects(makeDirectory(target), (e: NodeJS.ErrnoException) => e.code === 'ENOTDIR');
    }
    assert.deepEqual(await fs.readdir(dir), ['file']);
  });

  it('fails, and returns, where the system refuses a new entry with ENOENT under a parent that exists (/proc)', async function () {
    // node's own recursive mkdir never returns there: it makes the parent again and retries.
    if (process.platform !== 'linux') this.skip();
    await assert.rejects(makeDirectory('/proc/modguard-no-such-entry/x'), (e: NodeJS.ErrnoException) => e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EPERM');
  });
});
