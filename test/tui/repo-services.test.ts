import assert from 'node:assert/strict';
import { chmod, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRepository } from '../../src/engine/load.ts';
import { check } from '../../src/engine/run.ts';
import { createRepositoryServices, excerptOf } from '../../src/tui/repo-services.ts';
import type { Finding } from '../../src/engine/types.ts';

const ANCHORS = 'go 1.22\nanchor golang.org/x/net v0.24.0 // owner: net-team\nanchor github.com/x/y v1.2.0\n';
const MOD_A = 'module example.com/svc/a\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.21.0\n\tgithub.com/x/y v1.0.0 // indirect\n)\n';
const MOD_B = 'module example.com/svc/b\n\ngo 1.22\n\nrequire golang.org/x/net v0.24.0\n';

async function fixture(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'modguard-review-'));
  await mkdir(path.join(root, 'svc/a'), { recursive: true });
  await mkdir(path.join(root, 'svc/b'), { recursive: true });
  await writeFile(path.join(root, 'anchor.lock'), ANCHORS);
  await writeFile(path.join(root, 'svc/a/go.mod'), MOD_A);
  await writeFile(path.join(root, 'svc/b/go.mod'), MOD_B);
  return root;
}

function servicesFor(root: string) {
  return createRepositoryServices(async () => {
    const repo = await loadRepository({ root, cwd: root, env: { PATH: process.env.PATH ?? '' } });
    return { repo, result: check(repo) };
  });
}

const mismatch = (findings: Finding[], dep: string) => findings.find((f) => f.rule === 'anchor-mismatch' && f.dependency === dep);

describe('tui/repo-services', () => {
  let root = '';
  beforeEach(async () => { root = await fixture(); });
  afterEach(async () => { await rm(root, { recursive: true, force: true }); });

  it('loads and checks the repository; details come from the files read', async () => {
    const services = servicesFor(root);
    const data = await services.load(() => undefined);
    assert.equal(data.moduleCount, 2);
    const f = mismatch(data.findings, 'golang.org/x/net');
    assert.ok(f, 'an anchor-mismatch for golang.org/x/net');
    assert.equal(f.file, 'svc/a/go.mod');
    assert.equal(f.line, 6);
    const d = services.describe(f);
    assert.deepEqual(d.excerpt.find((l) => l.isTarget), { line: 6, text: '\tgolang.org/x/net v0.21.0', isTarget: true });
    assert.equal(d.excerpt[0]!.line, 3);
    assert.equal(d.anchor, 'anchor.lock:2  golang.org/x/net v0.24.0  // owner: net-team');
    assert.deepEqual(d.fix, ['require golang.org/x/net v0.21.0 -> v0.24.0']);
    assert.equal(d.commands[0], 'modguard fix --rule anchor-mismatch --module svc/a');
    assert.ok(d.commands.includes('(cd svc/a && go mod edit -require=golang.org/x/net@v0.24.0)'), d.commands.join('\n'));
  });

  it('plans a fix as a diff and writes exactly that; the next load no longer has the finding', async () => {
    const services = servicesFor(root);
    const f = mismatch((await services.load(() => undefined)).findings, 'golang.org/x/net')!;
    const proposal = services.planFix([f], 'one');
    assert.equal(proposal.patches.length, 1);
    assert.match(proposal.diff, /^-\tgolang\.org\/x\/net v0\.21\.0$/m);
    assert.match(proposal.diff, /^\+\tgolang\.org\/x\/net v0\.24\.0$/m);
    const outcome = await services.applyFix(proposal);
    assert.equal(outcome.ok, true, outcome.message);
    assert.deepEqual(outcome.resolved, [f]);
    assert.equal(await readFile(path.join(root, 'svc/a/go.mod'), 'utf8'), MOD_A.replace('net v0.21.0', 'net v0.24.0'));
    assert.equal(mismatch((await services.load(() => undefined)).findings, 'golang.org/x/net'), undefined);
  });

  it('refuses to write a file that changed after it was read', async () => {
    const services = servicesFor(root);
    const f = mismatch((await services.load(() => undefined)).findings, 'golang.org/x/net')!;
    const proposal = services.planFix([f], 'one');
    const edited = `${MOD_A}// edited meanwhile\n`;
    await writeFile(path.join(root, 'svc/a/go.mod'), edited);
    const outcome = await services.applyFix(proposal);
    assert.equal(outcome.ok, false);
    assert.match(outcome.message, /svc\/a\/go\.mod changed since it was read/);
    assert.deepEqual(outcome.resolved, []);
    assert.equal(await readFile(path.join(root, 'svc/a/go.mod'), 'utf8'), edited);
    const ignored = await services.addIgnore(f, 'later');
    assert.equal(ignored.ok, false);
    assert.match(ignored.message, /svc\/a\/go\.mod not written: it changed since it was read/);
    assert.equal(await readFile(path.join(root, 'svc/a/go.mod'), 'utf8'), edited);
  });

  it('adds a suppression the checker honours, keeping // indirect', async () => {
    const services = servicesFor(root);
    const data = await services.load(() => undefined);
    const net = mismatch(data.findings, 'golang.org/x/net')!;
    const y = mismatch(data.findings, 'github.com/x/y');
    assert.ok(y, 'the indirect requirement is reported too');
    assert.equal((await services.addIgnore(net, 'waiting for the v2 client')).ok, true);
    let findings = (await services.load(() => undefined)).findings;
    assert.equal(mismatch(findings, 'golang.org/x/net'), undefined, 'suppressed');
    const y2 = mismatch(findings, 'github.com/x/y')!;
    const outcome = await services.addIgnore(y2, 'pinned by the vendor');
    assert.equal(outcome.ok, true, outcome.message);
    assert.equal(await readFile(path.join(root, 'svc/a/go.mod'), 'utf8'), MOD_A
      .replace('\tgolang.org/x/net v0.21.0\n', '\tgolang.org/x/net v0.21.0 // modguard:ignore anchor-mismatch waiting for the v2 client\n')
      .replace('\tgithub.com/x/y v1.0.0 // indirect\n', '\t// modguard:ignore anchor-mismatch pinned by the vendor\n\tgithub.com/x/y v1.0.0 // indirect\n'));
    const after = await services.load(() => undefined);
    findings = after.findings;
    assert.equal(mismatch(findings, 'github.com/x/y'), undefined);
    assert.deepEqual(findings.filter((f) => f.rule.startsWith('suppression-')), []);
    const mod = services.current()!.modules.find((m) => m.goModFile === 'svc/a/go.mod')!.mod!;
    assert.equal(mod.require.find((r) => r.mod.path === 'github.com/x/y')!.indirect, true);
  });

  it('a suppression into a go.mod that may not be written is refused as read-only, the file left alone', async function () {
    const services = servicesFor(root);
    const f = mismatch((await services.load(() => undefined)).findings, 'golang.org/x/net')!;
    const file = path.join(root, 'svc/a/go.mod');
    // A read-only mode stops anyone but root; an immutable file (chattr +i) stops root too.
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) await chmod(file, 0o444);
    else if (spawnSync('chattr', ['+i', file]).status !== 0) {
      console.log('      (skipped: running as root, where a read-only mode does not block writes, and chattr +i is not available here)');
      this.skip();
    }
    try {
      const outcome = await services.addIgnore(f, 'later');
      assert.equal(outcome.ok, false);
      assert.equal(outcome.message, 'svc/a/go.mod not written: it is read-only; left alone (make it writable to add the suppression).');
      assert.deepEqual(outcome.resolved, []);
      assert.equal(await readFile(file, 'utf8'), MOD_A);
    } finally {
      if (asRoot) spawnSync('chattr', ['-i', file]);
      else await chmod(file, 0o644);
    }
  });

  it('a suppression outside go.mod is refused with the reason', async () => {
    const services = servicesFor(root);
    await services.load(() => undefined);
    const f: Finding = { rule: 'parse-error', severity: 'error', file: 'anchor.lock', line: 1, column: 1, messageId: 'x', message: 'x', module: '', dependency: '', data: {} };
    const outcome = await services.addIgnore(f, 'x');
    assert.equal(outcome.ok, false);
    assert.match(outcome.message, /anchor\.lock is not one/);
    assert.deepEqual(services.describe(f).excerpt.map((l) => l.text), ['go 1.22', 'anchor golang.org/x/net v0.24.0 // owner: net-team', 'anchor github.com/x/y v1.2.0']);
  });

  it('adds a suppression of a go.work finding to the go.work, which the checker honours', async () => {
    await writeFile(path.join(root, 'go.work'), 'go 1.22\n\nuse (\n\t./svc/a\n\t./svc/a\n)\n');
    const services = servicesFor(root);
    const twice = (await services.load(() => undefined)).findings.find((f) => f.rule === 'broken-workspace' && f.file === 'go.work');
    assert.ok(twice, 'the second use of one directory is reported');
    const outcome = await services.addIgnore(twice, 'dropped in the next release');
    assert.equal(outcome.ok, true, outcome.message);
    assert.match(await readFile(path.join(root, 'go.work'), 'utf8'), /\t\.\/svc\/a \/\/ modguard:ignore broken-workspace dropped in the next release\n\)/);
    const findings = (await services.load(() => undefined)).findings;
    assert.deepEqual(findings.filter((f) => f.file === 'go.work'), []);
  });

  it('excerptOf marks the line and stays inside the file', () => {
    assert.deepEqual(excerptOf('a\nb\nc\n', 1, 1), [{ line: 1, text: 'a', isTarget: true }, { line: 2, text: 'b', isTarget: false }]);
    assert.deepEqual(excerptOf('a\r\nb\r\n', 2, 5).map((l) => l.text), ['a', 'b']);
    assert.deepEqual(excerptOf('a\n', 0), []);
  });
});
