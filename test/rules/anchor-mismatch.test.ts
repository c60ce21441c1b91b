import { rule } from '../../rules/anchor-mismatch.ts';
import { ruleTester } from '../support/rule-tester.ts';

const lock = `anchor github.com/x/y v1.2.0
anchor (
	google.golang.org/grpc v1.64.0 // owner: rpc-platform
	example.com/shop/libs/money v0.3.0
)
`;

ruleTester.run(rule, {
  valid: [
    {
      name: 'requirement at the pin',
      files: {
        'anchor.lock': lock,
        'svc/a/go.mod': `module example.com/shop/svc/a

go 1.22

require (
	github.com/x/y v1.2.0
	google.golang.org/grpc v1.64.0
)
`,
      },
    },
    {
      name: 'shorthand v1.2 is the same version as the pin v1.2.0',
      files: {
        'anchor.lock': lock,
        'svc/a/go.mod': `module example.com/shop/svc/a

go 1.22

require github.com/x/y v1.2
`,
      },
    },
    {
      name: 'unanchored dependency at any version',
      files: {
        'anchor.lock': lock,
        'svc/a/go.mod': 'module example.com/shop/svc/a\n\nrequire github.com/other/z v9.9.9+incompatible\n',
      },
    },
    {
      name: 'the anchored module itself is not a consumer of its anchor',
      files: {
        'anchor.lock': lock,
        'libs/money/go.mod': 'module example.com/shop/libs/money\n\nrequire example.com/shop/libs/money v0.1.0\n',
      },
    },
    {
      name: 'indirect requirement off the pin with includeIndirect false',
      files: {
        'anchor.lock': lock,
        'svc/a/go.mod': 'module example.com/shop/svc/a\n\nrequire google.golang.org/grpc v1.60.0 // indirect\n',
      },
      options: { includeIndirect: false },
    },
    {
      name: 'no anchor.lock',
      files: { 'svc/a/go.mod': 'module example.com/shop/svc/a\n\nrequire github.com/x/y v1.1.0\n' },
    },
    {
      name: 'a module outside the focus is not reported',
      files: {
        'anchor.lock': lock,
        'svc/a/go.mod': 'module example.com/shop/svc/a\n\nrequire github.com/x/y v1.1.0\n',
        'svc/b/go.mod': 'module example.com/shop/svc/b\n\nrequire github.com/x/y v1.2.0\n',
      },
      focus: ['svc/b'],
    },
  ],
  invalid: [
    {
      name: 'below the pin at top level: points at the version token',
      files: {
        'anchor.lock': lock,
        'svc/a/go.mod': `module example.com/shop/svc/a

go 1.22

require github.com/x/y v1.1.0
`,
      },
      errors: [{ messageId: 'mismatch', file: 'svc/a/go.mod', line: 5, column: 24, dependency: 'github.com/x/y', data: { pin: 'v1.2.0', actual: 'v1.1.0', direction: 'below' } }],
    },
    {
      name: 'above the pin inside a block',
      files: {
        'anchor.lock': lock,
        'svc/a/go.mod': `module example.com/shop/svc/a

go 1.22

require (
	github.com/x/y v1.2.0
	google.golang.org/grpc v1.65.0-rc.1
)
`,
      },
      errors: [{ messageId: 'mismatch', line: 7, column: 25, dependency: 'google.golang.org/grpc', data: { direction: 'above', pin: 'v1.64.0', anchorLine: 3 } }],
    },
    {
      name: 'indirect requirements count by default',
      files: {
        'anchor.lock': lock,
        'svc/a/go.mod': 'module example.com/shop/svc/a\n\nrequire google.golang.org/grpc v1.60.0 // indirect\n',
      },
      errors: [{ messageId: 'mismatch', line: 3, column: 32 }],
    },
    {
      name: 'shorthand below the pin',
      files: {
        'anchor.lock': lock,
        'svc/a/go.mod': 'module example.com/shop/svc/a\n\nrequire github.com/x/y v1.1\n',
      },
      errors: [{ messageId: 'mismatch', line: 3, column: 24, data: { actual: 'v1.1.0', direction: 'below' } }],
    },
    {
      name: 'a sibling anchored module required by another module',
      files: {
        'anchor.lock': lock,
        'libs/money/go.mod': 'module example.com/shop/libs/money\n',
        'svc/a/go.mod': 'module example.com/shop/svc/a\n\nrequire example.com/shop/libs/money v0.2.0\n',
      },
      errors: [{ messageId: 'mismatch', file: 'svc/a/go.mod', line: 3, column: 37 }],
    },
    {
      name: 'every module off the pin is reported, in focus only',
      files: {
        'anchor.lock': lock,
        'svc/a/go.mod': 'module example.com/shop/svc/a\n\nrequire github.com/x/y v1.1.0\n',
        'svc/b/go.mod': 'module example.com/shop/svc/b\n\nrequire github.com/x/y v1.3.0\n',
        'svc/c/go.mod': 'module example.com/shop/svc/c\n\nrequire github.com/x/y v1.0.0\n',
      },
      focus: ['svc/a', 'svc/b'],
      errors: [
        { messageId: 'mismatch', file: 'svc/a/go.mod', line: 3, column: 24, data: { direction: 'below' } },
        { messageId: 'mismatch', file: 'svc/b/go.mod', line: 3, column: 24, data: { direction: 'above' } },
      ],
    },
  ],
});
