// Snapshots rebuilt from git alone: at each chosen commit the tree is listed with `git ls-tree`, the
// go.mod, go.sum, go.work, anchor.lock and graph blobs are read with one `git cat-file --batch`
// (no checkout, no second work tree), assembled into a repository in memory and checked.
//
// Consecutive days share almost every blob, so blobs are cached by object id: texts for the small
// files, parsed graphs (the bulk of the bytes) from the previous point, and a point whose files are
// all unchanged reuses the previous snapshot outright.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Config, GoSum, ModGraph, ParseError } from '../engine/types.ts';
import { Git, SAFE_CONFIG, gitEnv } from '../io/git.ts';
import { assembleRepository, graphDirOf, siblingFile } from '../engine/assemble.ts';
import { check } from '../engine/run.ts';
import { parseModGraph } from '../graph/parse.ts';
import { parseGoSum } from '../gosum/parse.ts';
import { buildSnapshot, type Snapshot } from './snapshot.ts';
import { dayOf } from './delta.ts';
import { isHistoryFile, listHistoryCommits, pickPoints, slimSnapshot, type HistoryCommit, type SinceSpec } from './history.ts';

export interface GitHistoryOptions {
  /** Absolute root of the monorepo (inside a git work tree). */
  root: string;
  since: SinceSpec;
  every?: number;
  /** anchor.lock path relative to root (default `anchor.lock`). */
  anchorsFile?: string;
  /**
   * The configuration to check every point with: today's, so a trend measures the repository and
   * not changes of severities or ignore patterns.
   */
  config?: Config;
  /** Name of the captured `go mod graph` file beside each go.mod. */
  graphFile?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * How many of the newest points keep their lists (findings, modules, versions); older ones are
   * slimmed to their numbers so a long history fits in memory. Default 2: the newest point may be
   * today's and replaced by the live snapshot, the one before is what "new since" compares with.
   */
  keepFull?: number;
  /** Called before each point is built and once at the end (done === total). */
  onProgress?: (done: number, total: number, point?: HistoryCommit) => void;
}

/** TreeEntry is one file of a commit: path relative to the root and its blob id. */
interface TreeEntry { path: string; oid: string }

/** listTree lists the blobs of commit under the root (relative, POSIX) that a point needs. */
async function listTree(git: Git, prefix: string, commit: string, wanted: (file: string) => boolean): Promise<TreeEntry[]> {
  const out = await git.raw(['ls-tree', '-r', '-z', '--full-tree', commit]);
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [, type, oid] = record.slice(0, tab).split(' ');
    let file = record.slice(tab + 1);
    if (type !== 'blob' || !oid) continue;
    if (prefix) {
      if (!file.startsWith(prefix)) continue;
      file = file.slice(prefix.length);
    }
    if (wanted(file)) entries.push({ path: file, oid });
  }
  return entries;
}

/** readBlobs reads blobs by object id through one `git cat-file --batch`. */
function readBlobs(root: string, env: NodeJS.ProcessEnv, oids: string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (oids.length === 0) return Promise.resolve(result);
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...SAFE_CONFIG, 'cat-file', '--batch'], { cwd: root, env: gitEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) { reject(new Error(`git cat-file failed: ${stderr.trim()}`)); return; }
      const buffer = Buffer.concat(chunks);
      let at = 0;
      for (const oid of oids) {
        const nl = buffer.indexOf(10, at);
        if (nl < 0) break;
        const header = buffer.toString('utf8', at, nl).split(' ');
        at = nl + 1;
        if (header[1] === 'missing' || header.length < 3) continue;
        const size = Number(header[2]);
        if (header[1] === 'blob') result.set(oid, buffer.toString('utf8', at, at + size));
        at += size + 1;
      }
      resolve(result);
    });
    child.stdin.end(oids.map((o) => `${o}\n`).join(''));
  });
}

const GRAPH_BATCH = 100;

/** safeParse runs a parser that should never throw, turning a failure into an error entry for its file. */
function safeParse<T>(file: string, parse: () => T, failed: (error: ParseError) => T): T {
  try {
    return parse();
  } catch (err) {
    return failed({ file, line: 1, column: 0, message: `internal parser error: ${err instanceof Error ? err.message : String(err)}` });
  }
}

const graphIndex = new WeakMap<TreeEntry[], Map<string, TreeEntry>>();

function graphByPath(entries: TreeEntry[], file: string): TreeEntry | undefined {
  let index = graphIndex.get(entries);
  if (!index) graphIndex.set(entries, (index = new Map(entries.map((e) => [e.path, e]))));
  return index.get(file);
}

/** snapshotsFromGit builds one snapshot per chosen commit, oldest first. */
export async function snapshotsFromGit(opts: GitHistoryOptions): Promise<Snapshot[]> {
  const env = opts.env ?? process.env;
  const git = new Git(opts.root, env);
  const commits = pickPoints(await listHistoryCommits(git, opts.since), opts.every);
  const prefix = (await git.raw(['rev-parse', '--show-prefix'])).trim();
  const anchorsFile = opts.anchorsFile ?? 'anchor.lock';
  const graphFile = opts.graphFile;
  const isGraph = (file: string) => graphDirOf(file, graphFile) !== undefined;
  const wanted = (file: string) => isHistoryFile(file, { anchorsFile, ...(graphFile ? { graphFile } : {}) });
  const keepFull = opts.keepFull ?? 2;

  // Texts by blob id (small files, kept for the whole run); parsed go.sum and graph files by blob id
  // and path (their positions name the file), kept from the previous point only.
  const texts = new Map<string, string>();
  let parsedSums = new Map<string, GoSum>();
  let parsedGraphs = new Map<string, ModGraph>();
  let previous: { fingerprint: string; snapshot: Snapshot } | undefined;
  const out: Snapshot[] = [];
  for (let i = 0; i < commits.length; i++) {
    const c = commits[i]!;
    opts.onProgress?.(i, commits.length, c);
    const tree = await listTree(git, prefix, c.sha, wanted);
    const fingerprint = createHash('sha256').update(tree.map((e) => `${e.path}\0${e.oid}`).sort().join('\n')).digest('hex');
    let snapshot: Snapshot;
    if (previous && previous.fingerprint === fingerprint) {
      // Nothing the rules read changed since the previous point: same findings, new date.
      snapshot = { ...previous.snapshot, date: c.date, commit: c.sha };
    } else {
      const cacheKey = (e: TreeEntry) => `${e.oid}\0${e.path}`;
      const graphEntries = tree.filter((e) => isGraph(e.path));
      const textEntries = tree.filter((e) => !isGraph(e.path));
      const textBlobs = await readBlobs(opts.root, env, [...new Set(textEntries.filter((e) => !texts.has(e.oid)).map((e) => e.oid))]);
      for (const [oid, text] of textBlobs) texts.set(oid, text);

      // Graphs are most of the bytes: read the changed ones in batches and parse each at once, so
      // a first point never holds every graph text in memory together.
      const nextGraphs = new Map<string, ModGraph>();
      const toParse = graphEntries.filter((e) => !parsedGraphs.has(cacheKey(e)));
      for (const e of graphEntries) { const g = parsedGraphs.get(cacheKey(e)); if (g) nextGraphs.set(cacheKey(e), g); }
      for (let b = 0; b < toParse.length; b += GRAPH_BATCH) {
        const batch = toParse.slice(b, b + GRAPH_BATCH);
        const blobs = await readBlobs(opts.root, env, [...new Set(batch.map((e) => e.oid))]);
        for (const e of batch) nextGraphs.set(cacheKey(e), safeParse(e.path, () => parseModGraph(blobs.get(e.oid) ?? '', e.path),
          (error) => ({ file: e.path, nodes: [], edges: [], errors: [error] })));
      }
      parsedGraphs = nextGraphs;

      const files = new Map<string, string>();
      const sumEntries = new Map<string, TreeEntry>();
      for (const e of textEntries) {
        const text = texts.get(e.oid);
        if (text === undefined) continue;
        if (e.path === 'go.sum' || e.path.endsWith('/go.sum')) sumEntries.set(e.path, e);
        else files.set(e.path, text);
      }
      const repo = assembleRepository({ root: opts.root, files, anchorsFile, ...(opts.config ? { config: opts.config } : {}) });
      const nextSums = new Map<string, GoSum>();
      for (const m of repo.modules) {
        const sumPath = siblingFile(m.dir, 'go.sum');
        const se = sumEntries.get(sumPath);
        if (se) {
          const text = texts.get(se.oid)!;
          const sum = parsedSums.get(cacheKey(se)) ?? safeParse(sumPath, () => parseGoSum(text, sumPath), (error) => ({ file: sumPath, entries: [], errors: [error] }));
          nextSums.set(cacheKey(se), sum);
          m.sumText = text;
          m.sum = sum;
        }
        if (graphFile) {
          const ge = graphByPath(graphEntries, siblingFile(m.dir, graphFile));
          if (ge) m.graph = parsedGraphs.get(cacheKey(ge));
        }
      }
      parsedSums = nextSums;
      // Suppressions expire by the date of the point, not by today.
      snapshot = buildSnapshot(repo, check(repo, { today: dayOf(c.date) }), { commit: c.sha, date: c.date });
    }
    previous = { fingerprint, snapshot };
    out.push(snapshot);
    // Slim the point that just fell out of the newest keepFull.
    if (out.length > keepFull) out[out.length - 1 - keepFull] = slimSnapshot(out[out.length - 1 - keepFull]!);
  }
  opts.onProgress?.(commits.length, commits.length);
  return out;
}
