import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConflictError, writeFileAtomic } from '../../src/io/atomic.ts';

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
    await assert.rejects(writeFileAtomic(path.join(dir, 'nope', 'go.mod'), 'x'), /ENOENT/);
  });
});
