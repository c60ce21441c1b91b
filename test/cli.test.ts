import { strict as assert } from 'node:assert';
import { main } from '../src/cli.ts';
import { fakeContext } from './support/context.ts';

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
