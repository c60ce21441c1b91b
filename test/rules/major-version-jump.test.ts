import { strict as assert } from 'node:assert';
import { rule, familyOf } from '../../rules/major-version-jump.ts';
import { ruleTester } from '../support/rule-tester.ts';

const mod = (body: string) => `module example.com/shop/api\n\ngo 1.22\n\n${body}\n`;

describe('major-version-jump familyOf', () => {
  const cases: Array<[string, string, string, number]> = [
    ['github.com/x/y', 'v1.2.3', 'github.com/x/y', 1],
    ['github.com/x/y', 'v0.9.0', 'github.com/x/y', 0],
    ['github.com/x/y/v2', 'v2.0.1', 'github.com/x/y', 2],
    ['github.com/x/y/v10', 'v10.0.0', 'github.com/x/y', 10],
    ['gopkg.in/yaml.v3', 'v3.0.1', 'gopkg.in/yaml', 3],
    ['github.com/old/lib', 'v3.2.0+incompatible', 'github.com/old/lib', 3],
  ];
  for (const [path, version, family, major] of cases) {
    it(`${path}@${version} is major ${major} of ${family}`, () => assert.deepEqual(familyOf(path, version), { family, major }));
  }
});

ruleTester.run(rule, {
  valid: [
    { name: 'no base: nothing to compare', files: { 'api/go.mod': mod('require github.com/x/y/v3 v3.0.0') } },
    {
      name: 'minor upgrade within a major',
      base: { 'api/go.mod': mod('require github.com/x/y/v2 v2.1.0') },
      files: { 'api/go.mod': mod('require github.com/x/y/v2 v2.4.0') },
    },
    {
      name: 'a new dependency is not a jump',
      base: { 'api/go.mod': mod('require github.com/a/b v1.0.0') },
      files: { 'api/go.mod': mod('require (\n\tgithub.com/a/b v1.0.0\n\tgithub.com/x/y/v5 v5.0.0\n)') },
    },
    {
      name: 'a module that did not exist at the base',
      base: { 'other/go.mod': 'module example.com/shop/other\n' },
      files: { 'api/go.mod': mod('require github.com/x/y/v3 v3.0.0') },
    },
    {
      name: 'acknowledged on the line with a reason',
      base: { 'api/go.mod': mod('require github.com/x/y/v2 v2.1.0') },
      files: { 'api/go.mod': mod('require github.com/x/y/v3 v3.0.0 // modguard:major v3 only renamed Client.Do; migrated in this change') },
    },
    {
      name: 'acknowledged on the line above inside a block',
      base: { 'api/go.mod': mod('require (\n\tgithub.com/x/y/v2 v2.1.0\n)') },
      files: { 'api/go.mod': mod('require (\n\t// modguard:major: reviewed the v3 changelog\n\tgithub.com/x/y/v3 v3.0.0\n)') },
    },
    {
      name: 'the new major is anchored',
      base: { 'api/go.mod': mod('require gopkg.in/yaml.v2 v2.4.0') },
      files: { 'anchor.lock': 'anchor gopkg.in/yaml.v3 v3.0.1\n', 'api/go.mod': mod('require gopkg.in/yaml.v3 v3.0.1') },
    },
    {
      name: 'v0 to v1 is not a major jump by default',
      base: { 'api/go.mod': mod('require github.com/x/y v0.9.0') },
      files: { 'api/go.mod': mod('require github.com/x/y v1.0.0') },
    },
    {
      name: 'a downgrade of the major',
      base: { 'api/go.mod': mod('require github.com/x/y/v3 v3.0.0') },
      files: { 'api/go.mod': mod('require github.com/x/y/v2 v2.9.0') },
    },
    {
      name: 'outside the focus',
      base: { 'api/go.mod': mod('require github.com/x/y/v2 v2.1.0') },
      files: { 'api/go.mod': mod('require github.com/x/y/v3 v3.0.0'), 'b/go.mod': 'module example.com/b\n' },
      focus: ['b'],
    },
  ],
  invalid: [
    {
      name: '/v2 to /v3',
      base: { 'api/go.mod': mod('require github.com/x/y/v2 v2.1.0') },
      files: { 'api/go.mod': mod('require github.com/x/y/v3 v3.0.0') },
      errors: [{ messageId: 'jump', file: 'api/go.mod', line: 5, column: 9, dependency: 'github.com/x/y/v3',
        data: { fromMajor: 2, toMajor: 3, fromVersion: 'github.com/x/y/v2@v2.1.0', toVersion: 'github.com/x/y/v3@v3.0.0' } }],
    },
    {
      name: 'v1 to /v2 inside a block',
      base: { 'api/go.mod': mod('require (\n\tgithub.com/a/b v1.0.0\n\tgithub.com/x/y v1.8.0\n)') },
      files: { 'api/go.mod': mod('require (\n\tgithub.com/a/b v1.0.0\n\tgithub.com/x/y/v2 v2.0.0\n)') },
      errors: [{ messageId: 'jump', line: 7, column: 2, data: { fromMajor: 1, toMajor: 2 } }],
    },
    {
      name: '+incompatible majors',
      base: { 'api/go.mod': mod('require github.com/old/lib v2.3.0+incompatible') },
      files: { 'api/go.mod': mod('require github.com/old/lib v4.0.0+incompatible') },
      errors: [{ messageId: 'jump', line: 5, column: 9, data: { fromMajor: 2, toMajor: 4 } }],
    },
    {
      name: 'gopkg.in majors',
      base: { 'api/go.mod': mod('require gopkg.in/yaml.v2 v2.4.0') },
      files: { 'api/go.mod': mod('require gopkg.in/yaml.v3 v3.0.1') },
      errors: [{ messageId: 'jump', line: 5, column: 9, data: { fromMajor: 2, toMajor: 3 } }],
    },
    {
      name: 'a marker without a reason does not acknowledge',
      base: { 'api/go.mod': mod('require github.com/x/y/v2 v2.1.0') },
      files: { 'api/go.mod': mod('require github.com/x/y/v3 v3.0.0 // modguard:major') },
      errors: [{ messageId: 'jump', line: 5, column: 9 }],
    },
    {
      name: 'an anchor of the old major does not acknowledge the new one',
      base: { 'api/go.mod': mod('require github.com/x/y/v2 v2.1.0') },
      files: { 'anchor.lock': 'anchor github.com/x/y/v2 v2.1.0\n', 'api/go.mod': mod('require github.com/x/y/v3 v3.0.0') },
      errors: [{ messageId: 'jump', line: 5, column: 9 }],
    },
    {
      name: 'v0 to v1 with includeV0ToV1',
      base: { 'api/go.mod': mod('require github.com/x/y v0.9.0') },
      files: { 'api/go.mod': mod('require github.com/x/y v1.0.0') },
      options: { includeV0ToV1: true },
      errors: [{ messageId: 'jump', line: 5, column: 9, data: { fromMajor: 0, toMajor: 1 } }],
    },
  ],
});
