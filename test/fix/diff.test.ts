import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { unifiedDiff } from '../../src/fix/diff.ts';

/** applyUnifiedDiff is an independent reader of our output: it replays hunks onto `before`. */
function applyUnifiedDiff(before: string, diff: string): string {
  if (diff === '') return before;
  const src = before === '' ? [] : before.split('\n');
  const srcEndsNl = before.endsWith('\n');
  if (srcEndsNl) src.pop();
  const lines = diff.split('\n');
  lines.pop();
  assert.match(lines[0]!, /^--- a\//);
  assert.match(lines[1]!, /^\+\+\+ b\//);
  const out: Array<{ text: string; noEol: boolean }> = [];
  let cursor = 0;
  const copy = (): void => {
    out.push({ text: src[cursor]!, noEol: cursor === src.length - 1 && !srcEndsNl });
    cursor++;
  };
  for (let i = 2; i < lines.length;) {
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(lines[i]!);
    assert.ok(m, `hunk header expected: ${lines[i]}`);
    const aStart = Number(m[1]);
    const aCount = m[2] === undefined ? 1 : Number(m[2]);
    const from = aCount === 0 ? aStart : aStart - 1;
    while (cursor < from) copy();
    i++;
    while (i < lines.length && !lines[i]!.startsWith('@@')) {
      const l = lines[i]!;
      const noEol = lines[i + 1] === '\\ No newline at end of file';
      if (l[0] === ' ') { assert.equal(src[cursor], l.slice(1)); out.push({ text: l.slice(1), noEol }); cursor++; }
      else if (l[0] === '-') { assert.equal(src[cursor], l.slice(1)); cursor++; }
      else if (l[0] === '+') out.push({ text: l.slice(1), noEol });
      else assert.fail(`bad diff line ${l}`);
      i += noEol ? 2 : 1;
    }
  }
  while (cursor < src.length) copy();
  if (out.length === 0) return '';
  return out.map((o) => o.text).join('\n') + (out[out.length - 1]!.noEol ? '' : '\n');
}

describe('unifiedDiff', () => {
  it('prints nothing for equal texts', () => {
    assert.equal(unifiedDiff('go.mod', 'a\n', 'a\n'), '');
  });

  it('prints one hunk with three lines of context around a changed version', () => {
    const before = 'module x\n\ngo 1.22\n\nrequire (\n\ta v1.0.0\n\tb v1.0.0\n\tc v1.0.0\n\td v1.0.0\n\te v1.0.0\n)\n';
    const after = before.replace('c v1.0.0', 'c v1.2.0');
    assert.equal(unifiedDiff('svc/go.mod', before, after), [
      '--- a/svc/go.mod',
      '+++ b/svc/go.mod',
      '@@ -5,7 +5,7 @@',
      ' require (',
      '\ta v1.0.0',
      '\tb v1.0.0',
      '-\tc v1.0.0',
      '+\tc v1.2.0',
      '\td v1.0.0',
      '\te v1.0.0',
      ' )',
      '',
    ].join('\n').replace(/\n\t/g, '\n \t'));
  });

  it('splits distant changes into hunks and marks a missing final newline', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n') + '\n';
    const after = before.replace('l2\n', 'L2\n').replace('l19\n', 'l19\nend');
    const d = unifiedDiff('f', before, after);
    assert.equal((d.match(/^@@/gm) ?? []).length, 2);
    assert.match(d, /@@ -1,6 \+1,6 @@/);
    assert.match(d, /\+end\n\\ No newline at end of file\n$/);
  });

  it('uses the empty-range convention for an insertion into an empty file', () => {
    assert.equal(unifiedDiff('x', '', 'a\n'), '--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+a\n');
  });

  it('replays to the new text (property)', () => {
    const line = fc.constantFrom('a', 'b', 'c', 'require (', ')', '', '\tx v1.0.0');
    const text = fc.tuple(fc.array(line, { maxLength: 25 }), fc.boolean()).map(([ls, nl]) => (ls.length ? ls.join('\n') + (nl ? '\n' : '') : ''));
    fc.assert(fc.property(text, text, (a, b) => {
      assert.equal(applyUnifiedDiff(a, unifiedDiff('f', a, b)), b);
    }), { numRuns: 400 });
  });
});
