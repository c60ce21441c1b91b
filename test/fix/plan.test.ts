import { strict as assert } from 'node:assert';
import { planDiff, planFixes } from '../../src/fix/plan.ts';
import { findingsOf, repoFrom } from './helpers.ts';

const lock = 'go 1.22\nanchor (\n\tgolang.org/x/net v0.24.0\n\tgoogle.golang.org/grpc v1.64.0 // owner: rpc\n)\n';

describe('planFixes', () => {
  it('sets an anchored requirement to the pin, touching only the version token', () => {
    const goMod = 'module example.com/a\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.20.0 // indirect\n\tgoogle.golang.org/grpc v1.64.0\n)\n';
    const repo = repoFrom({ 'anchor.lock': lock, 'svc/a/go.mod': goMod });
    const plan = planFixes(repo, findingsOf(repo));
    assert.equal(plan.patches.length, 1);
    const [patch] = plan.patches;
    assert.equal(patch!.file, 'svc/a/go.mod');
    assert.equal(patch!.after, goMod.replace('v0.20.0', 'v0.24.0'));
    assert.deepEqual(patch!.descriptions, ['require golang.org/x/net v0.20.0 -> v0.24.0']);
    assert.deepEqual(plan.followUp, [{ dir: 'svc/a', argv: ['go', 'mod', 'tidy'] }]);
    assert.match(planDiff(plan), /^--- a\/svc\/a\/go.mod\n\+\+\+ b\/svc\/a\/go.mod\n@@ .* @@\n/);
  });

  it('says when setting a requirement to the pin lowers it, and downgrades with go get before tidying', () => {
    const goMod = 'module example.com/a\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.30.0\n\tgoogle.golang.org/grpc v1.60.0\n)\n';
    const repo = repoFrom({ 'anchor.lock': lock, 'svc/a/go.mod': goMod });
    const plan = planFixes(repo, findingsOf(repo));
    assert.deepEqual(plan.patches[0]!.descriptions, ['require golang.org/x/net v0.30.0 -> v0.24.0 (a downgrade)', 'require google.golang.org/grpc v1.60.0 -> v1.64.0']);
    // Only the lowered one is fetched: `go mod tidy` alone would raise it again where a dependency needs more.
    assert.deepEqual(plan.followUp, [
      { dir: 'svc/a', argv: ['go', 'get', 'golang.org/x/net@v0.24.0'] },
      { dir: 'svc/a', argv: ['go', 'mod', 'tidy'] },
    ]);
  });

  it('leaves a requirement whose pin the go.mod excludes, or whose replace of the version it requires would stop applying, saying why', () => {
    const excludes = 'module example.com/a\n\ngo 1.22\n\nrequire golang.org/x/net v0.20.0\n\nexclude golang.org/x/net v0.24.0\n';
    const replaces = 'module example.com/b\n\ngo 1.22\n\nrequire google.golang.org/grpc v1.60.0\n\nreplace google.golang.org/grpc v1.60.0 => ../forks/grpc\n';
    // A replace of every version, or of the pin itself, stays in force: those are fixed as ever.
    const wildcard = 'module example.com/c\n\ngo 1.22\n\nrequire golang.org/x/net v0.20.0\n\nreplace golang.org/x/net => golang.org/x/net v0.24.0\n\nexclude golang.org/x/net v0.23.0\n';
    const repo = repoFrom({ 'anchor.lock': lock, 'a/go.mod': excludes, 'b/go.mod': replaces, 'c/go.mod': wildcard });
    const plan = planFixes(repo, findingsOf(repo).filter((f) => f.rule === 'anchor-mismatch'));
    assert.deepEqual(plan.patches.map((p) => p.file), ['c/go.mod']);
    assert.deepEqual(plan.skipped.map((s) => [s.finding.file, s.reason]), [
      ['a/go.mod', 'a/go.mod:7 excludes golang.org/x/net v0.24.0, the pinned version, and the go command drops a requirement of it; remove the exclude, or move the anchor'],
      ['b/go.mod', 'b/go.mod:7 replaces google.golang.org/grpc v1.60.0 => ../forks/grpc, which would no longer apply at v1.64.0 (the module would build google.golang.org/grpc v1.64.0 itself); move that replace to v1.64.0 with the requirement, or drop it'],
    ]);
  });

  it('makes the edits of one go.mod one after the other: duplicates of two pins in one block, and the block they leave with one line collapsed', () => {
    const both = 'module example.com/a\n\ngo 1.22\n\nrequire golang.org/x/net v0.20.0\n\nrequire (\n\tgoogle.golang.org/grpc v1.60.0 // indirect\n\tgolang.org/x/net v0.21.0 // indirect\n)\n';
    const three = 'module example.com/b\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.20.0\n\tgoogle.golang.org/grpc v1.60.0\n)\n\nrequire (\n' +
      '\tgolang.org/x/net v0.21.0 // indirect\n\tgolang.org/x/sys v0.1.0 // indirect\n\tgoogle.golang.org/grpc v1.60.1 // indirect\n)\n';
    const repo = repoFrom({ 'anchor.lock': lock, 'a/go.mod': both, 'b/go.mod': three });
    const plan = planFixes(repo, findingsOf(repo).filter((f) => f.rule === 'anchor-mismatch'));
    assert.deepEqual(plan.skipped, []);
    assert.deepEqual(plan.patches.map((p) => [p.file, p.after]), [
      ['a/go.mod', 'module example.com/a\n\ngo 1.22\n\nrequire golang.org/x/net v0.24.0\n\nrequire google.golang.org/grpc v1.64.0 // indirect\n'],
      ['b/go.mod', 'module example.com/b\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.24.0\n\tgoogle.golang.org/grpc v1.64.0\n)\n\nrequire golang.org/x/sys v0.1.0 // indirect\n'],
    ]);
    assert.deepEqual(plan.patches[0]!.descriptions, ['require golang.org/x/net v0.20.0, v0.21.0 -> v0.24.0', 'require google.golang.org/grpc v1.60.0 -> v1.64.0']);
  });

  it('sets the go line to the one anchor.lock names', () => {
    const goMod = 'module example.com/b\n\ngo 1.20 // old\n';
    const repo = repoFrom({ 'anchor.lock': lock, 'b/go.mod': goMod });
    const plan = planFixes(repo, findingsOf(repo));
    assert.equal(plan.patches[0]?.after, 'module example.com/b\n\ngo 1.22 // old\n');
  });

  it('leaves a go.work go line to the go command, saying how', () => {
    const repo = repoFrom({ 'anchor.lock': lock, 'a/go.mod': 'module example.com/a\n\ngo 1.22\n', 'go.work': 'go 1.21\n\nuse ./a\n' });
    const plan = planFixes(repo, findingsOf(repo));
    assert.deepEqual(plan.patches, []);
    // The go.work's go line is below its module's too, which the go command refuses (broken-workspace).
    assert.deepEqual(plan.skipped.map((s) => [s.finding.file, s.reason]), [
      ['go.work', 'go.work files are left to the go command: run go work edit -go=1.22'],
      ['go.work', 'broken-workspace has no automatic fix'],
    ]);
  });

  it('filters by rule and by module', () => {
    const a = 'module example.com/a\n\ngo 1.21\n\nrequire golang.org/x/net v0.20.0\n';
    const b = 'module example.com/b\n\ngo 1.22\n\nrequire golang.org/x/net v0.21.0\n';
    const repo = repoFrom({ 'anchor.lock': lock, 'a/go.mod': a, 'b/go.mod': b });
    const findings = findingsOf(repo);
    const onlyGo = planFixes(repo, findings, { rules: ['go-version-drift'] });
    assert.deepEqual(onlyGo.patches.map((p) => [p.file, p.after]), [['a/go.mod', a.replace('go 1.21', 'go 1.22')]]);
    const onlyB = planFixes(repo, findings, { modules: ['./b/'] });
    assert.deepEqual(onlyB.patches.map((p) => p.file), ['b/go.mod']);
    const byPath = planFixes(repo, findings, { modules: ['example.com/a'] });
    assert.deepEqual(byPath.patches.map((p) => p.file), ['a/go.mod']);
    assert.equal(byPath.patches[0]!.edits, 2);
  });

  it('drops a forbidden replace only when replace-directive is named', () => {
    const goMod = 'module example.com/a\n\ngo 1.22\n\nrequire github.com/x/y v1.0.0\n\nreplace github.com/x/y => github.com/me/y v1.0.1\n';
    const repo = repoFrom({ 'anchor.lock': lock, 'a/go.mod': goMod });
    const findings = findingsOf(repo);
    assert.ok(findings.some((f) => f.rule === 'replace-directive'));
    const unnamed = planFixes(repo, findings);
    assert.equal(unnamed.patches.length, 0);
    assert.match(unnamed.skipped.find((s) => s.finding.rule === 'replace-directive')!.reason, /--rule replace-directive/);
    const named = planFixes(repo, findings, { rules: ['replace-directive'] });
    assert.equal(named.patches.length, 1);
    assert.doesNotMatch(named.patches[0]!.after, /replace/);
    assert.match(named.patches[0]!.after, /require github.com\/x\/y v1.0.0/);
  });

  it('raises a requirement the graph selects below the pin, adding it when missing', () => {
    const goMod = 'module example.com/a\n\ngo 1.22\n\nrequire github.com/lib/pq v1.0.0\n';
    const graph = [
      'example.com/a github.com/lib/pq@v1.0.0',
      'github.com/lib/pq@v1.0.0 golang.org/x/net@v0.20.0',
      '',
    ].join('\n');
    const repo = repoFrom({ 'anchor.lock': lock, 'a/go.mod': goMod, 'a/graph.txt': graph }, { graphFile: 'graph.txt' });
    const findings = findingsOf(repo);
    const drift = findings.filter((f) => f.rule === 'anchor-drift');
    assert.equal(drift.length, 1, JSON.stringify(findings.map((f) => f.rule)));
    const plan = planFixes(repo, findings);
    assert.equal(plan.patches.length, 1);
    const after = plan.patches[0]!.after;
    assert.match(after, /golang\.org\/x\/net v0\.24\.0 \/\/ indirect/);
    assert.ok(after.startsWith('module example.com/a\n\ngo 1.22\n\nrequire github.com/lib/pq v1.0.0\n'));
    assert.deepEqual(plan.followUp, [
      { dir: 'a', argv: ['go', 'get', 'golang.org/x/net@v0.24.0'] },
      { dir: 'a', argv: ['go', 'mod', 'tidy'] },
    ]);
  });

  it('explains why raising cannot help when the graph selects above the pin', () => {
    const goMod = 'module example.com/a\n\ngo 1.22\n\nrequire github.com/lib/pq v1.0.0\n';
    const graph = 'example.com/a github.com/lib/pq@v1.0.0\ngithub.com/lib/pq@v1.0.0 golang.org/x/net@v0.30.0\n';
    const repo = repoFrom({ 'anchor.lock': lock, 'a/go.mod': goMod, 'a/graph.txt': graph }, { graphFile: 'graph.txt' });
    const plan = planFixes(repo, findingsOf(repo));
    assert.equal(plan.patches.length, 0);
    const skipped = plan.skipped.filter((s) => s.finding.rule === 'anchor-drift');
    assert.equal(skipped.length, 1);
    assert.match(skipped[0]!.reason, /selects golang\.org\/x\/net@v0\.30\.0, above the pin v0\.24\.0 because of .*github\.com\/lib\/pq@v1\.0\.0.*cannot lower it/);
  });

  it('reports rules without a fix as skipped and does nothing for a clean repository', () => {
    const clean = 'module example.com/a\n\ngo 1.22\n\nrequire golang.org/x/net v0.24.0\n';
    const repo = repoFrom({ 'anchor.lock': lock, 'a/go.mod': clean });
    const plan = planFixes(repo, findingsOf(repo));
    assert.deepEqual(plan.patches, []);
    assert.deepEqual(plan.followUp, []);
  });
});
