import { rule } from '../../rules/banned-module.ts';
import { ruleTester } from '../support/rule-tester.ts';

const lock = `ban github.com/pkg/errors // use errors and fmt.Errorf with %w from the standard library
ban github.com/evil/lib v1.3.0 // CVE-2026-0001
ban github.com/abandoned/...
`;
const mod = (name: string, body: string) => `module example.com/shop/${name}\n\ngo 1.22\n\n${body}\n`;

ruleTester.run(rule, {
  valid: [
    {
      name: 'no banned requirement',
      files: { 'anchor.lock': lock, 'a/go.mod': mod('a', 'require github.com/google/uuid v1.6.0') },
    },
    {
      name: 'a versioned ban does not cover other versions',
      files: { 'anchor.lock': lock, 'a/go.mod': mod('a', 'require github.com/evil/lib v1.3.1') },
    },
    {
      name: 'an exact ban does not cover other majors or longer paths',
      files: { 'anchor.lock': lock, 'a/go.mod': mod('a', 'require (\n\tgithub.com/pkg/errors/v2 v2.0.0\n\tgithub.com/pkg/errorsx v1.0.0\n)') },
    },
    {
      name: 'a prefix ban does not cover a longer path element',
      files: { 'anchor.lock': lock, 'a/go.mod': mod('a', 'require github.com/abandonedware/x v1.0.0') },
    },
    {
      name: 'indirect requirements skipped with includeIndirect false',
      files: { 'anchor.lock': lock, 'a/go.mod': mod('a', 'require github.com/pkg/errors v0.9.1 // indirect') },
      options: { includeIndirect: false },
    },
    {
      name: 'the banned module\'s own go.mod',
      files: { 'anchor.lock': lock, 'x/go.mod': 'module github.com/pkg/errors\n\nrequire github.com/pkg/errors v0.9.0\n' },
    },
    {
      name: 'outside the focus',
      files: { 'anchor.lock': lock, 'a/go.mod': mod('a', 'require github.com/pkg/errors v0.9.1'), 'b/go.mod': mod('b', '') },
      focus: ['b'],
    },
  ],
  invalid: [
    {
      name: 'direct requirement, with the reason',
      files: { 'anchor.lock': lock, 'services/orders/go.mod': mod('services/orders', 'require (\n\tgithub.com/google/uuid v1.5.0\n\tgithub.com/pkg/errors v0.9.1\n)') },
      errors: [{ messageId: 'banned', file: 'services/orders/go.mod', line: 7, column: 2, dependency: 'github.com/pkg/errors',
        data: { reason: 'use errors and fmt.Errorf with %w from the standard library', banLine: 1, ban: 'github.com/pkg/errors' } }],
    },
    {
      name: 'indirect requirement has its own message',
      files: { 'anchor.lock': lock, 'a/go.mod': mod('a', 'require github.com/pkg/errors v0.9.1 // indirect') },
      errors: [{ messageId: 'bannedIndirect', line: 5, column: 9 }],
    },
    {
      name: 'versioned ban matches canonically',
      files: { 'anchor.lock': lock, 'a/go.mod': mod('a', 'require github.com/evil/lib v1.3') },
      errors: [{ messageId: 'banned', line: 5, column: 9, data: { ban: 'github.com/evil/lib@v1.3.0', reason: 'CVE-2026-0001' } }],
    },
    {
      name: 'prefix ban covers the path itself and everything below it',
      files: {
        'anchor.lock': lock,
        'a/go.mod': mod('a', 'require (\n\tgithub.com/abandoned v1.0.0\n\tgithub.com/abandoned/x v1.0.0\n\tgithub.com/abandoned/x/v2 v2.0.0\n)'),
      },
      errors: [
        { messageId: 'banned', line: 6, column: 2, data: { ban: 'github.com/abandoned/...', reason: 'no reason recorded' } },
        { messageId: 'banned', line: 7, column: 2 },
        { messageId: 'banned', line: 8, column: 2 },
      ],
    },
    {
      name: 'a replace that brings in a banned module',
      files: { 'anchor.lock': lock, 'a/go.mod': mod('a', 'require github.com/x/errs v1.0.0\n\nreplace github.com/x/errs => github.com/pkg/errors v0.9.1') },
      errors: [{ messageId: 'bannedReplacement', line: 7, column: 30, dependency: 'github.com/pkg/errors' }],
    },
  ],
});
