import { strict as assert } from 'node:assert';
import { check, formatMessage, messageFor, compareFindings, summarize, INTERNAL_ERROR, MAX_LISTED } from '../../src/engine/run.ts';
import { Listing } from '../../src/engine/listing.ts';
import type { Finding, ReportDescriptor, Repository, Rule, RuleMeta } from '../../src/engine/types.ts';
// The process's one copy of zod, as the rules and the engine use it.
import { zod } from '../../src/util/zod.ts';
import { plainRepo } from '../support/plain-repo.ts';

const z = zod();

function fakeRule(id: string, reports: (repo: Repository, options: Record<string, unknown>) => ReportDescriptor[], meta: Partial<RuleMeta> = {}): Rule {
  return {
    meta: { id, type: 'problem', description: id, defaultSeverity: 'error', messages: { m: '{{what}} at {{where}}', plain: 'plain' }, ...meta },
    create(context) {
      for (const r of reports(context.repo, context.options as Record<string, unknown>)) context.report(r);
    },
  };
}

const GO_MODS = {
  'b/go.mod': 'module example.com/b\nrequire x v1 // modguard:ignore beta accepted for now\nrequire y v1\n',
  'a/go.mod': 'module example.com/a\n\nrequire z v1\n',
};

describe('engine/run', () => {
  it('fills message placeholders and keeps unknown ones visible', () => {
    assert.equal(formatMessage('{{a}} and {{ b }} and {{c}}', { a: 1, b: 'two' }), '1 and two and {{c}}');
    assert.equal(messageFor({ messages: { m: 'x={{x}}' } }, 'm', { x: 'y' }), 'x=y');
    assert.equal(messageFor({ messages: {} }, 'other', { k: 'v' }), 'other (k=v)');
  });

  it('phrases findings, fills module from the file and sorts by file, line, column, rule', () => {
    const repo = plainRepo(GO_MODS);
    const alpha = fakeRule('alpha', () => [
      { messageId: 'm', data: { what: 'w', where: 'b3' }, file: 'b/go.mod', line: 3, column: 9, dependency: 'y' },
      { messageId: 'm', data: { what: 'w', where: 'a3' }, file: 'a/go.mod', line: 3, column: 9, extra: { versions: ['v1', 'v2'] } },
    ]);
    const beta = fakeRule('beta', () => [
      { messageId: 'plain', file: 'b/go.mod', line: 3, column: 1, module: 'explicit' },
      { messageId: 'plain', file: 'b/go.mod', line: 3, column: 9 },
    ], { defaultSeverity: 'warning' });
    const result = check(repo, { rules: [beta, alpha], today: '2026-01-01' });
    assert.deepEqual(result.findings.map((f) => [f.file, f.line, f.column, f.rule]), [
      ['a/go.mod', 3, 9, 'alpha'], ['b/go.mod', 2, 14, 'suppression-unused'], ['b/go.mod', 3, 1, 'beta'], ['b/go.mod', 3, 9, 'alpha'],
      ['b/go.mod', 3, 9, 'beta'],
    ]);
    const a = result.findings[0]!;
    assert.equal(a.message, 'w at a3');
    assert.equal(a.module, 'example.com/a');
    assert.equal(a.dependency, '');
    assert.deepEqual(a.data, { what: 'w', where: 'a3', versions: ['v1', 'v2'] });
    assert.equal(result.findings[2]!.module, 'explicit');
    assert.equal(result.findings[3]!.dependency, 'y');
    assert.equal(result.version, 1);
    assert.equal(result.root, '/repo');
    // b/go.mod line 2 carries a suppression of beta that silenced nothing.
    assert.deepEqual(result.summary, { modules: 2, errors: 2, warnings: 3, infos: 0, suppressed: 0, byRule: { alpha: 2, beta: 2, 'suppression-unused': 1 } });
  });

  it('drops duplicate findings and clamps positions to 1', () => {
    const repo = plainRepo({ 'a/go.mod': 'module example.com/a\n' });
    const rule = fakeRule('alpha', () => [
      { messageId: 'plain', file: 'a/go.mod', line: 0, column: 0 },
      { messageId: 'plain', file: 'a/go.mod', line: 1, column: 1 },
      { messageId: 'plain', file: 'a/go.mod', line: 1, column: 1, dependency: 'other' },
    ]);
    const result = check(repo, { rules: [rule] });
    assert.deepEqual(result.findings.map((f) => [f.line, f.column, f.dependency]), [[1, 1, ''], [1, 1, 'other']]);
  });

  it('turns a crashing rule into an internal-error finding and runs the others', () => {
    const repo = plainRepo({ 'a/go.mod': 'module example.com/a\n' });
    const boom = fakeRule('boom', () => { throw new TypeError('cannot read x of undefined'); });
    const fine = fakeRule('fine', () => [{ messageId: 'plain', file: 'a/go.mod', line: 1, column: 1 }]);
    const result = check(repo, { rules: [boom, fine] });
    assert.deepEqual(result.findings.map((f) => [f.rule, f.messageId, f.severity]), [['boom', INTERNAL_ERROR, 'error'], ['fine', 'plain', 'error']]);
    assert.match(result.findings[0]!.message, /rule boom failed with an internal error: cannot read x of undefined/);
    assert.equal(result.findings[0]!.data.internal, true);
  });

  it('applies configured severities, drops off rules without running them, and validates options', () => {
    let ranOff = false;
    const repo = plainRepo({ 'a/go.mod': 'module example.com/a\n' }, {
      rules: { alpha: { severity: 'info' }, off: { severity: 'off' }, opt: { options: { n: 5 } } },
    });
    const alpha = fakeRule('alpha', () => [{ messageId: 'plain', file: 'a/go.mod', line: 1, column: 1 }]);
    const off = fakeRule('off', () => { ranOff = true; return [{ messageId: 'plain', file: 'a/go.mod', line: 1, column: 1 }]; });
    const seen: unknown[] = [];
    const opt = fakeRule('opt', (_r, o) => { seen.push(o); return []; }, { optionsSchema: z.object({ n: z.number().default(1), m: z.string().default('d') }).strict() });
    const result = check(repo, { rules: [alpha, off, opt] });
    assert.equal(ranOff, false);
    assert.deepEqual(result.findings.map((f) => [f.rule, f.severity]), [['alpha', 'info']]);
    assert.deepEqual(seen, [{ n: 5, m: 'd' }]);
    assert.equal(result.summary.infos, 1);
  });

  it('skips graph rules with one notice when no module has a graph, and base rules outside PR mode', () => {
    const repo = plainRepo({ 'a/go.mod': 'module example.com/a\n' });
    let ran = 0;
    const g1 = fakeRule('g1', () => { ran++; return []; }, { needsGraph: true });
    const g2 = fakeRule('g2', () => { ran++; return []; }, { needsGraph: true });
    const b = fakeRule('b', () => { ran++; return []; }, { needsBase: true });
    const result = check(repo, { rules: [g1, g2, b] });
    assert.equal(ran, 0);
    assert.equal(result.notices.length, 1);
    assert.match(result.notices[0]!, /^g1, g2 skipped: no module graph/);
    // The result says which rules did not run, and why (a JUnit report shows them as skipped).
    assert.deepEqual(result.skipped, { g1: 'no module graph', g2: 'no module graph', b: 'compares with a git base: runs in PR mode (--base)' });
    repo.modules[0]!.graph = { file: 'a/graph.txt', nodes: [], edges: [], errors: [] };
    repo.base = plainRepo({});
    const all = check(repo, { rules: [g1, g2, b] });
    assert.deepEqual(all.notices, []);
    assert.equal(all.skipped, undefined);
    assert.equal(ran, 3);
  });

  it('passes loading notices on', () => {
    const repo = plainRepo({ 'a/go.mod': 'module example.com/a\n' });
    repo.notices = ['go mod graph failed in 1 module (a): boom'];
    assert.deepEqual(check(repo, { rules: [] }).notices, ['go mod graph failed in 1 module (a): boom']);
  });

  it('says that nothing was checked when the repository has no go.mod or go.work, unless a file could not be read', () => {
    const empty = check(plainRepo({}), { rules: [] }).notices;
    assert.equal(empty.length, 1);
    assert.match(empty[0]!, /^no go\.mod or go\.work file found under the root, so nothing was checked/);
    const unreadable = plainRepo({});
    unreadable.loadErrors.push({ file: 'a/go.mod', line: 1, column: 0, message: 'cannot read: permission denied' });
    assert.deepEqual(check(unreadable, { rules: [] }).notices, []);
  });

  it('applies suppressions before severities and reports expired, unused and malformed ones', () => {
    const repo = plainRepo({
      'a/go.mod': [
        'module example.com/a', // 1
        'require x v1 // modguard:ignore alpha accepted', // 2: used
        '// modguard:ignore alpha old until=2026-01-31', // 3: expired, covers 4
        'require y v1', // 4
        'require z v1 // modguard:ignore alpha', // 5: no reason
        'require w v1 // modguard:ignore alpha nothing here', // 6: unused
        'require v v1 // modguard:ignore offrule silenced though off', // 7: used by an off rule
        'require u v1 // modguard:ignore graphy the rule did not run', // 8: not unused (skipped rule)
      ].join('\n'),
    }, { rules: { offrule: { severity: 'off' }, 'suppression-unused': { severity: 'error' } } });
    const alpha = fakeRule('alpha', () => [2, 4, 5].map((line) => ({ messageId: 'plain', file: 'a/go.mod', line, column: 9 })));
    const offrule = fakeRule('offrule', () => [{ messageId: 'plain', file: 'a/go.mod', line: 7, column: 9 }]);
    const graphy = fakeRule('graphy', () => [], { needsGraph: true });
    const result = check(repo, { rules: [alpha, offrule, graphy], today: '2026-02-01' });
    assert.deepEqual(result.findings.map((f) => [f.line, f.rule, f.messageId, f.severity]), [
      [3, 'suppression-expired', 'expired', 'warning'],
      [4, 'alpha', 'plain', 'error'],
      [5, 'alpha', 'plain', 'error'],
      [5, 'suppression-unused', 'missingReason', 'error'],
      [6, 'suppression-unused', 'unused', 'error'],
    ]);
    assert.equal(result.summary.suppressed, 1);
    assert.match(result.findings[0]!.message, /expired on 2026-01-31 \(reason given: "old"\)/);
    assert.equal(result.findings[0]!.column, 1);
    assert.equal(result.findings[4]!.column, 14);
    // On the until day itself the suppression still holds.
    const before = check(repo, { rules: [alpha, offrule, graphy], today: '2026-01-31' });
    assert.equal(before.findings.some((f) => f.rule === 'suppression-expired'), false);
    assert.equal(before.summary.suppressed, 2);
  });

  it('reports only findings of focused modules but lets rules read everything', () => {
    const repo = plainRepo({
      'a/go.mod': 'module example.com/a\nrequire q v1 // modguard:ignore alpha stale\n',
      'b/go.mod': 'module example.com/b\n',
    });
    repo.focus = new Set(['b']);
    let sawModules = 0;
    const alpha = fakeRule('alpha', (r) => {
      sawModules = r.modules.length;
      return [
        { messageId: 'plain', file: 'a/go.mod', line: 1, column: 1 },
        { messageId: 'plain', file: 'b/go.mod', line: 1, column: 1 },
        { messageId: 'plain', file: 'anchor.lock', line: 1, column: 1 },
      ];
    });
    const result = check(repo, { rules: [alpha] });
    assert.equal(sawModules, 2);
    assert.deepEqual(result.findings.map((f) => f.file), ['anchor.lock', 'b/go.mod']);
    assert.equal(result.summary.modules, 1);
  });

  it('tells the module of each go.mod, go.sum and graph file, a graph out of its module\'s directory too, for focus and module names', () => {
    const repo = plainRepo({
      'a/go.mod': 'module example.com/a\n',
      'b/go.mod': 'module example.com/b\n',
      'b/c/go.mod': 'module example.com/c\n',
    });
    const [a, b, c] = ['a', 'b', 'b/c'].map((d) => repo.modules.find((m) => m.dir === d)!);
    const withFile = (file: string) => ({ file }) as never;
    a!.sum = withFile('a/go.sum');
    a!.graph = withFile('a/graph.txt');
    // c's graph lies in b's directory (a graph file named by a path out of the module's directory).
    c!.graph = withFile('b/graph-of-c.txt');
    b!.graph = withFile('b/deps/graph.txt');
    repo.focus = new Set(['b/c']);
    const files = ['a/go.mod', 'a/go.sum', 'a/graph.txt', 'b/go.mod', 'b/deps/graph.txt', 'b/graph-of-c.txt', 'b/c/go.mod', 'b/c/notes.txt', 'b/notes.txt', 'anchor.lock'];
    const alpha = fakeRule('alpha', () => files.map((file) => ({ messageId: 'plain', file, line: 1, column: 1 })));
    const result = check(repo, { rules: [alpha] });
    // Kept: c's own files, and files of no module (named after the module of their directory).
    assert.deepEqual(result.findings.map((f) => [f.file, f.module]), [
      ['anchor.lock', ''], ['b/c/go.mod', 'example.com/c'], ['b/c/notes.txt', 'example.com/c'], ['b/graph-of-c.txt', 'example.com/c'], ['b/notes.txt', 'example.com/b'],
    ]);
    delete repo.focus;
    const all = check(repo, { rules: [alpha] });
    assert.deepEqual(all.findings.map((f) => [f.file, f.module]), [
      ['a/go.mod', 'example.com/a'], ['a/go.sum', 'example.com/a'], ['a/graph.txt', 'example.com/a'], ['anchor.lock', ''],
      ['b/c/go.mod', 'example.com/c'], ['b/c/notes.txt', 'example.com/c'], ['b/deps/graph.txt', 'example.com/b'], ['b/go.mod', 'example.com/b'],
      ['b/graph-of-c.txt', 'example.com/c'], ['b/notes.txt', 'example.com/b'],
    ]);
  });

  it('orders and counts findings', () => {
    const f = (o: Partial<Finding>): Finding => ({ rule: 'r', severity: 'error', file: 'a', line: 1, column: 1, messageId: 'm', message: '', module: '', dependency: '', data: {}, ...o });
    const list = [f({ file: 'b' }), f({ line: 2 }), f({ column: 3 }), f({ rule: 'a', severity: 'info' }), f({ message: 'z', severity: 'warning' })];
    assert.deepEqual([...list].sort(compareFindings).map((x) => [x.file, x.line, x.column, x.rule, x.message]), [
      ['a', 1, 1, 'a', ''], ['a', 1, 1, 'r', 'z'], ['a', 1, 3, 'r', ''], ['a', 2, 1, 'r', ''], ['b', 1, 1, 'r', ''],
    ]);
    assert.deepEqual(summarize(list, 7, 2), { modules: 7, errors: 3, warnings: 1, infos: 1, suppressed: 2, byRule: { r: 4, a: 1 } });
  });
});

describe('engine/run bounded data', () => {
  it('keeps the first MAX_LISTED entries of each list in a finding\'s data (an array or a Listing, made only that far) and counts the rest', () => {
    const long = Array.from({ length: MAX_LISTED + 7 }, (_, i) => i);
    const made: number[] = [];
    const listing = new Listing(long, (i) => { made.push(i); return { n: i }; });
    const shortListing = new Listing([1, 2], (i) => `#${i}`);
    const repo = plainRepo({ 'a/go.mod': 'module example.com/a\n', 'b/go.mod': 'module example.com/b\n' });
    // Two findings share each list, as a rule's findings about one dependency do.
    const rule = fakeRule('alpha', () => ['a', 'b'].map((d) => ({
      messageId: 'plain', file: `${d}/go.mod`, line: 1, column: 1,
      extra: { involved: long, short: [1, 2], uses: listing, few: shortListing, name: 'x' },
    })));
    const [a, b] = check(repo, { rules: [rule] }).findings;
    const expected = {
      involved: long.slice(0, MAX_LISTED), involvedOmitted: 7, short: [1, 2],
      uses: long.slice(0, MAX_LISTED).map((n) => ({ n })), usesOmitted: 7, few: ['#1', '#2'], name: 'x',
    };
    assert.deepEqual(a!.data, expected);
    assert.deepEqual(b!.data, expected);
    // The same order of keys as the extra data, each count after its list (JSON output is compared byte for byte).
    assert.deepEqual(Object.keys(a!.data), ['involved', 'involvedOmitted', 'short', 'uses', 'usesOmitted', 'few', 'name']);
    // Each entry kept made once, for both findings; none of those left out.
    assert.deepEqual(made, long.slice(0, MAX_LISTED));
    assert.equal(a!.data.uses, b!.data.uses);
  });
});
