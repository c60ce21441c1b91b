import { strict as assert } from 'node:assert';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// The process's one copy of zod, as the rules and the engine use it.
import { zod } from '../../src/util/zod.ts';
import { parseConfig, configJsonSchema, validateRuleOptions } from '../../src/engine/config.ts';
import { UsageError } from '../../src/commands/context.ts';
import type { Rule } from '../../src/engine/types.ts';
import { rules } from '../../rules/index.ts';

const z = zod();

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const fakeRules: Rule[] = [
  {
    meta: {
      id: 'alpha', type: 'problem', description: 'Alpha.', defaultSeverity: 'error', messages: { m: 'm' },
      optionsSchema: z.object({ limit: z.number().int().min(1).default(3), mode: z.enum(['a', 'b']).default('a') }).strict(),
    },
    create() {},
  },
  { meta: { id: 'beta', type: 'suggestion', description: 'Beta.', defaultSeverity: 'info', messages: { m: 'm' } }, create() {} },
];

function problems(text: string): string[] {
  try {
    parseConfig(text, 'modguard.json', fakeRules);
  } catch (err) {
    assert.ok(err instanceof UsageError, `expected UsageError, got ${String(err)}`);
    return err.message.split('\n');
  }
  assert.fail('expected the configuration to be rejected');
}

describe('engine/config', () => {
  it('accepts severities as strings or objects, options with defaults, and ignore patterns', () => {
    const config = parseConfig(JSON.stringify({
      $schema: './schema/modguard.schema.json',
      rules: { alpha: { severity: 'warning', options: { limit: 5 } }, beta: 'off' },
      ignore: ['legacy', '**/examples'],
    }), 'modguard.json', fakeRules);
    assert.deepEqual(config, {
      file: 'modguard.json',
      rules: { alpha: { severity: 'warning', options: { limit: 5, mode: 'a' } }, beta: { severity: 'off' } },
      ignore: ['legacy', '**/examples'],
    });
    assert.deepEqual(parseConfig('{}', 'x.json', fakeRules), { file: 'x.json', rules: {}, ignore: [] });
  });

  it('names the file and key of a wrong severity', () => {
    assert.deepEqual(problems('{"rules": {"alpha": {"severity": "fatal"}}}'),
      ['modguard.json: rules.alpha.severity: expected one of error, warning, info, off, got a string ("fatal")']);
    assert.deepEqual(problems('{"rules": {"beta": "high"}}'),
      ['modguard.json: rules.beta: expected one of error, warning, info, off, got a string ("high")']);
    assert.deepEqual(problems('{"rules": {"beta": 2}}'),
      ['modguard.json: rules.beta: expected a severity (error, warning, info, off) or an object with severity and options, got a number (2)']);
  });

  it('rejects unknown keys and unknown rules, listing what is known', () => {
    assert.deepEqual(problems('{"rule": {}, "ignore": "x"}'), [
      'modguard.json: rule: unknown key (allowed: $schema, rules, ignore)',
      'modguard.json: ignore: expected an array of path patterns, got a string ("x")',
    ]);
    assert.deepEqual(problems('{"rules": {"gamma": "off", "alpha": {"level": "error"}}}'), [
      'modguard.json: rules.gamma: unknown rule (known rules: alpha, beta)',
      'modguard.json: rules.alpha.level: unknown key (allowed: severity, options)',
    ]);
  });

  it('validates options with the rule schema, one line per problem', () => {
    const small = problems('{"rules": {"alpha": {"options": {"limit": 0}}}}');
    assert.equal(small.length, 1);
    assert.match(small[0]!, /^modguard\.json: rules\.alpha\.options\.limit: .*>=\s*1/);
    const lines = problems('{"rules": {"alpha": {"options": {"limit": "x", "mode": "c", "extra": true}}}}');
    assert.equal(lines.length, 3);
    assert.ok(lines.includes('modguard.json: rules.alpha.options.limit: expected number'), lines.join('\n'));
    assert.ok(lines.includes('modguard.json: rules.alpha.options.mode: expected one of a, b'), lines.join('\n'));
    assert.ok(lines.includes('modguard.json: rules.alpha.options.extra: unknown option'), lines.join('\n'));
    assert.deepEqual(problems('{"rules": {"beta": {"options": []}}}'), ['modguard.json: rules.beta.options: expected an object, got an array']);
  });

  it('reports JSON syntax errors with line and column, and a non-object top level', () => {
    const lines = problems('{\n  "rules": {\n    "alpha": "error",\n  }\n}');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^modguard\.json:4:3: invalid JSON: /);
    assert.deepEqual(problems('[1]'), ['modguard.json: expected a JSON object at the top level, got an array']);
  });

  it('rejects ignore entries that are not strings or would ignore everything', () => {
    assert.deepEqual(problems('{"ignore": ["ok", 3, "", "./"]}'), [
      'modguard.json: ignore[1]: expected a path pattern string, got a number (3)',
      'modguard.json: ignore[2]: empty pattern would ignore every module',
      'modguard.json: ignore[3]: empty pattern would ignore every module',
    ]);
    assert.deepEqual(problems(JSON.stringify({ ignore: Array.from({ length: 10_001 }, (_, i) => `gen/m${i}/**`) })), [
      'modguard.json: ignore: 10001 patterns, more than the 10000 allowed; ignore directories (a pattern ignores everything below it), not files',
    ]);
    assert.equal(parseConfig(JSON.stringify({ ignore: Array.from({ length: 10_000 }, (_, i) => `gen/m${i}`) }), 'modguard.json', fakeRules).ignore.length, 10_000);
  });

  it('validates rule options and fills defaults', () => {
    const ok = validateRuleOptions(fakeRules[0]!, {});
    assert.deepEqual(ok, { ok: true, options: { limit: 3, mode: 'a' } });
    assert.equal(validateRuleOptions(fakeRules[0]!, { limit: -1 }).ok, false);
    assert.deepEqual(validateRuleOptions(fakeRules[1]!, undefined), { ok: true, options: {} });
  });

  it('knows every registered rule by default', () => {
    const config = parseConfig(JSON.stringify({ rules: Object.fromEntries(rules.map((r) => [r.meta.id, 'info'])) }), 'modguard.json');
    assert.equal(Object.keys(config.rules).length, rules.length);
  });

  it('builds a JSON schema listing every rule, equal to the committed schema file', () => {
    const schema = configJsonSchema() as { properties: { rules: { properties: Record<string, unknown> } } };
    assert.deepEqual(Object.keys(schema.properties.rules.properties).sort(), rules.map((r) => r.meta.id).sort());
    const file = path.join(root, 'schema/modguard.schema.json');
    assert.ok(existsSync(file), 'schema/modguard.schema.json is missing: run `node --import tsx scripts/write-config-schema.ts`');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), JSON.parse(JSON.stringify(configJsonSchema())),
      'schema/modguard.schema.json is out of date: run `node --import tsx scripts/write-config-schema.ts`');
  });
});
