// A fixed pair of snapshots (yesterday, today) written out by hand, for the renderers' tests.
import type { AnchorDrift, Snapshot, SnapshotFinding } from '../../src/report/snapshot.ts';

function finding(rule: string, severity: SnapshotFinding['severity'], file: string, line: number, module: string, dependency: string, messageId: string, message: string): SnapshotFinding {
  return { key: [rule, file, dependency, messageId].join('|'), rule, severity, file, line, module, dependency, messageId, message };
}

export const F = {
  grpcA: finding('anchor-mismatch', 'error', 'svc/a/go.mod', 7, 'example.com/svc/a', 'google.golang.org/grpc', 'mismatch', 'google.golang.org/grpc v1.62.0 differs from the pin v1.64.0'),
  grpcB: finding('anchor-mismatch', 'error', 'svc/b/go.mod', 9, 'example.com/svc/b', 'google.golang.org/grpc', 'mismatch', 'google.golang.org/grpc v1.62.0 differs from the pin v1.64.0'),
  netC: finding('anchor-mismatch', 'error', 'svc/c/go.mod', 5, 'example.com/svc/c', 'golang.org/x/net', 'mismatch', 'golang.org/x/net v0.22.0 differs from the pin v0.24.0'),
  banC: finding('banned-module', 'error', 'svc/c/go.mod', 6, 'example.com/svc/c', 'github.com/pkg/errors', 'banned', 'github.com/pkg/errors is banned: use fmt.Errorf with %w'),
  goD: finding('go-version-drift', 'warning', 'lib/d/go.mod', 3, 'example.com/lib/d', '', 'go', 'go 1.21 differs from the anchor.lock go 1.22'),
  spreadUuid: finding('version-divergence', 'info', 'lib/d/go.mod', 8, 'example.com/lib/d', 'github.com/google/uuid', 'divergence', 'github.com/google/uuid is required at 2 versions'),
  // A message with markup in it: must come out escaped everywhere.
  evil: finding('replace-directive', 'error', 'svc/<x>/go.mod', 4, 'example.com/svc/<x>', 'example.com/<script>alert(1)</script>', 'replace', 'replace of example.com/<script>alert(1)</script> is not allowed | *bold* `code`'),
};

function grpc(direct: Array<[string, 'on' | 'below' | 'above', string[]]>): AnchorDrift {
  const view = { on: 0, below: 0, above: 0, versions: direct.map(([version, relation, modules]) => ({ version, relation, modules })) };
  for (const v of view.versions) view[v.relation] += v.modules.length;
  return { path: 'google.golang.org/grpc', pin: 'v1.64.0', comment: 'owner: rpc-platform', direct: view, converged: view.below + view.above === 0 };
}

function net(direct: Array<[string, 'on' | 'below' | 'above', string[]]>): AnchorDrift {
  const view = { on: 0, below: 0, above: 0, versions: direct.map(([version, relation, modules]) => ({ version, relation, modules })) };
  for (const v of view.versions) view[v.relation] += v.modules.length;
  return { path: 'golang.org/x/net', pin: 'v0.24.0', comment: '', direct: view, converged: view.below + view.above === 0 };
}

function snapshot(date: string, commit: string, findings: SnapshotFinding[], anchors: AnchorDrift[], offPin: number): Snapshot {
  const rules: Snapshot['rules'] = {};
  for (const f of findings) {
    const r = (rules[f.rule] ??= { total: 0, error: 0, warning: 0, info: 0 });
    r.total++; r[f.severity]++;
  }
  const mods = ['example.com/lib/d', 'example.com/svc/<x>', 'example.com/svc/a', 'example.com/svc/b', 'example.com/svc/c'];
  const modules = mods.map((p) => {
    const own = findings.filter((f) => f.module === p);
    return {
      path: p, dir: p.slice('example.com/'.length),
      errors: own.filter((f) => f.severity === 'error').length,
      warnings: own.filter((f) => f.severity === 'warning').length,
      infos: own.filter((f) => f.severity === 'info').length,
      findings: own.map((f) => f.key).sort(),
    };
  });
  const spread = [{ path: 'github.com/google/uuid', modules: 4, versions: [
    { version: 'v1.6.0', modules: ['example.com/svc/a', 'example.com/svc/b', 'example.com/svc/c'] },
    { version: 'v1.3.0', modules: ['example.com/lib/d'] },
  ] }];
  return {
    schemaVersion: 1, date, commit, graphs: false,
    headline: {
      modules: mods.length, findings: findings.length,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      infos: findings.filter((f) => f.severity === 'info').length,
      suppressed: 0, anchors: anchors.length, anchorsConverged: anchors.filter((a) => a.converged).length,
      modulesOffPin: offPin, spreadDependencies: spread.length,
    },
    anchors, rules, modules,
    findings: [...findings].sort((a, b) => (a.key < b.key ? -1 : 1)),
    spread,
  };
}

/** yesterday: grpc drift in a and b, x/net drift in c, a go drift. */
export function yesterday(): Snapshot {
  return snapshot('2026-03-09T02:00:00.000Z', '1111111111111111111111111111111111111111',
    [F.grpcA, F.grpcB, F.netC, F.goD],
    [grpc([['v1.64.0', 'on', ['example.com/svc/c']], ['v1.62.0', 'below', ['example.com/svc/a', 'example.com/svc/b']]]),
      net([['v0.24.0', 'on', ['example.com/svc/a']], ['v0.22.0', 'below', ['example.com/svc/c']]])], 3);
}

/** today: x/net converged, go drift fixed; a ban, a divergence and a bad replace appeared. */
export function today(): Snapshot {
  return snapshot('2026-03-10T02:00:00.000Z', '2222222222222222222222222222222222222222',
    [F.grpcA, F.grpcB, F.banC, F.spreadUuid, F.evil],
    [grpc([['v1.64.0', 'on', ['example.com/svc/c']], ['v1.62.0', 'below', ['example.com/svc/a', 'example.com/svc/b']]]),
      net([['v0.24.0', 'on', ['example.com/svc/a', 'example.com/svc/c']]])], 2);
}
