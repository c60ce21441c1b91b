import { strict as assert } from 'node:assert';
import { main } from '../src/cli.ts';
import { fakeContext } from './support/context.ts';
import { runCli, projectRoot } from './support/run-cli.ts';

describe('cli', () => {
  it('exits 2 with a one-line message for an unknown command', async () => {
    const ctx = fakeContext();
    assert.equal(await main(['no-such-command'], ctx), 2);
    assert.match(ctx.err(), /unknown command 'no-such-command'/);
  });
  it('prints help and exits 0', async () => {
    const ctx = fakeContext();
    assert.equal(await main(['--help'], ctx), 0);
    assert.match(ctx.out(), /Usage: modguard/);
  });
});

describe('cli: empty option values', () => {
  it('refuses an empty file or folder name (it would name the current directory) with exit 2, before doing anything', async () => {
    const cases: Array<[string[], string]> = [
      [['check', '--root', ''], '--root: needs a folder name'],
      [['check', '--anchors', ''], '--anchors: needs a file name'],
      [['check', '--cache-dir', ''], '--cache-dir: needs a folder name'],
      [['check', '--baseline', ''], '--baseline: needs a file name'],
      [['report', '--out', ''], '--out: needs a folder name'],
      [['report', '--out', 'never-written', '--history', ''], '--history: needs a folder name'],
      [['fix', '--dry-run', '--module', 'a', '--module', ''], '--module: needs a folder name'],
      [['anchors', 'check', '--anchors', ''], '--anchors: needs a file name'],
    ];
    for (const [argv, message] of cases) {
      const ctx = fakeContext('/nonexistent-cwd');
      assert.equal(await main(argv, ctx), 2, argv.join(' '));
      assert.equal(ctx.err(), `modguard: ${message}; an empty one was given (an unset variable?)\n`);
      assert.equal(ctx.out(), '');
    }
    // A value that is not empty goes on to the command (here: a root that does not exist).
    const ctx = fakeContext('/nonexistent-cwd');
    assert.equal(await main(['check', '--root', '/nonexistent-root'], ctx), 2);
    assert.match(ctx.err(), /--root \/nonexistent-root: no such directory/);
  });
});

describe('cli default command', () => {
  it('runs review in a terminal and check elsewhere', async () => {
    const { withDefaultCommand } = await import('../src/cli.ts');
    assert.deepEqual(withDefaultCommand([], true), ['review']);
    assert.deepEqual(withDefaultCommand([], false), ['check']);
    assert.deepEqual(withDefaultCommand(['--root', 'x'], false), ['check', '--root', 'x']);
    assert.deepEqual(withDefaultCommand(['fix', '--dry-run'], true), ['fix', '--dry-run']);
    assert.deepEqual(withDefaultCommand(['--help'], true), ['--help']);
    // The program's --debug may come before the command, or stand alone before check's options.
    assert.deepEqual(withDefaultCommand(['--debug', 'check', '--base', 'main'], false), ['--debug', 'check', '--base', 'main']);
    assert.deepEqual(withDefaultCommand(['--debug', '--root', 'x'], false), ['check', '--debug', '--root', 'x']);
  });

  it('runs `modguard --debug check` as check with --debug', async () => {
    const r = await runCli(['--debug', 'check', '--root', 'examples/monorepo', '--format', 'json'], projectRoot);
    assert.doesNotMatch(r.stderr, /too many arguments/);
    assert.ok(JSON.parse(r.stdout).findings.length > 0, r.stderr);
  });
});

describe('V8 settings of the command (bin/v8-flags.js)', () => {
  // A fresh node loads the settings module with V8's setter wrapped: the flags it sets are listed,
  // and still set, so that a probe can see one take effect (natives syntax reads V8's own status of
  // a function called once: baseline code under --always-sparkplug, else interpreted).
  const probe = [
    "import v8 from 'node:v8';",
    "const set = v8.setFlagsFromString.bind(v8); const seen = [];",
    "v8.setFlagsFromString = (flag) => { seen.push(flag); set(flag); };",
    "await import(process.argv[1]);",
    "const f = new Function('x', 'return x + 1'); f(1);",
    "const status = new Function('f', 'return %GetOptimizationStatus(f)')(f);",
    "process.stdout.write(JSON.stringify({ seen, baseline: (status & 32768) !== 0 }));",
  ].join('\n');
  const runProbe = async (env: Record<string, string | undefined>): Promise<{ seen: string[]; baseline: boolean; stderr: string }> => {
    const { spawnSync } = await import('node:child_process');
    const { pathToFileURL } = await import('node:url');
    const pathMod = await import('node:path');
    const flagsModule = pathToFileURL(pathMod.join(projectRoot, 'bin', 'v8-flags.js')).href;
    const childEnv: NodeJS.ProcessEnv = { ...process.env };
    delete childEnv.MODGUARD_V8_FLAGS;
    for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', probe, flagsModule], { env: childEnv, encoding: 'utf8' });
    return { ...JSON.parse(r.stdout), stderr: r.stderr };
  };

  it('sets the smaller inlining budget and the larger interrupt budget by default', async () => {
    assert.deepEqual(await runProbe({}), { seen: ['--max-inlined-bytecode-size-cumulative=200', '--interrupt-budget=135168'], baseline: false, stderr: '' });
  });
  it('sets only the flags of MODGUARD_V8_FLAGS when given (none when empty), and they take effect', async () => {
    assert.deepEqual(await runProbe({ MODGUARD_V8_FLAGS: '' }), { seen: [], baseline: false, stderr: '' });
    assert.deepEqual(await runProbe({ MODGUARD_V8_FLAGS: ' --always-sparkplug ' }), { seen: ['--always-sparkplug'], baseline: true, stderr: '' });
    // Anything but a plain flag (here a second word glued on with a semicolon) is not passed on, and said so.
    assert.deepEqual(await runProbe({ MODGUARD_V8_FLAGS: '--always-sparkplug;x --no-always-sparkplug' }), {
      seen: ['--no-always-sparkplug'], baseline: false,
      stderr: 'modguard: MODGUARD_V8_FLAGS: ignored "--always-sparkplug;x" (give V8 flags as --name or --name=value, separated by spaces)\n',
    });
  });
  it('passes on no flag that cannot change once node runs (one that stops V8 with a fatal error among them)', async () => {
    const r = await runProbe({ MODGUARD_V8_FLAGS: '--single-threaded-gc --always-sparkplug --max-old-space-size=64 --min-semi-space-size=16 --semi-space-growth-factor=4' });
    assert.deepEqual(r.seen, ['--always-sparkplug', '--semi-space-growth-factor=4']);
    assert.equal(r.baseline, true);
    assert.match(r.stderr, /ignored "--single-threaded-gc" \(only the compilers' settings and the young generation's growth can change once node runs/);
    assert.match(r.stderr, /ignored "--max-old-space-size=64"/);
    // The young generation's sizes are read when V8 starts: set later, they change nothing.
    assert.match(r.stderr, /ignored "--min-semi-space-size=16"/);
  });
});

describe('loading', () => {
  it('checks a repository without configured rule options without loading zod, and loads it for a configuration with options', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const pathMod = await import('node:path');
    const { pathToFileURL } = await import('node:url');
    const dir = mkdtempSync(pathMod.join(tmpdir(), 'modguard-zod-'));
    try {
      writeFileSync(pathMod.join(dir, 'go.mod'), 'module example.com/a\n\ngo 1.22\n\nrequire github.com/pkg/errors v0.9.1\n');
      writeFileSync(pathMod.join(dir, 'anchor.lock'), 'go 1.22\nban github.com/pkg/errors\n');
      // The check in a fresh node, from the built code when there is one (as the command runs).
      const built = process.env.MODGUARD_TEST_BUILT === '1';
      const checkRun = pathToFileURL(pathMod.join(projectRoot, built ? 'dist/src/commands/check-run.js' : 'src/commands/check-run.ts')).href;
      const script = [
        "import { createRequire } from 'node:module';",
        'const { runCheck } = await import(process.argv[1]);',
        "const out = []; const sink = { write: (s) => { out.push(s); return true; } };",
        "const code = await runCheck({ root: process.argv[2] }, { cwd: process.argv[2], env: { PATH: process.env.PATH }, stdout: sink, stderr: sink, stdinIsTTY: false, exitCode: 0 });",
        "const zodLoaded = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes(`${'/'}node_modules${'/'}zod${'/'}`));",
        'process.stdout.write(JSON.stringify({ code, zodLoaded, banned: out.join("").includes("banned-module") }));',
      ].join('\n');
      const run = () => JSON.parse(execFileSync(process.execPath, [...(built ? [] : ['--import', 'tsx']), '--input-type=module', '-e', script, checkRun, dir], { encoding: 'utf8' }));
      assert.deepEqual(run(), { code: 1, zodLoaded: false, banned: true });
      writeFileSync(pathMod.join(dir, 'modguard.json'), JSON.stringify({ rules: { 'banned-module': { options: { includeIndirect: false } } } }));
      assert.deepEqual(run(), { code: 1, zodLoaded: true, banned: true });
      // zod comes only through src/util/zod.ts (one copy, loaded on demand): no other value import.
      const { readdirSync, readFileSync } = await import('node:fs');
      const sources = (d: string): string[] => readdirSync(pathMod.join(projectRoot, d), { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? sources(`${d}/${e.name}`) : e.name.endsWith('.ts') ? [`${d}/${e.name}`] : []));
      const importers = [...sources('src'), ...sources('rules')]
        .filter((f) => /^import (?!type )[^;]*from 'zod'/m.test(readFileSync(pathMod.join(projectRoot, f), 'utf8')));
      assert.deepEqual(importers, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
