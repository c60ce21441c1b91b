import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isHistoryFile, parseSince, pickPoints, readHistoryDir, writeHistorySnapshot, historyFileName, slimSnapshot } from '../../src/report/history.ts';
import { gunzipSync } from 'node:zlib';
import { UsageError } from '../../src/commands/context.ts';
import { today, yesterday } from './fixtures.ts';

describe('report/history', () => {
  const now = new Date('2026-03-10T15:00:00Z');

  it('reads --since as days, weeks, a date or a ref', () => {
    assert.deepEqual(parseSince('30d', now), { kind: 'date', since: new Date('2026-02-08T00:00:00Z'), text: '30d' });
    assert.deepEqual(parseSince('2w', now), { kind: 'date', since: new Date('2026-02-24T00:00:00Z'), text: '2w' });
    assert.deepEqual(parseSince('2026-01-31', now), { kind: 'date', since: new Date('2026-01-31T00:00:00Z'), text: '2026-01-31' });
    assert.deepEqual(parseSince('origin/main', now), { kind: 'ref', ref: 'origin/main' });
    assert.deepEqual(parseSince('v1.2.0', now), { kind: 'ref', ref: 'v1.2.0' });
  });

  it('rejects a ref that git would read as an option, and impossible dates', () => {
    assert.throws(() => parseSince('--output=/tmp/x', now), (e: Error) => e instanceof UsageError && /must not start with "-"/.test(e.message));
    assert.throws(() => parseSince('-n1', now), UsageError);
    assert.throws(() => parseSince('2026-02-30', now), /not a valid date/);
    assert.throws(() => parseSince('a..b', now), UsageError);
    assert.throws(() => parseSince('', now), UsageError);
    assert.throws(() => parseSince('0d', now), UsageError);
  });

  it('picks the last commit of each day, or every N-th from the newest', () => {
    const commits = [
      { sha: 'a', date: '2026-03-01T09:00:00.000Z' },
      { sha: 'b', date: '2026-03-01T17:00:00.000Z' },
      { sha: 'c', date: '2026-03-02T10:00:00.000Z' },
      { sha: 'd', date: '2026-03-04T08:00:00.000Z' },
      { sha: 'e', date: '2026-03-04T23:59:00.000Z' },
    ];
    assert.deepEqual(pickPoints(commits).map((c) => c.sha), ['b', 'c', 'e']);
    assert.deepEqual(pickPoints(commits, 2).map((c) => c.sha), ['a', 'c', 'e']);
    assert.deepEqual(pickPoints(commits, 1).map((c) => c.sha), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(pickPoints([], 3), []);
  });

  it('reads only the files a snapshot needs', () => {
    const opts = { anchorsFile: 'anchor.lock', graphFile: 'graph.txt' };
    assert.ok(isHistoryFile('svc/a/go.mod', opts));
    assert.ok(isHistoryFile('go.work', opts));
    assert.ok(isHistoryFile('svc/a/go.sum', opts));
    assert.ok(isHistoryFile('svc/a/graph.txt', opts));
    assert.ok(isHistoryFile('anchor.lock', opts));
    assert.ok(!isHistoryFile('svc/a/main.go', opts));
    assert.ok(!isHistoryFile('vendor/x/go.mod', opts));
    assert.ok(!isHistoryFile('svc/testdata/go.mod', opts));
    assert.ok(!isHistoryFile('.git/go.mod', opts));
    assert.ok(!isHistoryFile('svc/a/graph.txt', { anchorsFile: 'anchor.lock' }));
    // A graph file named by a path below each module.
    const deps = { anchorsFile: 'anchor.lock', graphFile: 'deps/graph.txt' };
    assert.ok(isHistoryFile('svc/a/deps/graph.txt', deps));
    assert.ok(isHistoryFile('deps/graph.txt', deps));
    assert.ok(!isHistoryFile('svc/a/graph.txt', deps));
    assert.ok(!isHistoryFile('svc/a/xdeps/graph.txt', deps));
  });

  describe('history folder', () => {
    let dir: string;
    beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'modguard-history-')); });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('writes one gzip file per day and reads them back, skipping what is not a snapshot', async () => {
      const file = await writeHistorySnapshot(dir, yesterday());
      assert.equal(path.basename(file), 'report-2026-03-09.json.gz');
      await writeHistorySnapshot(dir, today());
      writeFileSync(path.join(dir, 'report-2026-03-01.json'), '{"schemaVersion": 99}');
      writeFileSync(path.join(dir, 'report-2026-03-02.json'), 'not json');
      writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
      const read = await readHistoryDir(dir);
      assert.deepEqual(read.snapshots.map((s) => s.date), ['2026-03-09T02:00:00.000Z', '2026-03-10T02:00:00.000Z']);
      assert.equal(read.warnings.length, 2);
      assert.match(read.warnings[0]!, /report-2026-03-01\.json: not a modguard snapshot/);
      assert.match(read.warnings[1]!, /report-2026-03-02\.json: .*skipped/);
      assert.equal(gunzipSync(readFileSync(path.join(dir, historyFileName(today())))).toString('utf8'), JSON.stringify(today()));
      assert.ok(readdirSync(dir).every((n) => !n.endsWith('.tmp')));
    });

    it('reads plain .json snapshots too, and slims all but the newest days', async () => {
      const old = { ...yesterday(), date: '2026-03-01T02:00:00.000Z' };
      writeFileSync(path.join(dir, 'report-2026-03-01.json'), JSON.stringify(old));
      await writeHistorySnapshot(dir, yesterday());
      await writeHistorySnapshot(dir, today());
      const read = await readHistoryDir(dir, 2);
      assert.deepEqual(read.warnings, []);
      assert.deepEqual(read.snapshots.map((s) => [s.date.slice(0, 10), s.slim === true, s.findings.length]),
        [['2026-03-01', true, 0], ['2026-03-09', false, 4], ['2026-03-10', false, 5]]);
      assert.deepEqual(read.snapshots[0]!.headline, old.headline, 'a slim point keeps its numbers');
      assert.deepEqual(slimSnapshot(today()).rules, today().rules);
    });

    it('given today, leaves today\'s file unread and keeps whole only the newest days before it', async () => {
      const at = (day: string) => ({ ...yesterday(), date: `${day}T02:00:00.000Z` });
      for (const day of ['2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09']) await writeHistorySnapshot(dir, at(day));
      await writeHistorySnapshot(dir, today()); // 2026-03-10, the day of this run
      await writeHistorySnapshot(dir, at('2026-03-11')); // a clock ahead
      const read = await readHistoryDir(dir, 1, '2026-03-10');
      assert.deepEqual(read.warnings, []);
      assert.deepEqual(read.snapshots.map((s) => [s.date.slice(0, 10), s.slim === true]),
        [['2026-03-06', true], ['2026-03-07', true], ['2026-03-08', true], ['2026-03-09', false], ['2026-03-11', true]]);
      assert.deepEqual((await readHistoryDir(dir, 2, '2026-03-10')).snapshots.filter((s) => !s.slim).map((s) => s.date.slice(0, 10)), ['2026-03-08', '2026-03-09']);
      // Whole points as the comparison reads them: their findings, the other lists left empty; slim
      // points as they would be read whole and slimmed.
      const compared = await readHistoryDir(dir, 1, '2026-03-10', true);
      const previous = compared.snapshots.find((s) => !s.slim)!;
      assert.deepEqual(previous, { ...at('2026-03-09'), anchors: [], modules: [], spread: [] });
      assert.ok(previous.findings.length > 0);
      assert.deepEqual(compared.snapshots.filter((s) => s.slim), read.snapshots.filter((s) => s.slim));
      assert.deepEqual(read.snapshots.find((s) => s.date.startsWith('2026-03-06')), slimSnapshot(at('2026-03-06')));
    });

    it('replaces a plain .json of the same day when it writes', async () => {
      writeFileSync(path.join(dir, 'report-2026-03-10.json'), JSON.stringify(yesterday()));
      await writeHistorySnapshot(dir, today());
      assert.deepEqual(readdirSync(dir), ['report-2026-03-10.json.gz']);
    });

    it('treats a missing folder as an empty history', async () => {
      assert.deepEqual(await readHistoryDir(path.join(dir, 'none')), { snapshots: [], warnings: [] });
    });
  });
});
