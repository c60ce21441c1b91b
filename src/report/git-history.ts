// Snapshots rebuilt from git alone: at each chosen commit the tree is listed with `git ls-tree`, the
// go.mod, go.sum, go.work, anchor.lock and graph blobs are read with one `git cat-file --batch`
// (no checkout, no second work tree), assembled into a repository in memory and checked.
//
// Consecutive days share almost every blob, so blobs are cached by object id: texts for the small
// files, parsed graphs (the bulk of the bytes) from the previous point, and a point whose files are
// all unchanged reuses the previous snapshot outright.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Config, ModGraph } from '../engine/types.ts';
import { Git, SAFE_CONFIG, gitEnv } from '../io/git.ts';
import { assembleRepository, siblingFile } from '../engine/assemble.ts';
import { check } from '../engine/run.ts';
import { parseModGraph } from '../graph/parse.ts';
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

/** snapshotsFromGit builds one snapshot per chosen commit, oldest first. */
export async function snapshotsFromGit(opts: GitHistoryOptions): Promise<Snapshot[]> {
  const env = opts.env ?? process.env;
  const git = new Git(opts.root, env);
  const commits = pickPoints(await listHistoryCommits(git, opts.since), opts.every);
  const prefix = (await git.raw(['rev-parse', '--show-prefix'])).trim();
  const anchorsFile = opts.anchorsFile ?? 'anchor.lock';
  const graphFile = opts.graphFile;
  const isGraph = (file: string) => graphFile !== undefined && (file === graphFile || file.endsWith(`/${graphFile}`));
  const wanted = (file: string) => isHistoryFile(file, { anchorsFile, ...(graphFile ? { graphFile } : {}) });
  const keepFull = opts.keepFull ?? 2;

  const texts = new Map<string, string>();
  let graphs = new Map<string, ModGraph>();
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
      const missing = tree.filter((e) => (isGraph(e.path) ? !graphs.has(e.oid) : !texts.has(e.oid))).map((e) => e.oid);
      const blobs = await readBlobs(opts.root, env, [...new Set(missing)]);
      const files = new Map<string, string>();
      const nextGraphs = new Map<string, ModGraph>();
      const graphByPath = new Map<string, ModGraph>();
      for (const e of tree) {
        if (isGraph(e.path)) {
          const g = graphs.get(e.oid) ?? nextGraphs.get(e.oid) ?? parseModGraph(blobs.get(e.oid) ?? '', e.path);
          nextGraphs.set(e.oid, g);
          graphByPath.set(e.path, g);
        } else {
          const text = texts.get(e.oid) ?? blobs.get(e.oid);
          if (text === undefined) continue;
          texts.set(e.oid, text);
          files.set(e.path, text);
        }
      }
      graphs = nextGraphs; // only the previous point's graphs are kept: they are the bulk of the memory
      const repo = assembleRepository({ root: opts.root, files, anchorsFile, ...(opts.config ? { config: opts.config } : {}) });
      if (graphFile) {
        for (const m of repo.modules) {
          const g = graphByPath.get(siblingFile(m.dir, graphFile));
          // A graph parsed under another path (a renamed module) still reports its own file name.
          if (g) m.graph = g.file === siblingFile(m.dir, graphFile) ? g : { ...g, file: siblingFile(m.dir, graphFile) };
        }
      }
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
