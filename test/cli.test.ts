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
  // Whether a function called once runs as baseline (Sparkplug) code, as the command's settings
  // ask, in a fresh node that loaded the settings module; natives syntax reads V8's own status.
  const probe = [
    "await import(process.argv[1]);",
    "const f = new Function('x', 'return x + 1'); f(1);",
    "const status = new Function('f', 'return %GetOptimizationStatus(f)')(f);",
    "process.stdout.write((status & 32768) ? 'baseline' : 'interpreted');",
  ].join('\n');
  const runProbe = async (env: Record<string, string | undefined>) => {
    const { execFileSync } = await import('node:child_process');
    const { pathToFileURL } = await import('node:url');
    const pathMod = await import('node:path');
    const flagsModule = pathToFileURL(pathMod.join(projectRoot, 'bin', 'v8-flags.js')).href;
    const childEnv: NodeJS.ProcessEnv = { ...process.env };
    delete childEnv.MODGUARD_V8_FLAGS;
    for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
    return execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', probe, flagsModule], { env: childEnv, encoding: 'utf8' });
  };

  it('runs code as baseline code from its first call by default', async () => {
    assert.equal(await runProbe({}), 'baseline');
  });
  it('sets only the flags of MODGUARD_V8_FLAGS when given (none when empty)', async () => {
    assert.equal(await runProbe({ MODGUARD_V8_FLAGS: '' }), 'interpreted');
    assert.equal(await runProbe({ MODGUARD_V8_FLAGS: '--always-sparkplug' }), 'baseline');
    // Anything but a plain flag (here a second word glued on with a semicolon) is not passed on.
    assert.equal(await runProbe({ MODGUARD_V8_FLAGS: '--always-sparkplug;x' }), 'interpreted');
  });
});
