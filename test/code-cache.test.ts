// The command's compiled code kept between runs (src/code-cache.ts) and the bundle it is made of.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { bundledCommand, codeCacheDir, loadBundle, nodeFlags, runKind, WRITES_PER_KIND } from '../src/code-cache.ts';
import { commandOf, withDefaultCommand } from '../src/default-command.ts';
import { cliEnv, projectRoot, runCli } from './support/run-cli.ts';

/** A bundle as scripts/bundle.js makes one: CommonJS, using require, exporting functions. */
const BUNDLE = `"use strict";
const path = require("node:path");
function sum(n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }
exports.answer = () => 42;
exports.sum = sum;
exports.base = (p) => path.posix.basename(p);
exports.dir = __dirname;
exports.runCli = async () => {};
`;

/**
 * inChild loads the bundle in a fresh node process and tells what became of the kept code, the
 * bundle's answer() and what save() said: in this process V8 would compile a bundle it compiled
 * before from its own memory, whatever the kept file holds.
 */
function inChild(bundle: string, kind: string, cache: string): { state: string; answer: number; saved: string } {
  const script = `import { loadBundle } from ${JSON.stringify(path.join(projectRoot, 'src/code-cache.ts'))};
const b = loadBundle(${JSON.stringify(bundle)}, ${JSON.stringify(kind)}, ${JSON.stringify(cache)});
const answer = b.exports.answer();
process.stdout.write(JSON.stringify({ state: b.state, answer, saved: b.save() }));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: projectRoot, encoding: 'utf8' });
  return JSON.parse(out) as { state: string; answer: number; saved: string };
}

describe('code cache: which runs use the bundle, and their kind', () => {
  it('names the kind of run by its command, --base and --shard; the review screen has none', () => {
    assert.equal(runKind(['check'], false), 'check');
    assert.equal(runKind(['check', '--base', 'main'], false), 'check --base');
    assert.equal(runKind(['check', '--base=main', '--shard', '1/4'], false), 'check --base --shard');
    assert.equal(runKind(['--debug', 'merge', 'a.json'], false), 'merge');
    assert.equal(runKind(['report', '--out', 'r'], true), 'report');
    // A bare command line: check in a pipe or CI, the review screen in a terminal.
    assert.equal(runKind(['--root', 'x'], false), 'check');
    assert.equal(runKind(['--root', 'x'], true), undefined);
    assert.equal(runKind([], true), undefined);
    assert.equal(runKind(['review'], false), undefined);
    assert.equal(runKind(['--debug', 'review', '--base', 'main'], false), undefined);
    assert.equal(runKind(['--version'], true), 'help');
    assert.equal(runKind(['help', 'review'], true), 'help');
    assert.equal(runKind(['check', '--base', 'main', '--help'], false), 'help');
  });

  it('counts in node\'s own options that may change V8\'s settings, not those naming code to run', () => {
    assert.deepEqual(nodeFlags(['--import', 'tsx', '--input-type=module', '-e', 'code', '--max-old-space-size=4096', '--no-opt', '-r', 'x', '--inspect=9229', '--cpu-prof']),
      ['--max-old-space-size=4096', '--no-opt']);
    assert.deepEqual(nodeFlags([]), []);
  });

  it('commandOf is the command word withDefaultCommand leaves first', () => {
    assert.equal(commandOf(withDefaultCommand(['--debug', '--root', 'x'], false)), 'check');
    assert.equal(commandOf(['--debug', 'fix']), 'fix');
    assert.equal(commandOf(['--help']), undefined);
    assert.equal(commandOf([]), undefined);
  });

  it('keeps code in the cache directory\'s code/ folder, by the rules of the facts packs, unless MODGUARD_CODE_CACHE is off', () => {
    const there = mkdtempSync(path.join(tmpdir(), 'modguard-code-dir-'));
    try {
      assert.equal(codeCacheDir({ MODGUARD_CACHE_DIR: there }), path.join(there, 'code'));
      assert.equal(codeCacheDir({ HOME: '/home/u' }), path.join('/home/u', '.cache', 'modguard', 'code'));
      for (const off of ['off', '0', 'false', 'OFF', 'no']) assert.equal(codeCacheDir({ MODGUARD_CACHE_DIR: there, MODGUARD_CODE_CACHE: off }), undefined, off);
      // In CI only a directory a cache step restored (it exists) or one the job named.
      assert.equal(codeCacheDir({ CI: 'true', XDG_CACHE_HOME: path.join(there, 'missing') }), undefined);
      mkdirSync(path.join(there, 'xdg', 'modguard'), { recursive: true });
      assert.equal(codeCacheDir({ CI: 'true', XDG_CACHE_HOME: path.join(there, 'xdg') }), path.join(there, 'xdg', 'modguard', 'code'));
      assert.equal(codeCacheDir({}), undefined);
      // The command line's cache directory: --no-cache keeps none, --cache-dir names it (the last one).
      const env = { MODGUARD_CACHE_DIR: there };
      assert.equal(codeCacheDir(env, ['check', '--no-cache']), undefined);
      assert.equal(codeCacheDir(env, ['check', '--cache-dir', 'c', '--base', 'x'], '/work'), path.join('/work', 'c', 'code'));
      assert.equal(codeCacheDir(env, ['check', '--cache-dir=/a', '--cache-dir=/b']), path.join('/b', 'code'));
      assert.equal(codeCacheDir({ CI: 'true' }, ['check', '--cache-dir', '/restored']), path.join('/restored', 'code'));
      assert.equal(codeCacheDir(env, ['check', '--cache-dir=']), undefined);
      assert.equal(codeCacheDir(env, ['parse', '--', '--no-cache']), path.join(there, 'code'));
      assert.equal(codeCacheDir({ ...env, MODGUARD_CODE_CACHE: 'off' }, ['check', '--cache-dir', '/x']), undefined);
    } finally {
      rmSync(there, { recursive: true, force: true });
    }
  });
});

describe('code cache: loading a bundle with kept code', () => {
  let dir: string;
  let bundle: string;
  let cache: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'modguard-code-'));
    bundle = path.join(dir, 'bundle.cjs');
    cache = path.join(dir, 'cache', 'code');
    writeFileSync(bundle, BUNDLE);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  type Exports = { answer(): number; sum(n: number): number; base(p: string): string; dir: string };
  const use = (e: Exports) => [e.answer(), e.sum(100), e.base('a/b/c.go'), e.dir];
  const keptFiles = () => (existsSync(cache) ? readdirSync(cache).filter((f) => f.endsWith('.code')) : []);

  it('runs the bundle as a CommonJS module, writes its code when none is kept, and compiles from it the next time', () => {
    const first = loadBundle<Exports>(bundle, 'check', cache);
    assert.equal(first.state, 'none');
    assert.deepEqual(use(first.exports), [42, 4950, 'c.go', dir]);
    assert.match(first.save(), /none kept yet; saved .* for `check`/);
    assert.deepEqual(keptFiles(), [path.basename(first.file!)]);
    const st = statSync(first.file!);
    assert.equal(st.mode & 0o777, 0o600);
    assert.equal(statSync(cache).mode & 0o777, 0o700);

    const second = loadBundle<Exports>(bundle, 'check', cache);
    assert.equal(second.state, 'read');
    assert.equal(second.file, first.file);
    assert.deepEqual(use(second.exports), [42, 4950, 'c.go', dir]);
    // In a fresh process, where V8 compiles the bundle from the kept code alone.
    const fresh = inChild(bundle, 'check', cache);
    assert.equal(fresh.state, 'read');
    assert.equal(fresh.answer, 42);
    assert.match(fresh.saved, /compiled from it, and saved/);
  });

  it(`writes the file again for the first ${WRITES_PER_KIND} runs of each kind, then leaves it`, () => {
    const mtimes: number[] = [];
    for (let run = 0; run < WRITES_PER_KIND + 2; run++) {
      const loaded = loadBundle<Exports>(bundle, 'check', cache);
      use(loaded.exports);
      const said = loaded.save();
      if (run < WRITES_PER_KIND) assert.match(said, /saved/, `run ${run}`);
      else assert.match(said, /^compiled from /, `run ${run}`);
      // Set back so that a write shows as a new time.
      utimesSync(loaded.file!, 1000 + run, 1000 + run);
      mtimes.push(statSync(loaded.file!).mtimeMs);
    }
    // A kind of run the file has not seen writes it again, keeping the counts of the others.
    const other = loadBundle<Exports>(bundle, 'check --base', cache);
    assert.equal(other.state, 'read');
    assert.match(other.save(), /compiled from it, and saved .* for `check --base`/);
    const header = readFileSync(other.file!, 'latin1').split('\n')[1]!;
    assert.deepEqual(JSON.parse(header).writes, { check: WRITES_PER_KIND, 'check --base': 1 });
    // Kinds are counted up to 32 (command lines with unknown commands make kinds too): then no more.
    for (let k = 2; k < 32; k++) assert.match(loadBundle<Exports>(bundle, `kind${k}`, cache).save(), /saved/);
    assert.match(loadBundle<Exports>(bundle, 'one too many', cache).save(), /^compiled from /);
    assert.match(loadBundle<Exports>(bundle, 'check --base', cache).save(), /saved/);
  });

  it('keeps nothing without a directory', () => {
    const loaded = loadBundle<Exports>(bundle, 'check', undefined);
    assert.equal(loaded.state, 'off');
    assert.equal(loaded.file, undefined);
    assert.equal(use(loaded.exports)[0], 42);
    assert.match(loaded.save(), /not kept/);
    assert.equal(existsSync(path.join(dir, 'cache')), false);
  });

  it('does not use code kept for another bundle, or under other V8 settings', () => {
    loadBundle<Exports>(bundle, 'check', cache).save();
    // A text of the same length: V8 would take the kept code for it (it compares lengths) and run
    // the old bundle. In a fresh process, as the command runs.
    writeFileSync(bundle, BUNDLE.replace('42', '43'));
    const changed = inChild(bundle, 'check', cache);
    assert.equal(changed.state, 'none');
    assert.equal(changed.answer, 43);
    writeFileSync(bundle, BUNDLE);
    const flags = loadBundle<Exports>(bundle, 'check', cache, { MODGUARD_V8_FLAGS: '--max-inlined-bytecode-size=100' });
    assert.equal(flags.state, 'none');
    flags.save();
    // MODGUARD_V8_FLAGS set empty (no V8 settings) is not MODGUARD_V8_FLAGS unset (the default ones).
    const empty = loadBundle<Exports>(bundle, 'check', cache, { MODGUARD_V8_FLAGS: '' });
    assert.equal(empty.state, 'none');
    assert.notEqual(empty.file, flags.file);
    empty.save();
    assert.equal(loadBundle<Exports>(bundle, 'check', cache, { NODE_OPTIONS: '--max-old-space-size=4096' }).state, 'none');
    assert.equal(loadBundle<Exports>(bundle, 'check', cache).state, 'read');
  });

  it('refuses a damaged file (its digest), and one V8 refuses is compiled anew; either is written again', () => {
    const kept = loadBundle<Exports>(bundle, 'check', cache);
    kept.save();
    const file = kept.file!;
    const bytes = readFileSync(file);
    // One byte of the code changed: the digest no longer matches.
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 10] ^= 0xff;
    writeFileSync(file, damaged, { mode: 0o600 });
    const refused = loadBundle<Exports>(bundle, 'check', cache);
    assert.equal(refused.state, 'refused');
    assert.deepEqual(use(refused.exports), [42, 4950, 'c.go', dir]);
    assert.match(refused.save(), /not trusted.*saved/);
    assert.equal(loadBundle<Exports>(bundle, 'check', cache).state, 'read');
    // Cut short: refused too.
    writeFileSync(file, bytes.subarray(0, bytes.length - 100), { mode: 0o600 });
    assert.equal(loadBundle<Exports>(bundle, 'check', cache).state, 'refused');

    // Well-formed data V8 made of another script (a text of another length): V8 refuses it.
    const other = new vm.Script(`${BUNDLE}\n// longer`).createCachedData();
    const text = bytes.toString('latin1');
    const headerEnd = text.indexOf('\n', text.indexOf('\n') + 1);
    const header = JSON.parse(text.slice(text.indexOf('\n') + 1, headerEnd)) as { writes: unknown };
    const forged = Buffer.concat([
      Buffer.from(`${text.slice(0, text.indexOf('\n') + 1)}${JSON.stringify({ writes: header.writes, sha256: createHash('sha256').update(other).digest('hex') })}\n`, 'latin1'),
      other,
    ]);
    writeFileSync(file, forged, { mode: 0o600 });
    // (In a fresh process: this one compiled the bundle before, and V8 would not look at the data.)
    const rejected = inChild(bundle, 'check', cache);
    assert.equal(rejected.state, 'rejected');
    assert.equal(rejected.answer, 42);
    assert.match(rejected.saved, /refused by V8.*saved/);
    assert.equal(inChild(bundle, 'check', cache).state, 'read');
  });

  it('trusts only a regular file of the user\'s that no one else may write', function () {
    if (process.getuid === undefined) this.skip();
    const kept = loadBundle<Exports>(bundle, 'check', cache);
    kept.save();
    const file = kept.file!;
    const good = readFileSync(file);
    for (const mode of [0o620, 0o602, 0o666]) {
      chmodSync(file, mode);
      assert.equal(loadBundle<Exports>(bundle, 'check', cache).state, 'refused', mode.toString(8));
    }
    chmodSync(file, 0o600);
    assert.equal(loadBundle<Exports>(bundle, 'check', cache).state, 'read');
    if (process.getuid() === 0) {
      // Another user's file (as root, which can give it away).
      chownSync(file, 12345, 12345);
      assert.equal(loadBundle<Exports>(bundle, 'check', cache).state, 'refused');
      chownSync(file, 0, 0);
    }
    // A link to a file, however good, and a directory in its place.
    rmSync(file);
    writeFileSync(path.join(dir, 'elsewhere'), good, { mode: 0o600 });
    symlinkSync(path.join(dir, 'elsewhere'), file);
    assert.equal(loadBundle<Exports>(bundle, 'check', cache).state, 'refused');
    rmSync(file);
    mkdirSync(file);
    const refused = loadBundle<Exports>(bundle, 'check', cache);
    assert.equal(refused.state, 'refused');
    assert.equal(refused.exports.answer(), 42);
    // Writing it fails (a directory is in the way), which is said, not thrown.
    assert.match(refused.save(), /not written/);
  });

  it('keeps the newest files of other bundles beside its own and removes old temporary files', () => {
    mkdirSync(cache, { recursive: true });
    const now = Date.now() / 1000;
    for (let i = 0; i < 6; i++) {
      const f = path.join(cache, `modguard-other-${i}.code`);
      writeFileSync(f, 'x');
      utimesSync(f, now - 100 * i, now - 100 * i);
    }
    const oldTmp = path.join(cache, 'modguard-x.code.1-abcd.tmp');
    const newTmp = path.join(cache, 'modguard-x.code.2-abcd.tmp');
    writeFileSync(oldTmp, 'x');
    utimesSync(oldTmp, now - 7200, now - 7200);
    writeFileSync(newTmp, 'x');
    writeFileSync(path.join(cache, 'unrelated.txt'), 'x');
    const loaded = loadBundle<Exports>(bundle, 'check', cache);
    loaded.save();
    assert.deepEqual(readdirSync(cache).sort(), [
      path.basename(loaded.file!), 'modguard-other-0.code', 'modguard-other-1.code', 'modguard-other-2.code', path.basename(newTmp), 'unrelated.txt',
    ].sort());
  });

  it('bundledCommand leaves the review screen, a bundle older than the modules and a broken one to the modules', () => {
    const modules = path.join(dir, 'cli.js');
    writeFileSync(modules, '');
    const past = Date.now() / 1000 - 60;
    utimesSync(modules, past, past);
    // The modules the bundle was made of, listed beside it (scripts/bundle.js).
    mkdirSync(path.join(dir, 'src'));
    const input = path.join(dir, 'src', 'rule.js');
    writeFileSync(input, '');
    utimesSync(input, past, past);
    writeFileSync(`${bundle}.json`, JSON.stringify({ inputs: ['src/rule.js', 'cli.js'] }));
    const env = { MODGUARD_CACHE_DIR: path.join(dir, 'cache') };
    assert.equal(bundledCommand(bundle, ['review'], env, false), undefined);
    assert.equal(bundledCommand(bundle, [], env, true), undefined);
    const loaded = bundledCommand(bundle, ['check'], env, false);
    assert.equal((loaded?.exports as unknown as Exports | undefined)?.answer(), 42);
    // The command line compiled after the bundle (a build that stopped before bundling): not the bundle.
    utimesSync(modules, past + 120, past + 120);
    assert.equal(bundledCommand(bundle, ['check'], env, false), undefined);
    utimesSync(modules, past, past);
    // One module rewritten since (tsc --watch), or no list of them: not the bundle either.
    utimesSync(input, past + 120, past + 120);
    assert.equal(bundledCommand(bundle, ['check'], env, false), undefined);
    utimesSync(input, past, past);
    assert.ok(bundledCommand(bundle, ['check'], env, false));
    rmSync(`${bundle}.json`);
    assert.equal(bundledCommand(bundle, ['check'], env, false), undefined);
    writeFileSync(`${bundle}.json`, JSON.stringify({ inputs: ['src/rule.js'] }));
    // A bundle that does not export the command line.
    writeFileSync(bundle, 'exports.answer = () => 42;');
    assert.equal(bundledCommand(bundle, ['check'], env, false), undefined);
    writeFileSync(bundle, 'exports.x = (;');
    assert.equal(bundledCommand(bundle, ['check'], env, false), undefined);
    rmSync(bundle);
    assert.equal(bundledCommand(bundle, ['check'], env, false), undefined);
  });
});

describe('code cache: the command (bin/modguard.js)', () => {
  it('has a bundle without the review screen: no Ink or React, and review-run imported from the modules', function () {
    if (cliEnv().MODGUARD_FROM_SOURCE) this.skip();
    const text = readFileSync(path.join(projectRoot, 'dist/modguard.cjs'), 'latin1');
    assert.doesNotMatch(text, /require\("(?:ink|react)(?:\/[^"]*)?"\)/);
    assert.deepEqual([...text.matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1]), ['./src/commands/review-run.js']);
    assert.ok(existsSync(path.join(projectRoot, 'dist/src/commands/review-run.js')));
  });

  it('runs commands from the bundle with the code kept by its first run, with the same output as without', async function () {
    // The built command only: from the sources there is no bundle.
    if (cliEnv().MODGUARD_FROM_SOURCE) this.skip();
    this.timeout(30000);
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'modguard-code-cli-'));
    try {
      const args = ['--debug', 'check', '--root', path.join(projectRoot, 'examples/monorepo'), '--graph-file', 'graph.txt', '--format', 'json'];
      const env = { MODGUARD_CACHE_DIR: cacheDir };
      const first = await runCli(args, projectRoot, env);
      const second = await runCli(args, projectRoot, env);
      const without = await runCli(args, projectRoot, { ...env, MODGUARD_CODE_CACHE: 'off' });
      assert.match(first.stderr, /modguard: compiled code: none kept yet; saved .*code\/modguard-.*\.code for `check`/);
      assert.match(second.stderr, /modguard: compiled code: compiled from it, and saved/);
      assert.match(without.stderr, /modguard: compiled code: not kept/);
      for (const run of [first, second, without]) assert.equal(run.code, 1);
      const findings = (out: string) => JSON.parse(out).findings as unknown[];
      assert.ok(findings(first.stdout).length > 0);
      assert.deepEqual(findings(second.stdout), findings(first.stdout));
      assert.deepEqual(findings(without.stdout), findings(first.stdout));
      // The command line's cache directory is the kept code's too; --no-cache keeps none.
      const named = path.join(cacheDir, 'named');
      const there = await runCli([...args, '--cache-dir', named], projectRoot, env);
      assert.match(there.stderr, new RegExp(`compiled code: none kept yet; saved ${named.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/code/modguard-`));
      const none = await runCli([...args, '--no-cache'], projectRoot, env);
      assert.match(none.stderr, /modguard: compiled code: not kept/);
      assert.deepEqual(findings(none.stdout), findings(first.stdout));
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
