// A worker thread of readModuleFiles (src/io/module-files.ts): reads and parses the go.sum and graph
// files it is given and posts them back with their arrays transferred, not copied. Graph node keys, go.sum keys and hashes are sent once per worker: a graph or go.sum
// arrives as indexes into what this worker has sent so far.
import { parentPort, workerData } from 'node:worker_threads';
import type { GraphNode } from '../engine/types.ts';
import { readOne } from './read.ts';
import { nodeKey, parseModGraphBytes } from '../graph/parse.ts';
import { parseGoSumBytes, SumTable } from '../gosum/parse.ts';
import type { ModuleFilesTask, WorkerGraph, WorkerMessage, WorkerSum } from './module-files.ts';

const task = workerData as ModuleFilesTask;
const ids = new Map<GraphNode, number>();
let nextId = 0;
const table = new SumTable();
let sentKeys = 0;
let sentHashes = 0;
let keys: string[] = [];
let graphs: WorkerGraph[] = [];
let sums: WorkerSum[] = [];
let transfer: ArrayBuffer[] = [];
let pending = 0;

const flush = (done: boolean) => {
  const message: WorkerMessage = {
    keys,
    sumKeys: table.keys.slice(sentKeys),
    sumPaths: table.paths.slice(sentKeys),
    sumVersions: table.versions.slice(sentKeys),
    sumGoMod: table.goMod.slice(sentKeys),
    sumHashes: table.hashes.slice(sentHashes),
    sumWellFormed: table.wellFormed.slice(sentHashes),
    graphs,
    sums,
    done,
  };
  sentKeys = table.keys.length;
  sentHashes = table.hashes.length;
  parentPort!.postMessage(message, transfer);
  keys = [];
  graphs = [];
  sums = [];
  transfer = [];
  pending = 0;
};

for (const file of task.sums) {
  const read = readOne(task.rootReal, { file, optional: true, bytes: true }, { maxBytes: task.maxBytes });
  if (read.error) {
    sums.push({ file, error: read.error });
  } else if (read.bytes) {
    const sum = parseGoSumBytes(read.bytes, file, table);
    const data = sum.compact!.data;
    sums.push({ file, data, errors: sum.errors, warnings: sum.warnings ?? [] });
    transfer.push(data.buffer as ArrayBuffer);
  } else {
    sums.push({ file });
  }
  if (++pending >= task.batch) flush(false);
}

for (const file of task.graphs) {
  const read = readOne(task.rootReal, { file, optional: true, bytes: true }, { maxBytes: task.maxBytes });
  if (read.error) {
    graphs.push({ file, error: read.error });
  } else if (read.bytes) {
    const g = parseModGraphBytes(read.bytes, file, { index: false });
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
    const edges = g.edges instanceof Uint32Array || g.edges instanceof Uint16Array ? g.edges : Uint32Array.from(g.edges);
    const edgeLines = g.edgeLines === undefined || g.edgeLines instanceof Uint32Array ? g.edgeLines : Uint32Array.from(g.edgeLines);
    graphs.push({ file, nodeIds, edges, ...(edgeLines ? { edgeLines } : {}), errors: g.errors, main: g.main ?? -1 });
    transfer.push(nodeIds.buffer as ArrayBuffer, edges.buffer as ArrayBuffer);
    if (edgeLines) transfer.push(edgeLines.buffer as ArrayBuffer);
  } else {
    graphs.push({ file });
  }
  if (++pending >= task.batch) flush(false);
}
flush(true);
