import { strict as assert } from 'node:assert';
import { diffSnapshots, mergeHistory, previousOf, trendSeries, dayOf } from '../../src/report/delta.ts';
import { F, today, yesterday } from './fixtures.ts';

describe('report/delta', () => {
  it('lists new and resolved findings by key, errors first', () => {
    const d = diffSnapshots(yesterday(), today());
    assert.deepEqual(d.newFindings.map((f) => f.key), [F.banC.key, F.evil.key, F.spreadUuid.key]);
    assert.deepEqual(d.resolvedFindings.map((f) => f.key), [F.netC.key, F.goD.key]);
    assert.equal(d.change.findings, 1);
    assert.equal(d.change.anchorsConverged, 1);
    assert.equal(d.change.modulesOffPin, -1);
    assert.deepEqual(d.previous, { date: '2026-03-09T02:00:00.000Z', commit: '1111111111111111111111111111111111111111' });
  });

  it('does not call a finding new when only its line moved', () => {
    const y = yesterday();
    const t = yesterday();
    t.date = '2026-03-10T02:00:00.000Z';
    t.findings = t.findings.map((f) => ({ ...f, line: f.line + 10 }));
    const d = diffSnapshots(y, t);
    assert.equal(d.newFindings.length, 0);
    assert.equal(d.resolvedFindings.length, 0);
  });

  it('has nothing to compare for a first snapshot', () => {
    const d = diffSnapshots(undefined, today());
    assert.equal(d.previous, undefined);
    assert.deepEqual([d.newFindings.length, d.resolvedFindings.length, d.change.findings], [0, 0, 0]);
  });

  it('keeps one snapshot per UTC day, the latest, oldest first', () => {
    const a = yesterday();
    const b = { ...yesterday(), date: '2026-03-09T23:30:00.000Z' };
    const c = today();
    const merged = mergeHistory([c, b, a]);
    assert.deepEqual(merged.map((s) => s.date), ['2026-03-09T23:30:00.000Z', '2026-03-10T02:00:00.000Z']);
    const series = trendSeries([c, a]);
    assert.deepEqual(series.map((p) => [dayOf(p.date), p.findings, p.errors]), [['2026-03-09', 4, 3], ['2026-03-10', 5, 4]]);
  });

  it('compares with the latest earlier day, never with today', () => {
    const t = today();
    const againToday = { ...today(), date: '2026-03-10T01:00:00.000Z' };
    assert.equal(previousOf([yesterday(), againToday], t)?.date, '2026-03-09T02:00:00.000Z');
    assert.equal(previousOf([againToday], t), undefined);
  });
});
