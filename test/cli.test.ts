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
  const runProbe = async (env: Record<string, string | undefined>): Promise<{ seen: string[]; baseline: boolean }> => {
    const { execFileSync } = await import('node:child_process');
    const { pathToFileURL } = await import('node:url');
    const pathMod = await import('node:path');
    const flagsModule = pathToFileURL(pathMod.join(projectRoot, 'bin', 'v8-flags.js')).href;
    const childEnv: NodeJS.ProcessEnv = { ...process.env };
    delete childEnv.MODGUARD_V8_FLAGS;
    for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
    return JSON.parse(execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', probe, flagsModule], { env: childEnv, encoding: 'utf8' }));
  };

  it('sets the smaller inlining budget by default', async () => {
    assert.deepEqual((await runProbe({})).seen, ['--max-inlined-bytecode-size-cumulative=200']);
  });
  it('sets only the flags of MODGUARD_V8_FLAGS when given (none when empty), and they take effect', async () => {
    assert.deepEqual(await runProbe({ MODGUARD_V8_FLAGS: '' }), { seen: [], baseline: false });
    assert.deepEqual(await runProbe({ MODGUARD_V8_FLAGS: '--always-sparkplug' }), { seen: ['--always-sparkplug'], baseline: true });
    // Anything but a plain flag (here a second word glued on with a semicolon) is not passed on.
    assert.deepEqual(await runProbe({ MODGUARD_V8_FLAGS: '--always-sparkplug;x --no-always-sparkplug' }), { seen: ['--no-always-sparkplug'], baseline: false });
  });
});
