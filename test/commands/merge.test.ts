import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli.ts';
import type { CheckResult, Finding } from '../../src/engine/types.ts';
import { summarize as countFindings } from '../../src/engine/run.ts';
import { reporters } from '../../src/reporters/index.ts';
import { rules } from '../../rules/index.ts';
import { fakeContext } from '../support/context.ts';

function finding(file: string, line: number, severity: Finding['severity'] = 'error'): Finding {
  return { rule: 'anchor-mismatch', severity, file, line, column: 2, messageId: 'mismatch', message: `pin differs at ${file}:${line}`, module: 'example.com/x', dependency: 'golang.org/x/net', data: {} };
}

function shard(index: number, count: number, findings: Finding[], modules: number): CheckResult {
  return { version: 1, root: '/repo', findings, summary: countFindings(findings, modules, 0), notices: ['graph rules skipped'], shard: { index, count } };
}

const opts = { color: false, rules: rules.map((r) => r.meta), root: '/repo' };

describe('commands/merge', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'modguard-merge-')); });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

  const write = (name: string, r: CheckResult | string) => {
    writeFileSync(path.join(dir, name), typeof r === 'string' ? r : reporters.json(r, opts));
    return name;
  };

  it('merges shard files into one JSON result and exits 1 on error findings', async () => {
    const lock = finding('anchor.lock', 1, 'warning');
    const a = write('shard-1.json', shard(1, 2, [finding('svc/b/go.mod', 4), lock], 3));
    const b = write('shard-2.json', shard(2, 2, [lock, finding('svc/a/go.mod', 7)], 2));
    const ctx = fakeContext(dir);
    assert.equal(await main(['merge', a, b, '--format', 'json'], ctx), 1, ctx.err());
    const all = [finding('svc/b/go.mod', 4), lock, finding('svc/a/go.mod', 7)];
    const expected: CheckResult = { version: 1, root: '/repo', findings: all, summary: countFindings(all, 5, 0), notices: ['graph rules skipped'] };
    assert.equal(ctx.out(), reporters.json(expected, opts));
    assert.equal(ctx.err(), '');
  });

  it('prints text by default and exits 0 without error findings', async () => {
    const a = write('a.json', shard(1, 2, [], 4));
    const b = write('b.json', shard(2, 2, [finding('svc/a/go.mod', 2, 'warning')], 1));
    const ctx = fakeContext(dir);
    assert.equal(await main(['merge', a, b], ctx), 0, ctx.err());
    assert.equal(ctx.out(), [
      'svc/a/go.mod',
      '  2:2  warning  anchor-mismatch  pin differs at svc/a/go.mod:2',
      '',
      'note: graph rules skipped',
      '0 errors, 1 warning, 0 infos in 5 modules',
      '',
    ].join('\n'));
  });

  it('prints github annotations, writes SARIF with the rule metadata, and fills the step summary', async () => {
    const a = write('s1.json', shard(1, 1, [finding('svc/a/go.mod', 2)], 1));
    const summary = path.join(dir, 'step-summary.md');
    const ctx = fakeContext(dir, { GITHUB_STEP_SUMMARY: summary });
    assert.equal(await main(['merge', a, '--format', 'github', '--format', 'sarif=out/modguard.sarif'], ctx), 1, ctx.err());
    assert.equal(ctx.out(), '::error file=svc/a/go.mod,line=2,col=2,title=modguard anchor-mismatch::pin differs at svc/a/go.mod:2\n::notice title=modguard::graph rules skipped\n1 error, 0 warnings, 0 infos in 1 module\n');
    const log = JSON.parse(readFileSync(path.join(dir, 'out/modguard.sarif'), 'utf8'));
    const ids = log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    for (const r of rules) assert.ok(ids.includes(r.meta.id), `SARIF describes ${r.meta.id}`);
    const anchor = log.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'anchor-mismatch');
    assert.equal(anchor.fullDescription.text, rules.find((r) => r.meta.id === 'anchor-mismatch')!.meta.description);
    assert.equal(log.runs[0].results.length, 1);
    assert.match(readFileSync(summary, 'utf8'), /^## modguard\n\n\*\*1 error, 0 warnings, 0 infos in 1 module\*\*\n/);
  });

  it('exits 2 naming the file for unreadable, invalid or incomplete input', async () => {
    const good = write('s1.json', shard(1, 2, [], 1));
    write('bad.json', '{"version": 1,\n "root": }');
    write('other.json', JSON.stringify({ version: 1, root: '/r', findings: [{ rule: 'x' }], summary: {} }));
    const cases: Array<[string[], RegExp]> = [
      [['merge', 'nope.json'], /^modguard: nope\.json: cannot read: no such file\n$/],
      [['merge', 'bad.json'], /^modguard: bad\.json: invalid JSON at line 2, column 10: /],
      [['merge', 'other.json'], /^modguard: other\.json: not a modguard JSON result \(version 1\): findings\[0\]\.severity: /],
      [['merge', good], /^modguard: missing shard result 2\/2: a merged result must cover every shard\n$/],
      [['merge', good, '--format', 'yaml'], /^modguard: --format yaml: unknown format "yaml"/],
      [['merge'], /missing required argument 'files'/],
    ];
    for (const [argv, re] of cases) {
      const ctx = fakeContext(dir);
      assert.equal(await main(argv, ctx), 2, `${argv.join(' ')}: ${ctx.err()}`);
      assert.match(ctx.err(), re);
      assert.equal(ctx.out(), '');
    }
  });

  it('merges `check --shard K/N` runs into what one `check` prints', async function () {
    this.timeout(60_000);
    const help = fakeContext(dir);
    await main(['check', '--help'], help);
    if (!help.out().includes('--shard')) {
      console.log('      skipped: `check --shard K/N` is not wired into the check command yet');
      this.skip();
    }
    const repo = path.join(dir, 'repo');
    mkdirSync(repo);
    // A repository-wide problem (anchor.lock) that every shard reports, and per-module findings.
    writeFileSync(path.join(repo, 'anchor.lock'), 'go 1.22\nanchor golang.org/x/net v0.24.0\nnot-a-directive x\n');
    // go.sum files whose hashes disagree across shards, a broken go.sum line, and graph files that
    // pull x/net above the pin: shards read other modules' go.sum and graph files only in part.
    const hash = (c: string) => `h1:${c.repeat(43)}=`;
    for (let i = 0; i < 12; i++) {
      mkdirSync(path.join(repo, `svc/m${i}`), { recursive: true });
      writeFileSync(path.join(repo, `svc/m${i}/go.mod`), `module example.com/svc/m${i}\n\ngo 1.2${i % 3}\n\nrequire golang.org/x/net v0.2${i % 5}.0\n`);
      writeFileSync(path.join(repo, `svc/m${i}/go.sum`), [
        `golang.org/x/net v0.2${i % 5}.0 ${hash(i % 4 === 1 ? 'B' : 'A')}`,
        `golang.org/x/text v0.14.0 ${hash(i === 7 ? 'D' : 'C')}`,
        ...(i === 5 ? ['not a go.sum line'] : []),
      ].join('\n') + '\n');
      writeFileSync(path.join(repo, `svc/m${i}/graph.txt`),
        `example.com/svc/m${i} golang.org/x/net@v0.2${i % 5}.0\nexample.com/svc/m${i} example.com/lib@v1.0.0\nexample.com/lib@v1.0.0 golang.org/x/net@v0.2${(i + 2) % 6}.0\n`);
    }
    // Workspaces: one using two modules and a stale directory, on an older go line, with a
    // go.work.sum at odds with a go.sum; one using no module at all, with a line Go rejects (no
    // module of it is in any shard, so a shard of its own directory reports it).
    writeFileSync(path.join(repo, 'go.work'), 'go 1.20\n\nuse (\n\t./svc/m0\n\t./svc/m1\n\t./svc/gone\n)\n');
    writeFileSync(path.join(repo, 'go.work.sum'), `golang.org/x/text v0.14.0 ${hash('E')}\n`);
    mkdirSync(path.join(repo, 'ws'));
    writeFileSync(path.join(repo, 'ws/go.work'), 'go 1.22\n\nuse ./nothing\nbogus\n');
    const run = async (argv: string[]) => {
      const ctx = fakeContext(dir);
      const code = await main(argv, ctx);
      assert.ok(code === 0 || code === 1, `${argv.join(' ')}: exit ${code}: ${ctx.err()}`);
      return { code, out: ctx.out() };
    };
    const whole = await run(['check', '--root', repo, '--graph-file', 'graph.txt', '--format', 'json']);
    const rules = new Set((JSON.parse(whole.out) as { findings: Array<{ rule: string }> }).findings.map((f) => f.rule));
    for (const rule of ['gosum-hash-conflict', 'anchor-drift', 'parse-error', 'broken-workspace']) assert.ok(rules.has(rule), `${rule} in ${[...rules].join(', ')}`);
    const inWs = (JSON.parse(whole.out) as { findings: Array<{ file: string }> }).findings.filter((f) => f.file === 'ws/go.work');
    assert.ok(inWs.length >= 2, whole.out);
    const files: string[] = [];
    const trees = new Set<string>();
    for (let k = 1; k <= 3; k++) {
      files.push(`shard-${k}.json`);
      await run(['check', '--root', repo, '--graph-file', 'graph.txt', '--shard', `${k}/3`, '--format', `json=shard-${k}.json`]);
      const { tree, ...shard } = JSON.parse(readFileSync(path.join(dir, `shard-${k}.json`), 'utf8')).shard;
      assert.deepEqual(shard, { index: k, count: 3 });
      assert.match(tree, /^[0-9a-f]{16}$/);
      trees.add(tree);
    }
    // Every shard of one run names the same tree.
    assert.equal(trees.size, 1);
    const merged = await run(['merge', ...files, '--format', 'json']);
    assert.equal(merged.out, whole.out);
    assert.equal(merged.code, whole.code);
  });
});
