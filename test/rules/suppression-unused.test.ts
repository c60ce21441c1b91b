// suppression-unused is reported by the engine's suppression processor; these tables run the whole
// check with a stand-in rule that reports every `require` line.
import { strict as assert } from 'node:assert';
import { rule } from '../../rules/suppression-unused.ts';
import { check } from '../../src/engine/run.ts';
import type { Rule } from '../../src/engine/types.ts';
import { plainRepo } from '../support/plain-repo.ts';

const requires: Rule = {
  meta: { id: 'anchor-mismatch', type: 'problem', description: 'stand-in', defaultSeverity: 'error', messages: { m: 'off pin' } },
  create(context) {
    for (const m of context.repo.modules) {
      m.text.split('\n').forEach((line, i) => {
        if (/^\s*require\s/.test(line)) context.report({ messageId: 'm', file: m.goModFile, line: i + 1, column: 1 });
      });
    }
  },
};

const banned: Rule = {
  meta: { id: 'banned-module', type: 'problem', description: 'stand-in that finds nothing', defaultSeverity: 'error', messages: { m: 'banned' } },
  create() {},
};

const valid: { name: string; goMod: string }[] = [
  { name: 'end-of-line suppression that silences its line', goMod: 'module m\nrequire x v1 // modguard:ignore anchor-mismatch known\n' },
  { name: 'whole-line suppression above its line', goMod: 'module m\n// modguard:ignore anchor-mismatch known\nrequire x v1\n' },
  { name: 'suppression of a rule that did not run', goMod: 'module m\ngo 1.22 // modguard:ignore go-version-drift migrating\n' },
  { name: 'other comments mentioning modguard', goMod: 'module m\n// see modguard:ignore docs\ngo 1.22\n' },
];

const invalid: { name: string; goMod: string; want: [number, string][]; mismatches: number[] }[] = [
  { name: 'nothing on the line or the next', goMod: 'module m\n\n// modguard:ignore anchor-mismatch stale\n\ngo 1.22\n', want: [[3, 'unused']], mismatches: [] },
  { name: 'a whole-line suppression does not reach two lines down', goMod: 'module m\n// modguard:ignore anchor-mismatch too far\n\nrequire x v1\n', want: [[2, 'unused']], mismatches: [4] },
  { name: 'wrong rule on the right line', goMod: 'module m\nrequire x v1 // modguard:ignore banned-module wrong rule\n', want: [[2, 'unused']], mismatches: [2] },
  { name: 'no reason: reported and not applied', goMod: 'module m\nrequire x v1 // modguard:ignore anchor-mismatch\n', want: [[2, 'missingReason']], mismatches: [2] },
  { name: 'only a date is no reason', goMod: 'module m\nrequire x v1 // modguard:ignore anchor-mismatch until=2030-01-01\n', want: [[2, 'missingReason']], mismatches: [2] },
  { name: 'no rule', goMod: 'module m\nrequire x v1 // modguard:ignore\n', want: [[2, 'missingRule']], mismatches: [2] },
  { name: 'unknown rule', goMod: 'module m\nrequire x v1 // modguard:ignore anchor-mismatchh typo\n', want: [[2, 'unknownRule']], mismatches: [2] },
  { name: 'bad date', goMod: 'module m\nrequire x v1 // modguard:ignore anchor-mismatch why until=2026-31-01\n', want: [[2, 'invalidUntil']], mismatches: [2] },
];

describe('suppression-unused', () => {
  it('has metadata for configuration and reporters', () => {
    assert.equal(rule.meta.id, 'suppression-unused');
    for (const id of ['unused', 'missingReason', 'missingRule', 'unknownRule', 'invalidUntil']) assert.ok(rule.meta.messages[id], id);
  });
  describe('valid', () => {
    for (const c of valid) {
      it(c.name, () => {
        const result = check(plainRepo({ 'go.mod': c.goMod }), { rules: [requires, banned], today: '2026-01-01' });
        assert.deepEqual(result.findings, []);
      });
    }
  });
  describe('invalid', () => {
    for (const c of invalid) {
      it(c.name, () => {
        const result = check(plainRepo({ 'go.mod': c.goMod }), { rules: [requires, banned], today: '2026-01-01' });
        assert.deepEqual(result.findings.filter((f) => f.rule === 'suppression-unused').map((f) => [f.line, f.messageId]), c.want);
        assert.deepEqual(result.findings.filter((f) => f.rule === 'anchor-mismatch').map((f) => f.line), c.mismatches);
        for (const f of result.findings.filter((x) => x.rule === 'suppression-unused')) {
          assert.equal(f.severity, 'warning');
          assert.doesNotMatch(f.message, /\{\{/);
          assert.equal(f.file, 'go.mod');
          assert.equal(f.module, 'm');
        }
      });
    }
  });
  it('is not itself suppressible', () => {
    const goMod = 'module m\n// modguard:ignore suppression-unused meta\n// modguard:ignore anchor-mismatch stale\n';
    const result = check(plainRepo({ 'go.mod': goMod }), { rules: [requires, banned], today: '2026-01-01' });
    assert.deepEqual(result.findings.map((f) => [f.line, f.messageId]), [[2, 'unused'], [3, 'unused']]);
  });
});
