// Every rule ships as three files of one name: rules/<id>.ts, docs/rules/<id>.md and
// test/rules/<id>.test.ts, and is listed in rules/index.ts and in the docs/rules/README.md table.
// Each failure says which file to add or which line to write.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rules } from '../../rules/index.ts';
import type { Rule } from '../../src/engine/types.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');

function isRule(value: unknown): value is Rule {
  const v = value as Rule | undefined;
  return typeof v === 'object' && v !== null && typeof v.create === 'function' && typeof v.meta?.id === 'string';
}

describe('rule completeness', () => {
  const ids = rules.map((r) => r.meta.id);

  it('rule ids are unique kebab-case names', () => {
    for (const id of ids) assert.match(id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, `rule id "${id}" is not kebab-case`);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    assert.equal(dup, undefined, `rule id "${dup}" is listed twice in rules/index.ts`);
  });

  for (const rule of rules) {
    const id = rule.meta.id;
    describe(id, () => {
      it('has a rule file, a doc page and a test file of the same name', () => {
        const wanted = [
          [`rules/${id}.ts`, `add rules/${id}.ts exporting \`rule\` (or rename the file that defines "${id}")`],
          [`docs/rules/${id}.md`, `add docs/rules/${id}.md: what it checks, why, failing and passing examples, options, how to fix, how to suppress`],
          [`test/rules/${id}.test.ts`, `add test/rules/${id}.test.ts with valid/invalid tables run by test/support/rule-tester.ts`],
        ];
        const missing = wanted.filter(([file]) => !existsSync(path.join(root, file!))).map(([, hint]) => hint);
        assert.deepEqual(missing, [], `rule "${id}" is incomplete:\n  ${missing.join('\n  ')}`);
      });

      it('has metadata: description, messages, options defaults', () => {
        assert.ok(rule.meta.description.trim(), `rules/${id}.ts: meta.description is empty`);
        assert.ok(Object.keys(rule.meta.messages).length > 0, `rules/${id}.ts: meta.messages is empty`);
        assert.ok(['error', 'warning', 'info'].includes(rule.meta.defaultSeverity), `rules/${id}.ts: bad defaultSeverity`);
        if (rule.meta.optionsSchema) {
          const parsed = rule.meta.optionsSchema.safeParse({});
          assert.ok(parsed.success, `rules/${id}.ts: the options schema must accept {} (give every option a default)`);
          // A check without configured options takes these and never loads zod: they must be the schema's.
          assert.deepEqual(rule.meta.defaultOptions, parsed.data,
            `rules/${id}.ts: meta.defaultOptions must be what the options schema gives for {}: ${JSON.stringify(parsed.data)}`);
        }
      });

      it('is listed in docs/rules/README.md with its default severity, and its page says how to suppress it', () => {
        const index = path.join(root, 'docs/rules/README.md');
        assert.ok(existsSync(index), 'add docs/rules/README.md: a table of every rule with its default severity');
        const row = new RegExp(`^\\|\\s*\\[\`?${id}\`?\\]\\(${id}\\.md\\)\\s*\\|\\s*${rule.meta.defaultSeverity}\\s*\\|`, 'm');
        assert.match(readFileSync(index, 'utf8'), row,
          `docs/rules/README.md: add the row "| [${id}](${id}.md) | ${rule.meta.defaultSeverity} | ... |" (the severity must match meta.defaultSeverity)`);
        const page = path.join(root, `docs/rules/${id}.md`);
        if (existsSync(page)) {
          assert.ok(readFileSync(page, 'utf8').includes(`modguard:ignore ${id}`),
            `docs/rules/${id}.md: say how to suppress it (\`// modguard:ignore ${id} <reason>\`)`);
        }
      });
    });
  }

  it('every rule file in rules/ is listed in rules/index.ts', async () => {
    const dir = path.join(root, 'rules');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts').sort();
    const problems: string[] = [];
    for (const file of files) {
      const exported = Object.values(await import(pathToFileURL(path.join(dir, file)).href) as Record<string, unknown>).filter(isRule);
      const name = file.replace(/\.ts$/, '');
      if (exported.length === 0) {
        problems.push(`${rel(path.join(dir, file))} exports no rule: export \`rule\`, or move helpers to rules/support/`);
        continue;
      }
      for (const rule of new Set(exported)) {
        if (rule.meta.id !== name) problems.push(`rules/${file} defines "${rule.meta.id}": rename the file to rules/${rule.meta.id}.ts or fix meta.id`);
        else if (!ids.includes(rule.meta.id)) problems.push(`rules/${file} is not listed: import it in rules/index.ts and add it to \`rules\``);
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  it('every doc page and rule test belongs to a listed rule', () => {
    const stray = [
      ...readdirSync(path.join(root, 'docs/rules')).filter((f) => f.endsWith('.md') && f !== 'README.md')
        .map((f) => [f.replace(/\.md$/, ''), `docs/rules/${f}`] as const),
      ...readdirSync(path.join(root, 'test/rules')).filter((f) => f.endsWith('.test.ts') && f !== 'completeness.test.ts')
        .map((f) => [f.replace(/\.test\.ts$/, ''), `test/rules/${f}`] as const),
    ].filter(([id]) => !ids.includes(id)).map(([, file]) => `${file} has no rule "${path.basename(file).split('.')[0]}" in rules/index.ts: add the rule or remove the file`);
    assert.deepEqual(stray, [], stray.join('\n'));
  });
});
