import { rule } from '../../rules/go-version-drift.ts';
import { ruleTester } from '../support/rule-tester.ts';

const mod = (name: string, go: string, extra = '') => `module example.com/${name}\n\ngo ${go}\n${extra}`;

ruleTester.run(rule, {
  valid: [
    {
      name: 'every module on the anchor.lock go line',
      files: {
        'anchor.lock': 'go 1.22\n',
        'a/go.mod': mod('a', '1.22'),
        'b/go.mod': mod('b', '1.22'),
      },
    },
    {
      name: 'all modules agree without an anchor.lock go line',
      files: {
        'anchor.lock': 'anchor github.com/x/y v1.0.0\n',
        'a/go.mod': mod('a', '1.21.5'),
        'b/go.mod': mod('b', '1.21.5'),
      },
    },
    {
      name: 'a missing toolchain line is not drift',
      files: {
        'anchor.lock': 'go 1.22\ntoolchain go1.22.3\n',
        'a/go.mod': mod('a', '1.22'),
      },
    },
    {
      name: 'toolchain default in anchor.lock checks nothing',
      files: {
        'anchor.lock': 'go 1.22\ntoolchain default\n',
        'a/go.mod': mod('a', '1.22', 'toolchain go1.23.1\n'),
      },
    },
    {
      name: 'toolchain lines not compared with checkToolchain false',
      files: {
        'anchor.lock': 'go 1.22\ntoolchain go1.22.3\n',
        'a/go.mod': mod('a', '1.22', 'toolchain go1.22.1\n'),
      },
      options: { checkToolchain: false },
    },
    {
      name: 'go.work not checked with checkWorkFiles false',
      files: {
        'anchor.lock': 'go 1.22\n',
        'a/go.mod': mod('a', '1.22'),
        'go.work': 'go 1.21\n\nuse ./a\n',
      },
      options: { checkWorkFiles: false },
    },
    {
      name: 'a drifting module outside the focus',
      files: {
        'anchor.lock': 'go 1.22\n',
        'a/go.mod': mod('a', '1.21'),
        'b/go.mod': mod('b', '1.22'),
      },
      focus: ['b'],
    },
    {
      name: 'no go lines anywhere and no anchor: nothing to compare with',
      files: {
        'a/go.mod': 'module example.com/a\n',
        'b/go.mod': 'module example.com/b\n',
      },
    },
  ],
  invalid: [
    {
      name: 'older than the anchor.lock go line, at the version token',
      files: {
        'anchor.lock': '// the repository go version\ngo 1.22\n',
        'services/orders/go.mod': mod('services/orders', '1.21'),
        'services/cart/go.mod': mod('services/cart', '1.22'),
      },
      errors: [{ messageId: 'goDiffersFromAnchor', file: 'services/orders/go.mod', line: 3, column: 4,
        data: { actual: '1.21', expected: '1.22', anchorFile: 'anchor.lock', anchorLine: 2 } }],
    },
    {
      name: '1.22.0 is not 1.22 (Go orders 1.22 < 1.22rc1 < 1.22.0)',
      files: {
        'anchor.lock': 'go 1.22\n',
        'a/go.mod': mod('a', '1.22.0'),
      },
      errors: [{ messageId: 'goDiffersFromAnchor', line: 3, column: 4, data: { actual: '1.22.0' } }],
    },
    {
      name: 'majority without an anchor.lock go line',
      files: {
        'a/go.mod': mod('a', '1.22'),
        'b/go.mod': mod('b', '1.22'),
        'c/go.mod': mod('c', '1.23'),
      },
      errors: [{ messageId: 'goDiffersFromMajority', file: 'c/go.mod', line: 3, column: 4, data: { expected: '1.22', count: 2, total: 3 } }],
    },
    {
      name: 'a tie goes to the highest version',
      files: {
        'a/go.mod': mod('a', '1.21'),
        'b/go.mod': mod('b', '1.22.3'),
        'c/go.mod': mod('c', '1.22.10'),
      },
      errors: [
        { messageId: 'goDiffersFromMajority', file: 'a/go.mod', line: 3, data: { expected: '1.22.10' } },
        { messageId: 'goDiffersFromMajority', file: 'b/go.mod', line: 3, data: { expected: '1.22.10' } },
      ],
    },
    {
      name: 'missing go line at line 1',
      files: {
        'anchor.lock': 'go 1.22\n',
        'a/go.mod': 'module example.com/a\n\nrequire github.com/x/y v1.0.0\n',
      },
      errors: [{ messageId: 'missingGo', file: 'a/go.mod', line: 1, column: 1, data: { expected: '1.22' } }],
    },
    {
      name: 'toolchain differs from anchor.lock',
      files: {
        'anchor.lock': 'go 1.22\ntoolchain go1.22.3\n',
        'a/go.mod': mod('a', '1.22', 'toolchain go1.22.1\n'),
      },
      errors: [{ messageId: 'toolchainDiffersFromAnchor', line: 4, column: 11, data: { actual: 'go1.22.1', expected: 'go1.22.3', anchorLine: 2 } }],
    },
    {
      name: 'toolchain majority among the modules that name one',
      files: {
        'a/go.mod': mod('a', '1.22', 'toolchain go1.22.3\n'),
        'b/go.mod': mod('b', '1.22', 'toolchain go1.22.3\n'),
        'c/go.mod': mod('c', '1.22', 'toolchain go1.23.0\n'),
        'd/go.mod': mod('d', '1.22'),
      },
      errors: [{ messageId: 'toolchainDiffersFromMajority', file: 'c/go.mod', line: 4, column: 11, data: { count: 2, total: 3 } }],
    },
    {
      name: 'go.work go line checked against anchor.lock',
      files: {
        'anchor.lock': 'go 1.22\n',
        'a/go.mod': mod('a', '1.22'),
        'go.work': 'go 1.21\n\nuse ./a\n',
      },
      errors: [{ messageId: 'goDiffersFromAnchor', file: 'go.work', line: 1, column: 4 }],
    },
  ],
});
