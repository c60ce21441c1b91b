import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, rmSync, chmodSync, existsSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGoModGraph, graphCacheKey, cachedOutput, CACHE_DIR } from '../../src/io/go-runner.ts';
import { parseModGraph } from '../../src/graph/parse.ts';

// A stand-in for the go command: prints a graph made from the module line of ./go.mod, logs each
// call, and misbehaves on request (FAKE_GO_MODE in go.mod comments: fail, hang, slow).
const FAKE_GO = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const log = process.env.FAKE_GO_LOG;
const args = process.argv.slice(2);
const mod = fs.readFileSync('go.mod', 'utf8');
fs.appendFileSync(log, JSON.stringify({ cwd: process.cwd(), args, gowork: process.env.GOWORK }) + '\\n');
const name = /^module\\s+(\\S+)/m.exec(mod)[1];
if (mod.includes('mode: fail')) { process.stderr.write('go: updates to go.mod needed; to update it:\\n\\tgo mod tidy\\n'); process.exit(1); }
if (mod.includes('mode: hang')) { setTimeout(() => {}, 60000); return; }
const running = process.env.FAKE_GO_RUNNING;
const me = path.join(running, String(process.pid));
fs.writeFileSync(me, '');
const now = fs.readdirSync(running).length;
fs.appendFileSync(process.env.FAKE_GO_MAX, now + '\\n');
setTimeout(() => {
  fs.unlinkSync(me);
  const sum = fs.existsSync('go.sum') ? fs.readFileSync('go.sum', 'utf8').trim().split('\\n').length : 0;
  process.stdout.write(name + ' example.com/dep@v1.' + sum + '.0\\n' + 'example.com/dep@v1.' + sum + '.0 go@1.21\\n');
}, mod.includes('mode: slow') ? 150 : 20);
`;

describe('runGoModGraph', function () {
  let root: string;
  let bin: string;
  let logFile: string;
  let maxFile: string;
  let env: NodeJS.ProcessEnv;

  const calls = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
  const writeModule = (dir: string, goMod: string, goSum?: string) => {
    mkdirSync(path.join(root, dir), { recursive: true });
    writeFileSync(path.join(root, dir, 'go.mod'), goMod);
    if (goSum !== undefined) writeFileSync(path.join(root, dir, 'go.sum'), goSum);
  };

  beforeEach(() => {
    const base = mkdtempSync(path.join(tmpdir(), 'modguard-go-'));
    root = path.join(base, 'repo');
    bin = path.join(base, 'bin');
    mkdirSync(root);
    mkdirSync(bin);
    mkdirSync(path.join(base, 'running'));
    writeFileSync(path.join(bin, 'go'), FAKE_GO);
    chmodSync(path.join(bin, 'go'), 0o755);
    logFile = path.join(base, 'calls.log');
    maxFile = path.join(base, 'max.log');
    env = {
      PATH: `${bin}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
      FAKE_GO_LOG: logFile, FAKE_GO_MAX: maxFile, FAKE_GO_RUNNING: path.join(base, 'running'),
    };
  });
  afterEach(() => rmSync(path.dirname(root), { recursive: true, force: true }));

  it('runs go mod graph in each module with an argument array, and caches by go.mod and go.sum', async () => {
    writeModule('svc/a', 'module corp.com/svc/a\n', 'x v1 h1:a\ny v1 h1:b\n');
    writeModule('lib', 'module corp.com/lib\n');
    const progress: Array<[number, number]> = [];
    const first = await runGoModGraph(root, ['svc/a', 'lib'], { env, onProgress: (d, t) => progress.push([d, t]) });
    assert.deepEqual([...first.keys()], ['svc/a', 'lib']);
    assert.deepEqual(first.get('svc/a'), { text: 'corp.com/svc/a example.com/dep@v1.2.0\nexample.com/dep@v1.2.0 go@1.21\n', cached: false });
    assert.equal(first.get('lib')!.text, 'corp.com/lib example.com/dep@v1.0.0\nexample.com/dep@v1.0.0 go@1.21\n');
    assert.deepEqual(progress, [[1, 2], [2, 2]]);
    const log = calls();
    assert.equal(log.length, 2);
    assert.ok(log.every((c) => c.args.join(' ') === 'mod graph' && c.gowork === 'off'));
    assert.deepEqual(log.map((c) => path.relative(root, c.cwd)).sort(), ['lib', path.join('svc', 'a')]);
    // The output parses as a graph.
    assert.deepEqual(parseModGraph(first.get('svc/a')!.text!, 'g').errors, []);

    // Second run: nothing changed, nothing runs.
    const second = await runGoModGraph(root, ['svc/a', 'lib'], { env });
    assert.deepEqual(second.get('svc/a'), { ...first.get('svc/a'), cached: true });
    assert.equal(second.get('lib')!.cached, true);
    assert.equal(calls().length, 2);

    // A go.sum change re-runs that module only.
    writeFileSync(path.join(root, 'svc/a/go.sum'), 'x v1 h1:a\n');
    const third = await runGoModGraph(root, ['svc/a', 'lib'], { env });
    assert.equal(third.get('svc/a')!.cached, false);
    assert.match(third.get('svc/a')!.text!, /dep@v1\.1\.0/);
    assert.equal(third.get('lib')!.cached, true);
    assert.equal(calls().length, 3);

    const cacheFiles = readdirSync(path.join(root, CACHE_DIR)).sort();
    assert.ok(cacheFiles.includes('.gitignore'));
    const libEntry = path.join(root, CACHE_DIR, `${graphCacheKey('module corp.com/lib\n', undefined)}.graph`);
    assert.ok(cacheFiles.includes(path.basename(libEntry)));
    assert.ok(cacheFiles.every((f) => !f.endsWith('.tmp')), 'no temporary files left behind');

    // An entry damaged since it was written (a version changed, the graph still well formed) is a
    // miss: the graph is computed again, and the entry written anew.
    writeFileSync(libEntry, readFileSync(libEntry, 'utf8').replace('dep@v1.0.0', 'dep@v9.0.0'));
    const fourth = await runGoModGraph(root, ['lib'], { env });
    assert.deepEqual(fourth.get('lib'), { text: first.get('lib')!.text, cached: false });
    assert.equal(calls().length, 4);
    assert.equal((await runGoModGraph(root, ['lib'], { env })).get('lib')!.cached, true);
    assert.equal(cachedOutput(readFileSync(libEntry)), first.get('lib')!.text);
    for (const bad of ['', 'x', `${'0'.repeat(64)}\n${first.get('lib')!.text!}`, first.get('lib')!.text!]) assert.equal(cachedOutput(Buffer.from(bad)), undefined, bad);
  });

  it('ignores a cache that the repository committed or that links elsewhere, and computes every graph', async () => {
    writeModule('svc', 'module corp.com/svc\n');
    const planted = `${graphCacheKey('module corp.com/svc\n', undefined)}.graph`;
    mkdirSync(path.join(root, CACHE_DIR));
    writeFileSync(path.join(root, CACHE_DIR, planted), 'corp.com/svc evil.example/backdoor@v6.6.6\n');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'planted cache');
    const out = await runGoModGraph(root, ['svc'], { env });
    assert.equal(out.get('svc')!.cached, false);
    assert.doesNotMatch(out.get('svc')!.text!, /backdoor/);

    // A cache folder that is a link is not followed either.
    rmSync(path.join(root, CACHE_DIR), { recursive: true });
    const elsewhere = path.join(path.dirname(root), 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(path.join(elsewhere, planted), 'corp.com/svc evil.example/backdoor@v6.6.6\n');
    symlinkSync(elsewhere, path.join(root, CACHE_DIR));
    const linked = await runGoModGraph(root, ['svc'], { env });
    assert.equal(linked.get('svc')!.cached, false);
    assert.doesNotMatch(linked.get('svc')!.text!, /backdoor/);
  });

  it('reads no cache entry, nor its .gitignore, that is not a regular file: a link to a device is a miss, never read to its end', async function () {
    if (!existsSync('/dev/zero')) this.skip();
    writeModule('svc', 'module corp.com/svc\n');
    mkdirSync(path.join(root, CACHE_DIR));
    symlinkSync('/dev/zero', path.join(root, CACHE_DIR, `${graphCacheKey('module corp.com/svc\n', undefined)}.graph`));
    symlinkSync('/dev/zero', path.join(root, CACHE_DIR, '.gitignore'));
    const out = await runGoModGraph(root, ['svc'], { env });
    assert.equal(out.get('svc')!.cached, false);
    assert.match(out.get('svc')!.text!, /^corp\.com\/svc example\.com\/dep@/);
    assert.equal(calls().length, 1);
  });

  it('keys the cache on both files', () => {
    const k = graphCacheKey('module a\n', 'x');
    assert.match(k, /^[0-9a-f]{64}$/);
    assert.notEqual(k, graphCacheKey('module a\n', undefined));
    assert.notEqual(k, graphCacheKey('module a\n', ''));
    assert.notEqual(graphCacheKey('module a\n', undefined), graphCacheKey('module a\n', ''));
    assert.notEqual(k, graphCacheKey('module a\nx', ''));
    assert.equal(k, graphCacheKey('module a\n', 'x'));
  });

  it('reports a failing module, a timeout and a missing go.mod without stopping the others, and caches no failure', async () => {
    writeModule('ok', 'module corp.com/ok\n');
    writeModule('bad', 'module corp.com/bad\n// mode: fail\n');
    writeModule('slowpoke', 'module corp.com/slowpoke\n// mode: hang\n');
    mkdirSync(path.join(root, 'empty'));
    const out = await runGoModGraph(root, ['ok', 'bad', 'slowpoke', 'empty'], { env, timeoutMs: 1500, cacheDir: path.join(root, 'cache') });
    assert.equal(out.get('ok')!.text!.startsWith('corp.com/ok '), true);
    assert.match(out.get('bad')!.error!, /^go mod graph failed \(exit 1\): go: updates to go.mod needed/);
    assert.equal(out.get('bad')!.cached, false);
    assert.match(out.get('slowpoke')!.error!, /timed out after 1500 ms/);
    assert.equal(out.get('empty')!.error, 'no go.mod in empty');
    assert.equal(readdirSync(path.join(root, 'cache')).filter((f) => f.endsWith('.graph')).length, 1);
  });

  it('never runs more than `concurrency` at once', async () => {
    const dirs = ['m1', 'm2', 'm3', 'm4', 'm5'];
    for (const d of dirs) writeModule(d, `module corp.com/${d}\n// mode: slow\n`);
    const out = await runGoModGraph(root, dirs, { env, concurrency: 2 });
    assert.equal([...out.values()].filter((r) => r.text).length, 5);
    const seen = readFileSync(maxFile, 'utf8').trim().split('\n').map(Number);
    assert.equal(seen.length, 5);
    assert.ok(Math.max(...seen) <= 2, `at most 2 at once, saw ${Math.max(...seen)}`);
  });

  it('says clearly when there is no go command', async () => {
    writeModule('a', 'module corp.com/a\n');
    const out = await runGoModGraph(root, ['a'], { env: { PATH: path.join(root, 'nowhere') } });
    assert.match(out.get('a')!.error!, /the go command was not found on PATH/);
  });

  it('returns an empty map for no modules', async () => {
    assert.equal((await runGoModGraph(root, [], { env })).size, 0);
  });
});
