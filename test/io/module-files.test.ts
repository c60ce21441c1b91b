import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FEW_GRAPHS, readGraphs, readModuleFiles } from '../../src/io/module-files.ts';
import { readNamedInput, readOne } from '../../src/io/read.ts';
import { spawn, spawnSync } from 'node:child_process';
import { parseGoSum, SumTable } from '../../src/gosum/parse.ts';
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

/** sumText writes a go.sum with shared and own lines, a conflicting hash now and then, and some bad lines. */
function sumText(r: () => number, i: number): string {
  const hash = (n: number) => `h1:${String.fromCharCode(65 + (n % 26)).repeat(43)}=`;
  const lines: string[] = [];
  for (let k = 0; k < 10 + Math.floor(r() * 20); k++) {
    const dep = Math.floor(r() * 15);
    lines.push(`github.com/dep${dep}/lib v1.${dep % 5}.0 ${hash(dep + (i % 17 === 0 ? 1 : 0))}`, `github.com/dep${dep}/lib v1.${dep % 5}.0/go.mod ${hash(dep + 7)}`);
  }
  lines.push(`example.com/own${i} v0.1.${i} ${hash(i)}`);
  if (i % 7 === 2) lines.push('broken line', `github.com/dep1/lib v1.1.0 h2:unknown`, `ünïcode.example/x v1.0.0 ${hash(3)}`);
  return lines.join(i % 5 === 0 ? '\r\n' : '\n') + '\n';
}

describe('io/module-files', () => {
  let root: string;
  const files: string[] = [];
  const sumFiles: string[] = [];
  const sumTexts = new Map<string, string>();
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
      if (i % 11 !== 3) {
        const sum = sumText(r, i);
        writeFileSync(path.join(root, dir, 'go.sum'), sum);
        sumTexts.set(`${dir}/go.sum`, sum);
      }
      sumFiles.push(`${dir}/go.sum`);
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
      const got = await readGraphs(root, files, { workers, onWorkerError: (err: unknown) => failures.push(err) });
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

  it(`reads a few graphs at a time (up to ${FEW_GRAPHS}, as PR mode does) as the text parser does`, async () => {
    const some = [...files.slice(0, FEW_GRAPHS - 2), 'svc/none/graph.txt', 'svc/dir/graph.txt'];
    for (let i = 0; i < files.length; i += FEW_GRAPHS) {
      const part = i === 0 ? some : files.slice(i, i + FEW_GRAPHS);
      const got = await readGraphs(root, part, { workers: 0 });
      assert.deepEqual([...got.keys()], part);
      for (const file of part) {
        const text = texts.get(file);
        if (text === undefined) continue;
        const want = parseModGraph(text, file);
        const g = got.get(file)!.graph!;
        assert.deepEqual(g.nodes, want.nodes, file);
        assert.deepEqual([...g.edges], [...want.edges], file);
        assert.deepEqual([...(g.edgeLines ?? [])], [...(want.edgeLines ?? [])], file);
        assert.deepEqual(g.errors, want.errors, file);
        assert.equal(g.main, want.main, file);
        // Graphs read here come without a key index, as those of worker threads do.
        assert.equal(g.index, undefined, file);
      }
      if (i === 0) {
        assert.deepEqual(got.get('svc/none/graph.txt'), {});
        assert.deepEqual(got.get('svc/dir/graph.txt'), { error: { file: 'svc/dir/graph.txt', line: 1, column: 0, message: 'it is a directory, not a file' } });
      }
    }
  });

  for (const workers of [0, 1, 2]) {
    it(`reads every go.sum into the table as the text parser does (${workers} worker threads)`, async () => {
      const failures: unknown[] = [];
      const table = new SumTable();
      const got = await readModuleFiles(root, { sums: sumFiles, sumTable: table, workers, onWorkerError: (err: unknown) => failures.push(err) });
      assert.deepEqual(failures, []);
      assert.deepEqual([...got.sums.keys()], sumFiles);
      for (const file of sumFiles) {
        const text = sumTexts.get(file);
        const read = got.sums.get(file)!;
        if (text === undefined) {
          assert.deepEqual(read, {}, file);
          continue;
        }
        const want = parseGoSum(text, file);
        assert.equal(read.sum!.compact!.table, table);
        assert.deepEqual(read.sum!.entries, want.entries, file);
        assert.deepEqual(read.sum!.errors, want.errors, file);
        assert.deepEqual(read.sum!.warnings, want.warnings, file);
      }
    });
  }

  it('gives the same check result with and without worker threads', async () => {
    const results = [];
    for (const workers of [0, 2]) {
      const repo = await loadRepository({ root, graphFile: 'graph.txt', workers });
      results.push(check(repo).findings);
      assert.equal(repo.modules.find((m) => m.dir === 'svc/m7')!.sumText, sumTexts.get('svc/m7/go.sum'));
    }
    assert.ok(results[0]!.length > 0);
    assert.ok(results[0]!.some((f) => f.rule === 'gosum-hash-conflict'));
    assert.deepEqual(results[1], results[0]);
  });
});

describe('io/read named inputs', () => {
  it('reads a pipe of any length to its end in pieces, up to the limit exactly', async function () {
    const dir = mkdtempSync(path.join(tmpdir(), 'modguard-named-'));
    try {
      const fifo = path.join(dir, 'fifo');
      if (spawnSync('mkfifo', [fifo]).status !== 0) this.skip();
      // A text that does not repeat with the pieces' sizes (64 KB, then as large as all read so far).
      const text = Array.from({ length: 40_000 }, (_, i) => `line ${i}\n`).join('');
      writeFileSync(path.join(dir, 'text'), text);
      const through = async (maxBytes?: number): Promise<Buffer | Error> => {
        const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', path.join(dir, 'text'), fifo], { stdio: 'ignore' });
        let out: Buffer | Error;
        try {
          out = readNamedInput(fifo, maxBytes);
        } catch (err) {
          out = err as Error;
        }
        await new Promise((resolve) => writer.on('close', resolve));
        return out;
      };
      assert.equal((await through() as Buffer).toString('utf8'), text);
      assert.equal((await through(text.length) as Buffer).toString('utf8'), text, 'exactly the limit is read');
      assert.equal((await through(text.length - 1) as NodeJS.ErrnoException).code, 'EFBIG');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('io/read scratch reads', () => {
  it('reads each file whole into one reused buffer, within the size limit', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'modguard-scratch-'));
    try {
      writeFileSync(path.join(dir, 'a'), 'x'.repeat(70000));
      writeFileSync(path.join(dir, 'b'), 'short\n');
      writeFileSync(path.join(dir, 'c'), 'y'.repeat(5000));
      const a = readOne(dir, { file: 'a', bytes: true, scratch: true }, {});
      assert.equal(a.bytes!.toString(), 'x'.repeat(70000));
      const b = readOne(dir, { file: 'b', bytes: true, scratch: true }, {});
      assert.equal(b.bytes!.toString(), 'short\n');
      assert.equal(b.bytes!.buffer, a.bytes!.buffer, 'the second read reuses the first one\'s memory');
      const own = readOne(dir, { file: 'b', bytes: true }, {});
      assert.notEqual(own.bytes!.buffer, b.bytes!.buffer);
      // The limit is the file's, not the reused buffer's.
      assert.match(readOne(dir, { file: 'c', bytes: true, scratch: true }, { maxBytes: 4096 }).error!.message, /more than the 4\.0 KB modguard reads/);
      assert.equal(readOne(dir, { file: 'c', bytes: true, scratch: true }, { maxBytes: 5000 }).bytes!.length, 5000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('io/module-files worker count', () => {
  it('uses workers only for enough files on enough cores, at most four', async () => {
    const { defaultWorkers, MIN_FILES_FOR_WORKERS, MANY_FILES } = await import('../../src/io/module-files.ts');
    assert.equal(defaultWorkers(MIN_FILES_FOR_WORKERS - 1, 16), 0);
    assert.equal(defaultWorkers(5000, 2), 0);
    // Many files pay for a worker on 2 and 3 cores too; one core never has one.
    assert.equal(defaultWorkers(MANY_FILES - 1, 2), 0);
    assert.equal(defaultWorkers(MANY_FILES, 2), 1);
    assert.equal(defaultWorkers(MANY_FILES, 3), 1);
    assert.equal(defaultWorkers(MANY_FILES * 10, 1), 0);
    assert.equal(defaultWorkers(5000, 4), 3);
    assert.equal(defaultWorkers(5000, 64), 4);
  });
});

describe('--workers', () => {
  it('takes a whole number from 0 to 64 and refuses anything else', async () => {
    const { parseWorkers } = await import('../../src/commands/load-options.ts');
    assert.equal(parseWorkers('0'), 0);
    assert.equal(parseWorkers('3'), 3);
    for (const bad of ['-1', '65', '1.5', 'two', '', '99999']) assert.throws(() => parseWorkers(bad), /--workers .*: want a whole number from 0/);
  });
});
