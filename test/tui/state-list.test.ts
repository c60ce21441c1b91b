import assert from 'node:assert/strict';
import { buildRows, createListState, findingKey, listReducer, narrows, selectedFindings, selectedRow, type ListState } from '../../src/tui/state/list.ts';
import fc from 'fast-check';
import { syntheticFindings } from '../../src/tui/demo.ts';
import { FINDINGS } from './fixtures.ts';

const labels = (s: ListState) => s.rows.map((r) => (r.kind === 'group' ? `# ${r.label} ${r.findings.length}` : `${r.finding.file}:${r.finding.line}`));
const apply = (s: ListState, ...actions: Parameters<typeof listReducer>[1][]) => actions.reduce(listReducer, s);

describe('tui/state/list', () => {
  it('groups by rule, errors first, with counts', () => {
    const s = createListState(FINDINGS, 20);
    assert.deepEqual(labels(s), [
      '# anchor-mismatch 3', 'svc/a/go.mod:5', 'svc/b/go.mod:7', 'svc/b/go.mod:8',
      '# go-version-drift 1', 'svc/a/go.mod:3',
      '# version-divergence 1', 'svc/c/go.mod:6',
    ]);
    assert.equal(s.shown, 5);
  });

  it('Tab cycles rule, module, dependency and keeps the selected finding', () => {
    let s = apply(createListState(FINDINGS, 20), { type: 'move', delta: 3 });
    assert.equal(selectedRow(s)?.key, findingKey(FINDINGS[2]!));
    s = listReducer(s, { type: 'cycle-group' });
    assert.equal(s.groupBy, 'module');
    assert.deepEqual(labels(s).filter((l) => l.startsWith('#')), ['# example.com/svc/a 2', '# example.com/svc/b 2', '# example.com/svc/c 1']);
    assert.equal(selectedRow(s)?.key, findingKey(FINDINGS[2]!));
    s = listReducer(s, { type: 'cycle-group' });
    assert.equal(s.groupBy, 'dependency');
    assert.deepEqual(labels(s).filter((l) => l.startsWith('#')), ['# golang.org/x/net 2', '# google.golang.org/grpc 1', '# (none) 1', '# github.com/stretchr/testify 1']);
    assert.equal(listReducer(s, { type: 'cycle-group' }).groupBy, 'rule');
  });

  it('collapses and expands the group under the cursor, from a finding too', () => {
    let s = apply(createListState(FINDINGS, 20), { type: 'move', delta: 2 }, { type: 'toggle-group' });
    assert.deepEqual(labels(s).slice(0, 2), ['# anchor-mismatch 3', '# go-version-drift 1']);
    assert.equal(s.cursor, 0, 'the cursor lands on the collapsed group');
    s = listReducer(s, { type: 'toggle-group' });
    assert.equal(s.rows.length, 8);
    s = apply(s, { type: 'move', delta: 1 }, { type: 'collapse' });
    assert.equal(s.cursor, 0, 'left on a finding goes to its group');
    s = apply(s, { type: 'collapse' }, { type: 'expand' });
    assert.equal(s.rows.length, 8);
  });

  it('filters by words over rule, module, dependency and file; keeps totals', () => {
    let s = listReducer(createListState(FINDINGS, 20), { type: 'set-filter', filter: 'svc/b GRPC' });
    assert.deepEqual(labels(s), ['# anchor-mismatch 1', 'svc/b/go.mod:8']);
    assert.equal(s.shown, 1);
    assert.equal(s.findings.length, 5);
    s = listReducer(s, { type: 'set-filter', filter: 'nothing-like-this' });
    assert.deepEqual(s.rows, []);
    assert.equal(selectedRow(s), undefined);
    assert.deepEqual(selectedFindings(s), []);
  });

  it('s cycles the minimum severity: info, warning, error', () => {
    let s = listReducer(createListState(FINDINGS, 20), { type: 'cycle-severity' });
    assert.equal(s.minSeverity, 'warning');
    assert.equal(s.shown, 4);
    s = listReducer(s, { type: 'cycle-severity' });
    assert.equal(s.minSeverity, 'error');
    assert.equal(s.shown, 3);
    assert.equal(listReducer(s, { type: 'cycle-severity' }).shown, 5);
  });

  it('scrolls the viewport with the cursor, pages and jumps to the ends', () => {
    let s = createListState(syntheticFindings(1000), 10);
    assert.equal(s.rows.length > 1000, true);
    s = listReducer(s, { type: 'move', delta: 12 });
    assert.deepEqual([s.cursor, s.top], [12, 3]);
    s = listReducer(s, { type: 'page', direction: 1 });
    assert.deepEqual([s.cursor, s.top], [21, 12]);
    s = listReducer(s, { type: 'page', direction: -1 });
    assert.deepEqual([s.cursor, s.top], [12, 3]);
    s = listReducer(s, { type: 'last' });
    assert.deepEqual([s.cursor, s.top], [s.rows.length - 1, s.rows.length - 10]);
    s = listReducer(s, { type: 'move', delta: 5 });
    assert.equal(s.cursor, s.rows.length - 1, 'stops at the end');
    s = listReducer(s, { type: 'first' });
    assert.deepEqual([s.cursor, s.top], [0, 0]);
    assert.equal(listReducer(s, { type: 'move', delta: -1 }), s, 'no change at the top');
  });

  it('a resize keeps the cursor in view', () => {
    let s = apply(createListState(syntheticFindings(200), 20), { type: 'move', delta: 19 });
    assert.equal(s.top, 0);
    s = listReducer(s, { type: 'resize', height: 5 });
    assert.deepEqual([s.cursor, s.top, s.height], [19, 15, 5]);
  });

  it('removing a finding keeps the cursor in place and updates the group counts', () => {
    let s = apply(createListState(FINDINGS, 20), { type: 'move', delta: 2 });
    s = listReducer(s, { type: 'remove-findings', keys: [findingKey(FINDINGS[1]!)] });
    assert.deepEqual(labels(s).slice(0, 3), ['# anchor-mismatch 2', 'svc/a/go.mod:5', 'svc/b/go.mod:8']);
    assert.equal(s.cursor, 2);
    assert.equal(s.findings.length, 4);
  });

  it('new data keeps the selection by identity', () => {
    let s = apply(createListState(FINDINGS, 20), { type: 'last' });
    const before = selectedRow(s)?.key;
    s = listReducer(s, { type: 'set-findings', findings: [...FINDINGS].reverse().map((f) => ({ ...f })) });
    assert.equal(selectedRow(s)?.key, before);
  });

  it('folding a group lays the rows out again from the same groups, as a rebuild from scratch would', () => {
    const findings = syntheticFindings(3_000);
    let s = apply(createListState(findings, 20), { type: 'set-group', groupBy: 'module' }, { type: 'move', delta: 5 });
    const groups = s.groups;
    for (const action of [{ type: 'toggle-group' }, { type: 'last' }, { type: 'collapse' }, { type: 'collapse' }, { type: 'first' }, { type: 'expand' }] as const) {
      s = listReducer(s, action);
      assert.equal(s.groups, groups, `${action.type} keeps the groups`);
      assert.deepEqual(s.rows, buildRows(s.findings, 'module', '', 'info', s.collapsed).rows, action.type);
    }
    assert.ok(s.collapsed.size > 0);
    // The rows of a finding are the same objects before and after a fold (their keys stay put).
    const reopened = apply(s, { type: 'first' }, { type: 'expand' });
    assert.equal(reopened.rows.find((r) => r.kind === 'finding'), groups[0]!.rows[0]);
    // What the view shows changes the groups.
    assert.notEqual(listReducer(s, { type: 'cycle-severity' }).groups, groups);
    assert.notEqual(listReducer(s, { type: 'set-filter', filter: 'svc' }).groups, groups);
  });

  it('a filter typed further, looked for only among what the shorter one showed, shows what a rebuild from scratch shows', () => {
    const findings = syntheticFindings(800, 7);
    const letters = fc.constantFrom('s', 'v', 'c', 'a', 'e', 'r', 'g', 'o', '/', '.', ' ', 'M', 'x', '1');
    fc.assert(fc.property(fc.array(fc.oneof(letters, fc.constant('\b')), { maxLength: 12 }), fc.constantFrom('rule', 'module', 'dependency'), fc.constantFrom('info', 'warning'), (keys, groupBy, severity) => {
      let s = listReducer(createListState(findings, 20), { type: 'set-group', groupBy: groupBy as 'rule' });
      while (s.minSeverity !== severity) s = listReducer(s, { type: 'cycle-severity' });
      let filter = '';
      for (const k of keys) {
        filter = k === '\b' ? filter.slice(0, -1) : filter + k;
        s = listReducer(s, { type: 'set-filter', filter });
        const fresh = buildRows(s.findings, s.groupBy, filter, s.minSeverity, s.collapsed);
        assert.deepEqual(s.rows, fresh.rows, JSON.stringify(filter));
        assert.equal(s.shown, fresh.shown);
      }
    }), { numRuns: 150 });
    assert.ok(narrows('se', 'ser') && narrows('Se', 'sEr v') && narrows('a ', 'a b'));
    assert.ok(!narrows('', 'a') && !narrows(' ', 'a') && !narrows('ser', 'se') && !narrows('ab', 'a b'));
  });

  it('buildRows handles 10,000 findings with every group collapsed', () => {
    const findings = syntheticFindings(10_000);
    const open = buildRows(findings, 'module', '', 'info', new Set());
    const heads = open.rows.filter((r) => r.kind === 'group').map((r) => r.key);
    const closed = buildRows(findings, 'module', '', 'info', new Set(heads));
    assert.equal(open.shown, 10_000);
    assert.equal(closed.rows.length, heads.length);
  });
});
