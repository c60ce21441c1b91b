import { rule } from '../../rules/broken-workspace.ts';
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
      name: 'replaces that agree: one directory written two ways, one version, or settled by go.work',
      files: {
        'libs/lib/go.mod': mod('example.com/lib'),
        'svc/a/go.mod': `${mod('example.com/a')}\nreplace example.com/lib => ../../libs/lib\nreplace github.com/x/y => github.com/x/y v1.2.0\nreplace github.com/z/z v1.0.0 => ../../forks/z\n`,
        'svc/deep/b/go.mod': `${mod('example.com/b')}\nreplace example.com/lib => ../../../libs/lib/\nreplace github.com/x/y => github.com/x/y v1.2.0\nreplace github.com/z/z v1.0.0 => ../../../forks/other-z\n`,
        'go.work': `${work('./svc/a', './svc/deep/b')}\nreplace github.com/z/z => ./forks/z\n`,
      },
    },
    {
      name: 'replaces of one path at different versions, and conflicting replaces of modules outside the workspace',
      files: {
        'a/go.mod': `${mod('example.com/a')}\nreplace github.com/x/y v1.1.0 => github.com/x/y v1.2.0\n`,
        'b/go.mod': `${mod('example.com/b')}\nreplace github.com/x/y => github.com/x/y v1.3.0\n`,
        'c/go.mod': `${mod('example.com/c')}\nreplace github.com/x/y => github.com/x/y v1.4.0\n`,
        'go.work': work('./a', './b'),
      },
    },
    {
      name: 'go.work\'s go line at or above every used module\'s',
      files: {
        'a/go.mod': 'module example.com/a\n\ngo 1.21\n',
        'b/go.mod': 'module example.com/b\n\ngo 1.22rc1\n',
        'c/go.mod': 'module example.com/c\n',
        'go.work': 'go 1.22.0\n\nuse (\n\t./a\n\t./b\n\t./c\n)\n',
      },
    },
    {
      name: 'a used module above go.work\'s go line, but before go 1.21 (Go refuses only from 1.21 on), and without a go line',
      files: {
        'a/go.mod': 'module example.com/a\n\ngo 1.20\n',
        'b/go.mod': 'module example.com/b\n\ngo 1.20.5\n',
        'c/go.mod': 'module example.com/c\n',
        'go.work': 'go 1.19\n\nuse (\n\t./a\n\t./b\n\t./c\n)\n',
        'nogo/go.work': 'use ../a\nuse ../c\n',
      },
    },
    {
      name: 'go.work replaces a used module at one version only',
      files: { 'a/go.mod': mod('example.com/a'), 'go.work': `${work('./a')}\nreplace example.com/a v1.0.0 => ./a\n` },
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
      name: 'one directory used twice, however it is written',
      files: { 'a/go.mod': mod('example.com/a'), 'go.work': work('./a', 'a/', './x/../a') },
      errors: [
        { messageId: 'sameDir', file: 'go.work', line: 5, column: 2, data: { path: 'a/', otherLine: 4 } },
        { messageId: 'sameDir', file: 'go.work', line: 6, column: 2, data: { path: './x/../a', otherLine: 4 } },
      ],
    },
    {
      name: 'two used modules replace one module version with different targets',
      files: {
        'libs/lib/go.mod': mod('example.com/lib'),
        'svc/a/go.mod': `${mod('example.com/a')}\nreplace example.com/lib => ../lib\nreplace github.com/x/y => github.com/x/y v1.2.0\n`,
        'svc/b/go.mod': `${mod('example.com/b')}\nreplace (\n\texample.com/lib => ../../libs/lib\n\tgithub.com/x/y => github.com/x/y v1.3.0\n)\n`,
        'go.work': work('./svc/a', './svc/b'),
      },
      errors: [
        { messageId: 'conflictingReplace', file: 'go.work', line: 5, column: 2, dependency: 'example.com/lib',
          data: { old: 'example.com/lib', path: './svc/b', target: '../../libs/lib', file: 'svc/b/go.mod', line: 6, otherPath: './svc/a', otherTarget: '../lib', otherFile: 'svc/a/go.mod', otherLine: 5 } },
        { messageId: 'conflictingReplace', file: 'go.work', line: 5, column: 2, dependency: 'github.com/x/y',
          data: { old: 'github.com/x/y', target: 'github.com/x/y v1.3.0', otherTarget: 'github.com/x/y v1.2.0' } },
      ],
    },
    {
      name: 'a versioned replace conflicts with one of the same version only',
      files: {
        'a/go.mod': `${mod('example.com/a')}\nreplace github.com/x/y v1.1.0 => github.com/x/y v1.2.0\n`,
        'b/go.mod': `${mod('example.com/b')}\nreplace github.com/x/y v1.1.0 => github.com/fork/y v1.1.0\n`,
        'go.work': work('./a', './b'),
      },
      errors: [{ messageId: 'conflictingReplace', line: 5, data: { old: 'github.com/x/y@v1.1.0', target: 'github.com/fork/y v1.1.0' } }],
    },
    {
      name: 'a used module on a newer go line than go.work (1.22 is below 1.22.0, as Go orders them)',
      files: {
        'a/go.mod': 'module example.com/a\n\ngo 1.23\n',
        'b/go.mod': 'module example.com/b\n\ngo 1.22.0\n',
        'c/go.mod': 'module example.com/c\n\ngo 1.22\n',
        'go.work': 'go 1.22\n\nuse (\n\t./a\n\t./b\n\t./c\n)\n',
      },
      errors: [
        { messageId: 'goBelowModule', file: 'go.work', line: 4, column: 2, data: { workGo: '1.22', path: './a', moduleGo: '1.23', file: 'a/go.mod', line: 3 } },
        { messageId: 'goBelowModule', file: 'go.work', line: 5, column: 2, data: { path: './b', moduleGo: '1.22.0' } },
      ],
    },
    {
      name: 'a used module at go 1.21 or later, with go.work on an older line or none (read as go 1.18)',
      files: {
        'a/go.mod': 'module example.com/a\n\ngo 1.21\n',
        'b/go.mod': 'module example.com/b\n\ngo 1.20\n',
        'c/go.mod': 'module example.com/c\n\ngo 1.25.1\n',
        'go.work': 'go 1.19\n\nuse ./a\nuse ./b\n',
        'nogo/go.work': 'use ../b\nuse ../c\n',
      },
      errors: [
        { messageId: 'goBelowModule', file: 'go.work', line: 3, column: 5, data: { workGo: '1.19', path: './a', moduleGo: '1.21' } },
        { messageId: 'goBelowModuleImplicit', file: 'nogo/go.work', line: 2, column: 5, data: { workGo: '1.18', path: '../c', moduleGo: '1.25.1', file: 'c/go.mod', line: 3 } },
      ],
    },
    {
      name: 'go.work replaces a used module at every version',
      files: { 'a/go.mod': mod('example.com/a'), 'go.work': `${work('./a')}\nreplace example.com/a => ../elsewhere/a\n` },
      errors: [{ messageId: 'replacedMember', file: 'go.work', line: 7, column: 9, dependency: 'example.com/a', data: { old: 'example.com/a', path: './a' } }],
    },
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

describe('broken-workspace and modguard.json ignore', () => {
  it('does not judge a use of a directory the configuration ignores', () => {
    const repo = buildRepository({ files: { 'a/go.mod': mod('example.com/a'), 'go.work': work('./a', './legacy/old', './gone') } });
    assert.deepEqual(runRule(rule, repo).map((r) => r.data?.path), ['./legacy/old', './gone']);
    repo.config = { ...repo.config, ignore: ['legacy'] };
    assert.deepEqual(runRule(rule, repo).map((r) => r.data?.path), ['./gone']);
  });
});
