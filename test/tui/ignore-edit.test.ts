import assert from 'node:assert/strict';
import { addSuppression } from '../../src/tui/ignore-edit.ts';

const MOD = 'module example.com/a\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.21.0\n\tgithub.com/x/y v1.0.0 // indirect\n)\n';

describe('tui/ignore-edit', () => {
  const cases: Array<{ desc: string; text: string; line: number; want: string }> = [
    {
      desc: 'at the end of a line without a comment',
      text: MOD, line: 6,
      want: MOD.replace('\tgolang.org/x/net v0.21.0\n', '\tgolang.org/x/net v0.21.0 // modguard:ignore anchor-mismatch waiting for v2\n'),
    },
    {
      desc: 'above a line that has a comment, with its indentation (keeps // indirect intact)',
      text: MOD, line: 7,
      want: MOD.replace('\tgithub.com/x/y v1.0.0 // indirect\n', '\t// modguard:ignore anchor-mismatch waiting for v2\n\tgithub.com/x/y v1.0.0 // indirect\n'),
    },
    {
      desc: 'keeps CRLF line endings',
      text: 'module a\r\n\r\ngo 1.21\r\n', line: 3,
      want: 'module a\r\n\r\ngo 1.21 // modguard:ignore anchor-mismatch waiting for v2\r\n',
    },
    {
      desc: 'a // inside a quoted path is not a comment',
      text: 'module a\nreplace "x//y" => ../y   \n', line: 2,
      want: 'module a\nreplace "x//y" => ../y // modguard:ignore anchor-mismatch waiting for v2\n',
    },
    {
      desc: 'the last line without a newline',
      text: 'module a\ngo 1.21', line: 2,
      want: 'module a\ngo 1.21 // modguard:ignore anchor-mismatch waiting for v2',
    },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      assert.equal(addSuppression(c.text, c.line, 'anchor-mismatch', ' waiting \n for  v2 '), c.want);
    });
  }

  it('refuses what it cannot do, saying why', () => {
    assert.throws(() => addSuppression(MOD, 9, 'r', 'x'), /line 9 is not in the file \(it has 8 lines\)/);
    assert.throws(() => addSuppression(MOD, 0, 'r', 'x'), /line 0 is not in the file/);
    assert.throws(() => addSuppression(MOD, 2, 'r', 'x'), /line 2 is empty/);
    assert.throws(() => addSuppression(MOD, 6, 'r', '  '), /needs a reason/);
    assert.throws(() => addSuppression(MOD, 6, 'Bad Rule', 'x'), /not a rule id/);
    const stacked = MOD.replace('\tgithub.com/x/y', '\t// modguard:ignore multiple-majors old\n\tgithub.com/x/y');
    assert.throws(() => addSuppression(stacked, 8, 'anchor-mismatch', 'x'), /already has a suppression above it/);
  });
});
