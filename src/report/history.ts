// The history of snapshots: kept as `report-YYYY-MM-DD.json` files in a folder (--history), or
// rebuilt from git alone (--since): go.mod, go.sum, go.work, anchor.lock and graph files are read at
// one commit per day (see git-history.ts), never by checking anything out.
import { createWriteStream, promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { createGzip, gunzip as gunzipCb } from 'node:zlib';
import { UsageError } from '../commands/context.ts';
import { Git, validateRef } from '../io/git.ts';
import { randomBytes } from 'node:crypto';
import { isSnapshot, type Snapshot } from './snapshot.ts';
import { dayOf } from './delta.ts';
import { graphDirOf } from '../engine/assemble.ts';
import { hasSkippedDir } from '../io/discover.ts';
import { makeDirectory } from '../io/atomic.ts';
import { readRegularFile } from '../io/read.ts';
import { batched, jsonPieces } from '../util/json-pieces.ts';
import { parseObjectSkipping } from '../io/json-reader.ts';

// ---------------------------------------------------------------------------------------------
// --history DIR

export interface HistoryRead {
  snapshots: Snapshot[];
  /** One line per file that was skipped (unreadable, not JSON, another schema). */
  warnings: string[];
}

const gunzip = promisify(gunzipCb);

const HISTORY_FILE = /^report-(\d{4}-\d{2}-\d{2})\.json(\.gz)?$/;

/** The lists of a snapshot, which a slim point (a number on the time axis) does without. */
const SNAPSHOT_LISTS: ReadonlySet<string> = new Set(['anchors', 'modules', 'findings', 'spread']);
const OTHER_LISTS: ReadonlySet<string> = new Set(['anchors', 'modules', 'spread']);

/**
 * slimSnapshot keeps a snapshot's numbers (headline, rule counts) and drops its lists, for points of
 * a history that are only drawn on the time axis.
 */
export function slimSnapshot(s: Snapshot): Snapshot {
  return { ...s, slim: true, anchors: [], modules: [], findings: [], spread: [] };
}

/**
 * readHistoryDir reads every `report-YYYY-MM-DD.json[.gz]` of dir (a missing dir is an empty
 * history). Only the newest keepFull days keep their lists; older ones are slimmed as they are read.
 * With `today` (a day, YYYY-MM-DD), that day's file is not read (the live snapshot replaces it),
 * and the days kept whole are the newest before it: what "new since" compares with. With
 * `findingsOnly`, those keep their findings alone (what the comparison reads); their other lists
 * are scanned, not made, and read as empty.
 */
export async function readHistoryDir(dir: string, keepFull = 2, today?: string, findingsOnly = false): Promise<HistoryRead> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { snapshots: [], warnings: [] };
    throw new UsageError(`--history ${dir}: cannot read the folder (${(err as Error).message})`);
  }
  const snapshots: Snapshot[] = [];
  const warnings: string[] = [];
  // One file per day: a .json.gz written by this version wins over a .json of the same day.
  const byDay = new Map<string, string>();
  for (const name of names.sort()) {
    const m = HISTORY_FILE.exec(name);
    if (m && (!byDay.has(m[1]!) || m[2])) byDay.set(m[1]!, name);
  }
  const days = [...byDay.keys()].sort().filter((d) => d !== today);
  const earlier = today === undefined ? days : days.filter((d) => d < today);
  const whole = new Set(earlier.slice(Math.max(0, earlier.length - keepFull)));
  for (const day of days) {
    const file = path.join(dir, byDay.get(day)!);
    try {
      const raw = readRegularFile(file);
      const bytes = file.endsWith('.gz') ? await gunzip(raw) : raw;
      // A point drawn on the time axis only: its lists are scanned, not made.
      const value: unknown = !whole.has(day) ? parseObjectSkipping(bytes, file, SNAPSHOT_LISTS)
        : findingsOnly ? parseObjectSkipping(bytes, file, OTHER_LISTS) : JSON.parse(bytes.toString('utf8'));
      if (isSnapshot(value)) snapshots.push(whole.has(day) ? value : slimSnapshot(value));
      else warnings.push(`${file}: not a modguard snapshot of schema version 1; skipped`);
    } catch (err) {
      // A UsageError of the reader names the file itself.
      const message = (err as Error).message;
      warnings.push(`${message.startsWith(`${file}: `) ? message : `${file}: ${message}`}; skipped`);
    }
  }
  return { snapshots, warnings };
}

/**
 * historyFileName is the file a snapshot is kept in: one per UTC day (a later run replaces it),
 * gzip-compressed because a thousand-module snapshot is megabytes of repetitive JSON.
 */
export function historyFileName(s: Snapshot): string {
  return `report-${dayOf(s.date)}.json.gz`;
}

/**
 * writeGzipAtomic writes a text, gzip-compressed as its pieces come, through a temporary file in the
 * same folder and a rename.
 */
async function writeGzipAtomic(file: string, pieces: Iterable<string>): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await pipeline(Readable.from(batched(pieces)), createGzip(), createWriteStream(tmp, { flags: 'wx' }));
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** writeHistorySnapshot adds a snapshot to the history folder (created when missing). */
export async function writeHistorySnapshot(dir: string, s: Snapshot): Promise<string> {
  await makeDirectory(dir);
  const file = path.join(dir, historyFileName(s));
  // The compact JSON of the snapshot, never held whole (that of a very large repository need not fit in a string).
  await writeGzipAtomic(file, jsonPieces(s));
  // A plain .json of the same day (written by hand or by an older run) would shadow nothing, but
  // would be read twice by tools listing the folder; this run's file replaces it.
  await fs.rm(file.slice(0, -'.gz'.length), { force: true });
  return file;
}

// ---------------------------------------------------------------------------------------------
// --since SPEC

export type SinceSpec = { kind: 'date'; since: Date; text: string } | { kind: 'ref'; ref: string };

/**
 * parseSince reads `30d` / `4w` (days or weeks before now), `YYYY-MM-DD` (a UTC day) or a git ref.
 */
export function parseSince(spec: string, now: Date): SinceSpec {
  const text = spec.trim();
  if (text === '') throw new UsageError('--since needs a value: a number of days (30d), a date (2026-01-31) or a git ref');
  const rel = /^(\d+)([dw])$/.exec(text);
  if (rel) {
    const days = Number(rel[1]) * (rel[2] === 'w' ? 7 : 1);
    if (days < 1 || days > 3660) throw new UsageError(`--since ${text}: choose between 1d and 3660d`);
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - days * 86_400_000);
    return { kind: 'date', since: start, text };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const d = new Date(`${text}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text) throw new UsageError(`--since ${text}: not a valid date (use YYYY-MM-DD)`);
    return { kind: 'date', since: d, text };
  }
  if (text.startsWith('-')) throw new UsageError(`--since ${text}: a ref must not start with "-" (it would be read as an option)`);
  try {
    validateRef(text, 'ref for --since');
  } catch (err) {
    throw new UsageError(`--since ${text}: not a number of days (30d), a date (YYYY-MM-DD) or a valid git ref`);
  }
  return { kind: 'ref', ref: text };
}

/** HistoryCommit is one commit of the first-parent line with its committer date. */
export interface HistoryCommit {
  sha: string;
  /** Committer date, ISO 8601 in UTC. */
  date: string;
}

function parseLog(out: string): HistoryCommit[] {
  const commits: HistoryCommit[] = [];
  for (const line of out.split('\n')) {
    const [sha, date] = line.trim().split('\t');
    if (!sha || !date || !/^[0-9a-f]{40,64}$/.test(sha)) continue;
    commits.push({ sha, date: new Date(date).toISOString() });
  }
  return commits;
}

/** listHistoryCommits lists the first-parent commits of HEAD covered by spec, oldest first. */
export async function listHistoryCommits(git: Git, spec: SinceSpec): Promise<HistoryCommit[]> {
  const format = '--format=%H%x09%cI';
  let commits: HistoryCommit[];
  if (spec.kind === 'date') {
    commits = parseLog(await git.raw(['log', '--first-parent', format, `--since=${spec.since.toISOString()}`, 'HEAD', '--']));
  } else {
    const base = await git.resolve(spec.ref);
    commits = parseLog(await git.raw(['log', '--first-parent', format, `${base}..HEAD`, '--']));
    commits.push(...parseLog(await git.raw(['log', '-1', format, base, '--'])));
  }
  return commits.reverse();
}

/**
 * pickPoints chooses the commits to snapshot from an oldest-first list: the last commit of each UTC
 * day, or with every = N each N-th commit counted back from the newest (which is always kept).
 */
export function pickPoints(commits: HistoryCommit[], every?: number): HistoryCommit[] {
  if (every !== undefined) {
    const out: HistoryCommit[] = [];
    for (let i = commits.length - 1; i >= 0; i -= every) out.push(commits[i]!);
    return out.reverse();
  }
  const byDay = new Map<string, HistoryCommit>();
  for (const c of commits) byDay.set(dayOf(c.date), c); // later commits of a day replace earlier ones
  return [...byDay.values()];
}

/** isHistoryFile tells which files of a commit a point needs. */
export function isHistoryFile(file: string, opts: { anchorsFile: string; graphFile?: string }): boolean {
  if (file === opts.anchorsFile) return true;
  if (hasSkippedDir(file)) return false;
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base === 'go.mod' || base === 'go.sum' || base === 'go.work' || base === 'go.work.sum' || graphDirOf(file, opts.graphFile) !== undefined;
}
