// suppression-expired is reported by the engine's suppression processor; these tables run the whole
// check with a stand-in rule that reports every `require` line, and look at what comes out.
import { strict as assert } from 'node:assert';
import { rule } from '../../rules/suppression-expired.ts';
import { check } from '../../src/engine/run.ts';
import type { Rule } from '../../src/engine/types.ts';
import { plainRepo } from '../support/plain-repo.ts';

const requires: Rule = {
  meta: { id: 'anchor-mismatch', type: 'problem', description: 'stand-in', defaultSeverity: 'error', messages: { m: 'off pin' } },
  create(context) {
    for (const m of context.repo.modules) {
      m.text.split('\n').forEach((line, i) => {
        if (/^\s*(require\s+)?[a-z.]+\s+v\d/.test(line)) context.report({ messageId: 'm', file: m.goModFile, line: i + 1, column: 1 });
      });
    }
  },
};

const cases: { name: string; goMod: string; today: string; expired: number[]; anchorMismatch: number[] }[] = [
  { name: 'before the date: silenced, nothing expired', goMod: 'module m\nrequire x v1 // modguard:ignore anchor-mismatch ok until=2026-03-01\n', today: '2026-02-28', expired: [], anchorMismatch: [] },
  { name: 'on the date: still silenced', goMod: 'module m\nrequire x v1 // modguard:ignore anchor-mismatch ok until=2026-03-01\n', today: '2026-03-01', expired: [], anchorMismatch: [] },
  { name: 'after the date: expired and the finding is back', goMod: 'module m\nrequire x v1 // modguard:ignore anchor-mismatch ok until=2026-03-01\n', today: '2026-03-02', expired: [2], anchorMismatch: [2] },
  { name: 'whole-line form above a block line', goMod: 'module m\nrequire (\n\t// modguard:ignore anchor-mismatch ok until=2025-12-31\n\tx v1\n)\n', today: '2026-01-01', expired: [3], anchorMismatch: [4] },
  { name: 'no date never expires', goMod: 'module m\nrequire x v1 // modguard:ignore anchor-mismatch ok\n', today: '2999-01-01', expired: [], anchorMismatch: [] },
  { name: 'expired even when the finding is gone (not also unused)', goMod: 'module m\n// modguard:ignore anchor-mismatch ok until=2020-01-01\n\ngo 1.22\n', today: '2026-01-01', expired: [2], anchorMismatch: [] },
];

describe('suppression-expired', () => {
  it('has metadata for configuration and reporters', () => {
    assert.equal(rule.meta.id, 'suppression-expired');
    assert.ok(rule.meta.messages.expired);
  });
  for (const c of cases) {
    it(c.name, () => {
      const result = check(plainRepo({ 'go.mod': c.goMod }), { rules: [requires], today: c.today });
      const lines = (id: string) => result.findings.filter((f) => f.rule === id).map((f) => f.line);
      assert.deepEqual(lines('suppression-expired'), c.expired);
      assert.deepEqual(lines('anchor-mismatch'), c.anchorMismatch);
      assert.deepEqual(lines('suppression-unused'), []);
      for (const f of result.findings.filter((x) => x.rule === 'suppression-expired')) {
        assert.equal(f.severity, 'warning');
        assert.match(f.message, /expired on \d{4}-\d{2}-\d{2} \(reason given: "ok"\)/);
        assert.equal(f.data.rule, 'anchor-mismatch');
      }
    });
  }
  it('takes its severity from the configuration', () => {
    const repo = plainRepo({ 'go.mod': 'module m\n// modguard:ignore anchor-mismatch ok until=2020-01-01\n' }, { rules: { 'suppression-expired': { severity: 'error' } } });
    assert.equal(check(repo, { rules: [requires], today: '2026-01-01' }).findings[0]?.severity, 'error');
  });
});
