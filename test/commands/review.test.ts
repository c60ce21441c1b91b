import assert from 'node:assert/strict';
import { main } from '../../src/cli.ts';
import { isInteractive, NOT_A_TERMINAL, runReview } from '../../src/commands/review-run.ts';
import { editorCommand } from '../../src/tui/mount.ts';
import { fakeContext } from '../support/context.ts';

describe('commands/review', () => {
  it('refuses without a terminal: a clear message and exit 2', async () => {
    const ctx = fakeContext();
    assert.equal(await main(['review', '--root', '.'], ctx), 2);
    assert.equal(ctx.err(), NOT_A_TERMINAL);
    assert.equal(ctx.out(), '');
  });

  it('needs raw mode on stdin and a terminal on stdout', async () => {
    const ctx = fakeContext();
    assert.equal(isInteractive(ctx), false);
    assert.equal(isInteractive({ ...ctx, stdinIsTTY: true }), false, 'stdout is a pipe');
    assert.equal(isInteractive({ ...ctx, stdinIsTTY: true, stdout: { write: () => true, isTTY: true } }), true);
    assert.equal(isInteractive({ ...ctx, stdinIsTTY: true, isRawModeSupported: false, stdout: { write: () => true, isTTY: true } }), false);
    assert.equal(await runReview({}, { ...ctx, stdinIsTTY: true }), 2);
  });

  it('lists the loading options in its help', async () => {
    const ctx = fakeContext();
    assert.equal(await main(['review', '--help'], ctx), 0);
    for (const opt of ['--root', '--anchors', '--config', '--graph-file', '--go', '--base']) assert.match(ctx.out(), new RegExp(`${opt}\\b`));
  });

  it('opens $VISUAL or $EDITOR at the line, as an argument array', () => {
    assert.deepEqual(editorCommand({ EDITOR: 'nano' }, '/r/svc/a/go.mod', 12), ['nano', '+12', '/r/svc/a/go.mod']);
    assert.deepEqual(editorCommand({ VISUAL: 'code --wait', EDITOR: 'vi' }, '/r/a b/go.mod', 3), ['code', '--wait', '+3', '/r/a b/go.mod']);
    assert.deepEqual(editorCommand({ EDITOR: 'vim; rm -rf /' }, '/f', 0), ['vim;', 'rm', '-rf', '/', '+1', '/f'], 'never a shell: the words stay words');
    assert.deepEqual(editorCommand({}, '/f', 2), ['vi', '+2', '/f']);
  });
});
