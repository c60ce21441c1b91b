// Why is a module in the build? The shortest requirement chain from the main module, found by a
// breadth-first search over the compact adjacency arrays.
import type { GraphNode, ModGraph } from '../engine/types.ts';
import { adjacency, mainModules } from './select.ts';
import { nodeKey } from './parse.ts';

/**
 * shortestPath returns the chain of nodes from the main module to the nearest node of `targetPath`
 * (and `targetVersion` when given), or undefined when no such node is reachable. Without a known main
 * module the search starts from every node that nothing requires.
 */
export function shortestPath(graph: ModGraph, targetPath: string, targetVersion?: string): GraphNode[] | undefined {
  const n = graph.nodes.length;
  if (n === 0) return undefined;
  const isTarget = (v: number) => {
    const node = graph.nodes[v]!;
    return node.path === targetPath && (targetVersion === undefined || targetVersion === '' || node.version === targetVersion);
  };
  const { offsets, targets } = adjacency(graph);
  const parent = new Int32Array(n).fill(-2);
  const queue = new Uint32Array(n);
  let head = 0;
  let tail = 0;
  for (const s of roots(graph)) {
    parent[s] = -1;
    queue[tail++] = s;
  }
  while (head < tail) {
    const v = queue[head++]!;
    if (isTarget(v)) {
      const chain: GraphNode[] = [];
      for (let x = v; x >= 0; x = parent[x]!) chain.push(graph.nodes[x]!);
      return chain.reverse();
    }
    for (let e = offsets[v]!; e < offsets[v + 1]!; e++) {
      const w = targets[e]!;
      if (parent[w] === -2) {
        parent[w] = v;
        queue[tail++] = w;
      }
    }
  }
  return undefined;
}

function roots(graph: ModGraph): number[] {
  const mains = mainModules(graph);
  if (mains.length > 0) return mains;
  const hasIn = new Uint8Array(graph.nodes.length);
  for (let e = 1; e < graph.edges.length; e += 2) hasIn[graph.edges[e]!] = 1;
  const out: number[] = [];
  for (let v = 0; v < graph.nodes.length; v++) if (!hasIn[v]) out.push(v);
  return out;
}

export interface Explanation {
  /** Main module first, the explained node last. */
  chain: GraphNode[];
  /** `a@v1.2.0 -> b@v1.5.0 requires x@v1.9.0` (the main module is named only for a direct requirement). */
  text: string;
}

/** explainSelected returns the shortest chain that pulls `path@version` into the graph, phrased for messages. */
export function explainSelected(graph: ModGraph, path: string, version: string): Explanation | undefined {
  const chain = shortestPath(graph, path, version);
  if (!chain) return undefined;
  return { chain, text: formatChain(chain) };
}

/** formatChain phrases a chain as `a@v -> b@v requires x@v`. */
export function formatChain(chain: GraphNode[]): string {
  if (chain.length === 0) return '';
  const last = nodeKey(chain[chain.length - 1]!);
  if (chain.length === 1) return last;
  // Skip the main module unless it is the one that requires the target directly.
  const via = chain.length > 2 && chain[0]!.version === '' ? chain.slice(1, -1) : chain.slice(0, -1);
  return `${via.map(nodeKey).join(' -> ')} requires ${last}`;
}
