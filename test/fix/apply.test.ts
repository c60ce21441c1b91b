import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyPatches } from '../../src/fix/apply.ts';
import type { FilePatch } from '../../src/fix/types.ts';

function patch(file: string, before: string, after: string): FilePatch {
  return { file, before, after, edits: 1, descriptions: ['x'], findings: [] };
}

describe('applyPatches', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'modguard-apply-'));
    await fs.mkdir(path.join(root, 'a'));
    await fs.mkdir(path.join(root, 'b'));
  });
  afterEach(async () => { await fs.rm(root, { recursive: true, force: true }); });

  it('writes every file whose content is still the one read', async () => {
    await fs.writeFile(path.join(root, 'a/go.mod'), 'module a\n');
    await fs.writeFile(path.join(root, 'b/go.mod'), 'module b\n');
    const r = await applyPatches(root, [patch('a/go.mod', 'module a\n', 'module a\n\ngo 1.22\n'), patch('b/go.mod', 'module b\n', 'module b\n\ngo 1.22\n')]);
    assert.deepEqual(r, { written: ['a/go.mod', 'b/go.mod'], conflicts: [] });
    assert.equal(await fs.readFile(path.join(root, 'b/go.mod'), 'utf8'), 'module b\n\ngo 1.22\n');
  });

  it('leaves a file that changed between read and write alone, reports it, and writes the others', async () => {
    await fs.writeFile(path.join(root, 'a/go.mod'), 'module a\n');
    await fs.writeFile(path.join(root, 'b/go.mod'), 'module b\n');
    const patches = [patch('a/go.mod', 'module a\n', 'module a\n\ngo 1.22\n'), patch('b/go.mod', 'module b\n', 'module b\n\ngo 1.22\n')];
    // Someone edits a/go.mod after the plan was made from what was read.
    await fs.writeFile(path.join(root, 'a/go.mod'), 'module a\n\nrequire x.com/y v1.0.0\n');
    const r = await applyPatches(root, patches);
    assert.deepEqual(r.written, ['b/go.mod']);
    assert.equal(r.conflicts.length, 1);
    assert.equal(r.conflicts[0]!.file, 'a/go.mod');
    assert.match(r.conflicts[0]!.reason, /changed since it was read/);
    assert.equal(await fs.readFile(path.join(root, 'a/go.mod'), 'utf8'), 'module a\n\nrequire x.com/y v1.0.0\n');
  });

  it('reports a file that disappeared', async () => {
    const r = await applyPatches(root, [patch('a/go.mod', 'module a\n', 'module a\n\ngo 1.22\n')]);
    assert.deepEqual(r.written, []);
    assert.equal(r.conflicts[0]!.file, 'a/go.mod');
  });
});
