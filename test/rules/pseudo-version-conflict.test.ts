import { rule } from '../../rules/pseudo-version-conflict.ts';
import assert from 'node:assert/strict';
import { buildRepository, ruleTester, runRule } from '../support/rule-tester.ts';

const P1 = 'v0.0.0-20240409090435-93d18d7e34b8';
const P1_AGAIN = 'v1.2.4-0.20240409090435-93d18d7e34b8'; // same commit, other base
const P2 = 'v0.0.0-20240506185415-9bf2ced13842';
const P3 = 'v0.0.0-20240601000000-0123456789ab';

const mod = (name: string, body: string) => `module example.com/shop/${name}\n\ngo 1.22\n\n${body}\n`;

ruleTester.run(rule, {
  valid: [
    {
      name: 'same commit everywhere',
      files: {
        'a/go.mod': mod('a', `require golang.org/x/exp ${P1}`),
        'b/go.mod': mod('b', `require golang.org/x/exp ${P1}`),
      },
    },
    {
      name: 'same commit behind different pseudo-version bases',
      files: {
        'a/go.mod': mod('a', `require golang.org/x/exp ${P1}`),
        'b/go.mod': mod('b', `require golang.org/x/exp ${P1_AGAIN}`),
      },
    },
    {
      name: 'one commit by its short form and by its full hash (which Go refuses to fetch, but names the same commit)',
      files: {
        'a/go.mod': mod('a', 'require github.com/go-macaron/cors v0.0.0-20190418220122-6fd6a9bfe14e'),
        'b/go.mod': mod('b', 'require github.com/go-macaron/cors v0.0.0-20190418220122-6fd6a9bfe14e7a6e8c8d5c0bb4d3b04f2a5a2b7d'),
      },
    },
    {
      name: 'pseudo-version and release mix passes by default',
      files: {
        'a/go.mod': mod('a', `require golang.org/x/exp ${P1}`),
        'b/go.mod': mod('b', 'require golang.org/x/exp v0.1.0'),
      },
    },
    {
      name: 'different releases are not pseudo-version conflicts',
      files: {
        'a/go.mod': mod('a', 'require golang.org/x/exp v0.1.0'),
        'b/go.mod': mod('b', 'require golang.org/x/exp v0.2.0'),
      },
    },
    {
      name: 'replaced requirements carry placeholder versions',
      files: {
        'lib/go.mod': 'module example.com/shop/lib\n',
        'a/go.mod': mod('a', 'require example.com/shop/lib v0.0.0-00010101000000-000000000000\n\nreplace example.com/shop/lib => ../lib'),
        'b/go.mod': mod('b', `require example.com/shop/lib ${P2}\n\nreplace example.com/shop/lib => ../lib`),
      },
    },
    {
      name: 'indirect requirements skipped with includeIndirect false',
      files: {
        'a/go.mod': mod('a', `require golang.org/x/exp ${P1} // indirect`),
        'b/go.mod': mod('b', `require golang.org/x/exp ${P2}`),
      },
      options: { includeIndirect: false },
    },
    {
      name: 'a module outside the focus is not reported, though it is read',
      files: {
        'a/go.mod': mod('a', `require golang.org/x/exp ${P1}`),
        'b/go.mod': mod('b', `require golang.org/x/exp ${P2}`),
        'c/go.mod': mod('c', 'require golang.org/x/text v0.14.0'),
      },
      focus: ['c'],
    },
  ],
  invalid: [
    {
      name: 'two commits in two modules: one finding per module',
      files: {
        'services/orders/go.mod': mod('services/orders', `require golang.org/x/exp ${P1}`),
        'services/search/go.mod': mod('services/search', `require (\n\tgithub.com/google/uuid v1.6.0\n\tgolang.org/x/exp ${P2}\n)`),
      },
      errors: [
        { messageId: 'conflict', file: 'services/orders/go.mod', line: 5, column: 26, dependency: 'golang.org/x/exp', data: { revision: '93d18d7e34b8', count: 2 } },
        { messageId: 'conflict', file: 'services/search/go.mod', line: 7, column: 19, dependency: 'golang.org/x/exp', data: { revision: '9bf2ced13842', count: 2 } },
      ],
    },
    {
      name: 'three commits, two modules on one of them; indirect counted by default',
      files: {
        'a/go.mod': mod('a', `require golang.org/x/exp ${P1}`),
        'b/go.mod': mod('b', `require golang.org/x/exp ${P1_AGAIN} // indirect`),
        'c/go.mod': mod('c', `require golang.org/x/exp ${P3}`),
      },
      errors: [
        { messageId: 'conflict', file: 'a/go.mod', line: 5, column: 26, data: { revisions: '93d18d7e34b8 in 2 modules, 0123456789ab in 1 module' } },
        { messageId: 'conflict', file: 'b/go.mod', line: 5, column: 26 },
        { messageId: 'conflict', file: 'c/go.mod', line: 5, column: 26, data: { count: 2 } },
      ],
    },
    {
      name: 'flagReleaseMix reports pseudo-version and release modules',
      files: {
        'a/go.mod': mod('a', `require golang.org/x/exp ${P1}`),
        'b/go.mod': mod('b', 'require golang.org/x/exp v0.1.0'),
      },
      options: { flagReleaseMix: true },
      errors: [
        { messageId: 'releaseMix', file: 'a/go.mod', line: 5, column: 26 },
        { messageId: 'releaseMix', file: 'b/go.mod', line: 5, column: 26, data: { version: 'v0.1.0' } },
      ],
    },
    {
      name: 'flagReleaseMix with two commits names the release module too',
      files: {
        'a/go.mod': mod('a', `require golang.org/x/exp ${P1}`),
        'b/go.mod': mod('b', `require golang.org/x/exp ${P2}`),
        'c/go.mod': mod('c', 'require golang.org/x/exp v0.1.0'),
      },
      options: { flagReleaseMix: true },
      errors: [
        { messageId: 'conflict', file: 'a/go.mod', line: 5 },
        { messageId: 'conflict', file: 'b/go.mod', line: 5 },
        { messageId: 'conflict', file: 'c/go.mod', line: 5 },
      ],
    },
    {
      name: 'only focused modules get findings, all modules are read',
      files: {
        'a/go.mod': mod('a', `require golang.org/x/exp ${P1}`),
        'b/go.mod': mod('b', `require golang.org/x/exp ${P2}`),
      },
      focus: ['b'],
      errors: [{ messageId: 'conflict', file: 'b/go.mod', line: 5, column: 26 }],
    },
  ],
});

describe('pseudo-version-conflict listing', () => {
  it('gives every finding the full list of modules, versions and revisions involved', () => {
    const repo = buildRepository({
      files: {
        'a/go.mod': mod('a', `require golang.org/x/exp ${P1}`),
        'b/go.mod': mod('b', `require golang.org/x/exp ${P2}`),
        'c/go.mod': mod('c', 'require golang.org/x/exp v0.1.0'),
      },
      focus: ['a'],
    });
    const reports = runRule(rule, repo);
    assert.equal(reports.length, 1);
    assert.deepEqual(reports[0]!.extra!.involved, [
      { module: 'example.com/shop/a', dir: 'a', file: 'a/go.mod', line: 5, version: P1, revision: '93d18d7e34b8' },
      { module: 'example.com/shop/b', dir: 'b', file: 'b/go.mod', line: 5, version: P2, revision: '9bf2ced13842' },
    ]);
  });
});
