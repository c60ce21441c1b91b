import { strict as assert } from 'node:assert';
import { reporters } from '../../src/reporters/index.ts';
import { MARKDOWN_MAX_FINDINGS, cell } from '../../src/reporters/markdown.ts';
import { OPTIONS, empty, finding, hostile, sample } from './fixtures.ts';

describe('reporters/markdown', () => {
  it('prints a count table by rule and severity, then findings grouped by file, then notices', () => {
    assert.equal(reporters.markdown(sample(), OPTIONS), [
      '## modguard',
      '',
      '**2 errors, 1 warning, 1 info in 3 modules**',
      '',
      '| rule | errors | warnings | infos |',
      '| --- | ---: | ---: | ---: |',
      '| [`anchor-mismatch`](https://docs.example/rules/anchor-mismatch) | 2 | 0 | 0 |',
      '| [`go-version-drift`](https://docs.example/rules/go-version-drift) | 0 | 1 | 0 |',
      '| [`version-divergence`](https://docs.example/rules/version-divergence) | 0 | 0 | 1 |',
      '| **total** | 2 | 1 | 1 |',
      '',
      '### svc/a/go.mod',
      '',
      '| line | severity | rule | message |',
      '| ---: | --- | --- | --- |',
      '| 5:2 | error | anchor-mismatch | golang.org/x/net v0.20.0 is pinned to v0.24.0 |',
      '| 12:2 | error | anchor-mismatch | google.golang.org/grpc v1.60.0 is pinned to v1.64.0 |',
      '',
      '### svc/b/go.mod',
      '',
      '| line | severity | rule | message |',
      '| ---: | --- | --- | --- |',
      '| 3:1 | warning | go-version-drift | go 1.21 differs from the anchor.lock go 1.22 |',
      '| 7:2 | info | version-divergence | github.com/x/y is required at 2 versions |',
      '',
      '> anchor-drift skipped: no module graph (use --graph-file or --go)',
      '',
    ].join('\n'));
  });

  it('prints the empty case exactly', () => {
    assert.equal(reporters.markdown(empty(), OPTIONS), '## modguard\n\n**no findings in 3 modules**\n');
  });

  it('escapes pipes, backticks, HTML, control characters and newlines in cells', () => {
    assert.equal(cell('a|b `c` <i>&\\ x\r\ny\u001b'), 'a\\|b \\`c\\` &lt;i&gt;&amp;\\\\ x<br>y\\\\u001B');
    const out = reporters.markdown(hostile(), OPTIONS);
    assert.equal(out.split('\n').at(-2), '| 2:3 | error | anchor-mismatch | bad \\| \\`tick\\` &lt;b&gt;&amp;amp; 100% a:b,c<br>second line\\\\u0000\\\\u001B[31m\\\\uD800 |');
  });

  it('adds a "new" column in PR mode and cuts long lists', () => {
    const r = empty(1);
    r.findings = Array.from({ length: MARKDOWN_MAX_FINDINGS + 2 }, (_, i) => finding({ line: i + 1, isNew: i === 0 }));
    r.summary = { ...r.summary, errors: r.findings.length, byRule: { 'anchor-mismatch': r.findings.length } };
    const lines = reporters.markdown(r, OPTIONS).split('\n');
    assert.ok(lines.includes('| line | severity | rule | new | message |'));
    assert.ok(lines.includes('| 1:1 | error | anchor-mismatch | new | message |'));
    assert.ok(lines.includes('| 2:1 | error | anchor-mismatch |  | message |'));
    assert.equal(lines.filter((l) => /^\| \d+:\d+ \|/.test(l)).length, MARKDOWN_MAX_FINDINGS);
    assert.equal(lines.at(-2), '… and 2 more findings (the JSON output lists them all).');
  });
});
