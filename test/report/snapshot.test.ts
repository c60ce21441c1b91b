import { strict as assert } from 'node:assert';
import { buildSnapshot, findingKeys, isSnapshot } from '../../src/report/snapshot.ts';
import { parseModGraph } from '../../src/graph/parse.ts';
import type { Anchor, CheckResult, Finding, ModFile, ModuleInfo, Repository } from '../../src/engine/types.ts';

// Repositories written out as data: the snapshot reads only module paths, requirements, replaces,
// graphs and anchors, so the syntax parts of the parse are left empty.
function mod(dir: string, modulePath: string, requires: Array<[string, string]>, extra: Partial<ModuleInfo> = {}): ModuleInfo {
  const file = dir === '.' ? 'go.mod' : `${dir}/go.mod`;
  const parsed = {
    module: { mod: { path: modulePath, version: '' }, deprecated: '' },
    require: requires.map(([path, version]) => ({ mod: { path, version }, indirect: false })),
    replace: [], exclude: [], retract: [], tool: [], ignore: [], godebug: [],
  } as unknown as ModFile;
  return { dir, goModFile: file, modulePath, text: '', mod: parsed, errors: [], ...extra };
}

function anchor(path: string, version: string, comment = ''): Anchor {
  return { path, version, comment, line: 1, column: 1, syntax: undefined as never };
}

function repoOf(modules: ModuleInfo[], anchors: Anchor[]): Repository {
  return {
    root: '/repo', modules, modulesByPath: new Map(modules.map((m) => [m.modulePath, m])), workFiles: [],
    anchors: { file: 'anchor.lock', text: '', anchors: new Map(anchors.map((a) => [a.path, a])), allowReplace: [], bans: [], errors: [] },
    config: { file: '', rules: {}, ignore: [] }, loadErrors: [],
  };
}

function finding(rule: string, severity: Finding['severity'], file: string, line: number, module: string, dependency: string, messageId = 'm'): Finding {
  return { rule, severity, file, line, column: 1, messageId, message: `${rule} ${dependency}`, module, dependency, data: {} };
}

function result(findings: Finding[]): CheckResult {
  return { version: 1, root: '/repo', findings, summary: { modules: 0, errors: 0, warnings: 0, infos: 0, suppressed: 2, byRule: {} }, notices: [] };
}

const GRPC = 'google.golang.org/grpc';
const NET = 'golang.org/x/net';
const UUID = 'github.com/google/uuid';

describe('report/snapshot', () => {
  const modules = [
    mod('svc/a', 'ex.com/svc/a', [[GRPC, 'v1.62.0'], [NET, 'v0.24.0'], [UUID, 'v1.6.0'], ['ex.com/lib/d', 'v0.0.0']]),
    mod('svc/b', 'ex.com/svc/b', [[GRPC, 'v1.62.0'], [UUID, 'v1.3.0']]),
    mod('svc/c', 'ex.com/svc/c', [[GRPC, 'v1.64.0'], [NET, 'v0.25.0'], [UUID, 'v1.6.0']], {
      // c requires x/net above the pin directly, and grpc v1.64.0 pulls x/net v0.26.0 through the graph.
      graph: parseModGraph([
        `ex.com/svc/c ${GRPC}@v1.64.0`, `ex.com/svc/c ${NET}@v0.25.0`,
        `${GRPC}@v1.64.0 ${NET}@v0.26.0`, '',
      ].join('\n'), 'svc/c/graph.txt'),
    }),
    mod('lib/d', 'ex.com/lib/d', [[UUID, 'v1.1.0'], ['github.com/pkg/errors', 'v0.9.1']]),
  ];
  const repo = repoOf(modules, [anchor(GRPC, 'v1.64.0', 'owner: rpc'), anchor(NET, 'v0.24.0'), anchor('github.com/stretchr/testify', 'v1.9.0')]);
  const findings = [
    finding('anchor-mismatch', 'error', 'svc/a/go.mod', 5, 'ex.com/svc/a', GRPC),
    finding('anchor-mismatch', 'error', 'svc/b/go.mod', 4, 'ex.com/svc/b', GRPC),
    finding('anchor-mismatch', 'error', 'svc/c/go.mod', 6, 'ex.com/svc/c', NET),
    finding('anchor-drift', 'error', 'svc/c/graph.txt', 3, 'ex.com/svc/c', NET),
    finding('version-divergence', 'info', 'lib/d/go.mod', 3, 'ex.com/lib/d', UUID),
    finding('gosum-hash-conflict', 'error', 'svc/b/go.sum', 10, 'ex.com/svc/b', UUID),
    finding('gosum-hash-conflict', 'error', 'svc/b/go.sum', 2, 'ex.com/svc/b', UUID),
    finding('parse-error', 'error', 'anchor.lock', 9, '', ''),
    finding('go-version-drift', 'warning', 'svc/a/go.mod', 3, 'ex.com/svc/a', ''),
  ];
  const s = buildSnapshot(repo, result(findings), { date: '2026-03-10T02:00:00.000Z', commit: 'abc' });

  it('places every module against each pin, directly and through the graph', () => {
    const grpc = s.anchors.find((a) => a.path === GRPC)!;
    assert.deepEqual(grpc.direct, {
      on: 1, below: 2, above: 0,
      versions: [
        { version: 'v1.64.0', relation: 'on', modules: ['ex.com/svc/c'] },
        { version: 'v1.62.0', relation: 'below', modules: ['ex.com/svc/a', 'ex.com/svc/b'] },
      ],
    });
    assert.equal(grpc.comment, 'owner: rpc');
    assert.equal(grpc.converged, false);
    assert.deepEqual(grpc.graph?.versions, [{ version: 'v1.64.0', relation: 'on', modules: ['ex.com/svc/c'] }]);

    const net = s.anchors.find((a) => a.path === NET)!;
    assert.deepEqual([net.direct.on, net.direct.below, net.direct.above], [1, 0, 1]);
    assert.deepEqual(net.graph?.versions, [{ version: 'v0.26.0', relation: 'above', modules: ['ex.com/svc/c'] }]);

    const testify = s.anchors.find((a) => a.path === 'github.com/stretchr/testify')!;
    assert.equal(testify.converged, true, 'an anchor nobody requires is converged');
    assert.deepEqual(s.anchors.map((a) => a.path), ['github.com/stretchr/testify', NET, GRPC], 'anchors sorted by path');
    assert.equal(s.graphs, true);
  });

  it('counts the headline', () => {
    assert.deepEqual(s.headline, {
      modules: 4, findings: 9, errors: 7, warnings: 1, infos: 1, suppressed: 2,
      anchors: 3, anchorsConverged: 1, modulesOffPin: 3, spreadDependencies: 1,
    });
    assert.equal(s.schemaVersion, 1);
    assert.equal(s.commit, 'abc');
    assert.ok(isSnapshot(JSON.parse(JSON.stringify(s))));
  });

  it('counts findings per rule and hands them to their modules', () => {
    assert.deepEqual(s.rules['anchor-mismatch'], { total: 3, error: 3, warning: 0, info: 0 });
    assert.deepEqual(s.rules['gosum-hash-conflict'], { total: 2, error: 2, warning: 0, info: 0 });
    const b = s.modules.find((m) => m.path === 'ex.com/svc/b')!;
    assert.deepEqual(b.findings, [
      'anchor-mismatch|svc/b/go.mod|google.golang.org/grpc|m',
      'gosum-hash-conflict|svc/b/go.sum|github.com/google/uuid|m',
      'gosum-hash-conflict|svc/b/go.sum|github.com/google/uuid|m#2',
    ]);
    assert.equal(b.errors, 3);
    const a = s.modules.find((m) => m.path === 'ex.com/svc/a')!;
    assert.deepEqual([a.errors, a.warnings, a.infos], [1, 1, 0]);
    // The anchor.lock error belongs to no module.
    assert.equal(s.modules.reduce((n, m) => n + m.findings.length, 0), 8);
  });

  it('measures the spread of unanchored external dependencies only', () => {
    assert.deepEqual(s.spread, [{
      path: UUID, modules: 4,
      versions: [
        { version: 'v1.6.0', modules: ['ex.com/svc/a', 'ex.com/svc/c'] },
        { version: 'v1.3.0', modules: ['ex.com/svc/b'] },
        { version: 'v1.1.0', modules: ['ex.com/lib/d'] },
      ],
    }]);
  });

  it('keys findings without lines, numbering repeats in file order', () => {
    const f1 = finding('gosum-hash-conflict', 'error', 'x/go.sum', 10, 'x', 'd');
    const f2 = finding('gosum-hash-conflict', 'error', 'x/go.sum', 2, 'x', 'd');
    assert.deepEqual(findingKeys([f1, f2]), ['gosum-hash-conflict|x/go.sum|d|m#2', 'gosum-hash-conflict|x/go.sum|d|m']);
    const moved = { ...f1, line: 40 };
    assert.deepEqual(findingKeys([moved]), findingKeys([f1]));
  });

  it('works without anchors or graphs', () => {
    const bare: Repository = { ...repoOf([modules[0]!, modules[1]!], []) };
    delete bare.anchors;
    const t = buildSnapshot(bare, result([]), { date: '2026-03-10T00:00:00.000Z' });
    assert.deepEqual(t.anchors, []);
    assert.equal(t.graphs, false);
    assert.equal(t.commit, undefined);
    assert.deepEqual([t.headline.anchors, t.headline.anchorsConverged, t.headline.modulesOffPin], [0, 0, 0]);
    // Without anchors, pinned paths count as spread too; here only uuid is at two versions.
    assert.deepEqual(t.spread.map((d) => d.path), [UUID]);
  });
});
