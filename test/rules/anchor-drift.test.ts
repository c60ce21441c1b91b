import { strict as assert } from 'node:assert';
import { rule } from '../../rules/anchor-drift.ts';
import type { ReportDescriptor, Repository } from '../../src/engine/types.ts';
import { anchorLock, moduleInfo, repository } from '../graph/repo-fixture.ts';

function run(repo: Repository, options: Record<string, unknown> = {}): ReportDescriptor[] {
  const out: ReportDescriptor[] = [];
  const parsed = rule.meta.optionsSchema!.parse(options);
  rule.create({ repo, options: parsed as never, report: (d) => out.push(d) });
  return out;
}

function message(d: ReportDescriptor): string {
  return rule.meta.messages[d.messageId]!.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(d.data?.[k] ?? `{{${k}}}`));
}

// svc/a requires x/y at exactly the pin; example.com/b (through example.com/a) pulls it up.
const TRANSITIVE = [
  'corp.com/svc/a example.com/a@v1.2.0',
  'corp.com/svc/a github.com/x/y@v1.8.0',
  'corp.com/svc/a go@1.22',
  'example.com/a@v1.2.0 example.com/b@v1.5.0',
  'example.com/b@v1.5.0 github.com/x/y@v1.9.0',
  'github.com/x/y@v1.9.0 golang.org/x/net@v0.20.0',
].join('\n');

describe('rule anchor-drift', () => {
  it('has the rule metadata the engine needs', () => {
    assert.equal(rule.meta.id, 'anchor-drift');
    assert.equal(rule.meta.defaultSeverity, 'error');
    assert.equal(rule.meta.needsGraph, true);
  });

  it('reports a pin exceeded only transitively, at the requirement line, naming the chain', () => {
    const repo = repository([
      moduleInfo({ dir: 'svc/a', path: 'corp.com/svc/a', require: [['example.com/a', 'v1.2.0'], ['github.com/x/y', 'v1.8.0']], graph: TRANSITIVE }),
    ], { anchors: anchorLock([['golang.org/x/text', 'v0.14.0'], ['github.com/x/y', 'v1.8.0']]) });
    const found = run(repo);
    assert.equal(found.length, 1);
    const f = found[0]!;
    assert.deepEqual([f.messageId, f.file, f.line, f.column, f.module, f.dependency], ['above', 'svc/a/go.mod', 5, 17, 'corp.com/svc/a', 'github.com/x/y']);
    assert.match(message(f), /^example\.com\/a@v1\.2\.0 -> example\.com\/b@v1\.5\.0 requires github\.com\/x\/y@v1\.9\.0 \(pinned v1\.8\.0 in anchor\.lock:2\)/);
    assert.deepEqual(f.extra!.chain, ['corp.com/svc/a', 'example.com/a@v1.2.0', 'example.com/b@v1.5.0', 'github.com/x/y@v1.9.0']);
  });

  it('reports at the module line when the go.mod does not require the dependency itself', () => {
    const repo = repository([
      moduleInfo({ dir: 'svc/a', path: 'corp.com/svc/a', require: [['example.com/a', 'v1.2.0']], graph: TRANSITIVE }),
    ], { anchors: anchorLock([['golang.org/x/net', 'v0.24.0']]) });
    const found = run(repo);
    assert.equal(found.length, 1);
    assert.deepEqual([found[0]!.messageId, found[0]!.line, found[0]!.column], ['below', 1, 1]);
    assert.match(message(found[0]!), /^golang\.org\/x\/net builds at v0\.20\.0 via example\.com\/a@v1\.2\.0 -> example\.com\/b@v1\.5\.0 -> github\.com\/x\/y@v1\.9\.0 requires golang\.org\/x\/net@v0\.20\.0/);
    assert.equal(run(repo, { reportBelowPin: false }).length, 0);
  });

  it('passes when the selected version equals the pin (in any spelling Go treats as equal)', () => {
    const graph = 'corp.com/m example.com/a@v1.2.0\nexample.com/a@v1.2.0 github.com/x/y@v1.9.0\ncorp.com/m github.com/x/y@v1.7.0\n';
    const repo = repository([moduleInfo({ dir: 'm', path: 'corp.com/m', graph })], { anchors: anchorLock([['github.com/x/y', 'v1.9']]) });
    assert.deepEqual(run(repo), []);
  });

  it('follows a replacement that changes the selected version', () => {
    // The graph selects v1.9.0, but the module replaces that version by v1.8.0: the pin holds.
    const pinned = repository([
      moduleInfo({ dir: 'svc/a', path: 'corp.com/svc/a', require: [['example.com/a', 'v1.2.0']],
        replace: [['github.com/x/y', 'v1.9.0', 'github.com/x/y', 'v1.8.0']], graph: TRANSITIVE }),
    ], { anchors: anchorLock([['github.com/x/y', 'v1.8.0']]) });
    assert.deepEqual(run(pinned), []);

    // A wildcard replacement to a version above the pin drifts even though the graph alone is fine.
    const graph = 'corp.com/svc/b github.com/x/y@v1.8.0\n';
    const drifted = repository([
      moduleInfo({ dir: 'svc/b', path: 'corp.com/svc/b', require: [['github.com/x/y', 'v1.8.0']],
        replace: [['github.com/x/y', '', 'github.com/x/y', 'v1.10.0']], graph }),
    ], { anchors: anchorLock([['github.com/x/y', 'v1.8.0']]) });
    const found = run(drifted);
    assert.equal(found.length, 1);
    assert.equal(found[0]!.data!.selected, 'v1.10.0');
    assert.match(message(found[0]!), /^corp\.com\/svc\/b requires github\.com\/x\/y@v1\.8\.0, replaced by github\.com\/x\/y@v1\.10\.0 \(pinned v1\.8\.0/);
    assert.equal(found[0]!.extra!.replacedBy, 'github.com/x/y@v1.10.0');
  });

  it('leaves directory and fork replacements to replace-directive', () => {
    const repo = repository([
      moduleInfo({ dir: 'svc/a', path: 'corp.com/svc/a', replace: [['github.com/x/y', '', '../../third_party/y', '']], graph: TRANSITIVE }),
      moduleInfo({ dir: 'svc/b', path: 'corp.com/svc/b', replace: [['github.com/x/y', '', 'github.com/fork/y', 'v1.9.1']], graph: TRANSITIVE.replaceAll('corp.com/svc/a', 'corp.com/svc/b') }),
    ], { anchors: anchorLock([['github.com/x/y', 'v1.8.0']]) });
    assert.deepEqual(run(repo), []);
  });

  it('leaves a go.mod that requires the drifted version itself to anchor-mismatch, unless asked', () => {
    const graph = 'corp.com/m github.com/x/y@v1.9.0\n';
    const repo = repository([moduleInfo({ dir: 'm', path: 'corp.com/m', require: [['github.com/x/y', 'v1.9.0']], graph })],
      { anchors: anchorLock([['github.com/x/y', 'v1.8.0']]) });
    assert.deepEqual(run(repo), []);
    const found = run(repo, { skipDirectMismatch: false });
    assert.equal(found.length, 1);
    assert.match(message(found[0]!), /^corp\.com\/m requires github\.com\/x\/y@v1\.9\.0 \(pinned v1\.8\.0/);
  });

  it('skips modules without a graph, respects the focus, and does nothing without anchors', () => {
    const modules = [
      moduleInfo({ dir: 'svc/a', path: 'corp.com/svc/a', graph: TRANSITIVE }),
      moduleInfo({ dir: 'svc/b', path: 'corp.com/svc/b', graph: TRANSITIVE.replaceAll('corp.com/svc/a', 'corp.com/svc/b') }),
      moduleInfo({ dir: 'svc/c', path: 'corp.com/svc/c' }),
    ];
    const anchors = anchorLock([['github.com/x/y', 'v1.8.0']]);
    assert.deepEqual(run(repository(modules, { anchors })).map((f) => f.file), ['svc/a/go.mod', 'svc/b/go.mod']);
    assert.deepEqual(run(repository(modules, { anchors, focus: new Set(['svc/b']) })).map((f) => f.file), ['svc/b/go.mod']);
    assert.deepEqual(run(repository(modules)), []);
  });

  it('rejects unknown options', () => {
    assert.throws(() => rule.meta.optionsSchema!.parse({ nope: true }));
  });
});

describe('rule anchor-drift on an assembled repository', () => {
  it('points at the require line of the parsed go.mod and names the chain', async () => {
    const { assembleRepository } = await import('../../src/engine/assemble.ts');
    const files = new Map<string, string>([
      ['anchor.lock', 'go 1.22\n\nanchor (\n\tgithub.com/x/y v1.8.0 // owner: platform\n)\n'],
      ['svc/a/go.mod', 'module corp.com/svc/a\n\ngo 1.22\n\nrequire (\n\texample.com/a v1.2.0\n\tgithub.com/x/y v1.8.0\n)\n'],
      ['svc/a/graph.txt', TRANSITIVE + '\n'],
      ['svc/b/go.mod', 'module corp.com/svc/b\n\ngo 1.22\n\nrequire github.com/x/y v1.8.0\n\nreplace github.com/x/y v1.9.0 => github.com/x/y v1.8.0\n'],
      ['svc/b/graph.txt', TRANSITIVE.replaceAll('corp.com/svc/a', 'corp.com/svc/b') + '\n'],
    ]);
    const repo = assembleRepository({ root: '/repo', files, graphFile: 'graph.txt' });
    assert.deepEqual(repo.modules.flatMap((m) => m.errors), []);
    const found = run(repo);
    assert.deepEqual(found.map((f) => [f.file, f.line, f.column, f.data!.anchorLine]), [['svc/a/go.mod', 7, 17, 4]]);
    assert.match(message(found[0]!), /^example\.com\/a@v1\.2\.0 -> example\.com\/b@v1\.5\.0 requires github\.com\/x\/y@v1\.9\.0 \(pinned v1\.8\.0 in anchor\.lock:4\)/);
  });
});

describe('rule anchor-drift in a workspace', () => {
  // A workspace's graph, as `go mod graph` prints it in either module: both are main modules.
  const WORKSPACE_GRAPH = [
    'corp.com/svc/a example.com/dep@v1.0.0',
    'corp.com/svc/a go@1.22',
    'corp.com/svc/b example.com/dep@v1.0.0',
    'corp.com/svc/b go@1.22',
    'example.com/dep@v1.0.0 github.com/x/y@v1.9.0',
  ].join('\n');
  const mod = (name: string, extra = '') => `module corp.com/svc/${name}\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n${extra}`;
  const WORK = 'go 1.22\n\nuse (\n\t./svc/a\n\t./svc/b\n)\n';

  async function drifted(files: Record<string, string>): Promise<Array<[string, string]>> {
    const { assembleRepository } = await import('../../src/engine/assemble.ts');
    const repo = assembleRepository({
      root: '/repo', graphFile: 'graph.txt',
      files: new Map(Object.entries({ 'anchor.lock': 'anchor github.com/x/y v1.8.0\n', ...files })),
    });
    assert.deepEqual([...repo.modules.flatMap((m) => m.errors), ...repo.workFiles.flatMap((w) => w.errors)], []);
    return run(repo).map((f) => [f.file, String(f.data!.selected)]);
  }

  it('builds with go.work\'s replaces, in every module of the workspace', async () => {
    assert.deepEqual(await drifted({
      'go.work': `${WORK}\nreplace github.com/x/y => github.com/x/y v1.8.0\n`,
      'svc/a/go.mod': mod('a'), 'svc/a/graph.txt': WORKSPACE_GRAPH,
      'svc/b/go.mod': mod('b'), 'svc/b/graph.txt': WORKSPACE_GRAPH,
    }), []);
  });

  it('builds with the replaces of every used module, and not with one of a path go.work replaces', async () => {
    assert.deepEqual(await drifted({
      'go.work': WORK,
      'svc/a/go.mod': mod('a', '\nreplace github.com/x/y v1.9.0 => github.com/x/y v1.8.0\n'), 'svc/a/graph.txt': WORKSPACE_GRAPH,
      'svc/b/go.mod': mod('b'), 'svc/b/graph.txt': WORKSPACE_GRAPH,
    }), []);
    assert.deepEqual(await drifted({
      'go.work': `${WORK}\nreplace github.com/x/y => github.com/x/y v1.9.5\n`,
      'svc/a/go.mod': mod('a', '\nreplace github.com/x/y => github.com/x/y v1.8.0\n'), 'svc/a/graph.txt': WORKSPACE_GRAPH,
      'svc/b/go.mod': mod('b'), 'svc/b/graph.txt': WORKSPACE_GRAPH,
    }), [['svc/a/go.mod', 'v1.9.5'], ['svc/b/go.mod', 'v1.9.5']]);
  });

  it('reads a graph captured outside the workspace (GOWORK=off: one main module of two) with the module\'s own replaces', async () => {
    const own = (name: string) => WORKSPACE_GRAPH.split('\n').filter((l) => !l.startsWith('corp.com/') || l.startsWith(`corp.com/svc/${name} `)).join('\n');
    assert.deepEqual(await drifted({
      'go.work': `${WORK}\nreplace github.com/x/y => github.com/x/y v1.8.0\n`,
      'svc/a/go.mod': mod('a'), 'svc/a/graph.txt': own('a'),
      'svc/b/go.mod': mod('b', '\nreplace github.com/x/y => github.com/x/y v1.8.0\n'), 'svc/b/graph.txt': own('b'),
    }), [['svc/a/go.mod', 'v1.9.0']]);
  });

  it('applies only the nearest go.work, and only to the modules it uses', async () => {
    assert.deepEqual(await drifted({
      'go.work': 'go 1.22\n\nuse ./svc/a\n\nreplace github.com/x/y => github.com/x/y v1.8.0\n',
      'tools/go.work': 'go 1.22\n\nuse ./b\n',
      'svc/a/go.mod': mod('a'), 'svc/a/graph.txt': WORKSPACE_GRAPH.replace(/corp\.com\/svc\/b.*\n/g, ''),
      'tools/b/go.mod': mod('b'), 'tools/b/graph.txt': WORKSPACE_GRAPH.replace(/corp\.com\/svc\/a.*\n/g, ''),
      'svc/c/go.mod': 'module corp.com/svc/c\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n',
      'svc/c/graph.txt': 'corp.com/svc/c example.com/dep@v1.0.0\nexample.com/dep@v1.0.0 github.com/x/y@v1.9.0\n',
    }), [['svc/c/go.mod', 'v1.9.0'], ['tools/b/go.mod', 'v1.9.0']]);
  });
});
