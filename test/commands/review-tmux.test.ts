// Drives the real binary in a terminal: tmux gives it a pseudo-terminal, send-keys types, and
// capture-pane reads the screen. Skips (saying why) where tmux is not installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { cliEnv } from '../support/run-cli.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SOCKET = `modguard-review-${process.pid}`;

const ANCHORS = 'go 1.22\nanchor google.golang.org/grpc v1.64.0 // owner: rpc\nanchor golang.org/x/net v0.24.0\n';
const MOD_A = 'module example.com/svc/a\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.24.0\n\tgoogle.golang.org/grpc v1.60.1 // grpc for the api\n)\n';
const MOD_B = 'module example.com/svc/b\n\ngo 1.22\n\nrequire golang.org/x/net v0.21.0\n';

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const screen = () => tmux('capture-pane', '-p', '-t', 'review');

/** waitFor polls the screen until `pattern` shows (the first start compiles TypeScript, so allow long). */
async function waitFor(pattern: RegExp, what: string, timeoutMs = 90_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    last = screen();
    if (pattern.test(last)) return last;
    await delay(100);
  }
  throw new Error(`the screen never showed ${what} (${pattern}); last screen:\n${last}`);
}

async function keys(...k: string[]): Promise<void> {
  for (const key of k) {
    tmux('send-keys', '-t', 'review', key);
    await delay(150);
  }
}

describe('modguard review in a terminal (tmux)', function () {
  this.timeout(240_000);
  let root = '';

  before(function () {
    if (spawnSync('tmux', ['-V']).status !== 0) {
      console.log('    (skipped: tmux is not installed; apt-get install -y tmux runs this test)');
      this.skip();
    }
  });

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'modguard-tmux-'));
    await mkdir(path.join(root, 'svc/a'), { recursive: true });
    await mkdir(path.join(root, 'svc/b'), { recursive: true });
    await writeFile(path.join(root, 'anchor.lock'), ANCHORS);
    await writeFile(path.join(root, 'svc/a/go.mod'), MOD_A);
    await writeFile(path.join(root, 'svc/b/go.mod'), MOD_B);
    // An editor that records how it was called, so the test sees the terminal handed over and back.
    await writeFile(path.join(root, 'editor.sh'), `#!/bin/sh\nprintf '%s\\n' "$@" > ${quote(path.join(root, 'editor-args'))}\n`);
    await chmod(path.join(root, 'editor.sh'), 0o755);
  });

  afterEach(async () => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    await rm(root, { recursive: true, force: true });
  });

  it('opens, navigates, filters, opens the editor, applies a fix and quits; the go.mod changed exactly', async () => {
    const command = [
      'env', '-u', 'CI', '-u', 'CONTINUOUS_INTEGRATION', ...Object.entries(cliEnv()).map(([k, v]) => `${k}=${v}`), 'TERM=xterm-256color',
      `EDITOR=${path.join(root, 'editor.sh')}`, process.execPath, path.join(REPO, 'bin/modguard.js'), 'review', '--root', root,
    ].map(quote).join(' ');
    tmux('new-session', '-d', '-s', 'review', '-x', '120', '-y', '30', `${command}; echo "EXIT=$?"; sleep 600`);

    let s = await waitFor(/modguard review /, 'the header');
    assert.match(s, /2 modules · ✖ 2 errors/);
    assert.match(s, /^› ▾ anchor-mismatch {2}2 {2}✖ 2/m);
    assert.match(s, /svc\/a\/go\.mod:7 +google\.golang\.org\/grpc/);
    assert.match(s, /svc\/b\/go\.mod:5 +golang\.org\/x\/net/);

    await keys('j', 'j');
    s = await waitFor(/^ {2}› ✖ svc\/b\/go\.mod:5/m, 'the second finding selected');
    assert.match(s, /anchor +anchor\.lock:3 {2}golang\.org\/x\/net v0\.24\.0/);

    await keys('/');
    tmux('send-keys', '-t', 'review', '-l', 'grpc');
    await keys('Enter');
    s = await waitFor(/filter "grpc" · 1 of 2 findings shown/, 'the filtered list');
    assert.doesNotMatch(s, /svc\/b\/go\.mod/);

    await keys('j', 'o');
    await waitFor(/modguard review [\s\S]*filter "grpc"/, 'the screen back after the editor');
    assert.deepEqual((await readFile(path.join(root, 'editor-args'), 'utf8')).split('\n'), ['+7', path.join(root, 'svc/a/go.mod'), '']);

    await keys('f');
    s = await waitFor(/Apply fix: anchor-mismatch at svc\/a\/go\.mod:7/, 'the fix confirmation');
    assert.match(s, /^ {2}- {4}google\.golang\.org\/grpc v1\.60\.1 \/\/ grpc for the api$/m);
    assert.match(s, /^ {2}\+ {4}google\.golang\.org\/grpc v1\.64\.0 \/\/ grpc for the api$/m);
    await keys('y');
    s = await waitFor(/Fixed 1 finding in svc\/a\/go\.mod/, 'the fix outcome');
    await waitFor(/✖ 1 error\b/, 'the updated counts');

    await keys('q');
    await waitFor(/^EXIT=0$/m, 'the exit status');
    assert.equal(await readFile(path.join(root, 'svc/a/go.mod'), 'utf8'), MOD_A.replace('grpc v1.60.1', 'grpc v1.64.0'));
    assert.equal(await readFile(path.join(root, 'svc/b/go.mod'), 'utf8'), MOD_B);
  });
});
