// Findings kept between runs. PR mode tells a new finding from an old one by checking the merge
// base too: the base's repository is built beside the head's and the rules run over it a second
// time. A full check of a commit (the default branch's CI job, with --cache-dir) already knows the
// answer: when the work tree matched the commit, its findings are the base's findings of any pull
// request whose merge base that commit is. So such a check keeps, beside the facts pack, what PR
// mode compares (rule, file and dependency of each finding, counted), under the commit, and PR
// mode uses it instead of checking the base again, when nothing else that decides a finding
// differs: modguard's version and rules, the configuration, the inputs' names, and the date when a
// suppression has one. The file also lists the blob ids of the files a check reads at that commit:
// PR mode takes them from there instead of asking git for the merge base's tree.
import { createHash } from 'node:crypto';
import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Finding, Repository, Rule } from './types.ts';
import type { FindingIdentity } from './pr.ts';
import { MODGUARD_VERSION } from '../reporters/common.ts';
import { hasSuppressionMark } from './suppress.ts';
import { writePack } from './facts.ts';
import { sealed, unsealed } from '../util/sealed.ts';
import { readRegularFile } from '../io/read.ts';

/** KEPT_FINDINGS_TOOL names what wrote a findings file: a file of another format is not read. */
export const KEPT_FINDINGS_TOOL = 'modguard findings 3';
/** How many commits' findings a cache keeps per repository (the newest, by time written). */
export const KEPT_COMMITS = 8;
/** Findings files larger than this are not read (a million findings stay well below it). */
const MAX_FILE_BYTES = 256 << 20;
const SUFFIX = '.findings';

/**
 * CommitListing is what `blobIdsOf` listed of a commit: the blob id of each file a check reads, by
 * root-relative path, and the names the files were picked by (FACT_NAMES and the graph, anchors
 * and configuration files: blobNames).
 */
export interface CommitListing {
  names: readonly string[];
  blobs: ReadonlyMap<string, string>;
}

/**
 * KeptFindings are the findings a full check kept of one commit. The file is text: a line naming
 * the format, a line of the SHA-256 (hex) of the rest of the file (a file damaged since it was
 * written is not read: its findings would mark a PR's findings new or old wrongly), a JSON line of
 * the fields below, a JSON line of the commit's listing
 * (`{"listing": [path, blob, path, blob, ...]}`, or null), then one JSON line per file with findings,
 * `[file, [[rule, dependency, count], ...]]`. A run reads the lines of the files it reports on
 * only (findingsIn), found by their start, so ten thousand modules' findings are not all parsed.
 */
export interface KeptFindings {
  commit: string;
  /** conditionsOf the check that kept them. */
  conditions: string;
  /** The day (UTC) of that check, and whether a suppression's date could make another day differ. */
  today: string;
  dated: boolean;
  /**
   * The finding lines, from the first (each line ends with a newline), as the file's bytes: only
   * the lines a run asks for are decoded (findingsIn).
   */
  lines: Uint8Array;
  /** The commit's listing (CommitListing), its line not yet parsed (keptBlobIds parses it). */
  listing?: { names: readonly string[]; line: string };
}

/**
 * conditionsOf digests what, besides the files of a commit, decides the findings of a check:
 * modguard's version and its rules (ids, severities, messages), the configuration as loaded, and
 * the names of the anchors, configuration and graph files.
 */
export function conditionsOf(repo: Repository, rules: readonly Rule[]): string {
  return createHash('sha256').update(JSON.stringify({
    tool: KEPT_FINDINGS_TOOL,
    version: MODGUARD_VERSION,
    rules: rules.map((r) => [r.meta.id, r.meta.defaultSeverity, r.meta.needsGraph ?? false, r.meta.needsBase ?? false, r.meta.messages]),
    config: repo.config,
    sources: repo.sources ?? null,
  })).digest('hex');
}

/**
 * isDated tells whether the day of a check can change its findings: when some go.mod holds a
 * suppression that may carry an `until=` date (a suppression lapses on its date).
 */
export function isDated(repo: Repository): boolean {
  return repo.modules.some((m) => m.suppressionMark !== false && hasSuppressionMark(m.text) && m.text.includes('until='));
}

/** keptFindingsFile names the findings of a commit beside the repository's facts pack. */
export function keptFindingsFile(packFile: string, commit: string): string {
  return `${packFile.replace(/\.pack$/, '')}.${commit}${SUFFIX}`;
}

/**
 * saveKeptFindings writes the findings of a full check of commit (whose work tree matched it), and
 * the commit's listing when the check has one, atomically; then it removes all but the
 * KEPT_COMMITS newest findings files of the repository.
 */
export async function saveKeptFindings(
  packFile: string, commit: string, conditions: string, today: string, dated: boolean, findings: readonly Finding[],
  listing?: CommitListing,
): Promise<void> {
  // Per file, an entry [rule, dependency, count] per rule and dependency.
  const byFile = new Map<string, Map<string, [string, string, number]>>();
  for (const f of findings) {
    let entries = byFile.get(f.file);
    if (!entries) byFile.set(f.file, (entries = new Map()));
    const key = `${f.rule}\0${f.dependency ?? ''}`;
    const entry = entries.get(key);
    if (entry) entry[2]++;
    else entries.set(key, [f.rule, f.dependency ?? '', 1]);
  }
  let lines = '';
  for (const [file, entries] of byFile) lines += `${JSON.stringify([file, [...entries.values()]])}\n`;
  const header = JSON.stringify({ commit, conditions, today, dated, ...(listing ? { names: listing.names } : {}) });
  const listed = listing ? JSON.stringify({ listing: [...listing.blobs].flat() }) : 'null';
  const body = sealed(Buffer.from(`${header}\n${listed}\n${lines}`, 'utf8'));
  await writePack(keptFindingsFile(packFile, commit), [Buffer.from(`${KEPT_FINDINGS_TOOL}\n`, 'utf8'), body]);
  await pruneKeptFindings(packFile);
}

/** pruneKeptFindings removes the repository's findings files but the KEPT_COMMITS newest. */
async function pruneKeptFindings(packFile: string): Promise<void> {
  const dir = path.dirname(packFile);
  const prefix = `${path.basename(packFile).replace(/\.pack$/, '')}.`;
  const names = (await readdir(dir)).filter((n) => n.startsWith(prefix) && n.endsWith(SUFFIX));
  if (names.length <= KEPT_COMMITS) return;
  const dated = await Promise.all(names.map(async (n) => ({ n, t: (await stat(path.join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
  dated.sort((a, b) => b.t - a.t || (a.n < b.n ? -1 : 1));
  await Promise.all(dated.slice(KEPT_COMMITS).map(({ n }) => unlink(path.join(dir, n)).catch(() => undefined)));
}

/**
 * readKeptFindings reads the findings kept of commit; undefined when there are none or the file is
 * not one this version wrote (a damaged file is ignored, never trusted).
 */
export async function readKeptFindings(packFile: string, commit: string): Promise<KeptFindings | undefined> {
  let data: Buffer;
  try {
    // Bytes, not text: a repository's findings are megabytes, of which a run reads a few lines.
    data = readRegularFile(keptFindingsFile(packFile, commit), MAX_FILE_BYTES);
  } catch {
    return undefined;
  }
  return decodeKeptFindings(data, commit);
}

const isString = (x: unknown): x is string => typeof x === 'string';
const NL = 0x0a;

/**
 * decodeKeptFindings checks a findings file's digest and header lines (findingsIn checks the lines
 * it reads, keptBlobIds the listing, as any file this version wrote would pass).
 */
export function decodeKeptFindings(file: Uint8Array | string, commit: string): KeptFindings | undefined {
  const whole = typeof file === 'string' ? Buffer.from(file, 'utf8') : Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  // The format's line, then the rest behind its digest (util/sealed.ts).
  const tool = whole.indexOf(NL);
  if (tool < 0 || whole.toString('utf8', 0, tool) !== KEPT_FINDINGS_TOOL) return undefined;
  const data = unsealed(whole.subarray(tool + 1));
  if (!data) return undefined;
  const second = data.indexOf(NL);
  const third = second < 0 ? -1 : data.indexOf(NL, second + 1);
  if (third < 0) return undefined;
  let d: unknown;
  try {
    d = JSON.parse(data.toString('utf8', 0, second));
  } catch {
    return undefined;
  }
  if (typeof d !== 'object' || d === null) return undefined;
  const h = d as Record<string, unknown>;
  if (h.commit !== commit || !isString(h.conditions) || !isString(h.today) || typeof h.dated !== 'boolean') return undefined;
  const lines = data.subarray(third + 1);
  // Whole lines only: a file cut short is not read.
  if (lines.length > 0 && lines[lines.length - 1] !== NL) return undefined;
  const kept: KeptFindings = { commit, conditions: h.conditions, today: h.today, dated: h.dated, lines };
  const line = data.toString('utf8', second + 1, third);
  if (line !== 'null' && Array.isArray(h.names) && h.names.every(isString)) kept.listing = { names: h.names, line };
  return kept;
}

/** BLOB_ID is a git object id, SHA-1 or SHA-256. */
const BLOB_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * keptBlobIds gives the blob ids of the commit's files that the kept listing holds, when it was
 * listed by the same names (blobNames) as asked now; undefined otherwise, and for a damaged
 * listing (then git is asked).
 */
export function keptBlobIds(kept: KeptFindings, names: readonly string[]): Map<string, string> | undefined {
  const listing = kept.listing;
  if (!listing || listing.names.length !== names.length || listing.names.some((n, i) => n !== names[i])) return undefined;
  let list: unknown;
  try {
    list = (JSON.parse(listing.line) as { listing?: unknown } | null)?.listing;
  } catch {
    return undefined;
  }
  if (!Array.isArray(list) || list.length % 2 !== 0) return undefined;
  const blobs = new Map<string, string>();
  for (let i = 0; i < list.length; i += 2) {
    const file: unknown = list[i];
    const blob: unknown = list[i + 1];
    if (!isString(file) || file === '' || !isString(blob) || !BLOB_ID.test(blob)) return undefined;
    blobs.set(file, blob);
  }
  return blobs;
}

/**
 * findingsIn gives the kept findings of the given files (their rule, file and dependency, each as
 * often as it was found), or undefined when a line of one of them is not well formed.
 */
export function findingsIn(kept: KeptFindings, files: Iterable<string>): FindingIdentity[] | undefined {
  const out: FindingIdentity[] = [];
  const lines = kept.lines;
  const bytes = Buffer.from(lines.buffer, lines.byteOffset, lines.byteLength);
  for (const file of new Set(files)) {
    // A line starts `["<file>",` (after a newline, or first).
    const start = Buffer.from(`\n${JSON.stringify([file]).slice(0, -1)},`, 'utf8');
    let at: number;
    if (bytes.subarray(0, start.length - 1).equals(start.subarray(1))) at = 0;
    else {
      const nl = bytes.indexOf(start);
      if (nl < 0) continue;
      at = nl + 1;
    }
    const end = bytes.indexOf(NL, at);
    let line: unknown;
    try {
      line = JSON.parse(bytes.toString('utf8', at, end));
    } catch {
      return undefined;
    }
    if (!Array.isArray(line) || line.length !== 2 || line[0] !== file || !Array.isArray(line[1])) return undefined;
    for (const k of line[1] as unknown[]) {
      if (!Array.isArray(k) || k.length !== 3 || !isString(k[0]) || !isString(k[1])) return undefined;
      const n = k[2];
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > 1e7) return undefined;
      for (let i = 0; i < n; i++) out.push({ rule: k[0], file, dependency: k[1] });
    }
  }
  return out;
}

/**
 * keptFindingsApply tells whether findings kept by a full check stand for a check of the same
 * commit now: the same conditions, and the same day when the day matters.
 */
export function keptFindingsApply(kept: KeptFindings, conditions: string, today: string): boolean {
  return kept.conditions === conditions && (!kept.dated || kept.today === today);
}
