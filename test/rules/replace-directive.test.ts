import { rule } from '../../rules/replace-directive.ts';
import { ruleTester } from '../support/rule-tester.ts';

const money = 'module example.com/shop/libs/money\n\ngo 1.22\n';
const lock = `allow-replace github.com/foo/bar
allow-replace github.com/foo/baz => ./third_party/baz
allow-replace github.com/foo/qux => github.com/fork/qux v1.4.1
allow-replace github.com/foo/quux => github.com/fork/quux
`;

ruleTester.run(rule, {
  valid: [
    {
      name: 'sibling module replaced by its directory',
      files: {
        'libs/money/go.mod': money,
        'services/cart/go.mod': `module example.com/shop/services/cart

require example.com/shop/libs/money v0.0.0-00010101000000-000000000000

replace example.com/shop/libs/money => ../../libs/money
`,
      },
    },
    {
      name: 'sibling replace to the root module with ".." and a block',
      files: {
        'go.mod': 'module example.com/shop\n',
        'tools/go.mod': 'module example.com/shop/tools\n\nreplace (\n\texample.com/shop => ..\n)\n',
      },
    },
    {
      name: 'sibling replace with a trailing slash and ./ segments',
      files: {
        'libs/money/go.mod': money,
        'svc/go.mod': 'module example.com/shop/svc\n\nreplace example.com/shop/libs/money => ./../libs/./money/\n',
      },
    },
    {
      name: 'allow-replace without a target allows any replacement',
      files: {
        'anchor.lock': lock,
        'svc/go.mod': 'module example.com/shop/svc\n\nreplace github.com/foo/bar v1.0.0 => github.com/me/bar v1.0.1\n',
      },
    },
    {
      name: 'allowed directory target, written relative to the module, normalized against the root',
      files: {
        'anchor.lock': lock,
        'third_party/baz/go.mod': 'module github.com/foo/baz\n',
        'svc/a/go.mod': 'module example.com/shop/svc/a\n\nreplace github.com/foo/baz => ../../third_party/baz\n',
      },
    },
    {
      name: 'allowed module target, version compared canonically',
      files: {
        'anchor.lock': lock,
        'svc/go.mod': 'module example.com/shop/svc\n\nreplace github.com/foo/qux => github.com/fork/qux v1.4.1\n',
      },
    },
    {
      name: 'allowed module target without a version allows any version of it',
      files: {
        'anchor.lock': lock,
        'svc/go.mod': 'module example.com/shop/svc\n\nreplace github.com/foo/quux => github.com/fork/quux v0.9.0\n',
      },
    },
    {
      name: 'go.work replace of a sibling',
      files: {
        'libs/money/go.mod': money,
        'go.work': 'go 1.22\n\nuse ./libs/money\n\nreplace example.com/shop/libs/money => ./libs/money\n',
      },
    },
    {
      name: 'a go.work whose modules are all outside the focus is not reported',
      files: {
        'libs/money/go.mod': money,
        'svc/go.mod': 'module example.com/shop/svc\n',
        'go.work': 'go 1.22\n\nuse ./libs/money\n\nreplace github.com/x/y => ../y\n',
      },
      focus: ['svc'],
    },
    {
      name: 'a module outside the focus is not reported',
      files: {
        'a/go.mod': 'module example.com/a\n\nreplace github.com/x/y => github.com/z/y v1.0.0\n',
        'b/go.mod': 'module example.com/b\n',
      },
      focus: ['b'],
    },
  ],
  invalid: [
    {
      name: 'module replacement not in anchor.lock points at the old path',
      files: {
        'anchor.lock': lock,
        'svc/go.mod': `module example.com/shop/svc

require github.com/stripe/stripe-go/v76 v76.0.0

// The fork carries a retry fix.
replace github.com/stripe/stripe-go/v76 => github.com/shop-forks/stripe-go/v76 v76.0.1
`,
      },
      errors: [{ messageId: 'notAllowed', file: 'svc/go.mod', line: 6, column: 9, dependency: 'github.com/stripe/stripe-go/v76',
        data: { old: 'github.com/stripe/stripe-go/v76', target: 'github.com/shop-forks/stripe-go/v76 v76.0.1' } }],
    },
    {
      name: 'allowed module, another target version',
      files: {
        'anchor.lock': lock,
        'svc/go.mod': 'module example.com/shop/svc\n\nreplace (\n\tgithub.com/foo/qux => github.com/fork/qux v1.4.2\n\tgithub.com/foo/qux v1.0.0 => github.com/fork/other v1.4.1\n)\n',
      },
      errors: [
        { messageId: 'notAllowed', line: 4, column: 2 },
        { messageId: 'notAllowed', line: 5, column: 2, data: { old: 'github.com/foo/qux@v1.0.0' } },
      ],
    },
    {
      name: 'an allow-replace restriction wins over the sibling default',
      files: {
        'anchor.lock': lock,
        'third_party/baz2/go.mod': 'module github.com/foo/baz\n',
        'svc/go.mod': 'module example.com/shop/svc\n\nreplace github.com/foo/baz => ../third_party/baz2\n',
      },
      errors: [{ messageId: 'notAllowed', line: 3, column: 9 }],
    },
    {
      name: 'directory outside the root is flagged even when anchor.lock allows the module',
      files: {
        'anchor.lock': lock,
        'svc/a/go.mod': 'module example.com/shop/svc/a\n\nreplace github.com/foo/bar => ../../../bar\n',
      },
      errors: [{ messageId: 'outsideRoot', line: 3, column: 31, data: { target: '../../../bar' } }],
    },
    {
      name: 'absolute directory targets are outside the root, even when allowed',
      files: {
        'anchor.lock': 'allow-replace github.com/a/b => /etc/b\n',
        'svc/go.mod': 'module example.com/shop/svc\n\nreplace (\n\tgithub.com/a/b => /etc/b\n\tgithub.com/c/d => /\n)\n',
      },
      errors: [
        { messageId: 'outsideRoot', line: 4, column: 20, data: { resolved: '/etc/b' } },
        { messageId: 'outsideRoot', line: 5, column: 20 },
      ],
    },
    {
      name: 'sibling replaces are flagged with allowSiblings false',
      files: {
        'libs/money/go.mod': money,
        'services/cart/go.mod': 'module example.com/shop/services/cart\n\nreplace example.com/shop/libs/money => ../../libs/money\n',
      },
      options: { allowSiblings: false },
      errors: [{ messageId: 'notAllowed', file: 'services/cart/go.mod', line: 3, column: 9 }],
    },
    {
      name: 'directory inside the root without a module',
      files: {
        'svc/go.mod': 'module example.com/shop/svc\n\nreplace example.com/shop/gone => ../gone\n',
      },
      errors: [{ messageId: 'unknownDirectory', line: 3, column: 34, data: { resolved: 'gone', allowTarget: './gone' } }],
    },
    {
      name: 'directory of another module than the replaced path',
      files: {
        'libs/money/go.mod': money,
        'svc/go.mod': 'module example.com/shop/svc\n\nreplace example.com/shop/libs/cash => ../libs/money\n',
      },
      errors: [{ messageId: 'siblingPathMismatch', line: 3, column: 39, data: { declared: 'example.com/shop/libs/money' } }],
    },
    {
      name: 'a go.work is reported when one of the modules it uses is in focus',
      files: {
        'libs/money/go.mod': money,
        'svc/go.mod': 'module example.com/shop/svc\n',
        'go.work': 'go 1.22\n\nuse (\n\t./libs/money\n\t./svc\n)\n\nreplace github.com/x/y => ../y\n',
      },
      focus: ['svc'],
      errors: [{ messageId: 'outsideRoot', file: 'go.work', line: 8, column: 27 }],
    },
    {
      name: 'go.work replaces are checked, relative to the go.work directory',
      files: {
        'libs/money/go.mod': money,
        'go.work': 'go 1.22\n\nuse ./libs/money\n\nreplace github.com/x/y => ../y\n\nreplace example.com/shop/libs/money => github.com/fork/money v1.0.0\n',
      },
      errors: [
        { messageId: 'outsideRoot', file: 'go.work', line: 5, column: 27 },
        { messageId: 'notAllowed', file: 'go.work', line: 7, column: 9 },
      ],
    },
  ],
});
