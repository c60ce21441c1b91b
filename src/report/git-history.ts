// Snapshots rebuilt from git alone: at each chosen commit, the go.mod, go.sum, go.work, anchor.lock
// and graph files are read with one `git cat-file --batch` (no checkout, no second work tree),
// assembled into a repository in memory and checked.
import type { Config } from '../engine/types.ts';
import { Git } from '../io/git.ts';
import { assembleRepository } from '../engine/assemble.ts';
import { check } from '../engine/run.ts';
import { buildSnapshot, type Snapshot } from './snapshot.ts';
import { dayOf } from './delta.ts';
import { isHistoryFile, listHistoryCommits, pickPoints, type HistoryCommit, type SinceSpec } from './history.ts';

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
  /** Called before each point is built and once at the end (done === total). */
  onProgress?: (done: number, total: number, point?: HistoryCommit) => void;
}

/** snapshotsFromGit builds one snapshot per chosen commit, oldest first. */
export async function snapshotsFromGit(opts: GitHistoryOptions): Promise<Snapshot[]> {
  const git = new Git(opts.root, opts.env);
  const commits = pickPoints(await listHistoryCommits(git, opts.since), opts.every);
  const wanted = {
    anchorsFile: opts.anchorsFile ?? 'anchor.lock',
    graphFile: opts.graphFile,
  };
  const out: Snapshot[] = [];
  for (let i = 0; i < commits.length; i++) {
    const c = commits[i]!;
    opts.onProgress?.(i, commits.length, c);
    const all = await git.listFiles(c.sha);
    const files = await git.readFiles(c.sha, all.filter((f) => isHistoryFile(f, wanted)));
    out.push(snapshotAt(opts.root, files, { ...wanted, ...(opts.config ? { config: opts.config } : {}) }, c));
  }
  opts.onProgress?.(commits.length, commits.length);
  return out;
}

/** snapshotAt checks the files of one commit as a repository and reduces the result to a snapshot. */
export function snapshotAt(root: string, files: Map<string, string>, opts: { anchorsFile: string; graphFile?: string; config?: Config }, commit: HistoryCommit): Snapshot {
  const repo = assembleRepository({
    root, files, anchorsFile: opts.anchorsFile,
    ...(opts.graphFile ? { graphFile: opts.graphFile } : {}),
    ...(opts.config ? { config: opts.config } : {}),
  });
  // Suppressions expire by the date of the point, not by today.
  return buildSnapshot(repo, check(repo, { today: dayOf(commit.date) }), { commit: commit.sha, date: commit.date });
}
