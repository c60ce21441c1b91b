// A worker thread of readGraphs (src/graph/read-graphs.ts): reads and parses the graph files it is
// given and posts each graph back with its edge arrays transferred, not copied. Node keys are sent
// once per worker: a graph arrives as indexes into the keys this worker has sent so far.
import { parentPort, workerData } from 'node:worker_threads';
import type { GraphNode } from '../engine/types.ts';
import { readOne } from '../io/read.ts';
import { nodeKey, parseModGraphBytes } from './parse.ts';
import type { GraphTask, WorkerGraph, WorkerMessage } from './read-graphs.ts';

const task = workerData as GraphTask;
const ids = new Map<GraphNode, number>();
let nextId = 0;
let keys: string[] = [];
let batch: WorkerGraph[] = [];
let transfer: ArrayBuffer[] = [];

const flush = (done: boolean) => {
  const message: WorkerMessage = { keys, graphs: batch, done };
  parentPort!.postMessage(message, transfer);
  keys = [];
  batch = [];
  transfer = [];
};

for (const file of task.files) {
  const read = readOne(task.rootReal, { file, optional: true, bytes: true }, { maxBytes: task.maxBytes });
  if (read.error) {
    batch.push({ file, error: read.error });
  } else if (read.bytes) {
    let g;
    try {
      g = parseModGraphBytes(read.bytes, file);
    } catch (err) {
      g = { file, nodes: [], edges: new Uint32Array(0), errors: [{ file, line: 1, column: 0, message: `internal parser error: ${(err as Error)?.message ?? String(err)}` }] };
    }
    const nodeIds = new Uint32Array(g.nodes.length);
    for (let i = 0; i < g.nodes.length; i++) {
      const node = g.nodes[i]!;
      let id = ids.get(node);
      if (id === undefined) {
        id = nextId++;
        ids.set(node, id);
        keys.push(nodeKey(node));
      }
      nodeIds[i] = id;
    }
    const edges = g.edges instanceof Uint32Array ? g.edges : Uint32Array.from(g.edges);
    const edgeLines = g.edgeLines instanceof Uint32Array ? g.edgeLines : Uint32Array.from(g.edgeLines ?? []);
    batch.push({ file, nodeIds, edges, edgeLines, errors: g.errors, main: g.main ?? -1 });
    transfer.push(nodeIds.buffer as ArrayBuffer, edges.buffer as ArrayBuffer, edgeLines.buffer as ArrayBuffer);
  } else {
    batch.push({ file });
  }
  if (batch.length >= task.batch) flush(false);
}
flush(true);
