// Minimal version selection over a `go mod graph`: the build list is the highest version of each
// module path reachable from the main module.
//
// What a graph file already reflects: `go mod graph` prints nodes under their required names
// (`old@v1.2.0`), but the edges out of a replaced module already come from the replacement's go.mod.
// So replacements change nothing about which nodes are reachable; what they change is which code a
// selected version stands for. A versioned `replace x v1.9.0 => x v1.8.0` (or a wildcard
// `replace x => x v1.8.0`) makes the selected x@v1.9.0 build as v1.8.0, and that is the version
// `selectVersions` reports for x. A replacement by another path (a fork) or by a directory keeps the
// selected version and is listed in `selectBuildList`'s `replacement`.
import type { ModGraph } from '../engine/types.ts';
import { compareVersions } from '../version/index.ts';

export interface Replacement {
  old: { path: string; version: string };
  new: { path: string; version: string };
}

export interface SelectOptions {
  /** The main module's replace directives; `old.version` '' replaces every version. */
  replace?: readonly Replacement[];
  /** Select only these module paths (a rule that needs twenty anchored paths skips the rest of the build list). */
  only?: ReadonlySet<string>;
}

export interface Selected {
  /** The version minimal version selection picked from the graph. */
  selected: string;
  /** The version that is built: `selected`, or the replacement's version for a same-path replace. */
  version: string;
  /** The replace directive that applies to the selected version, when one does. */
  replacement?: Replacement;
}

const MAX_EDGE_SCANS = 3;

/**
 * mainModules lists the graph's main modules: the nodes without a version. `go mod graph` prints one
 * for a module; in a workspace (go.work) it prints every module the workspace uses, and all of them
 * are roots of one build list. Empty when the main module is unknown.
 */
export function mainModules(graph: ModGraph): number[] {
  const main = graph.main ?? -1;
  if (main < 0) return [];
  const out = [main];
  const nodes = graph.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (i !== main && node.version === '' && !node.kind) out.push(i);
  }
  return out;
}

/**
 * mainPaths are the module paths of the main modules: minimal version selection picks a main
 * module itself ('') for its path, whatever version of it other modules require.
 */
function mainPaths(graph: ModGraph, mains: readonly number[]): string[] {
  return mains.map((i) => graph.nodes[i]!.path);
}

/** reachableFromMain marks the nodes reachable from the main modules (all nodes when they are unknown). */
export function reachableFromMain(graph: ModGraph, mains: readonly number[] = mainModules(graph)): Uint8Array {
  const n = graph.nodes.length;
  const seen = new Uint8Array(n);
  if (mains.length === 0) {
    seen.fill(1);
    return seen;
  }
  for (const m of mains) seen[m] = 1;
  // `go mod graph` prints a module's requirements after the line that requires the module, so a
  // scan of the edges in file order usually reaches everything at once, without building the
  // adjacency arrays. A scan in which every edge started at a node already reached has marked every
  // target of a reached node: nothing is left to reach. Otherwise another scan follows; one that
  // changes nothing proves the marks complete. Other orders take more scans; after a few the
  // breadth-first search below takes over.
  const edges = graph.edges;
  for (let pass = 0; pass < MAX_EDGE_SCANS; pass++) {
    let changed = false;
    let skipped = false;
    for (let e = 0; e + 1 < edges.length; e += 2) {
      const to = edges[e + 1]!;
      if (!seen[edges[e]!]) skipped = true;
      else if (!seen[to]) {
        seen[to] = 1;
        changed = true;
      }
    }
    if (!changed || !skipped) return seen;
  }
  const { offsets, targets } = adjacency(graph);
  const queue = new Uint32Array(n);
  let head = 0;
  let tail = 0;
  seen.fill(0);
  for (const m of mains) {
    seen[m] = 1;
    queue[tail++] = m;
  }
  while (head < tail) {
    const v = queue[head++]!;
    for (let e = offsets[v]!; e < offsets[v + 1]!; e++) {
      const w = targets[e]!;
      if (!seen[w]) {
        seen[w] = 1;
        queue[tail++] = w;
      }
    }
  }
  return seen;
}

function isMainPath(own: readonly string[], path: string): boolean {
  for (let i = 0; i < own.length; i++) if (own[i] === path) return true;
  return false;
}

/** selectBuildList returns, for each module path in the graph, the selection and the replacement that applies. */
export function selectBuildList(graph: ModGraph, opts: SelectOptions = {}): Map<string, Selected> {
  const mains = mainModules(graph);
  const reach = reachableFromMain(graph, mains);
  const own = mainPaths(graph, mains);
  const best = new Map<string, string>();
  const nodes = graph.nodes;
  for (let i = 0; i < nodes.length; i++) {
    if (!reach[i]) continue;
    const node = nodes[i]!;
    // The main modules (bare) and the go/toolchain pseudo-nodes are not selectable modules, nor
    // is another version of a main module.
    if (node.version === '' || node.kind || isMainPath(own, node.path)) continue;
    if (opts.only && !opts.only.has(node.path)) continue;
    const cur = best.get(node.path);
    if (cur === undefined || (cur !== node.version && compareVersions(node.version, cur) > 0)) best.set(node.path, node.version);
  }
  const exact = new Map<string, Replacement>();
  const wildcard = new Map<string, Replacement>();
  for (const r of opts.replace ?? []) {
    // Only the paths selected above can be looked up.
    if (opts.only && !opts.only.has(r.old.path)) continue;
    if (r.old.version) exact.set(`${r.old.path}@${r.old.version}`, r);
    else wildcard.set(r.old.path, r);
  }
  const out = new Map<string, Selected>();
  if (exact.size === 0 && wildcard.size === 0) {
    for (const [path, selected] of best) out.set(path, { selected, version: selected });
    return out;
  }
  for (const [path, selected] of best) {
    // As in the go command, a version-specific replace wins over a wildcard one.
    out.set(path, selection(path, selected, exact.get(`${path}@${selected}`) ?? wildcard.get(path)));
  }
  return out;
}

/** selection is the Selected of path at version `selected` under the replacement that applies, if any. */
function selection(path: string, selected: string, replacement: Replacement | undefined): Selected {
  if (!replacement) return { selected, version: selected };
  // A replacement by another version of the same module builds that version; any other builds other code.
  const version = replacement.new.path === path && replacement.new.version ? replacement.new.version : selected;
  return { selected, version, replacement };
}

/** PathIndex numbers a few module paths, for selectPaths. */
export interface PathIndex {
  paths: readonly string[];
  /** Index of each path in `paths`. */
  index: ReadonlyMap<string, number>;
}

/** pathIndex numbers the given (distinct) module paths. */
export function pathIndex(paths: Iterable<string>): PathIndex {
  const list = [...paths];
  return { paths: list, index: new Map(list.map((p, i) => [p, i])) };
}

/**
 * selectPaths is selectBuildList with `only`, for rules that look at a few paths in every graph of
 * the repository: the selections of the paths the graph reaches, by their number in `only.paths`,
 * in that order. The work is the graph's (its nodes, the replacements), not the number of paths
 * asked for: a rule asks every graph of ten thousand modules about every anchor of a long
 * anchor.lock. `compare` orders versions (a memoized compareVersions shares its work between graphs).
 */
export function selectPaths(
  graph: ModGraph, only: PathIndex, replace: readonly Replacement[] = [],
  compare: (a: string, b: string) => number = compareVersions,
): Array<{ k: number; selection: Selected }> {
  const mains = mainModules(graph);
  const reach = reachableFromMain(graph, mains);
  const own = mainPaths(graph, mains);
  const { paths, index } = only;
  const best = new Map<number, string>();
  const nodes = graph.nodes;
  for (let i = 0; i < nodes.length; i++) {
    if (!reach[i]) continue;
    const node = nodes[i]!;
    // The main modules (bare) and the go/toolchain pseudo-nodes are not selectable modules.
    if (node.version === '' || node.kind) continue;
    const k = index.get(node.path);
    if (k === undefined || isMainPath(own, node.path)) continue;
    const cur = best.get(k);
    if (cur === undefined || (cur !== node.version && compare(node.version, cur) > 0)) best.set(k, node.version);
  }
  let exact: Map<string, Replacement> | undefined;
  let wildcard: Map<number, Replacement> | undefined;
  for (const r of replace) {
    const k = index.get(r.old.path);
    if (k === undefined) continue;
    if (r.old.version) (exact ??= new Map()).set(`${r.old.path}@${r.old.version}`, r);
    else (wildcard ??= new Map()).set(k, r);
  }
  const found = [...best.keys()].sort((a, b) => a - b);
  return found.map((k) => {
    const selected = best.get(k)!;
    if (exact === undefined && wildcard === undefined) return { k, selection: { selected, version: selected } };
    const path = paths[k]!;
    // As in the go command, a version-specific replace wins over a wildcard one.
    return { k, selection: selection(path, selected, exact?.get(`${path}@${selected}`) ?? wildcard?.get(k)) };
  });
}

/**
 * selectVersions returns the build list of a graph: for each module path the highest version
 * reachable from the main module in Go's semver order, with same-path versioned replacements applied.
 */
export function selectVersions(graph: ModGraph, opts: SelectOptions = {}): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, s] of selectBuildList(graph, opts)) out.set(path, s.version);
  return out;
}

export interface Adjacency {
  /** offsets[v] .. offsets[v+1] index `targets` for the successors of v. */
  offsets: Uint32Array;
  targets: Uint32Array;
  /** Edge number (into graph.edges / 2) of each target, for line lookups. */
  edgeOf: Uint32Array;
}

const adjacencyCache = new WeakMap<ModGraph, Adjacency>();

/** adjacency builds (once per graph) a compressed successor list from the edge pairs. */
export function adjacency(graph: ModGraph): Adjacency {
  const cached = adjacencyCache.get(graph);
  if (cached) return cached;
  const n = graph.nodes.length;
  const edges = graph.edges;
  const m = edges.length >>> 1;
  const offsets = new Uint32Array(n + 1);
  for (let e = 0; e < m; e++) offsets[edges[2 * e]! + 1]!++;
  for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
  const fill = offsets.slice(0, n);
  const targets = new Uint32Array(m);
  const edgeOf = new Uint32Array(m);
  for (let e = 0; e < m; e++) {
    const at = fill[edges[2 * e]!]!++;
    targets[at] = edges[2 * e + 1]!;
    edgeOf[at] = e;
  }
  const adj = { offsets, targets, edgeOf };
  adjacencyCache.set(graph, adj);
  return adj;
}
