import { strict as assert } from 'node:assert';
import { snapshotsFromGit } from '../../src/report/git-history.ts';
import { parseSince } from '../../src/report/history.ts';
import { tempGitRepo, type TempRepo } from '../support/git-repo.ts';
import path from 'node:path';

const GRPC = 'google.golang.org/grpc';
const NET = 'golang.org/x/net';

describe('report/git-history', function () {
  this.timeout(60_000);
  let repo: TempRepo;
  const commits: string[] = [];
  const goMod = `module example.com/svc/a\n\ngo 1.22\n\nrequire (\n\t${GRPC} v1.64.0\n\t${NET} v0.24.0\n)\n`;
  const graph = (netViaGrpc: string) => [
    `example.com/svc/a ${GRPC}@v1.64.0`, `example.com/svc/a ${NET}@v0.24.0`,
    `${GRPC}@v1.64.0 ${NET}@${netViaGrpc}`, '',
  ].join('\n');

  before(() => {
    // The monorepo lives in a subfolder of the git repository, with the graph of each module beside it.
    repo = tempGitRepo('modguard-git-history-');
    repo.write({
      'README.md': 'x\n',
      'mono/anchor.lock': `go 1.22\nanchor (\n\t${GRPC} v1.64.0\n\t${NET} v0.24.0\n)\n`,
      'mono/svc/a/go.mod': goMod,
      'mono/svc/a/graph.txt': graph('v0.22.0'),
      'other/go.mod': 'module example.com/outside\n\ngo 1.22\n',
    });
    commits.push(repo.commit('day 1', '2026-04-01T10:00:00Z'));
    repo.write({ 'mono/svc/a/main.go': 'package main\n' });
    commits.push(repo.commit('day 2: code only', '2026-04-02T10:00:00Z'));
    repo.write({ 'mono/svc/a/graph.txt': graph('v0.26.0') });
    commits.push(repo.commit('day 3: grpc pulls x/net up', '2026-04-03T10:00:00Z'));
  });
  after(() => repo.cleanup());

  it('checks one point per day under the root, with graphs, without a checkout', async () => {
    const progress: string[] = [];
    const points = await snapshotsFromGit({
      root: path.join(repo.dir, 'mono'), since: parseSince('2026-04-01', new Date('2026-04-05T00:00:00Z')),
      graphFile: 'graph.txt', keepFull: 3,
      onProgress: (done, total) => progress.push(`${done}/${total}`),
    });
    assert.deepEqual(progress, ['0/3', '1/3', '2/3', '3/3']);
    assert.deepEqual(points.map((p) => [p.date, p.commit]), [
      ['2026-04-01T10:00:00.000Z', commits[0]], ['2026-04-02T10:00:00.000Z', commits[1]], ['2026-04-03T10:00:00.000Z', commits[2]],
    ]);
    assert.deepEqual(points.map((p) => p.headline.modules), [1, 1, 1], 'the module outside the root is not read');
    const net = (i: number) => points[i]!.anchors.find((a) => a.path === NET)!;
    assert.deepEqual(net(0).graph?.versions.map((v) => [v.version, v.relation]), [['v0.24.0', 'on']]);
    assert.deepEqual(net(2).graph?.versions.map((v) => [v.version, v.relation]), [['v0.26.0', 'above']]);
    assert.equal(net(2).converged, false);
    assert.deepEqual(points[1]!.findings, points[0]!.findings, 'a day without go.mod changes has the same findings');
    assert.ok(points[2]!.findings.some((f) => f.rule === 'anchor-drift' && f.dependency === NET && f.file.startsWith('svc/a/')));
    assert.ok(!points[0]!.findings.some((f) => f.rule === 'anchor-drift'));
    // The work tree was never touched.
    assert.equal(repo.git('status', '--porcelain'), '');
  });

  it('slims all but the newest points', async () => {
    const points = await snapshotsFromGit({ root: path.join(repo.dir, 'mono'), since: parseSince(commits[0]!, new Date()), keepFull: 1 });
    assert.deepEqual(points.map((p) => p.slim === true), [true, true, false]);
    assert.deepEqual(points.map((p) => p.headline.modules), [1, 1, 1]);
    assert.equal(points[0]!.findings.length, 0);
  });
});
