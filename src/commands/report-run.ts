// The body of `modguard report`, imported only when the command runs.
import path from 'node:path';
import { UsageError, type CommandContext } from './context.ts';
import { loadRepository } from '../engine/load.ts';
import { check } from '../engine/run.ts';
import { makeDirectory, writeFileAtomic } from '../io/atomic.ts';
import { Git, isInsideWorkTree } from '../io/git.ts';
import { buildSnapshot, type Snapshot } from '../report/snapshot.ts';
import { dayOf, renderReport } from '../report/index.ts';
import { parseSince, readHistoryDir, writeHistorySnapshot } from '../report/history.ts';
import { snapshotsFromGit } from '../report/git-history.ts';
import { parseGraphFile, toLoadOptions } from './load-options.ts';

export interface ReportOptions {
  out: string;
  history?: string;
  since?: string;
  every?: string;
  root?: string;
  anchors?: string;
  config?: string;
  graphFile?: string;
  go?: boolean;
  title?: string;
  /** The moment the report describes (default: now); tests fix it. */
  now?: Date;
}

/** progressBar draws `[#####-----] 12/30 label` on one line of a TTY. */
export function progressBar(done: number, total: number, label: string, width = 24): string {
  const filled = total === 0 ? width : Math.round((width * done) / total);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${label}`;
}

function parseEvery(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 100_000) {
    throw new UsageError(`--every ${value}: expected a whole number of commits of at least 1`);
  }
  return Number(value);
}

/** relativeInside turns a user-given file into a path relative to root, or undefined when outside it. */
function relativeInside(root: string, cwd: string, file: string): string | undefined {
  const rel = path.relative(root, path.resolve(cwd, file));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

async function headCommit(root: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (!(await isInsideWorkTree(root, env))) return undefined;
  try {
    const sha = (await new Git(root, env).raw(['rev-parse', '--verify', '--quiet', 'HEAD'])).trim();
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined;
  } catch {
    return undefined; // a repository without commits yet
  }
}

/**
 * readHistoryForReport reads the history folder for a report of `today`: the snapshots as the page
 * and the comparison use them (whole ones only for their findings), nothing else of them kept.
 */
async function readHistoryForReport(dir: string, today: string, ctx: CommandContext): Promise<Snapshot[]> {
  const read = await readHistoryDir(dir, 1, today, true);
  for (const w of read.warnings) ctx.stderr.write(`modguard report: ${w}\n`);
  return read.snapshots;
}

export async function runReport(opts: ReportOptions, ctx: CommandContext): Promise<number> {
  const every = parseEvery(opts.every);
  if (every !== undefined && opts.since === undefined) throw new UsageError('--every needs --since (it picks the commits of the git history)');
  const now = opts.now ?? new Date();
  const since = opts.since !== undefined ? parseSince(opts.since, now) : undefined;
  const outDir = path.resolve(ctx.cwd, opts.out);
  const tty = ctx.stderr.isTTY === true;

  // The history folder is read first, while nothing else is in memory: a snapshot of a large
  // repository is hundreds of megabytes while it is parsed. Today's file is replaced by this run;
  // of the others only the newest (what "new since" compares with) keeps its findings, and none
  // keeps the lists the page draws of the current snapshot alone.
  const fromDir = opts.history !== undefined ? await readHistoryForReport(path.resolve(ctx.cwd, opts.history), dayOf(now.toISOString()), ctx) : [];

  const repo = await loadRepository({
    ...toLoadOptions(opts, ctx),
    ...(opts.go && tty ? {
      onGoProgress: (done: number, total: number) => {
        ctx.stderr.write(done >= total ? '\r\x1b[2K' : `\r\x1b[2K${progressBar(done, total, 'go mod graph')}`);
      },
    } : {}),
  });
  const result = check(repo);
  const commit = await headCommit(repo.root, ctx.env);
  const current = buildSnapshot(repo, result, { date: now.toISOString(), ...(commit ? { commit } : {}) });

  const history: Snapshot[] = [];
  if (since) {
    if (!(await isInsideWorkTree(repo.root, ctx.env))) throw new UsageError(`--since needs a git work tree; ${repo.root} is not in one`);
    const anchorsFile = opts.anchors !== undefined ? relativeInside(repo.root, ctx.cwd, opts.anchors) : undefined;
    if (opts.anchors !== undefined && anchorsFile === undefined) throw new UsageError(`--since reads --anchors from git, so ${opts.anchors} must be inside ${repo.root}`);
    if (opts.go) ctx.stderr.write('modguard report: --go applies to today\'s snapshot only; history points use --graph-file files committed in git\n');
    const points = await snapshotsFromGit({
      root: repo.root, since, env: ctx.env,
      ...(every !== undefined ? { every } : {}),
      ...(anchorsFile !== undefined ? { anchorsFile } : {}),
      config: repo.config,
      ...(opts.graphFile !== undefined ? { graphFile: parseGraphFile(opts.graphFile) } : {}),
      onProgress: tty ? (done, total, point) => {
        ctx.stderr.write(done === total ? '\r\x1b[2K' : `\r\x1b[2K${progressBar(done, total, point ? `${point.date.slice(0, 10)} ${point.sha.slice(0, 10)}` : '')}`);
      } : undefined,
    });
    history.push(...points);
  }
  history.push(...fromDir);

  const files = renderReport(current, history, opts.title !== undefined ? { title: opts.title } : { title: path.basename(repo.root) });
  // A directory that cannot be made or written is the user's to fix: said as such (exit 2).
  const writing = async (option: string, write: () => Promise<unknown>) => {
    try {
      await write();
    } catch (err) {
      throw new UsageError(`${option}: cannot write there: ${(err as Error).message}`);
    }
  };
  await writing(`--out ${opts.out}`, async () => {
    await makeDirectory(outDir);
    await writeFileAtomic(path.join(outDir, 'report.json'), files.json);
    await writeFileAtomic(path.join(outDir, 'report.html'), files.html);
    await writeFileAtomic(path.join(outDir, 'report.md'), files.markdown);
  });
  if (opts.history !== undefined) {
    const dir = path.resolve(ctx.cwd, opts.history);
    await writing(`--history ${opts.history}`, () => writeHistorySnapshot(dir, current));
  }

  const h = current.headline;
  const d = files.delta;
  ctx.stdout.write(`modguard report: ${h.modules} modules, ${h.findings} findings (${h.errors} errors), `
    + `${h.anchorsConverged}/${h.anchors} anchors converged`
    + (d.previous ? `; ${d.newFindings.length} new, ${d.resolvedFindings.length} resolved since ${d.previous.date.slice(0, 10)}` : '')
    + `; ${files.history.length} point${files.history.length === 1 ? '' : 's'} of history\n`);
  ctx.stdout.write(`wrote ${path.join(outDir, 'report.json')}, report.html, report.md\n`);
  return 0;
}
