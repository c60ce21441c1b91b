import assert from 'node:assert/strict';
import { createReviewState, reviewReducer, type ReviewAction, type ReviewState } from '../../src/tui/state/review.ts';
import { createPrompt, promptReducer } from '../../src/tui/state/prompt.ts';
import { selectedRow } from '../../src/tui/state/list.ts';
import type { FixProposal } from '../../src/tui/types.ts';
import { FINDINGS } from './fixtures.ts';

const run = (s: ReviewState, ...actions: ReviewAction[]) => actions.reduce(reviewReducer, s);
const loaded = () => run(createReviewState(20), {
  type: 'loaded', data: { repository: '/repo', moduleCount: 3, findings: FINDINGS, notices: [] },
});

describe('tui/state/prompt', () => {
  it('edits at the cursor and drops control characters', () => {
    let p = createPrompt('ac');
    p = promptReducer(p, { type: 'left' });
    p = promptReducer(p, { type: 'insert', text: 'b\n\u001b' });
    assert.deepEqual(p, { value: 'abc', cursor: 2 });
    p = promptReducer(p, { type: 'backspace' });
    assert.deepEqual(p, { value: 'ac', cursor: 1 });
    p = promptReducer(p, { type: 'delete' });
    assert.deepEqual(p, { value: 'a', cursor: 1 });
    assert.equal(promptReducer(p, { type: 'right' }), p);
    assert.deepEqual(promptReducer(p, { type: 'home' }), { value: 'a', cursor: 0 });
    assert.deepEqual(promptReducer(p, { type: 'clear' }), { value: '', cursor: 0 });
  });
});

describe('tui/state/review', () => {
  it('loads with progress, then counts findings by severity', () => {
    let s = run(createReviewState(20), { type: 'progress', progress: { modulesParsed: 2, modulesTotal: 3 } }, { type: 'progress', progress: { graphsRead: 1 } });
    assert.equal(s.phase, 'loading');
    assert.deepEqual(s.progress, { modulesParsed: 2, modulesTotal: 3, graphsRead: 1 });
    s = loaded();
    assert.equal(s.phase, 'ready');
    assert.deepEqual(s.totals, { error: 3, warning: 1, info: 1 });
    assert.equal(s.list.rows.length, 8);
  });

  it('a failed first load fails the screen; a failed reload only says so', () => {
    assert.equal(run(createReviewState(), { type: 'load-failed', error: 'boom' }).phase, 'failed');
    const s = run(loaded(), { type: 'reload-started' }, { type: 'load-failed', error: 'boom' });
    assert.equal(s.phase, 'ready');
    assert.equal(s.reloading, false);
    assert.match(s.status!.text, /reload failed: boom/);
  });

  it('the filter follows the prompt as typed; Esc restores the previous filter, Enter keeps it', () => {
    let s = run(loaded(), { type: 'open-filter' }, { type: 'filter-edit', action: { type: 'insert', text: 'grpc' } });
    assert.equal(s.mode.kind, 'filter');
    assert.equal(s.list.shown, 1);
    s = run(s, { type: 'filter-cancel' });
    assert.deepEqual([s.mode.kind, s.list.filter, s.list.shown], ['list', '', 5]);
    s = run(s, { type: 'open-filter' }, { type: 'filter-edit', action: { type: 'insert', text: 'svc/b' } }, { type: 'filter-submit' });
    assert.deepEqual([s.mode.kind, s.list.filter, s.list.shown], ['list', 'svc/b', 2]);
    assert.equal(s.totals.error, 3, 'the header totals cover the whole repository');
  });

  it('a fix outcome removes the resolved findings and updates the totals', () => {
    const proposal: FixProposal = { title: 't', patches: [], diff: 'a\nb\nc\n', skipped: [], followUp: [] };
    let s = run(loaded(), { type: 'list', action: { type: 'move', delta: 1 } }, { type: 'propose-fix', proposal });
    assert.equal(s.mode.kind, 'confirm-fix');
    s = run(s, { type: 'scroll-diff', delta: 10 });
    assert.equal(s.mode.kind === 'confirm-fix' && s.mode.scroll, 3);
    s = run(s, { type: 'busy', text: 'writing' }, { type: 'outcome', outcome: { ok: true, message: 'Fixed 1 finding.', resolved: [FINDINGS[0]!] } });
    assert.equal(s.mode.kind, 'list');
    assert.deepEqual(s.status, { kind: 'success', text: 'Fixed 1 finding.' });
    assert.deepEqual(s.totals, { error: 2, warning: 1, info: 1 });
    const row = selectedRow(s.list);
    assert.equal(row?.kind === 'finding' && row.finding.file, 'svc/b/go.mod', 'the next finding moves under the cursor');
  });

  it('the ignore prompt keeps its finding and shows a validation error', () => {
    let s = run(loaded(), { type: 'open-ignore', finding: FINDINGS[3]! }, { type: 'ignore-invalid', error: 'a reason is required' });
    assert.equal(s.mode.kind === 'ignore' && s.mode.error, 'a reason is required');
    s = run(s, { type: 'ignore-edit', action: { type: 'insert', text: 'x' } });
    assert.equal(s.mode.kind === 'ignore' && s.mode.error, undefined, 'typing clears the error');
    assert.equal(s.mode.kind === 'ignore' && s.mode.finding, FINDINGS[3]);
    assert.equal(run(s, { type: 'close-overlay' }).mode.kind, 'list');
  });
});
