// json: the versioned machine contract (`version: 1`). Keys are written in a fixed order and the
// `data` objects with sorted keys, so two runs over the same repository give identical bytes and
// merged shard results compare equal to an unsharded run.
import type { CheckResult, CheckSummary, Finding } from '../engine/types.ts';
import type { ReporterOptions } from './index.ts';
import { sortFindings, toPosix } from './common.ts';

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
      head += indent(JSON.stringify(whole[key], null, 2), '  ');
      continue;
    }
    yield `${head}[\n`;
    for (let i = 0; i < findings.length; i++) {
      yield `${i === 0 ? '' : ',\n'}    ${indent(JSON.stringify(toJsonFinding(findings[i]!), null, 2), '    ')}`;
    }
    head = '\n  ]';
  }
  yield `${head}\n}\n`;
}

/** indent puts `pad` after every newline of a JSON text. */
function indent(text: string, pad: string): string {
  return text.includes('\n') ? text.replace(/\n/g, `\n${pad}`) : text;
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
  if (result.shard) out.shard = { index: result.shard.index, count: result.shard.count };
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
  return out;
}

/** sortKeys copies plain objects with their keys sorted, recursively; arrays keep their order. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out as T;
  }
  return value;
}
