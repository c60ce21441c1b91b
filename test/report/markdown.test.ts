import { strict as assert } from 'node:assert';
import { renderMarkdown, mdCode, mdText } from '../../src/report/markdown.ts';
import { diffSnapshots } from '../../src/report/delta.ts';
import { today, yesterday } from './fixtures.ts';

describe('report/markdown', () => {
  it('summarises a fixed pair of snapshots exactly', () => {
    const t = today();
    const md = renderMarkdown(t, diffSnapshots(yesterday(), t));
    assert.equal(md, [
      '## modguard drift report, 2026-03-10 (`222222222222`)',
      '',
      '**5 modules** · **5 findings** (4 errors, 0 warnings, 1 info) · **1/2 anchors converged** · 2 modules off pin',
      '',
      'Since 2026-03-09: **3 new**, **2 resolved** (findings +1, errors +1, anchors converged +1).',
      '',
      '### New (3)',
      '',
      '- error `banned-module` `svc/c/go.mod:6`: github.com/pkg/errors is banned: use fmt.Errorf with %w',
      '- error `replace-directive` `svc/<x>/go.mod:4`: replace of example.com/\\<script\\>alert(1)\\</script\\> is not allowed \\| \\*bold\\* \\`code\\`',
      '- info `version-divergence` `lib/d/go.mod:8`: github.com/google/uuid is required at 2 versions',
      '',
      '### Resolved (2)',
      '',
      '- error `anchor-mismatch` `svc/c/go.mod:5`: golang.org/x/net v0.22.0 differs from the pin v0.24.0',
      '- warning `go-version-drift` `lib/d/go.mod:3`: go 1.21 differs from the anchor.lock go 1.22',
      '',
      '### Top actions',
      '',
      '1. Remove the banned github.com/pkg/errors from 1 module',
      '2. Move 2 modules from google.golang.org/grpc v1.62.0 to the pin v1.64.0',
      '3. Resolve 1 replace-directive finding in 1 module',
      '4. Anchor github.com/google/uuid at v1.6.0: 3 of 4 modules already on it, the rest on 1 older version',
      '',
    ].join('\n'));
  });

  it('says so for a first snapshot and lists at most five actions', () => {
    const t = today();
    const md = renderMarkdown(t, diffSnapshots(undefined, t), { actionLimit: 2 });
    assert.match(md, /\nFirst snapshot: no earlier one to compare with\.\n/);
    assert.doesNotMatch(md, /### New/);
    assert.match(md, /\n1\. .*\n2\. .*\n$/);
    assert.doesNotMatch(md, /\n3\. /);
  });

  it('cuts long lists with a count of the rest', () => {
    const t = today();
    const md = renderMarkdown(t, diffSnapshots(yesterday(), t), { listLimit: 1 });
    assert.match(md, /### New \(3\)\n\n- error `banned-module`[^\n]*\n- … and 2 more\n/);
  });

  it('folds findings that say the same thing about one dependency into one line', () => {
    const t = today();
    const y = yesterday();
    const drift = (module: string, line: number) => ({
      key: `anchor-drift|${module}/go.mod|golang.org/x/time|above`, rule: 'anchor-drift', severity: 'error' as const,
      file: `${module}/go.mod`, line, module: `example.com/${module}`, dependency: 'golang.org/x/time', messageId: 'above',
      message: `golang.org/x/time builds at v0.11.0 in ${module} (pinned v0.8.5)`,
    });
    t.findings = [...t.findings, drift('svc/a', 3), drift('svc/b', 4), drift('svc/c', 5), drift('svc/d', 6)];
    const md = renderMarkdown(t, diffSnapshots(y, t));
    assert.match(md, /### New \(7\)\n\n- error `anchor-drift` golang\.org\/x\/time × 4 \(`svc\/a\/go\.mod:3`, `svc\/b\/go\.mod:4`, `svc\/c\/go\.mod:5`, …\): golang\.org\/x\/time builds at v0\.11\.0 in svc\/a \(pinned v0\.8\.5\)\n- error `banned-module`/);
  });

  it('escapes Markdown and keeps code spans closed', () => {
    assert.equal(mdText('a_b*c [x](y) <b>'), 'a\\_b\\*c \\[x\\](y) \\<b\\>');
    assert.equal(mdCode('a`b'), '``a`b``');
    assert.equal(mdCode('`x'), '`` `x ``');
    assert.equal(mdText('line\nbreak'), 'line break');
  });
});
