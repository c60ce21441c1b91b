// json: the versioned machine contract (`version: 1`). Keys are written in a fixed order and the
// `data` objects with sorted keys, so two runs over the same repository give identical bytes and
// merged shard results compare equal to an unsharded run.
import type { CheckResult, CheckSummary, Finding } from '../engine/types.ts';
import type { ReporterOptions } from './index.ts';
import { sortFindings, toPosix } from './common.ts';
import { stringifyAt } from '../util/json-pieces.ts';

export function json(result: CheckResult, _options: ReporterOptions): string {
  return `${JSON.stringify(toJsonResult(result), null, 2)}\n`;
}

/**
 * jsonChunks is json()'s text in pieces, a finding at a time: the JSON of a large repository's
 * findings (hundreds of megabytes at ten thousand modules) is written as it is made, never held
 * whole. The pieces join to exactly json()'s text: each part is stringified on its own and indented
 * to its depth (JSON text has no raw newline inside a string, so indenting its lines is safe).
 */
export function* jsonChunks(result: CheckResult): Generator<string> {
  const whole = toJsonResult({ ...result, findings: [] });
  const findings = sortFindings(result.findings);
  const keys = Object.keys(whole);
  let head = '{';
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    head += `${k === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
    if (key !== 'findings' || findings.length === 0) {
      head += stringifyAt(whole[key], 2, 1);
      continue;
    }
    yield `${head}[\n`;
    for (let i = 0; i < findings.length; i++) {
      yield `${i === 0 ? '' : ',\n'}    ${stringifyAt(toJsonFinding(findings[i]!), 2, 2)}`;
    }
    head = '\n  ]';
  }
  yield `${head}\n}\n`;
}

/** toJsonResult is the JSON contract as an object: the fields of the contract only, in order. */
export function toJsonResult(result: CheckResult): Record<string, unknown> {
  const out: Record<string, unknown> = {
    version: 1,
    root: result.root,
    findings: sortFindings(result.findings).map(toJsonFinding),
    summary: toJsonSummary(result.summary),
    notices: [...result.notices],
  };
  if (result.shard) out.shard = { index: result.shard.index, count: result.shard.count, ...(result.shard.tree !== undefined ? { tree: result.shard.tree } : {}) };
  if (result.skipped && Object.keys(result.skipped).length > 0) out.skipped = sortKeys(result.skipped);
  return out;
}

function toJsonFinding(f: Finding): Record<string, unknown> {
  const out: Record<string, unknown> = {
    rule: f.rule,
    severity: f.severity,
    file: toPosix(f.file),
    line: f.line,
    column: f.column,
    message: f.message,
    module: f.module,
    dependency: f.dependency,
    data: sortKeys(f.data ?? {}),
  };
  if (f.isNew !== undefined) out.isNew = f.isNew;
  return out;
}

function toJsonSummary(s: CheckSummary): Record<string, unknown> {
  const out: Record<string, unknown> = {
    modules: s.modules,
    errors: s.errors,
    warnings: s.warnings,
    infos: s.infos,
    suppressed: s.suppressed,
    byRule: sortKeys(s.byRule),
  };
  if (s.preexisting !== undefined) out.preexisting = s.preexisting;
  if (s.workFiles !== undefined) out.workFiles = sortKeys(s.workFiles);
  return out;
}

/**
 * sortKeys gives plain objects with their keys sorted, recursively; arrays keep their order. A value
 * already so (every result read back from JSON) is returned as it is, and a list is copied once
 * (sortedLists): callers only read the result, and findings' data is not changed once made.
 */
export function sortKeys<T>(value: T): T {
  return isSorted(value) ? value : sortedCopy(value);
}

/**
 * The sorted copies of lists made so far: the findings about one dependency share one list of the
 * modules involved (run.ts, addBoundedLists), copied once, not once per finding.
 */
const sortedLists = new WeakMap<readonly unknown[], unknown[]>();

function sortedCopy<T>(value: T): T {
  if (Array.isArray(value)) {
    let copy = sortedLists.get(value);
    if (copy === undefined) sortedLists.set(value, (copy = value.map(sortKeys)));
    return copy as T;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = sortKeys(value[k]);
      // A key `__proto__` (JSON.parse makes one) is defined: assigned, it would set the prototype.
      if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      else out[k] = v;
    }
    return out as T;
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

/** isSorted tells whether every plain object in a value has its keys in sortKeys' order. */
function isSorted(value: unknown): boolean {
  if (Array.isArray(value)) {
    for (const v of value) if (!isSorted(v)) return false;
    return true;
  }
  if (!isPlainObject(value)) return true;
  let previous: string | undefined;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    // Keys that are array indexes come first, in numeric order, in any object: only the others can
    // be out of order.
    if (!isIndexKey(k)) {
      if (previous !== undefined && !(previous < k)) return false;
      previous = k;
    }
    if (!isSorted(value[k])) return false;
  }
  return true;
}

/** isIndexKey tells a key that objects enumerate before the others, in numeric order. */
function isIndexKey(k: string): boolean {
  const c = k.charCodeAt(0);
  // Most keys are words: one look at the first character.
  return c >= 48 && c <= 57 && /^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295;
}
