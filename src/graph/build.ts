// Bridges to @dagrejs/graphlib, for the algorithms it has (cycles, topological order, reachability
// with labels). The rules' hot paths stay on the compact arrays of ModGraph; a graphlib Graph costs
// a few objects per edge, so it is built on request only.
import { Graph, alg } from '@dagrejs/graphlib';
import type { ModGraph } from '../engine/types.ts';
import { nodeKey } from './parse.ts';

/**
 * toGraphlib returns a directed graph whose node ids are `path@version` keys (the bare path for the
 * main module), each labelled with its GraphNode, each edge with `{ line }` of the graph file. It is
 * typed as a plain Graph so that every `alg` function accepts it.
 */
export function toGraphlib(graph: ModGraph): Graph {
  const g = new Graph({ directed: true, multigraph: false });
  const keys = graph.nodes.map(nodeKey);
  for (let i = 0; i < keys.length; i++) g.setNode(keys[i]!, graph.nodes[i]!);
  const edges = graph.edges;
  for (let e = 0; e + 1 < edges.length; e += 2) {
    const line = graph.edgeLines?.[e >>> 1];
    g.setEdge(keys[edges[e]!]!, keys[edges[e + 1]!]!, line === undefined ? {} : { line });
  }
  return g;
}

/** dirGraph builds a graphlib graph from an adjacency map of string ids. */
export function dirGraph(dependsOn: Map<string, Set<string>>): Graph {
  const g = new Graph({ directed: true });
  for (const [from, tos] of dependsOn) {
    g.setNode(from);
    for (const to of tos) g.setEdge(from, to);
  }
  return g;
}

/** findCycles returns the strongly connected components that form cycles (self-loops included), sorted for stable output. */
export function findCycles(g: Graph): string[][] {
  return alg.findCycles(g)
    .map((c) => [...c].sort())
    .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
}
