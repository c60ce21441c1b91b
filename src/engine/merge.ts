// Merging the JSON results of sharded runs (`check --shard K/N --format json=FILE`) into the result
// one unsharded run would have printed. Each shard sees the whole repository for whole-repository
// rules, so such findings come back from several shards and are counted once.
import { lazySchema } from '../util/zod.ts';
import { UsageError } from '../commands/context.ts';
import type { CheckResult, CheckSummary, Finding } from './types.ts';
import { compareFindings } from '../reporters/common.ts';
import { sortKeys } from '../reporters/json.ts';
import { summarize } from './run.ts';
import { isDeepStrictEqual } from 'node:util';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { bufferSource, fileSource, jsonErrorOffset, READ_CHUNK, readObjectInPieces, streamSource, type PieceOptions } from '../io/json-reader.ts';

/** The schema of a JSON result (built with zod when a result is first read). */
const resultSchema = lazySchema((z) => {
  const severity = z.enum(['error', 'warning', 'info']);
  const count = z.number().int().nonnegative();

  const findingSchema = z.object({
    rule: z.string().min(1),
    severity,
    file: z.string(),
    line: count,
    column: count,
    message: z.string(),
    module: z.string().default(''),
    dependency: z.string().default(''),
    data: z.record(z.string(), z.unknown()).default({}),
    isNew: z.boolean().optional(),
    messageId: z.string().optional(),
  });

  return z.object({
    version: z.literal(1),
    root: z.string(),
    findings: z.array(findingSchema),
    summary: z.object({
      modules: count,
      errors: count,
      warnings: count,
      infos: count,
      suppressed: count.default(0),
      byRule: z.record(z.string(), count).default({}),
      preexisting: count.optional(),
      workFiles: z.record(z.string(), z.object({ suppressed: count.optional(), preexisting: count.optional() }).strict()).optional(),
    }),
    notices: z.array(z.string()).default([]),
    shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive(), tree: z.string().optional() }).optional(),
    skipped: z.record(z.string(), z.string()).optional(),
  });
});

/**
 * parseResultJson reads one JSON result as `check --format json` writes it. Anything else is a
 * UsageError naming the file and, for JSON syntax errors, the line and column.
 */
export function parseResultJson(text: string, file: string): CheckResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: invalid JSON${jsonErrorPosition(text, err)}: ${(err as Error).message.replace(/\s+/g, ' ')}`);
  }
  return resultFrom(raw, file);
}

/**
 * Results of up to this many bytes are read as one string. A check of many thousand modules can
 * write more than a string can hold (V8's end near 512 MB): such a result is read a value at a time.
 */
export const WHOLE_RESULT_BYTES = 128 << 20;

/**
 * parseResultBytes reads one JSON result from the bytes of its file (UTF-8), as parseResultJson
 * reads its text. One larger than `whole` bytes is read piece by piece: each top-level value, and
 * each finding, parsed on its own, so that no string holds the whole file.
 */
export function parseResultBytes(bytes: Buffer, file: string, whole = WHOLE_RESULT_BYTES, shared?: SharedLists, chunk?: number): CheckResult {
  if (bytes.length <= whole) {
    const result = parseResultJson(bytes.toString('utf8'), file);
    shared?.share(result.findings);
    return result;
  }
  return resultFrom(readObjectInPieces(bufferSource(bytes, chunk === undefined), file, pieceOptions(shared, chunk)), file);
}

/**
 * readResultFile reads one JSON result from a file as parseResultBytes reads its bytes; a result
 * over WHOLE_RESULT_BYTES is read from the file as it is parsed, so that neither the file nor its
 * text is ever held whole. What is not a regular file (a pipe: `merge <(...)`, a device) is parsed
 * as it arrives: what is not a result is refused at once, not read to its end. A file that cannot
 * be read throws the file system's error (describeReadError phrases it).
 */
export function readResultFile(filePath: string, name: string, shared?: SharedLists, whole = WHOLE_RESULT_BYTES, chunk = READ_CHUNK): CheckResult {
  const fd = openSync(filePath, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return resultFrom(readObjectInPieces(streamSource(fd), name, pieceOptions(shared, chunk)), name);
    if (st.size > whole) return resultFrom(readObjectInPieces(fileSource(fd), name, pieceOptions(shared, chunk)), name);
    return parseResultBytes(readFileSync(fd), name, whole, shared);
  } finally {
    closeSync(fd);
  }
}

/**
 * pieceOptions reads a result's findings one by one, their lists shared as each is read (the copies
 * never pile up), and no value longer than WHOLE_RESULT_BYTES.
 */
function pieceOptions(shared: SharedLists | undefined, chunk: number | undefined): PieceOptions {
  return {
    ...(chunk !== undefined ? { chunk } : {}),
    elementwise: FINDINGS,
    ...(shared ? { onElement: (_key: string, finding: unknown) => shared.share([finding as Finding]) } : {}),
    maxValue: WHOLE_RESULT_BYTES,
  };
}

const FINDINGS: ReadonlySet<string> = new Set(['findings']);


/** resultFrom checks a parsed JSON value against the result's contract and makes the CheckResult. */
function resultFrom(raw: unknown, file: string): CheckResult {
  const parsed = resultSchema().safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 3).map((i) => `${formatPath(i.path)}: ${i.message}`);
    const more = parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more)` : '';
    throw new UsageError(`${file}: not a modguard JSON result (version 1): ${problems.join('; ')}${more}`);
  }
  const r = parsed.data;
  const findings: Finding[] = r.findings.map((f) => {
    const out: Finding = {
      rule: f.rule, severity: f.severity, file: f.file, line: f.line, column: f.column,
      messageId: f.messageId ?? '', message: f.message, module: f.module, dependency: f.dependency, data: f.data,
    };
    if (f.isNew !== undefined) out.isNew = f.isNew;
    return out;
  });
  const summary: CheckSummary = { ...r.summary };
  if (summary.preexisting === undefined) delete summary.preexisting;
  if (summary.workFiles === undefined) delete summary.workFiles;
  const result: CheckResult = { version: 1, root: r.root, findings, summary, notices: r.notices };
  if (r.shard) result.shard = r.shard;
  if (r.skipped) result.skipped = r.skipped;
  return result;
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

function jsonErrorPosition(text: string, err: unknown): string {
  // Node 20 names the position only for some errors; find it ourselves when it does not.
  const m = /position (\d+)/.exec((err as Error)?.message ?? '');
  const offset = m ? Number(m[1]) : jsonErrorOffset(text);
  if (offset === undefined) return '';
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}


/**
 * mergeResults combines shard results into one. A finding repeated by several shards (the same rule,
 * place, message and data) is kept as often as the one result that has it most often, so repeats
 * within one shard survive and copies across shards do not. The summary is recounted, modules and
 * suppressions summed, notices kept once. When the results are shards (`shard` set), every shard
 * 1..N must be there exactly once: a gate must not pass on a partial run. `names` label the inputs
 * in error messages.
 */
export function mergeResults(results: CheckResult[], names: string[] = results.map((_, i) => `result ${i + 1}`)): CheckResult {
  checkShards(results, names);
  const notices: string[] = [];
  const seenNotices = new Set<string>();
  const addNotice = (n: string) => { if (!seenNotices.has(n)) { seenNotices.add(n); notices.push(n); } };
  const root = results[0]?.root ?? '';
  const otherRoots = [...new Set(results.map((r) => r.root))].filter((r) => r !== root);
  if (otherRoots.length > 0) addNotice(`merged results name different roots (${[root, ...otherRoots].join(', ')}); paths are relative to each, shown against ${root}`);
  // Findings by a key of a few fields; the whole identity (findingIdentity, which stringifies the
  // data) is made only where two findings share that key: copies across shards, and the rare
  // findings that differ in nothing else. At 10,000 modules making it for every finding took 2 of
  // the merge's 19 s.
  const kept = new Map<string, KeptFinding[]>();
  const order: KeptFinding[] = [];
  let modules = 0;
  let suppressed = 0;
  let preexisting: number | undefined;
  const workFiles: Record<string, { suppressed?: number; preexisting?: number }> = {};
  for (const r of results) {
    const here = new Map<KeptFinding, number>();
    for (const f of r.findings) {
      const key = quickIdentity(f);
      let same = kept.get(key);
      let entry: KeptFinding | undefined;
      if (!same) kept.set(key, (same = []));
      else {
        const identity = findingIdentity(f);
        entry = same.find((e) => (e.identity ??= findingIdentity(e.finding)) === identity);
      }
      if (!entry) {
        entry = { finding: f, count: 0 };
        same.push(entry);
        order.push(entry);
      }
      const n = (here.get(entry) ?? 0) + 1;
      here.set(entry, n);
      if (n > entry.count) entry.count = n;
    }
    modules += r.summary.modules;
    // What a shard counts of a go.work file, every shard reporting on the workspace counts: once in
    // all (the most any shard counted), the rest summed.
    let ownSuppressed = r.summary.suppressed;
    let ownPreexisting = r.summary.preexisting;
    for (const [file, counts] of Object.entries(r.summary.workFiles ?? {})) {
      const most = (workFiles[file] ??= {});
      if (counts.suppressed) {
        ownSuppressed -= counts.suppressed;
        most.suppressed = Math.max(most.suppressed ?? 0, counts.suppressed);
      }
      if (counts.preexisting) {
        ownPreexisting = (ownPreexisting ?? 0) - counts.preexisting;
        most.preexisting = Math.max(most.preexisting ?? 0, counts.preexisting);
      }
    }
    suppressed += ownSuppressed;
    if (ownPreexisting !== undefined) preexisting = (preexisting ?? 0) + ownPreexisting;
    for (const n of r.notices) addNotice(n);
  }
  const findings: Finding[] = [];
  for (const { finding, count: n } of order) for (let i = 0; i < n; i++) findings.push(finding);
  findings.sort(compareFindings);
  for (const counts of Object.values(workFiles)) {
    suppressed += counts.suppressed ?? 0;
    if (counts.preexisting) preexisting = (preexisting ?? 0) + counts.preexisting;
  }
  const summary = summarize(findings, modules, suppressed);
  if (preexisting !== undefined) summary.preexisting = preexisting;
  if (Object.keys(workFiles).length > 0) summary.workFiles = workFiles;
  // A rule skipped by every result did not run; one that ran anywhere did.
  const skipped: Record<string, string> = {};
  for (const [id, why] of Object.entries(results[0]?.skipped ?? {})) if (results.every((r) => r.skipped?.[id] !== undefined)) skipped[id] = why;
  return { version: 1, root, findings, summary, notices, ...(Object.keys(skipped).length > 0 ? { skipped } : {}) };
}


/**
 * SharedLists makes equal lists in findings' data one object again. A check gives every finding
 * about one dependency the same list of the modules involved; its JSON repeats the list in each,
 * and reading it back makes a copy per finding: at 10,000 modules most of a merge's memory. A list
 * is looked up by its key, length and first and last elements, and taken only when equal in full.
 */
export class SharedLists {
  private readonly seen = new Map<string, unknown[][]>();

  /** CANDIDATES bounds the lists kept per look-up key, so that a look-up stays short. */
  private static readonly CANDIDATES = 8;

  share(findings: readonly Finding[]): void {
    for (const f of findings) {
      // What a result's JSON holds, before its contract is checked: anything.
      const data = (f !== null && typeof f === 'object' ? f.data : undefined) as Record<string, unknown> | undefined;
      if (data === null || typeof data !== 'object' || Array.isArray(data)) continue;
      for (const key of Object.keys(data)) {
        const list = data[key];
        if (!Array.isArray(list) || list.length < 2) continue;
        const at = `${key}\u0000${list.length}\u0000${JSON.stringify(list[0])}\u0000${JSON.stringify(list[list.length - 1])}`;
        let known = this.seen.get(at);
        if (!known) this.seen.set(at, (known = []));
        const same = known.find((k) => sameList(k, list));
        if (same) data[key] = same;
        else if (known.length < SharedLists.CANDIDATES) known.push(list);
      }
    }
  }
}

/** sameList tells equal lists: element by element, flat objects compared field by field. */
function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (!isFlatObject(x) || !isFlatObject(y)) {
      if (!isDeepStrictEqual(x, y)) return false;
      continue;
    }
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    for (const k of keys) if (x[k] !== y[k] || !Object.prototype.hasOwnProperty.call(y, k)) return false;
  }
  return true;
}

/** isFlatObject tells a plain object whose values are all strings, numbers, booleans or null. */
function isFlatObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== null && typeof x === 'object') return false;
  }
  return true;
}

/** A finding kept by mergeResults: how often the result that has it most often has it. */
interface KeptFinding {
  finding: Finding;
  count: number;
  /** findingIdentity of the finding, once made. */
  identity?: string;
}

/** quickIdentity is part of findingIdentity: findings that differ in it differ. */
function quickIdentity(f: Finding): string {
  return `${f.rule}\u0000${f.file}\u0000${f.line}\u0000${f.column}\u0000${f.dependency}\u0000${f.message}`;
}

/** findingIdentity is everything the JSON contract says about a finding, canonically ordered. */
function findingIdentity(f: Finding): string {
  return JSON.stringify([f.rule, f.severity, f.file, f.line, f.column, f.message, f.module, f.dependency, sortKeys(f.data ?? {}), f.isNew ?? null]);
}

function checkShards(results: CheckResult[], names: string[]): void {
  const sharded = results.map((r, i) => ({ shard: r.shard, name: names[i] ?? `result ${i + 1}` }));
  const withShard = sharded.filter((s) => s.shard);
  if (withShard.length === 0) return;
  const without = sharded.find((s) => !s.shard);
  if (without) throw new UsageError(`${without.name} is not a shard result but ${withShard[0]!.name} is (shard ${withShard[0]!.shard!.index}/${withShard[0]!.shard!.count}); merge the results of one sharded run`);
  const n = withShard[0]!.shard!.count;
  const byIndex = new Map<number, string>();
  const first = withShard.find((s) => s.shard!.tree !== undefined);
  for (const { shard, name } of withShard) {
    if (first && shard!.tree !== undefined && shard!.tree !== first.shard!.tree) {
      throw new UsageError(`${first.name} and ${name} are shards of different trees (their modules, anchor.lock or configuration differ); merge the results of one sharded run`);
    }
    if (shard!.count !== n) throw new UsageError(`${name} is shard ${shard!.index}/${shard!.count} but ${withShard[0]!.name} is shard ${withShard[0]!.shard!.index}/${n}; merge the results of one sharded run`);
    if (shard!.index > n) throw new UsageError(`${name}: shard ${shard!.index}/${n} is out of range`);
    const other = byIndex.get(shard!.index);
    if (other) throw new UsageError(`${other} and ${name} are both shard ${shard!.index}/${n}`);
    byIndex.set(shard!.index, name);
  }
  const missing: string[] = [];
  for (let k = 1; k <= n; k++) if (!byIndex.has(k)) missing.push(`${k}/${n}`);
  if (missing.length > 0) throw new UsageError(`missing shard result${missing.length === 1 ? '' : 's'} ${missing.join(', ')}: a merged result must cover every shard`);
}
