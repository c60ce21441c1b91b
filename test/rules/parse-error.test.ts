import { rule } from '../../rules/parse-error.ts';
import { ruleTester } from '../support/rule-tester.ts';

const good = 'module example.com/a\n\ngo 1.22\n\nrequire golang.org/x/tools v0.21.0\n';
const H1 = 'h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=';

ruleTester.run(rule, {
  valid: [
    {
      name: 'a malformed go.work.sum line of a workspace outside the focus',
      files: { 'a/go.mod': good, 'b/go.mod': good.replace('/a', '/b'), 'go.work': 'go 1.22\n\nuse ./a\n', 'go.work.sum': 'golang.org/x/tools\n' },
      focus: ['b'],
    },
    {
      name: 'well-formed go.mod, go.sum, go.work and anchor.lock',
      files: {
        'a/go.mod': good,
        'a/go.sum': `golang.org/x/tools v0.21.0 ${H1}\n`,
        'go.work': 'go 1.22\n\nuse ./a\n',
        'anchor.lock': 'go 1.22\nanchor golang.org/x/tools v0.21.0\n',
      },
    },
    {
      name: 'a broken module outside the focus',
      files: { 'a/go.mod': 'module example.com/a\n\nrequire golang.org/x/tools 0.21.0\n', 'b/go.mod': good },
      focus: ['b'],
    },
  ],
  invalid: [
    {
      name: 'a version without the leading v, at its line',
      files: {
        'tools/broken/go.mod': 'module example.com/shop/tools/broken\n\ngo 1.22\n\n// Go rejects this file.\nrequire golang.org/x/tools 0.21.0\n',
      },
      errors: [{ messageId: 'invalid', file: 'tools/broken/go.mod', line: 6, column: 1, data: { kind: 'go.mod' } }],
    },
    {
      name: 'a go.mod and an anchor.lock too large to parse: no line is at fault',
      files: { 'a/go.mod': `${good}${'// x\n'.repeat(1_000_000)}`, 'anchor.lock': `${'x\n'.repeat(1_000_001)}` },
      errors: [
        { messageId: 'tooLarge', file: 'a/go.mod', line: 1, column: 1, data: { kind: 'go.mod', detail: 'more than 1,000,000 lines' } },
        { messageId: 'tooLarge', file: 'anchor.lock', line: 1, column: 1, data: { kind: 'anchor.lock' } },
      ],
    },
    {
      name: 'an unknown directive and an unclosed block',
      files: {
        'a/go.mod': 'module example.com/a\n\nfrobnicate x\n',
        'b/go.mod': 'module example.com/b\n\nrequire (\n\tgolang.org/x/tools v0.21.0\n',
      },
      errors: [
        { messageId: 'invalid', file: 'a/go.mod', line: 3, column: 1 },
        { messageId: 'invalid', file: 'b/go.mod', line: 5 },
      ],
    },
    {
      name: 'a malformed go.sum line',
      files: { 'a/go.mod': good, 'a/go.sum': `golang.org/x/tools v0.21.0 ${H1}\ngolang.org/x/tools v0.21.0\n` },
      errors: [{ messageId: 'invalid', file: 'a/go.sum', line: 2, data: { kind: 'go.sum' } }],
    },
    {
      name: 'a malformed go.work.sum line, reported with the workspace',
      files: { 'a/go.mod': good, 'go.work': 'go 1.22\n\nuse ./a\n', 'go.work.sum': `golang.org/x/tools v0.21.0 ${H1}\ngolang.org/x/tools\n` },
      errors: [{ messageId: 'invalid', file: 'go.work.sum', line: 2, data: { kind: 'go.work.sum', consequence: 'Go rejects this file too, so builds in this workspace fail' } }],
    },
    {
      name: 'a go.work error',
      files: { 'a/go.mod': good, 'go.work': 'go 1.22\n\nuse ./a ./b extra\nbogus\n' },
      errors: [
        { messageId: 'invalid', file: 'go.work', line: 3 },
        { messageId: 'invalid', file: 'go.work', line: 4, column: 1 },
      ],
    },
    {
      name: 'anchor.lock errors are reported whatever the focus',
      files: { 'a/go.mod': good, 'anchor.lock': 'anchor golang.org/x/tools 0.21.0\n' },
      focus: ['elsewhere'],
      errors: [{
        messageId: 'invalid', file: 'anchor.lock', line: 1, column: 27,
        data: { kind: 'anchor.lock', consequence: 'the other entries of anchor.lock still apply; this one is ignored until it is fixed' },
      }],
    },
    {
      name: 'an anchor.lock whose syntax fails: none of it applies, and the finding says so',
      files: { 'a/go.mod': good, 'anchor.lock': 'go 1.22\nanchor golang.org/x/tools v0.21.0\nanchor (\n\t"unterminated\n' },
      errors: [{
        messageId: 'invalid', file: 'anchor.lock', line: 4,
        data: { kind: 'anchor.lock', consequence: 'until anchor.lock parses, none of it applies: no anchor, ban or allowed replacement is checked' },
      }],
    },
    {
      name: 'a malformed module graph file',
      files: { 'a/go.mod': good, 'a/graph.txt': 'example.com/a golang.org/x/tools@v0.21.0\nnot-a-graph-line\n' },
      graphFile: 'graph.txt',
      errors: [{ messageId: 'invalid', file: 'a/graph.txt', line: 2, data: { kind: 'module graph' } }],
    },
    {
      name: 'a file that could not be read',
      files: { 'a/go.mod': good },
      loadErrors: [{ file: 'b/go.mod', line: 1, column: 0, message: 'EACCES: permission denied' }],
      errors: [{ messageId: 'unreadable', file: 'b/go.mod', line: 1, column: 1, data: { detail: 'EACCES: permission denied' } }],
    },
  ],
});
