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
