import { rule } from '../../rules/multiple-majors.ts';
import { ruleTester } from '../support/rule-tester.ts';

const mod = (name: string, body: string) => `module example.com/shop/${name}\n\ngo 1.22\n\n${body}\n`;

ruleTester.run(rule, {
  valid: [
    {
      name: 'one major everywhere',
      files: {
        'a/go.mod': mod('a', 'require github.com/cenkalti/backoff/v5 v5.0.2'),
        'b/go.mod': mod('b', 'require github.com/cenkalti/backoff/v5 v5.0.1'),
      },
    },
    {
      name: '+incompatible majors of one path are one module path too (Go builds one of them; version-divergence tells them apart)',
      files: {
        'a/go.mod': mod('a', 'require github.com/docker/docker v20.10.27+incompatible'),
        'b/go.mod': mod('b', 'require github.com/docker/docker v27.1.1+incompatible'),
        'c/go.mod': mod('c', 'require github.com/docker/docker v1.13.1'),
      },
    },
    {
      name: 'v0 and v1 of an unsuffixed path are one module path',
      files: {
        'a/go.mod': mod('a', 'require github.com/x/y v0.9.0'),
        'b/go.mod': mod('b', 'require github.com/x/y v1.2.0'),
      },
    },
    {
      name: 'indirect majors are not counted by default',
      files: {
        'a/go.mod': mod('a', 'require gopkg.in/yaml.v3 v3.0.1'),
        'b/go.mod': mod('b', 'require gopkg.in/yaml.v2 v2.4.0 // indirect'),
      },
    },
    {
      name: 'different families that share a prefix',
      files: {
        'a/go.mod': mod('a', 'require github.com/x/y/v2 v2.0.0'),
        'b/go.mod': mod('b', 'require github.com/x/yz/v3 v3.0.0'),
      },
    },
    {
      name: 'the older major outside the focus',
      files: {
        'a/go.mod': mod('a', 'require github.com/cenkalti/backoff/v4 v4.3.0'),
        'b/go.mod': mod('b', 'require github.com/cenkalti/backoff/v5 v5.0.2'),
      },
      focus: ['b'],
    },
  ],
  invalid: [
    {
      name: '/v4 and /v5: the older major is reported at its path',
      files: {
        'services/search/go.mod': mod('services/search', 'require (\n\tgithub.com/cenkalti/backoff/v4 v4.3.0\n\tgithub.com/google/uuid v1.6.0\n)'),
        'services/payments/go.mod': mod('services/payments', 'require github.com/cenkalti/backoff/v5 v5.0.2'),
      },
      errors: [{ messageId: 'olderMajor', file: 'services/search/go.mod', line: 6, column: 2, dependency: 'github.com/cenkalti/backoff/v4',
        data: { major: 4, family: 'github.com/cenkalti/backoff', count: 2, latest: 'github.com/cenkalti/backoff/v5',
          majors: 'github.com/cenkalti/backoff/v5 (v5) in 1 module, github.com/cenkalti/backoff/v4 (v4) in 1 module' } }],
    },
    {
      name: 'unsuffixed v1 next to /v2',
      files: {
        'a/go.mod': mod('a', 'require github.com/x/y v1.2.0'),
        'b/go.mod': mod('b', 'require github.com/x/y/v2 v2.0.0'),
      },
      errors: [{ messageId: 'olderMajor', file: 'a/go.mod', line: 5, column: 9, data: { major: 1, latest: 'github.com/x/y/v2' } }],
    },
    {
      name: 'gopkg.in majors',
      files: {
        'a/go.mod': mod('a', 'require gopkg.in/yaml.v2 v2.4.0'),
        'b/go.mod': mod('b', 'require gopkg.in/yaml.v3 v3.0.1'),
        'c/go.mod': mod('c', 'require gopkg.in/yaml.v2 v2.4.0'),
      },
      errors: [
        { messageId: 'olderMajor', file: 'a/go.mod', line: 5, column: 9, data: { family: 'gopkg.in/yaml', major: 2 } },
        { messageId: 'olderMajor', file: 'c/go.mod', line: 5, column: 9 },
      ],
    },
    {
      name: 'an unsuffixed path\'s v1 and its +incompatible majors, older than its /vN path',
      files: {
        'a/go.mod': mod('a', 'require github.com/x/y v1.4.0'),
        'b/go.mod': mod('b', 'require github.com/x/y v3.1.0+incompatible'),
        'c/go.mod': mod('c', 'require github.com/x/y/v4 v4.0.1'),
      },
      errors: [
        { messageId: 'olderMajor', file: 'a/go.mod', line: 5, column: 9, data: { major: 1, count: 2, latest: 'github.com/x/y/v4', majors: 'github.com/x/y/v4 (v4) in 1 module, github.com/x/y v3+incompatible in 2 modules' } },
        { messageId: 'olderMajor', file: 'b/go.mod', line: 5, column: 9, data: { major: 3, count: 2, latest: 'github.com/x/y/v4' } },
      ],
    },
    {
      name: 'for the same major the /vN path is the newest, +incompatible is older',
      files: {
        'a/go.mod': mod('a', 'require github.com/x/y v2.1.0+incompatible'),
        'b/go.mod': mod('b', 'require github.com/x/y/v2 v2.2.0'),
      },
      errors: [{ messageId: 'olderMajor', file: 'a/go.mod', line: 5, column: 9, data: { major: 2, latest: 'github.com/x/y/v2' } }],
    },
    {
      name: 'one module requiring two majors during a migration',
      files: {
        'a/go.mod': mod('a', 'require (\n\tgithub.com/cenkalti/backoff/v4 v4.3.0\n\tgithub.com/cenkalti/backoff/v5 v5.0.2\n)'),
      },
      errors: [{ messageId: 'olderMajor', file: 'a/go.mod', line: 6, column: 2 }],
    },
    {
      name: 'includeIndirect counts indirect requirements',
      files: {
        'a/go.mod': mod('a', 'require gopkg.in/yaml.v3 v3.0.1'),
        'b/go.mod': mod('b', 'require gopkg.in/yaml.v2 v2.4.0 // indirect'),
      },
      options: { includeIndirect: true },
      errors: [{ messageId: 'olderMajor', file: 'b/go.mod', line: 5, column: 9 }],
    },
  ],
});
