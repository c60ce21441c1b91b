import { rule } from '../../rules/stale-graph.ts';
import { ruleTester } from '../support/rule-tester.ts';

const mod = (body: string) => `module example.com/shop/a\n\ngo 1.22\n\n${body}\n`;
const REQUIRES = 'require (\n\tgithub.com/google/uuid v1.4.0\n\tgolang.org/x/net v0.24.0 // indirect\n)';

ruleTester.run(rule, {
  valid: [
    {
      name: 'the graph lists the requirements as the go.mod states them (go@ and toolchain@ lines are no requirements)',
      files: {
        'a/go.mod': mod(REQUIRES),
        'a/graph.txt': 'example.com/shop/a github.com/google/uuid@v1.4.0\nexample.com/shop/a golang.org/x/net@v0.24.0\nexample.com/shop/a go@1.22\nexample.com/shop/a toolchain@go1.22.3\ngolang.org/x/net@v0.24.0 golang.org/x/text@v0.14.0\n',
      },
      graphFile: 'graph.txt',
    },
    {
      name: 'in any order, with dependencies\' lines first',
      files: {
        'a/go.mod': mod(REQUIRES),
        'a/graph.txt': 'golang.org/x/net@v0.24.0 golang.org/x/text@v0.14.0\nexample.com/shop/a golang.org/x/net@v0.24.0\nexample.com/shop/a github.com/google/uuid@v1.4.0\n',
      },
      graphFile: 'graph.txt',
    },
    {
      name: 'a graph of a workspace: the module\'s own lines are those of its path',
      files: {
        'a/go.mod': mod(REQUIRES),
        'a/graph.txt': 'example.com/shop/b github.com/google/uuid@v1.6.0\nexample.com/shop/a github.com/google/uuid@v1.4.0\nexample.com/shop/a golang.org/x/net@v0.24.0\nexample.com/shop/b golang.org/x/net@v0.25.0\n',
      },
      graphFile: 'graph.txt',
    },
    {
      name: 'the module\'s lines in two runs, as no go mod graph prints them, still compared whole',
      files: {
        'a/go.mod': mod(REQUIRES),
        'a/graph.txt': 'example.com/shop/a github.com/google/uuid@v1.4.0\ngolang.org/x/net@v0.24.0 golang.org/x/text@v0.14.0\nexample.com/shop/a golang.org/x/net@v0.24.0\n',
      },
      graphFile: 'graph.txt',
    },
    {
      name: 'a shorthand version in the go.mod is the full one the go command prints',
      files: { 'a/go.mod': mod('require github.com/google/uuid v1.4'), 'a/graph.txt': 'example.com/shop/a github.com/google/uuid@v1.4.0\n' },
      graphFile: 'graph.txt',
    },
    {
      name: 'a requirement of a version the go.mod excludes: the go command drops it, so the graph has no edge for it',
      files: {
        'a/go.mod': mod(`${REQUIRES}\n\nexclude golang.org/x/net v0.24\n`),
        'a/graph.txt': 'example.com/shop/a github.com/google/uuid@v1.4.0\nexample.com/shop/a go@1.22\ngithub.com/google/uuid@v1.4.0 golang.org/x/net@v0.25.0\n',
      },
      graphFile: 'graph.txt',
    },
    {
      name: 'a module that requires nothing, in a workspace\'s graph without lines of its own',
      files: { 'a/go.mod': mod(''), 'a/graph.txt': 'example.com/shop/b github.com/google/uuid@v1.6.0\n' },
      graphFile: 'graph.txt',
    },
    {
      name: 'a module that requires nothing, with an empty graph',
      files: { 'a/go.mod': mod(''), 'a/graph.txt': '' },
      graphFile: 'graph.txt',
    },
    {
      name: 'a replaced requirement is listed at the version required, not the replacement\'s',
      files: {
        'a/go.mod': mod('require github.com/shop/legacy v1.4.0\n\nreplace github.com/shop/legacy => github.com/fork/legacy v1.4.1'),
        'a/graph.txt': 'example.com/shop/a github.com/shop/legacy@v1.4.0\n',
      },
      graphFile: 'graph.txt',
    },
    {
      name: 'outside the focus',
      files: { 'a/go.mod': mod(REQUIRES), 'a/graph.txt': 'example.com/shop/a github.com/google/uuid@v1.3.0\n', 'b/go.mod': 'module example.com/shop/b\n' },
      graphFile: 'graph.txt',
      focus: ['b'],
    },
    {
      name: 'a graph that does not parse is parse-error\'s',
      files: { 'a/go.mod': mod(REQUIRES), 'a/graph.txt': 'example.com/shop/a\n' },
      graphFile: 'graph.txt',
    },
  ],
  invalid: [
    {
      name: 'a requirement at another version: reported at the go.mod\'s version, counting the other differences',
      files: {
        'a/go.mod': mod(REQUIRES),
        'a/graph.txt': 'example.com/shop/a github.com/google/uuid@v1.3.0\nexample.com/shop/a golang.org/x/net@v0.23.0\nexample.com/shop/a go@1.22\n',
      },
      graphFile: 'graph.txt',
      errors: [{ messageId: 'differs', file: 'a/go.mod', line: 6, column: 25, dependency: 'github.com/google/uuid', data: { listed: 'v1.3.0', required: 'v1.4.0', graphLine: 1, more: ' (and 1 other difference)' } }],
    },
    {
      name: '+incompatible is part of the version',
      files: { 'a/go.mod': mod('require github.com/x/y v2.0.0+incompatible'), 'a/graph.txt': 'example.com/shop/a github.com/x/y@v2.0.0\n' },
      graphFile: 'graph.txt',
      errors: [{ messageId: 'differs', line: 5, data: { listed: 'v2.0.0', required: 'v2.0.0+incompatible' } }],
    },
    {
      name: 'a requirement the graph lacks',
      files: { 'a/go.mod': mod(REQUIRES), 'a/graph.txt': 'example.com/shop/a github.com/google/uuid@v1.4.0\n' },
      graphFile: 'graph.txt',
      errors: [{ messageId: 'missing', line: 7, column: 19, dependency: 'golang.org/x/net', data: { required: 'v0.24.0', more: '' } }],
    },
    {
      name: 'an exclude of another version drops nothing',
      files: { 'a/go.mod': mod(`${REQUIRES}\n\nexclude golang.org/x/net v0.23.0\n`), 'a/graph.txt': 'example.com/shop/a github.com/google/uuid@v1.4.0\n' },
      graphFile: 'graph.txt',
      errors: [{ messageId: 'missing', line: 7, column: 19, dependency: 'golang.org/x/net', data: { required: 'v0.24.0', more: '' } }],
    },
    {
      name: 'a requirement the go.mod no longer has: at the module line',
      files: {
        'a/go.mod': mod(REQUIRES),
        'a/graph.txt': 'example.com/shop/a github.com/google/uuid@v1.4.0\nexample.com/shop/a golang.org/x/net@v0.24.0\nexample.com/shop/a github.com/pkg/errors@v0.9.1\n',
      },
      graphFile: 'graph.txt',
      errors: [{ messageId: 'extra', line: 1, column: 1, dependency: 'github.com/pkg/errors', data: { listed: 'v0.9.1', graphLine: 3 } }],
    },
    {
      name: 'a module with requirements and an empty graph',
      files: { 'a/go.mod': mod('require github.com/google/uuid v1.4.0'), 'a/graph.txt': '' },
      graphFile: 'graph.txt',
      errors: [{ messageId: 'missing', line: 5, dependency: 'github.com/google/uuid' }],
    },
    {
      name: 'the graph of another module',
      files: { 'a/go.mod': mod(REQUIRES), 'a/graph.txt': 'example.com/shop/b github.com/google/uuid@v1.4.0\n' },
      graphFile: 'graph.txt',
      errors: [{ messageId: 'otherModule', line: 1, column: 1, data: { other: 'example.com/shop/b' } }],
    },
    {
      name: 'a graph file named by a path below the module',
      files: { 'a/go.mod': mod('require github.com/google/uuid v1.4.0'), 'a/deps/graph.txt': 'example.com/shop/a github.com/google/uuid@v1.5.0\n' },
      graphFile: 'deps/graph.txt',
      errors: [{ messageId: 'differs', file: 'a/go.mod', line: 5, data: { graph: 'a/deps/graph.txt', listed: 'v1.5.0' } }],
    },
  ],
});
