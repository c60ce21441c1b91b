import { strict as assert } from 'node:assert';
import { stripVTControlCharacters } from 'node:util';
import { reporters, formatFindingLine, summaryLine } from '../../src/reporters/index.ts';
import { OPTIONS, empty, finding, sample } from './fixtures.ts';

describe('reporters/text', () => {
  it('groups by file, sorts, aligns columns and ends with notices and the summary', () => {
    assert.equal(reporters.text(sample(), OPTIONS), [
      'svc/a/go.mod',
      '  5:2   error  anchor-mismatch  golang.org/x/net v0.20.0 is pinned to v0.24.0',
      '  12:2  error  anchor-mismatch  google.golang.org/grpc v1.60.0 is pinned to v1.64.0',
      '',
      'svc/b/go.mod',
      '  3:1  warning  go-version-drift    go 1.21 differs from the anchor.lock go 1.22',
      '  7:2  info     version-divergence  github.com/x/y is required at 2 versions',
      '',
      'note: anchor-drift skipped: no module graph (use --graph-file or --go)',
      '2 errors, 1 warning, 1 info in 3 modules',
      '',
    ].join('\n'));
  });

  it('prints only the summary for an empty result', () => {
    assert.equal(reporters.text(empty(1), OPTIONS), 'no findings in 1 module\n');
  });

  it('uses colour only when asked, and the text under the colour is the same', () => {
    const plain = reporters.text(sample(), OPTIONS);
    const coloured = reporters.text(sample(), { ...OPTIONS, color: true });
    assert.notEqual(coloured, plain);
    assert.match(coloured, /\u001b\[31merror/);
    assert.equal(stripVTControlCharacters(coloured), plain);
  });

  it('indents continuation lines of a message and marks new findings', () => {
    const r = empty(1);
    r.findings = [finding({ line: 4, column: 2, message: 'two modules disagree:\nsvc/a v1\nsvc/b v2', isNew: true })];
    r.summary = { ...r.summary, errors: 1, byRule: { 'anchor-mismatch': 1 } };
    assert.equal(reporters.text(r, OPTIONS), [
      'svc/a/go.mod',
      '  4:2  error  anchor-mismatch  two modules disagree:',
      '                               svc/a v1',
      '                               svc/b v2 [new]',
      '',
      '1 error, 0 warnings, 0 infos in 1 module',
      '',
    ].join('\n'));
  });

  it('formats one finding as file:line:column: severity rule: message', () => {
    assert.equal(formatFindingLine(finding({ line: 9, column: 4, message: 'm' })), 'svc/a/go.mod:9:4: error anchor-mismatch: m');
  });

  it('adds suppressed and pre-existing counts to the summary line', () => {
    assert.equal(summaryLine({ ...empty(2).summary, suppressed: 3, preexisting: 1 }), 'no findings in 2 modules (3 suppressed, 1 pre-existing)');
  });

  it('prints a file with more findings than a function call takes arguments', () => {
    const r = empty(1);
    r.findings = Array.from({ length: 200_000 }, (_, i) => finding({ line: i + 1 }));
    r.summary = { ...r.summary, errors: r.findings.length, byRule: { 'anchor-mismatch': r.findings.length } };
    const lines = reporters.text(r, OPTIONS).split('\n');
    assert.equal(lines[1], '  1:1       error  anchor-mismatch  message');
    assert.equal(lines[200_000], '  200000:1  error  anchor-mismatch  message');
    assert.equal(lines.at(-2), '200000 errors, 0 warnings, 0 infos in 1 module');
  });
});
