import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { main } from '../../src/cli.ts';
import { runReport } from '../../src/commands/report-run.ts';
import { UsageError } from '../../src/commands/context.ts';
import type { Snapshot } from '../../src/report/snapshot.ts';
import { fakeContext } from '../support/context.ts';
import { tempGitRepo, type TempRepo } from '../support/git-repo.ts';

const GRPC = 'google.golang.org/grpc';
const NET = 'golang.org/x/net';
const UUID = 'github.com/google/uuid';

function goMod(module: string, requires: Array<[string, string]>): string {
  return `module ${module}\n\ngo 1.22\n\nrequire (\n${requires.map(([p, v]) => `\t${p} ${v}\n`).join('')})\n`;
}

const LOCK = `go 1.22\n\nanchor (\n\t${GRPC} v1.64.0 // owner: rpc-platform\n\t${NET} v0.24.0\n)\n`;
const LOCK_WITH_BAN = `${LOCK}\nban github.com/pkg/errors // use fmt.Errorf with %w\n`;

/**
 * history writes a monorepo over five days (one commit per day, two on the first, none on the
 * fourth) and returns the commit of each step:
 *   03-01 09:00  a, b, c; a and b on grpc v1.62.0, b on x/net v0.22.0
 *   03-01 18:00  d joins with uuid v1.3.0 (a has v1.6.0)
 *   03-02        a moves to grpc v1.64.0
 *   03-03        b moves to x/net v0.24.0; pkg/errors banned, c requires it
 *   03-05        b moves to grpc v1.64.0; e joins on grpc v1.60.0
 */
function buildHistory(repo: TempRepo): Record<string, string> {
  const c: Record<string, string> = {};
  repo.write({
    'anchor.lock': LOCK,
    'svc/a/go.mod': goMod('example.com/svc/a', [[GRPC, 'v1.62.0'], [UUID, 'v1.6.0']]),
    'svc/b/go.mod': goMod('example.com/svc/b', [[GRPC, 'v1.62.0'], [NET, 'v0.22.0']]),
    'svc/c/go.mod': goMod('example.com/svc/c', [[GRPC, 'v1.64.0']]),
    'svc/c/main.go': 'package main\n',
  });
  c.day1a = repo.commit('start', '2026-03-01T09:00:00Z');
  repo.write({ 'lib/d/go.mod': goMod('example.com/lib/d', [[UUID, 'v1.3.0']]) });
  c.day1b = repo.commit('add d', '2026-03-01T18:00:00Z');
  repo.write({ 'svc/a/go.mod': goMod('example.com/svc/a', [[GRPC, 'v1.64.0'], [UUID, 'v1.6.0']]) });
  c.day2 = repo.commit('a to the pin', '2026-03-02T10:00:00Z');
  repo.write({
    'anchor.lock': LOCK_WITH_BAN,
    'svc/b/go.mod': goMod('example.com/svc/b', [[GRPC, 'v1.62.0'], [NET, 'v0.24.0']]),
    'svc/c/go.mod': goMod('example.com/svc/c', [[GRPC, 'v1.64.0'], ['github.com/pkg/errors', 'v0.9.1']]),
  });
  c.day3 = repo.commit('b x/net to the pin, ban pkg/errors', '2026-03-03T11:00:00Z');
  repo.write({
    'svc/b/go.mod': goMod('example.com/svc/b', [[GRPC, 'v1.64.0'], [NET, 'v0.24.0']]),
    'svc/e/go.mod': goMod('example.com/svc/e', [[GRPC, 'v1.60.0']]),
  });
  c.day5 = repo.commit('b to the pin, add e', '2026-03-05T16:00:00Z');
  return c;
}

function readJson(file: string): Snapshot {
  const raw = readFileSync(file);
  return JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as Snapshot;
}

describe('modguard report', function () {
  this.timeout(60_000);
  let repo: TempRepo;
  let commits: Record<string, string>;
  beforeEach(() => {
    repo = tempGitRepo('modguard-report-');
    commits = buildHistory(repo);
  });
  afterEach(() => repo.cleanup());

  it('writes report.json, report.html and report.md with the numbers of the head commit', async () => {
    const ctx = fakeContext(repo.dir);
    const code = await runReport({ out: 'out', now: new Date('2026-03-05T20:00:00Z') }, ctx);
    assert.equal(code, 0, ctx.err());
    const s = readJson(path.join(repo.dir, 'out', 'report.json'));
    // Written in pieces, the text is JSON.stringify's, indented by two.
    assert.equal(readFileSync(path.join(repo.dir, 'out', 'report.json'), 'utf8'), `${JSON.stringify(s, null, 2)}\n`);
    assert.equal(s.schemaVersion, 1);
    assert.equal(s.commit, commits.day5);
    assert.equal(s.date, '2026-03-05T20:00:00.000Z');
    assert.equal(s.headline.modules, 5);
    const grpc = s.anchors.find((a) => a.path === GRPC)!;
    assert.deepEqual(grpc.direct.versions, [
      { version: 'v1.64.0', relation: 'on', modules: ['example.com/svc/a', 'example.com/svc/b', 'example.com/svc/c'] },
      { version: 'v1.60.0', relation: 'below', modules: ['example.com/svc/e'] },
    ]);
    const net = s.anchors.find((a) => a.path === NET)!;
    assert.equal(net.converged, true);
    assert.equal(s.headline.anchorsConverged, 1);
    assert.equal(s.headline.modulesOffPin, 1);
    assert.equal(s.rules['anchor-mismatch']?.total, 1);
    assert.equal(s.rules['banned-module']?.total, 1);
    assert.deepEqual(s.spread.map((d) => [d.path, d.versions.map((v) => v.version)]), [[UUID, ['v1.6.0', 'v1.3.0']]]);
    const e = s.modules.find((m) => m.path === 'example.com/svc/e')!;
    assert.deepEqual(e.findings, [`anchor-mismatch|svc/e/go.mod|${GRPC}|${s.findings.find((f) => f.module === 'example.com/svc/e')!.messageId}`]);
    assert.ok(existsSync(path.join(repo.dir, 'out', 'report.html')));
    assert.match(readFileSync(path.join(repo.dir, 'out', 'report.md'), 'utf8'), /^## modguard drift report, 2026-03-05/);
    assert.match(ctx.out(), /modguard report: 5 modules, \d+ findings/);
    assert.deepEqual(readdirSync(path.join(repo.dir, 'out')).sort(), ['report.html', 'report.json', 'report.md']);
  });

  it('--since builds one point per day from git, the last commit of each day, and compares with the day before', async () => {
    const ctx = fakeContext(repo.dir);
    const code = await runReport({ out: 'out', since: '2026-03-01', now: new Date('2026-03-05T20:00:00Z') }, ctx);
    assert.equal(code, 0, ctx.err());
    const html = readFileSync(path.join(repo.dir, 'out', 'report.html'), 'utf8');
    const dates = [...html.matchAll(/data-point="\d+" data-date="([^"]+)"/g)].map((m) => m[1]);
    // Four days with commits; today's live snapshot takes the place of 03-05's point.
    assert.deepEqual(dates, ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-05']);
    const md = readFileSync(path.join(repo.dir, 'out', 'report.md'), 'utf8');
    // Since 03-03: b's grpc mismatch resolved, e's new.
    assert.match(md, /Since 2026-03-03: \*\*1 new\*\*, \*\*1 resolved\*\*/);
    assert.match(md, /### New \(1\)\n\n- error `anchor-mismatch` `svc\/e\/go\.mod:\d+`/);
    assert.match(md, /### Resolved \(1\)\n\n- error `anchor-mismatch` `svc\/b\/go\.mod:\d+`/);
    assert.match(md, /1\. Remove the banned github\.com\/pkg\/errors from 1 module/);
    assert.match(md, /Move 1 module from google\.golang\.org\/grpc v1\.60\.0 to the pin v1\.64\.0/);
  });

  it('--since with --every N takes every N-th commit counted back from HEAD', async () => {
    const ctx = fakeContext(repo.dir);
    const code = await runReport({ out: 'out', since: commits.day1a!, every: '2', now: new Date('2026-03-09T08:00:00Z') }, ctx);
    assert.equal(code, 0, ctx.err());
    const html = readFileSync(path.join(repo.dir, 'out', 'report.html'), 'utf8');
    const dates = [...html.matchAll(/data-point="\d+" data-date="([^"]+)"/g)].map((m) => m[1]);
    // Commits day1a, day1b, day2, day3, day5: every 2nd from HEAD is day5, day2, day1a; one per day
    // in the chart, plus today's live snapshot.
    assert.deepEqual(dates, ['2026-03-01', '2026-03-02', '2026-03-05', '2026-03-09']);
  });

  it('--history keeps the series between runs and reports what changed', async () => {
    repo.git('checkout', '-q', '-b', 'old', commits.day2!);
    let ctx = fakeContext(repo.dir);
    assert.equal(await runReport({ out: 'out', history: 'hist', now: new Date('2026-03-02T20:00:00Z') }, ctx), 0, ctx.err());
    assert.match(readFileSync(path.join(repo.dir, 'out', 'report.md'), 'utf8'), /First snapshot/);
    repo.git('checkout', '-q', 'main');
    ctx = fakeContext(repo.dir);
    assert.equal(await runReport({ out: 'out', history: 'hist', now: new Date('2026-03-05T20:00:00Z') }, ctx), 0, ctx.err());
    assert.deepEqual(readdirSync(path.join(repo.dir, 'hist')).sort(), ['report-2026-03-02.json.gz', 'report-2026-03-05.json.gz']);
    const before = readJson(path.join(repo.dir, 'hist', 'report-2026-03-02.json.gz'));
    const now = readJson(path.join(repo.dir, 'out', 'report.json'));
    assert.equal(before.commit, commits.day2);
    const beforeKeys = new Set(before.findings.map((f) => f.key));
    const nowKeys = new Set(now.findings.map((f) => f.key));
    const added = now.findings.filter((f) => !beforeKeys.has(f.key)).map((f) => `${f.rule} ${f.file}`).sort();
    const gone = before.findings.filter((f) => !nowKeys.has(f.key)).map((f) => `${f.rule} ${f.file}`).sort();
    assert.deepEqual(added, ['anchor-mismatch svc/e/go.mod', 'banned-module svc/c/go.mod']);
    assert.deepEqual(gone, ['anchor-mismatch svc/b/go.mod', 'anchor-mismatch svc/b/go.mod']);
    const md = readFileSync(path.join(repo.dir, 'out', 'report.md'), 'utf8');
    assert.match(md, /Since 2026-03-02: \*\*2 new\*\*, \*\*2 resolved\*\*/);
    assert.match(ctx.out(), /2 new, 2 resolved since 2026-03-02; 2 points of history/);
  });

  it('rejects bad options with exit code 2', async () => {
    for (const args of [
      ['report', '--out', 'o', '--since', '--upload-pack=x'],
      ['report', '--out', 'o', '--since', '-x'],
      ['report', '--out', 'o', '--since', '30d', '--every', '0'],
      ['report', '--out', 'o', '--every', '3'],
      ['report'],
    ]) {
      const ctx = fakeContext(repo.dir);
      assert.equal(await main(args, ctx), 2, `${args.join(' ')}: ${ctx.err()}`);
      assert.ok(!existsSync(path.join(repo.dir, 'o')), 'nothing written on a usage error');
    }
    await assert.rejects(runReport({ out: 'o', since: 'no-such-branch' }, fakeContext(repo.dir)), (e: Error) => e instanceof UsageError && /cannot find the commit/.test(e.message));
    // An --out or --history that cannot be a directory (a file is in the way) is the user's to fix.
    writeFileSync(path.join(repo.dir, 'taken'), 'a file\n');
    const taken = fakeContext(repo.dir);
    assert.equal(await main(['report', '--out', 'taken/out'], taken), 2, taken.err());
    assert.match(taken.err(), /--out taken\/out: cannot write there: ENOTDIR/, taken.err());
    assert.doesNotMatch(taken.err(), /internal error/);
  });

  it('draws a progress bar on stderr when it is a terminal', async () => {
    const ctx = fakeContext(repo.dir);
    (ctx.stderr as { isTTY?: boolean }).isTTY = true;
    assert.equal(await runReport({ out: 'out', since: '2026-03-01', now: new Date('2026-03-06T08:00:00Z') }, ctx), 0, ctx.err());
    assert.match(ctx.err(), /\r\x1b\[2K\[#{0,24}-{0,24}\] 0\/4 2026-03-01 [0-9a-f]{10}/);
    assert.match(ctx.err(), /\] 3\/4 2026-03-05 /);
    assert.ok(ctx.err().endsWith('\r\x1b[2K'), 'the bar is cleared at the end');
  });

  it('works outside git (no commit) and refuses --since there', async () => {
    const plain = mkdtempSync(path.join(tmpdir(), 'modguard-report-plain-'));
    try {
      writeFileSync(path.join(plain, 'anchor.lock'), LOCK);
      mkdirSync(path.join(plain, 'a'));
      writeFileSync(path.join(plain, 'a', 'go.mod'), goMod('example.com/a', [[GRPC, 'v1.62.0']]));
      const ctx = fakeContext(plain);
      assert.equal(await runReport({ out: 'out', now: new Date('2026-03-05T20:00:00Z') }, ctx), 0, ctx.err());
      const s = readJson(path.join(plain, 'out', 'report.json'));
      assert.equal(s.commit, undefined);
      assert.deepEqual([s.headline.modules, s.headline.modulesOffPin, s.headline.anchorsConverged], [1, 1, 1]);
      await assert.rejects(runReport({ out: 'out', since: '30d' }, fakeContext(plain)), /--since needs a git work tree/);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it('runs from the command line', async () => {
    const ctx = fakeContext(repo.dir);
    assert.equal(await main(['report', '--out', 'cli-out', '--since', '2026-03-01'], ctx), 0, ctx.err());
    assert.ok(existsSync(path.join(repo.dir, 'cli-out', 'report.html')));
    assert.match(ctx.out(), /5 points of history/);
    assert.equal(ctx.err(), '', 'no progress bar when stderr is not a TTY');
  });
});
