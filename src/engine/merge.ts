// Merging the JSON results of sharded runs (`check --shard K/N --format json=FILE`) into the result
// one unsharded run would have printed. Each shard sees the whole repository for whole-repository
// rules, so such findings come back from several shards and are counted once.
import { lazySchema } from '../util/zod.ts';
import { UsageError } from '../commands/context.ts';
import type { CheckResult, CheckSummary, Finding } from './types.ts';
import { compareFindings } from '../reporters/common.ts';
import { sortKeys } from '../reporters/json.ts';
import { summarize } from './run.ts';

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
    }),
    notices: z.array(z.string()).default([]),
    shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }).optional(),
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
  const result: CheckResult = { version: 1, root: r.root, findings, summary, notices: r.notices };
  if (r.shard) result.shard = r.shard;
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

/** jsonErrorOffset scans JSON text and returns the offset of the first character that breaks it. */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++; };
  const fail = (): never => { throw i; };
  const literal = (word: string) => { for (const ch of word) { if (text[i] !== ch) fail(); i++; } };
  const string = () => {
    i++;
    for (;;) {
      const ch = text[i];
      if (ch === undefined || ch < ' ') fail();
      if (ch === '"') { i++; return; }
      if (ch === '\\') {
        i++;
        if (text[i] === 'u') { i++; for (let n = 0; n < 4; n++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail(); continue; }
        if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail();
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail();
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string(); ws();
        if (text[i] !== ':') fail();
        i++;
        value(depth + 1); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        fail();
      }
    } else if (ch === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(depth + 1); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        fail();
      }
    } else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else number();
  };
  try {
    value(0); ws();
    return i < text.length ? i : undefined;
  } catch (at) {
    return typeof at === 'number' ? at : undefined;
  }
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
  const kept = new Map<string, { finding: Finding; count: number }>();
  let modules = 0;
  let suppressed = 0;
  let preexisting: number | undefined;
  for (const r of results) {
    const here = new Map<string, number>();
    for (const f of r.findings) {
      const key = findingIdentity(f);
      const n = (here.get(key) ?? 0) + 1;
      here.set(key, n);
      const k = kept.get(key);
      if (!k) kept.set(key, { finding: f, count: n });
      else if (n > k.count) k.count = n;
    }
    modules += r.summary.modules;
    suppressed += r.summary.suppressed;
    if (r.summary.preexisting !== undefined) preexisting = (preexisting ?? 0) + r.summary.preexisting;
    for (const n of r.notices) addNotice(n);
  }
  const findings: Finding[] = [];
  for (const { finding, count: n } of kept.values()) for (let i = 0; i < n; i++) findings.push(finding);
  findings.sort(compareFindings);
  const summary = summarize(findings, modules, suppressed);
  if (preexisting !== undefined) summary.preexisting = preexisting;
  return { version: 1, root, findings, summary, notices };
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
  for (const { shard, name } of withShard) {
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
