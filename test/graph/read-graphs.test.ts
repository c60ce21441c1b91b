import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readGraphs } from '../../src/graph/read-graphs.ts';
import { parseModGraph } from '../../src/graph/parse.ts';
import { loadRepository } from '../../src/engine/load.ts';
import { check } from '../../src/engine/run.ts';
import { mulberry32 } from '../../src/util/prng.ts';

/** graphText writes a `go mod graph` output of a module with some shared and some own nodes. */
function graphText(r: () => number, main: string, i: number): string {
  const lines: string[] = [`${main} go@1.22`];
  for (let k = 0; k < 20 + Math.floor(r() * 30); k++) lines.push(`${main} github.com/dep${Math.floor(r() * 15)}/lib@v1.${Math.floor(r() * 5)}.0`);
  for (let k = 0; k < 10; k++) lines.push(`github.com/dep${k}/lib@v1.${k % 5}.0 github.com/leaf${(k + i) % 7}/x@v0.${k}.1`);
  if (i % 9 === 4) lines.push('bad line with three fields', `${main} no-version@`);
  return lines.join(i % 5 === 0 ? '\r\n' : '\n') + (i % 3 === 0 ? '' : '\n');
}

describe('graph/read-graphs', () => {
  let root: string;
  const files: string[] = [];
  const texts = new Map<string, string>();
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'modguard-graphs-'));
    const r = mulberry32(7);
    for (let i = 0; i < 60; i++) {
      const dir = `svc/m${i}`;
      mkdirSync(path.join(root, dir), { recursive: true });
      const text = graphText(r, `example.com/m${i}`, i);
      writeFileSync(path.join(root, dir, 'graph.txt'), text);
      writeFileSync(path.join(root, dir, 'go.mod'), `module example.com/m${i}\n\ngo 1.22\n`);
      files.push(`${dir}/graph.txt`);
      texts.set(`${dir}/graph.txt`, text);
    }
    // A missing graph file and a graph file that is a directory.
    mkdirSync(path.join(root, 'svc/none'), { recursive: true });
    writeFileSync(path.join(root, 'svc/none/go.mod'), 'module example.com/none\n');
    files.push('svc/none/graph.txt');
    mkdirSync(path.join(root, 'svc/dir/graph.txt'), { recursive: true });
    writeFileSync(path.join(root, 'svc/dir/go.mod'), 'module example.com/dir\n');
    files.push('svc/dir/graph.txt');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const workers of [0, 1, 2, 3]) {
    it(`reads every graph as the text parser does (${workers} worker threads)`, async () => {
      const failures: unknown[] = [];
      const got = await readGraphs(root, files, { workers, onWorkerError: (err) => failures.push(err) });
      assert.deepEqual(failures, []);
      assert.deepEqual([...got.keys()], files);
      for (const [file, text] of texts) {
        const want = parseModGraph(text, file);
        const g = got.get(file)!.graph!;
        assert.ok(g, file);
        assert.deepEqual(g.nodes, want.nodes, file);
        assert.deepEqual([...g.edges], [...want.edges], file);
        assert.deepEqual([...(g.edgeLines ?? [])], [...(want.edgeLines ?? [])], file);
        assert.deepEqual(g.errors, want.errors, file);
        assert.equal(g.main, want.main, file);
      }
      assert.deepEqual(got.get('svc/none/graph.txt'), {});
      assert.deepEqual(got.get('svc/dir/graph.txt'), { error: { file: 'svc/dir/graph.txt', line: 1, column: 0, message: 'it is a directory, not a file' } });
    });
  }

  it('gives the same check result with and without worker threads', async () => {
    const results = [];
    for (const graphWorkers of [0, 2]) {
      const repo = await loadRepository({ root, graphFile: 'graph.txt', graphWorkers });
      results.push(check(repo).findings);
    }
    assert.ok(results[0]!.length > 0);
    assert.deepEqual(results[1], results[0]);
  });
});
