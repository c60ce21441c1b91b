// End to end: the real CLI (`node bin/modguard.js check`) on repositories written into temp dirs.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, mkdirSync, openSync, writeFileSync, readFileSync, rmSync, existsSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tempGitRepo } from '../support/git-repo.ts';
import { runCli } from '../support/run-cli.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(projectRoot, 'bin/modguard.js');

const run = runCli;

function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

const CLEAN: Record<string, string> = {
  'anchor.lock': 'go 1.22\nanchor golang.org/x/net v0.24.0\n',
  'svc/a/go.mod': 'module example.com/shop/svc/a\n\ngo 1.22\n\nrequire golang.org/x/net v0.24.0\n',
  'svc/b/go.mod': 'module example.com/shop/svc/b\n\ngo 1.22\n\nrequire (\n\texample.com/shop/svc/a v0.0.0-00010101000000-000000000000\n\tgolang.org/x/net v0.24.0\n)\n\nreplace example.com/shop/svc/a => ../a\n',
};

const MISMATCH: Record<string, string> = {
  ...CLEAN,
  'svc/c/go.mod': 'module example.com/shop/svc/c\n\ngo 1.22\n\nrequire golang.org/x/net v0.23.0\n',
};

describe('modguard check (end to end)', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'modguard-check-')); });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

  it('a reader that stops reading (| head) ends the output, not the run: its own exit code, no stack trace', async () => {
    const files: Record<string, string> = { 'anchor.lock': 'go 1.22\nanchor golang.org/x/net v0.24.0\n' };
    // Far more output than a pipe holds (64 KB): writes go on after the reader has gone.
    for (let i = 0; i < 400; i++) files[`svc/m${i}/go.mod`] = `module example.com/shop/svc/m${i}\n\ngo 1.22\n\nrequire golang.org/x/net v0.23.0\n`;
    writeTree(dir, files);
    const child = spawn(process.execPath, [bin, 'check', '--root', dir, '--format', 'json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.stdout.once('data', () => child.stdout.destroy());
    const [code] = await once(child, 'close') as [number | null];
    assert.equal(code, 1, stderr);
    assert.doesNotMatch(stderr, /EPIPE|Unhandled|internal error/);
  });

  it('an output that cannot be written (no space left): one line saying so, exit 2, no stack trace', async function () {
    if (!existsSync('/dev/full')) this.skip();
    writeTree(dir, MISMATCH);
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [bin, 'check', '--root', dir], { cwd: dir, stdio: ['ignore', full, 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
      const [code] = await once(child, 'close') as [number | null];
      assert.equal(code, 2, stderr);
      assert.match(stderr, /^modguard: cannot write the output: ENOSPC/m);
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    } finally {
      closeSync(full);
    }
  });

  it('run from a directory that was removed: one line saying so, exit 2, no stack trace', async () => {
    const gone = path.join(dir, 'gone');
    mkdirSync(gone);
    // The process starts there, then the directory goes, as when a shell sits in a deleted checkout.
    const script = `process.chdir(${JSON.stringify(gone)}); require('node:fs').rmdirSync(${JSON.stringify(gone)}); process.argv = [process.argv[0], ${JSON.stringify(bin)}, 'check']; import(${JSON.stringify(pathToFileURL(bin).href)});`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const [code] = await once(child, 'close') as [number | null];
    assert.equal(code, 2, stderr);
    assert.match(stderr, /^modguard: the current directory cannot be read \(ENOENT\)/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  });

  it('says so when it finds no go.mod or go.work at all (most likely the wrong directory), and nothing about graphs', async () => {
    writeTree(dir, { 'README.md': '# not a Go repository\n', 'vendor/x/go.mod': 'module example.com/x\n' });
    const r = await run(['check', '--root', dir], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^note: no go\.mod or go\.work file found under the root, so nothing was checked .*point --root at the repository$/m);
    assert.doesNotMatch(r.stdout, /no module graph/);
    // A repository with modules and no graphs still hears about the graphs, and nothing of the kind.
    writeTree(dir, CLEAN);
    const full = await run(['check', '--root', dir], dir);
    assert.match(full.stdout, /skipped: no module graph/);
    assert.doesNotMatch(full.stdout, /nothing was checked/);
  });

  it('exits 0 on a clean repository and prints the JSON contract', async () => {
    writeTree(dir, CLEAN);
    const r = await run(['check', '--root', dir, '--format', 'json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.version, 1);
    assert.equal(out.root, dir);
    assert.deepEqual(out.findings, []);
    assert.equal(out.summary.modules, 2);
    assert.equal(out.summary.errors, 0);
  });

  it('exits 1 with an error finding, with file relative and POSIX, module and dependency', async () => {
    writeTree(dir, MISMATCH);
    const r = await run(['check', '--format', 'json'], dir);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    const f = out.findings.find((x: { rule: string }) => x.rule === 'anchor-mismatch');
    assert.ok(f, r.stdout);
    assert.deepEqual(Object.keys(f).slice(0, 9), ['rule', 'severity', 'file', 'line', 'column', 'message', 'module', 'dependency', 'data']);
    assert.equal(f.severity, 'error');
    assert.equal(f.file, 'svc/c/go.mod');
    assert.equal(f.line, 5);
    assert.equal(f.module, 'example.com/shop/svc/c');
    assert.equal(f.dependency, 'golang.org/x/net');
    assert.match(f.message, /v0\.23\.0/);
    assert.equal(typeof f.data, 'object');
    assert.equal(out.summary.errors >= 1, true);
  });

  it('turns the error into a warning through modguard.json and exits 0', async () => {
    writeTree(dir, { ...MISMATCH, 'modguard.json': '{"rules": {"anchor-mismatch": "warning", "version-divergence": "off"}}' });
    const r = await run(['check', '--format', 'json'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.findings.map((f: { rule: string; severity: string }) => [f.rule, f.severity]), [['anchor-mismatch', 'warning']]);
  });

  it('silences a finding with a reasoned suppression and counts it', async () => {
    writeTree(dir, { ...MISMATCH, 'svc/c/go.mod': 'module example.com/shop/svc/c\n\ngo 1.22\n\nrequire golang.org/x/net v0.23.0 // modguard:ignore anchor-mismatch waiting on the 0.24 upgrade\n' });
    const r = await run(['check', '--format', 'json'], dir);
    const out = JSON.parse(r.stdout);
    assert.equal(out.findings.some((f: { rule: string }) => f.rule === 'anchor-mismatch'), false, r.stdout);
    assert.equal(out.summary.suppressed, 1);
  });

  it('exits 2 with one clear line for a bad configuration', async () => {
    writeTree(dir, { ...CLEAN, 'modguard.json': '{"rules": {"anchor-mismatch": {"severity": "fatal"}}}' });
    const r = await run(['check'], dir);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'modguard: modguard.json: rules.anchor-mismatch.severity: expected one of error, warning, info, off, got a string ("fatal")\n');
  });

  it('exits 2 for an unknown format, a missing root, a missing --anchors file', async () => {
    writeTree(dir, CLEAN);
    const bad = await run(['check', '--format', 'yaml'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown format "yaml"/);
    const noRoot = await run(['check', '--root', 'nope'], dir);
    assert.equal(noRoot.code, 2);
    assert.match(noRoot.stderr, /^modguard: --root nope: no such directory/);
    const noAnchors = await run(['check', '--anchors', 'pins.lock'], dir);
    assert.equal(noAnchors.code, 2);
    assert.match(noAnchors.stderr, /^modguard: --anchors pins.lock: no such file/);
  });

  it('writes several formats in one run, to files and stdout', async () => {
    writeTree(dir, MISMATCH);
    const r = await run(['check', '--format', 'sarif=reports/out.sarif', '--format', 'json=out.json', '--format', 'text'], dir);
    assert.equal(r.code, 1, r.stderr);
    const sarif = JSON.parse(readFileSync(path.join(dir, 'reports/out.sarif'), 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].results.some((x: { ruleId: string }) => x.ruleId === 'anchor-mismatch'));
    const json = JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8'));
    assert.equal(json.version, 1);
    assert.match(r.stdout, /svc\/c\/go\.mod/);
    assert.match(r.stdout, /anchor-mismatch/);
    assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour on a pipe');
  });

  it('colours text only when forced, and never with NO_COLOR', async () => {
    writeTree(dir, MISMATCH);
    const forced = await run(['check'], dir, { FORCE_COLOR: '1' });
    assert.match(forced.stdout, /\x1b\[/);
    const plain = await run(['check'], dir, { NO_COLOR: '1' });
    assert.doesNotMatch(plain.stdout, /\x1b\[/);
  });

  it('appends the Markdown summary to $GITHUB_STEP_SUMMARY with the github format', async () => {
    writeTree(dir, MISMATCH);
    const summary = path.join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = await run(['check', '--format', 'github'], dir, { GITHUB_STEP_SUMMARY: summary });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^::error /m);
    const text = readFileSync(summary, 'utf8');
    assert.ok(text.startsWith('# earlier step\n'));
    assert.match(text, /anchor-mismatch/);
  });

  it('reports an empty repository as clean', async () => {
    const r = await run(['check', '--format', 'json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.findings, []);
    assert.equal(out.summary.modules, 0);
  });

  it('reports a broken go.mod as parse-error and still checks the rest', async () => {
    writeTree(dir, { ...MISMATCH, 'tools/bad/go.mod': 'module example.com/shop/tools/bad\n\nrequire golang.org/x/tools 0.21.0\n' });
    mkdirSync(path.join(dir, 'weird', 'go.mod'), { recursive: true });
    const r = await run(['check', '--format', 'json'], dir);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    const parse = out.findings.filter((f: { rule: string }) => f.rule === 'parse-error').map((f: { file: string; line: number }) => [f.file, f.line]);
    assert.deepEqual(parse, [['tools/bad/go.mod', 3], ['weird/go.mod', 1]]);
    assert.ok(out.findings.some((f: { rule: string }) => f.rule === 'anchor-mismatch'));
  });

  it('uses the git top level as the default root and a custom anchors file', async () => {
    const repo = tempGitRepo('modguard-check-git-');
    try {
      repo.write({ ...MISMATCH, 'anchor.lock': null, 'policy/pins.lock': 'anchor golang.org/x/net v0.24.0\n', 'docs/readme.md': 'x' });
      repo.commit('initial');
      const r = await run(['check', '--anchors', '../policy/pins.lock', '--format', 'json'], path.join(repo.dir, 'docs'));
      assert.equal(r.code, 1, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.summary.modules, 3);
      const f = out.findings.find((x: { rule: string }) => x.rule === 'anchor-mismatch');
      assert.equal(f.file, 'svc/c/go.mod');
      assert.match(f.message, /policy\/pins\.lock/);
    } finally {
      repo.cleanup();
    }
  });

  it('runs go mod graph with --go (a fake go on PATH) so graph rules run', async () => {
    writeTree(dir, CLEAN);
    const binDir = path.join(dir, '.bin');
    mkdirSync(binDir);
    const fakeGo = path.join(binDir, 'go');
    writeFileSync(fakeGo, '#!/bin/sh\nmod=$(sed -n "s/^module //p" go.mod)\necho "$mod golang.org/x/net@v0.25.0"\n');
    chmodSync(fakeGo, 0o755);
    const r = await run(['check', '--go', '--format', 'json'], dir, { PATH: `${binDir}:${process.env.PATH}` });
    const out = JSON.parse(r.stdout);
    assert.equal(out.notices.some((n: string) => /skipped: no module graph/.test(n)), false, JSON.stringify(out.notices));
    assert.ok(out.findings.some((f: { rule: string }) => f.rule === 'anchor-drift'), r.stdout);
    assert.equal(r.code, 1);
    assert.ok(existsSync(path.join(dir, '.modguard-cache')));
  });

  it('says once that graph rules were skipped without a graph source', async () => {
    writeTree(dir, CLEAN);
    const r = await run(['check', '--format', 'json'], dir);
    const out = JSON.parse(r.stdout);
    assert.equal(out.notices.filter((n: string) => /skipped: no module graph/.test(n)).length, 1);
  });
});
