import { strict as assert } from 'node:assert';
import { commentStart, isValidDate, parseSuppressions, isExpired, todayUtc, SuppressionIndex } from '../../src/engine/suppress.ts';
import { plainRepo } from '../support/plain-repo.ts';
import { assembleRepository } from '../../src/engine/assemble.ts';
import { check } from '../../src/engine/run.ts';

const known = new Set(['anchor-mismatch', 'banned-module']);

function parse(text: string) {
  return parseSuppressions({ goModFile: 'a/go.mod', modulePath: 'example.com/a', dir: 'a', text }, known);
}

describe('engine/suppress', () => {
  it('finds the comment start outside quoted and raw strings', () => {
    assert.equal(commentStart('require x v1 // c'), 13);
    assert.equal(commentStart('replace "a//b" => ../x // c'), 23);
    assert.equal(commentStart('replace `a//b` => ../x'), -1);
    assert.equal(commentStart('replace "a\\"//" => x // c'), 21);
    assert.equal(commentStart('no comment'), -1);
  });

  it('validates calendar dates', () => {
    assert.equal(isValidDate('2026-02-28'), true);
    assert.equal(isValidDate('2024-02-29'), true);
    assert.equal(isValidDate('2026-02-29'), false);
    assert.equal(isValidDate('2026-13-01'), false);
    assert.equal(isValidDate('26-01-01'), false);
    assert.equal(todayUtc(new Date('2026-03-04T23:59:00Z')), '2026-03-04');
  });

  it('reads end-of-line and whole-line suppressions with reason, rule and date', () => {
    const text = [
      'module example.com/a', // 1
      '', // 2
      '// modguard:ignore banned-module needed by the legacy client until=2026-06-30', // 3
      'require x.io/evil v1.0.0', // 4
      'require (', // 5
      '\tgoogle.golang.org/grpc v1.63.2 // modguard:ignore anchor-mismatch rollout pending', // 6
      '    // modguard:ignore anchor-mismatch indented whole line', // 7
      ')', // 8
    ].join('\r\n');
    const s = parse(text);
    assert.equal(s.length, 3);
    assert.deepEqual(
      s.map((x) => [x.line, x.column, x.target, x.rule, x.reason, x.until, x.problem]),
      [
        [3, 1, 4, 'banned-module', 'needed by the legacy client', '2026-06-30', undefined],
        [6, 33, 6, 'anchor-mismatch', 'rollout pending', undefined, undefined],
        [7, 5, 8, 'anchor-mismatch', 'indented whole line', undefined, undefined],
      ],
    );
    assert.equal(s[0]!.file, 'a/go.mod');
    assert.equal(s[0]!.module, 'example.com/a');
  });

  it('marks malformed suppressions and ignores other words', () => {
    const text = [
      '// modguard:ignore anchor-mismatch', // no reason
      '// modguard:ignore', // no rule
      '// modguard:ignore until=2026-01-01', // no rule
      '// modguard:ignore no-such-rule because', // unknown
      '// modguard:ignore banned-module reason until=2026-02-30', // bad date
      '// modguard:ignored anchor-mismatch reason', // not ours
      '// see modguard:ignore anchor-mismatch docs', // not at the start of the comment
      'require "x//modguard:ignore" v1', // inside a string
    ].join('\n');
    assert.deepEqual(parse(text).map((x) => [x.line, x.problem]), [
      [1, 'missingReason'], [2, 'missingRule'], [3, 'missingRule'], [4, 'unknownRule'], [5, 'invalidUntil'],
    ]);
  });

  it('counts columns in code points', () => {
    const s = parse('require ü/x v1 // modguard:ignore anchor-mismatch r\nrequire 𝔘/x v1 // modguard:ignore anchor-mismatch r\n');
    assert.equal(s[0]!.column, 16);
    assert.equal(s[1]!.column, 16);
  });

  it('expires after the until day, not on it', () => {
    const [s] = parse('// modguard:ignore anchor-mismatch r until=2026-05-01\n');
    assert.equal(isExpired(s!, '2026-05-01'), false);
    assert.equal(isExpired(s!, '2026-05-02'), true);
  });

  it('reads a suppression after a requirement\'s `// indirect;` mark, as x/mod lets the comment go on', () => {
    const [s] = parse('module m\nrequire x v1.0.0 // indirect; modguard:ignore banned-module kept for the migration\n');
    assert.deepEqual([s?.rule, s?.reason, s?.target], ['banned-module', 'kept for the migration', 2]);
    assert.deepEqual(parse('module m\nrequire x v1.0.0 // indirectly modguard:ignore banned-module no\n'), []);
  });

  it('silences go.work findings by comments in go.work, and reports the unused ones there', () => {
    const files = new Map<string, string>([
      ['anchor.lock', ''],
      ['a/go.mod', 'module example.com/a\n\ngo 1.22\n'],
      ['go.work', [
        'go 1.22', '', 'use ./a', '',
        '// modguard:ignore replace-directive local fork while upstream reviews PR 1234 until=2099-12-31',
        'replace github.com/foo/qux => github.com/me/qux v1.0.0',
        'replace github.com/foo/bar => github.com/me/bar v1.0.0 // modguard:ignore broken-workspace nothing to silence here',
        '',
      ].join('\n')],
    ]);
    const result = check(assembleRepository({ root: '/repo', files }), { today: '2026-12-05' });
    assert.equal(result.summary.suppressed, 1);
    assert.deepEqual(result.findings.map((f) => [f.rule, f.file, f.line]), [
      ['replace-directive', 'go.work', 7],
      ['suppression-unused', 'go.work', 7],
    ]);
  });

  it('matches findings by file, line and rule, and reports expired, malformed and unused ones', () => {
    const repo = plainRepo({
      'a/go.mod': [
        'module example.com/a',
        'require x v1 // modguard:ignore anchor-mismatch accepted',
        'require y v1 // modguard:ignore anchor-mismatch old until=2026-01-01',
        'require z v1 // modguard:ignore anchor-mismatch',
        '// modguard:ignore banned-module never used',
        'require w v1',
      ].join('\n'),
      'b/go.mod': 'module example.com/b\nrequire q v1 // modguard:ignore banned-module unused but out of focus\n',
    });
    const index = new SuppressionIndex(repo, known);
    const today = '2026-02-01';
    assert.equal(index.match('anchor-mismatch', 'a/go.mod', 2, today)?.reason, 'accepted');
    assert.equal(index.match('banned-module', 'a/go.mod', 2, today), undefined);
    assert.equal(index.match('anchor-mismatch', 'a/go.mod', 3, today), undefined, 'expired');
    assert.equal(index.match('anchor-mismatch', 'a/go.mod', 4, today), undefined, 'no reason');
    assert.equal(index.match('anchor-mismatch', 'b/go.mod', 2, today), undefined, 'other file');
    const problems = index.problems(today, new Set(['anchor-mismatch', 'banned-module']), (s) => s.dir === 'a');
    assert.deepEqual(problems.map((p) => [p.rule, p.report.messageId, p.report.line]), [
      ['suppression-expired', 'expired', 3],
      ['suppression-unused', 'missingReason', 4],
      ['suppression-unused', 'unused', 5],
    ]);
    // A suppression of a rule that did not run is not unused.
    const quiet = new SuppressionIndex(repo, known).problems(today, new Set(['anchor-mismatch']), () => true);
    assert.equal(quiet.some((p) => p.report.messageId === 'unused'), true);
    assert.equal(quiet.filter((p) => p.report.messageId === 'unused').length, 1);
  });
});
