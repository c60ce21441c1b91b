// stale-graph: a module's graph file was captured from another go.mod. `go mod graph` lists the main
// module's own requirements exactly as its go.mod states them; when the two differ, the graph is of
// an older (or newer) go.mod, and what anchor-drift and `modguard why` read from it is not what the
// module builds.
import type { ModGraph, ModuleInfo, ReportDescriptor, Rule } from '../src/engine/types.ts';
import type { ModFile, RequireStmt } from '../src/gomod/types.ts';
import { canonicalVersion, sameVersion } from '../src/version/index.ts';
import { at, reportedModules, moduleLineAt, plural, requireVersionToken } from './support/syntax.ts';
import { mainModules } from '../src/graph/select.ts';

/** A difference between a module's requirements and its graph's edges from the module. */
interface Difference {
  messageId: 'differs' | 'missing' | 'extra';
  path: string;
  /** The version the go.mod requires ('' for `extra`). */
  required: string;
  /** The version the graph has ('' for `missing`). */
  listed: string;
  /** The graph line of the edge (0 for `missing`: the graph has none). */
  line: number;
  /** The go.mod's requirement of the path (none for `extra`). */
  requirement?: RequireStmt;
}

export const rule: Rule = {
  meta: {
    id: 'stale-graph',
    type: 'problem',
    description: 'A module\'s graph file does not list the requirements its go.mod states: it was captured from another version of the go.mod.',
    defaultSeverity: 'warning',
    needsGraph: true,
    messages: {
      differs: '{{graph}} was captured from another go.mod: it has {{module}} require {{path}}@{{listed}} (line {{graphLine}}), where this go.mod requires {{required}}{{more}}; ' +
        'capture it again (`go mod graph` in the module): anchor-drift and `modguard why` read the module graph from it',
      missing: '{{graph}} was captured from another go.mod: it has {{module}} require no version of {{path}}, which this go.mod requires at {{required}}{{more}}; ' +
        'capture it again (`go mod graph` in the module): anchor-drift and `modguard why` read the module graph from it',
      extra: '{{graph}} was captured from another go.mod: it has {{module}} require {{path}}@{{listed}} (line {{graphLine}}), which this go.mod does not require{{more}}; ' +
        'capture it again (`go mod graph` in the module): anchor-drift and `modguard why` read the module graph from it',
      otherModule: '{{graph}} is the module graph of {{other}}, not of {{module}}: capture it in this module\'s directory (`go mod graph`)',
    },
  },
  create(context) {
    const { repo } = context;
    for (const module of reportedModules(repo)) {
      const graph = module.graph;
      if (!graph || !module.mod || !module.modulePath || graph.errors.length > 0) continue;
      const main = mainNodeOf(graph, module.modulePath);
      const graphFile = graph.file;
      if (main === undefined) {
        // A module that requires nothing has no lines of its own where go mod graph prints no go@
        // line (before Go 1.21), even in a workspace's graph: nothing to compare.
        if (module.mod.require.length === 0) continue;
        // A graph with edges but none from this module is another module's (copied, or captured
        // elsewhere); an empty one is judged below like any other.
        const other = graph.main !== undefined && graph.main >= 0 ? graph.nodes[graph.main]?.path : undefined;
        if (other !== undefined) {
          context.report({
            messageId: 'otherModule', file: module.goModFile, ...moduleLineAt(module), module: module.modulePath,
            data: { graph: graphFile, other, module: module.modulePath },
          });
          continue;
        }
      }
      const differences = compare(module, graph, main);
      if (differences.length === 0) continue;
      const first = differences[0]!;
      // On the go.mod (where a suppression can sit): the requirement's version, or the module line.
      const where: Pick<ReportDescriptor, 'line' | 'column'> = first.requirement ? at(requireVersionToken(first.requirement.syntax)) : moduleLineAt(module);
      context.report({
        messageId: first.messageId,
        file: module.goModFile,
        ...where,
        module: module.modulePath,
        dependency: first.path,
        data: {
          graph: graphFile, graphLine: first.line, module: module.modulePath, path: first.path,
          required: first.required, listed: first.listed,
          more: differences.length > 1 ? ` (and ${plural(differences.length - 1, 'other difference')})` : '',
        },
        extra: { differences: differences.map((d) => ({ path: d.path, required: d.required || null, listed: d.listed || null, graphLine: d.line || null })) },
      });
    }
  },
};

/** mainNodeOf is the graph's node of the module itself: one of its main modules (several in a workspace's graph), of its path. */
function mainNodeOf(graph: ModGraph, modulePath: string): number | undefined {
  const main = graph.main ?? -1;
  if (main >= 0 && graph.nodes[main]!.path === modulePath) return main;
  return mainModules(graph).find((i) => graph.nodes[i]!.path === modulePath);
}

/**
 * compare lists where the go.mod's requirements and the graph's edges from the module differ, in
 * go.mod order, then graph order. A path the go.mod requires twice is judged by its last line.
 * `go mod graph` prints a module's edges together, so the first run of them is compared first; only
 * when that run differs are all the graph's edges read (a graph of ten thousand lines is then
 * scanned once, not per check).
 */
function compare(module: ModuleInfo, graph: ModGraph, main: number | undefined): Difference[] {
  const requires = withoutExcluded(module.mod!);
  // The usual case, a graph of this go.mod: each requirement is one edge of the first run, and the
  // run has no other (a thousand modules are checked in a few milliseconds).
  const firstRun = edgesFrom(graph, main, true);
  let same = firstRun.size === requires.length;
  for (let i = 0; same && i < requires.length; i++) {
    const r = requires[i]!;
    const e = firstRun.get(r.mod.path);
    same = e !== undefined && sameVersion(graph.nodes[graph.edges[e + 1]!]!.version, r.mod.version);
  }
  if (same) return [];
  const required = new Map<string, RequireStmt>();
  for (const r of requires) required.set(r.mod.path, r);
  return differences(required, graph, edgesFrom(graph, main, false));
}

/**
 * withoutExcluded is the go.mod's requirements but those of a version its own `exclude` lines
 * exclude: the go command drops such a requirement when it loads the module ("dropping requirement
 * on excluded version"), so its graph has no edge for it.
 */
function withoutExcluded(mod: ModFile): readonly RequireStmt[] {
  if (mod.exclude.length === 0) return mod.require;
  const key = (path: string, version: string) => `${path}@${canonicalVersion(version) || version}`;
  const excluded = new Set(mod.exclude.map((x) => key(x.mod.path, x.mod.version)));
  return mod.require.filter((r) => !excluded.has(key(r.mod.path, r.mod.version)));
}

/**
 * edgesFrom maps the path of each edge from `main` to the edge's offset in `graph.edges` (the first
 * edge of a path): of the first run of such edges only, or of all of them.
 */
function edgesFrom(graph: ModGraph, main: number | undefined, firstRunOnly: boolean): Map<string, number> {
  const listed = new Map<string, number>();
  if (main === undefined) return listed;
  const edges = graph.edges;
  const nodes = graph.nodes;
  let inRun = false;
  for (let e = 0; e < edges.length; e += 2) {
    if (edges[e] !== main) {
      if (inRun && firstRunOnly) break;
      continue;
    }
    inRun = true;
    const node = nodes[edges[e + 1]!]!;
    // `go@1.22` and `toolchain@go1.22.1` are no requirements.
    if (node.kind || listed.has(node.path)) continue;
    listed.set(node.path, e);
  }
  return listed;
}

function differences(required: ReadonlyMap<string, RequireStmt>, graph: ModGraph, listed: ReadonlyMap<string, number>): Difference[] {
  const versionAt = (e: number) => graph.nodes[graph.edges[e + 1]!]!.version;
  const lineAt = (e: number) => (graph.edgeLines ? graph.edgeLines[e >>> 1]! : (e >>> 1) + 1);
  const out: Difference[] = [];
  for (const [path, requirement] of required) {
    const version = requirement.mod.version;
    const e = listed.get(path);
    if (e === undefined) out.push({ messageId: 'missing', path, required: version, listed: '', line: 0, requirement });
    else if (!sameVersion(versionAt(e), version)) out.push({ messageId: 'differs', path, required: version, listed: versionAt(e), line: lineAt(e), requirement });
  }
  for (const [path, e] of listed) {
    if (!required.has(path)) out.push({ messageId: 'extra', path, required: '', listed: versionAt(e), line: lineAt(e) });
  }
  return out;
}

export default rule;
