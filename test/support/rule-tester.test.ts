import assert from 'node:assert/strict';
// The process's one copy of zod, as the rules and the engine use it.
import { zod } from '../../src/util/zod.ts';
import type { Rule } from '../../src/engine/types.ts';
import { checkInvalid, checkTables, checkValid, formatMessage } from './rule-tester.ts';

const z = zod();

/** A rule that reports every require line at its path token, with or without its data. */
function requireRule(withData = true): Rule {
  return {
    meta: {
      id: 'every-require', type: 'problem', description: 'test rule', defaultSeverity: 'error',
      messages: { found: '{{dependency}} is required' },
      optionsSchema: z.object({ skip: z.string().default('') }).strict(),
    },
    create(context) {
      for (const module of context.repo.modules) {
        for (const req of module.mod?.require ?? []) {
          if (req.mod.path === context.options.skip) continue;
          const token = req.syntax.inBlock ? req.syntax.tokens[0]! : req.syntax.tokens[1]!;
          context.report({
            messageId: 'found', file: module.goModFile, line: token.start.line, column: token.start.column,
            dependency: req.mod.path, ...(withData ? { data: { dependency: req.mod.path } } : {}),
          });
        }
      }
    },
  };
}

const files = { 'a/go.mod': 'module example.com/a\n\nrequire (\n\tgithub.com/x/y v1.0.0\n\tgithub.com/z/w v1.0.0\n)\n' };

describe('RuleTester', () => {
  it('accepts the exact findings, in file/line/column order', () => {
    checkInvalid(requireRule(), { files, errors: [
      { messageId: 'found', file: 'a/go.mod', line: 4, column: 2, dependency: 'github.com/x/y', data: { dependency: 'github.com/x/y' } },
      { messageId: 'found', line: 5, column: 2 },
    ] });
  });

  it('fails on a wrong count, line, column, file, dependency or data', () => {
    const rule = requireRule();
    const ok = { messageId: 'found', line: 5, column: 2 };
    assert.throws(() => checkInvalid(rule, { files, errors: [{ messageId: 'found', line: 4 }] }), /expected 1 findings, got 2/);
    assert.throws(() => checkInvalid(rule, { files, errors: [{ messageId: 'found', line: 3 }, ok] }), /finding 1: line/);
    assert.throws(() => checkInvalid(rule, { files, errors: [{ messageId: 'found', line: 4, column: 9 }, ok] }), /finding 1: column/);
    assert.throws(() => checkInvalid(rule, { files, errors: [{ messageId: 'found', line: 4, file: 'b/go.mod' }, ok] }), /finding 1: file/);
    assert.throws(() => checkInvalid(rule, { files, errors: [{ messageId: 'found', line: 4, dependency: 'x' }, ok] }), /finding 1: dependency/);
    assert.throws(() => checkInvalid(rule, { files, errors: [{ messageId: 'found', line: 4, data: { dependency: 'x' } }, ok] }), /finding 1: data.dependency/);
    assert.throws(() => checkInvalid(rule, { files, errors: [{ messageId: 'other', line: 4 }, ok] }), /finding 1: messageId/);
  });

  it('fails a valid case that reports, and passes options through the schema', () => {
    assert.throws(() => checkValid(requireRule(), { files }), /expected no findings, got 2/);
    assert.throws(() => checkValid(requireRule(), { files, options: { unknown: true } }), /unrecognized|Unrecognized/);
    checkInvalid(requireRule(), { files, options: { skip: 'github.com/x/y' }, errors: [{ messageId: 'found', line: 5, column: 2 }] });
  });

  it('fails a report whose message placeholders are not in its data', () => {
    assert.throws(() => checkInvalid(requireRule(false), { files, errors: [{ messageId: 'found', line: 4 }, { messageId: 'found', line: 5 }] }),
      /data lacks "dependency"/);
  });

  it('rejects duplicate cases and invalid cases without errors', () => {
    const rule = requireRule();
    assert.throws(() => checkTables(rule, { valid: [{ files }, { name: 'again', files }], invalid: [] }), /duplicate test case "again"/);
    assert.throws(() => checkTables(rule, { valid: [], invalid: [{ files, errors: [] }] }), /lists no errors/);
    assert.doesNotThrow(() => checkTables(rule, { valid: [{ files, options: { skip: 'x' } }], invalid: [{ files, errors: [{ messageId: 'found', line: 4 }] }] }));
  });

  it('formats messages from data', () => {
    assert.equal(formatMessage('{{a}} and {{ b }} but {{c}}', { a: 1, b: 'two' }), '1 and two but {{c}}');
  });
});
