import { rule } from '../../rules/workspace-use.ts';
import assert from 'node:assert/strict';
import { buildRepository, ruleTester, runRule } from '../support/rule-tester.ts';

const mod = (path: string) => `module ${path}\n\ngo 1.22\n`;
const work = (...uses: string[]) => `go 1.22\n\nuse (\n${uses.map((u) => `\t${u}`).join('\n')}\n)\n`;

ruleTester.run(rule, {
  valid: [
    {
      name: 'every use names a module of the repository, the root included',
      files: { 'go.mod': mod('example.com/root'), 'a/go.mod': mod('example.com/a'), 'go.work': work('.', './a/') },
    },
    {
      name: 'a go.work in a subdirectory uses modules relative to itself',
      files: { 'ws/go.work': 'go 1.22\n\nuse ../lib\nuse ./app\n', 'lib/go.mod': mod('example.com/lib'), 'ws/app/go.mod': mod('example.com/app') },
    },
    {
      name: 'the same directory twice is one module',
      files: { 'a/go.mod': mod('example.com/a'), 'go.work': work('./a', 'a') },
    },
    {
      name: 'absolute paths, paths above the root and skipped directories are not judged',
      files: {
        'a/go.mod': mod('example.com/a'),
        'go.work': work('./a', '/opt/src/other', 'C:\\src\\other', '../sibling-repo', './vendor/x', './testdata/y', './.tools/z'),
      },
    },
    {
      name: 'a go.mod that could not be read is parse-error\'s',
      files: { 'a/go.mod': mod('example.com/a'), 'go.work': work('./a', './b') },
      loadErrors: [{ file: 'b/go.mod', line: 1, column: 0, message: 'go.mod is a directory, not a file' }],
    },
    {
      name: 'a broken go.work of a workspace outside the focus',
      files: { 'a/go.mod': mod('example.com/a'), 'z/go.mod': mod('example.com/z'), 'ws/go.work': 'go 1.22\n\nuse ../a\nuse ./gone\n' },
      focus: ['z'],
    },
  ],
  invalid: [
    {
      name: 'a use of a directory without a module, in a block and on its own line',
      files: { 'a/go.mod': mod('example.com/a'), 'go.work': `${work('./a', './gone')}\nuse ./also/gone\n` },
      errors: [
        { messageId: 'noModule', file: 'go.work', line: 5, column: 2, data: { path: './gone', dir: 'gone' } },
        { messageId: 'noModule', file: 'go.work', line: 8, column: 5, data: { path: './also/gone', dir: 'also/gone' } },
      ],
    },
    {
      name: 'a use of the root without a go.mod there',
      files: { 'a/go.mod': mod('example.com/a'), 'go.work': work('.', './a') },
      errors: [{ messageId: 'noModule', line: 4, column: 2, data: { path: '.', dir: 'the root' } }],
    },
    {
      name: 'two used modules declare one module path: the later line, naming the earlier',
      files: {
        'svc/a/go.mod': mod('example.com/svc'),
        'svc/b/go.mod': mod('example.com/svc'),
        'svc/c/go.mod': mod('example.com/c'),
        'go.work': work('./svc/a', './svc/c', './svc/b'),
      },
      errors: [{
        messageId: 'samePath', file: 'go.work', line: 6, column: 2,
        data: { path: './svc/b', modulePath: 'example.com/svc', otherPath: './svc/a', otherLine: 4 },
      }],
    },
    {
      name: 'reported when a module the workspace uses is in the focus',
      files: { 'a/go.mod': mod('example.com/a'), 'ws/go.work': 'go 1.22\n\nuse ../a\nuse ./gone\n' },
      focus: ['a'],
      errors: [{ messageId: 'noModule', file: 'ws/go.work', line: 4, column: 5, data: { path: './gone', dir: 'ws/gone' } }],
    },
  ],
});

describe('workspace-use and modguard.json ignore', () => {
  it('does not judge a use of a directory the configuration ignores', () => {
    const repo = buildRepository({ files: { 'a/go.mod': mod('example.com/a'), 'go.work': work('./a', './legacy/old', './gone') } });
    assert.deepEqual(runRule(rule, repo).map((r) => r.data?.path), ['./legacy/old', './gone']);
    repo.config = { ...repo.config, ignore: ['legacy'] };
    assert.deepEqual(runRule(rule, repo).map((r) => r.data?.path), ['./gone']);
  });
});
