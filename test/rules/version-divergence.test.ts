import { rule } from '../../rules/version-divergence.ts';
import { ruleTester } from '../support/rule-tester.ts';

const mod = (name: string, body: string) => `module example.com/shop/${name}\n\ngo 1.22\n\n${body}\n`;
const uuid = (v: string, suffix = '') => `require github.com/google/uuid ${v}${suffix}`;

ruleTester.run(rule, {
  valid: [
    {
      name: 'one version everywhere',
      files: { 'a/go.mod': mod('a', uuid('v1.6.0')), 'b/go.mod': mod('b', uuid('v1.6.0')) },
    },
    {
      name: 'shorthand and canonical forms are one version',
      files: { 'a/go.mod': mod('a', uuid('v1.6')), 'b/go.mod': mod('b', uuid('v1.6.0')) },
    },
    {
      name: 'anchored dependencies are anchor-mismatch business',
      files: {
        'anchor.lock': 'anchor github.com/google/uuid v1.6.0\n',
        'a/go.mod': mod('a', uuid('v1.6.0')),
        'b/go.mod': mod('b', uuid('v1.5.0')),
      },
    },
    {
      name: 'sibling modules are not external',
      files: {
        'lib/go.mod': 'module example.com/shop/lib\n',
        'a/go.mod': mod('a', 'require example.com/shop/lib v0.1.0'),
        'b/go.mod': mod('b', 'require example.com/shop/lib v0.2.0'),
      },
    },
    {
      name: 'indirect requirements are not counted by default',
      files: { 'a/go.mod': mod('a', uuid('v1.6.0')), 'b/go.mod': mod('b', uuid('v1.5.0', ' // indirect')) },
    },
    {
      name: 'replaced requirements are not counted',
      files: {
        'a/go.mod': mod('a', uuid('v1.6.0')),
        'b/go.mod': mod('b', `${uuid('v1.5.0')}\n\nreplace github.com/google/uuid => github.com/fork/uuid v1.5.1`),
      },
    },
    {
      name: 'different commits are left to pseudo-version-conflict',
      files: {
        'a/go.mod': mod('a', 'require golang.org/x/exp v0.0.0-20240409090435-93d18d7e34b8'),
        'b/go.mod': mod('b', 'require golang.org/x/exp v0.0.0-20240506185415-9bf2ced13842'),
        'c/go.mod': mod('c', 'require golang.org/x/exp v0.1.0'),
      },
    },
    {
      name: 'outside the focus',
      files: { 'a/go.mod': mod('a', uuid('v1.6.0')), 'b/go.mod': mod('b', uuid('v1.6.0')), 'c/go.mod': mod('c', uuid('v1.5.0')) },
      focus: ['a', 'b'],
    },
  ],
  invalid: [
    {
      name: 'modules off the most common version, with counts and the suggested anchor',
      files: {
        'services/cart/go.mod': mod('services/cart', uuid('v1.6.0')),
        'services/orders/go.mod': mod('services/orders', `require (\n\tgithub.com/google/uuid v1.5.0\n\tgithub.com/pkg/errors v0.9.1\n)`),
        'services/search/go.mod': mod('services/search', uuid('v1.6.0')),
        'tools/codegen/go.mod': mod('tools/codegen', uuid('v1.4.0')),
      },
      errors: [
        { messageId: 'diverges', file: 'services/orders/go.mod', line: 6, column: 25, dependency: 'github.com/google/uuid',
          data: { version: 'v1.5.0', count: 3, suggested: 'v1.6.0', versions: 'v1.6.0 in 2 modules, v1.5.0 in 1 module, v1.4.0 in 1 module' } },
        { messageId: 'diverges', file: 'tools/codegen/go.mod', line: 5, column: 32, data: { version: 'v1.4.0' } },
      ],
    },
    {
      name: 'a tie for most common goes to the highest',
      files: { 'a/go.mod': mod('a', uuid('v1.5.0')), 'b/go.mod': mod('b', uuid('v1.10.0')) },
      errors: [{ messageId: 'diverges', file: 'a/go.mod', line: 5, column: 32, data: { suggested: 'v1.10.0' } }],
    },
    {
      name: 'target highest reports every module below the highest',
      files: {
        'a/go.mod': mod('a', uuid('v1.5.0')),
        'b/go.mod': mod('b', uuid('v1.5.0')),
        'c/go.mod': mod('c', uuid('v1.6.0')),
      },
      options: { target: 'highest' },
      errors: [
        { messageId: 'diverges', file: 'a/go.mod', line: 5, data: { suggested: 'v1.6.0', versions: 'v1.5.0 in 2 modules, v1.6.0 in 1 module' } },
        { messageId: 'diverges', file: 'b/go.mod', line: 5, data: { suggested: 'v1.6.0' } },
      ],
    },
    {
      name: 'includeIndirect counts indirect requirements',
      files: {
        'a/go.mod': mod('a', uuid('v1.6.0')),
        'b/go.mod': mod('b', uuid('v1.6.0')),
        'c/go.mod': mod('c', uuid('v1.5.0', ' // indirect')),
      },
      options: { includeIndirect: true },
      errors: [{ messageId: 'diverges', file: 'c/go.mod', line: 5, column: 32 }],
    },
    {
      name: 'a pseudo-version next to releases is a version too',
      files: {
        'a/go.mod': mod('a', 'require golang.org/x/exp v0.1.0'),
        'b/go.mod': mod('b', 'require golang.org/x/exp v0.1.0'),
        'c/go.mod': mod('c', 'require golang.org/x/exp v0.0.0-20240506185415-9bf2ced13842'),
      },
      errors: [{ messageId: 'diverges', file: 'c/go.mod', line: 5, column: 26, data: { suggested: 'v0.1.0' } }],
    },
  ],
});
