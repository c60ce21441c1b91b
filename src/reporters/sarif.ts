// sarif: SARIF 2.1.0 for code scanning dashboards (GitHub code scanning ingests it). Every rule that
// ran gets a descriptor with help, `results` is always present, URIs are relative POSIX paths
// against %SRCROOT%, and each result carries a fingerprint that survives unrelated edits.
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { CheckResult, Finding, RuleMeta, Severity } from '../engine/types.ts';
import type { ReporterOptions } from './index.ts';
import { MODGUARD_VERSION, PROJECT_URL, defaultDocsUrl, sortFindings, toPosix } from './common.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';
/** The partialFingerprints key; bump the suffix if the fingerprint recipe ever changes. */
export const FINGERPRINT_KEY = 'modguardFinding/v1';

/**
 * The most results code scanning accepts in one run: GitHub rejects a whole upload with more
 * ("Analysis SARIF file rejected due to result limits"). Beyond it the run keeps those that matter
 * most (sarifSelection) and a notification says how many were left out.
 */
export const SARIF_MAX_RESULTS = 25_000;

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note' };
const PROBLEM_SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'recommendation' };

export function sarif(result: CheckResult, options: ReporterOptions): string {
  return `${JSON.stringify(toSarifLog(result, options), null, 2)}\n`;
}

/** toSarifLog builds the SARIF log object. */
export function toSarifLog(result: CheckResult, options: ReporterOptions): Sarif.Log {
  const docsUrl = options.docsUrl ?? defaultDocsUrl;
  const findings = sortFindings(result.findings);
  const metas = ruleMetas(options.rules, findings);
  const ruleIndex = new Map(metas.map((m, i) => [m.id, i]));
  // Fingerprints number the repeats of an identity over every finding, so that leaving some out
  // never renumbers those written.
  const fingerprints = fingerprintsOf(findings);
  const written = sarifSelection(findings, options.maxResults ?? SARIF_MAX_RESULTS);
  const notifications: Sarif.Notification[] = result.notices.map((text) => ({ level: 'note', message: { text } }));
  if (written.length < findings.length) notifications.push({ level: 'warning', message: { text: sarifOmitted(findings, written.length) } });
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'modguard',
        version: options.toolVersion ?? MODGUARD_VERSION,
        informationUri: PROJECT_URL,
        rules: metas.map((m) => ruleDescriptor(m, docsUrl(m.id))),
      },
    },
    originalUriBaseIds: { [SRCROOT]: { uri: rootUri(result.root) } },
    invocations: [{
      executionSuccessful: true,
      ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
    }],
    results: written.map((i) => toResult(findings[i]!, ruleIndex.get(findings[i]!.rule)!, fingerprints[i]!)),
  };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

/**
 * sarifSelection gives the indexes (in order) of the sorted findings a run carries: all of them up
 * to `max`, else the `max` that matter most: by severity, then (PR mode) the new before the
 * pre-existing, then in file order. Code scanning shows the most severe first too.
 */
export function sarifSelection(sorted: readonly Finding[], max: number): number[] {
  const all = sorted.map((_, i) => i);
  if (sorted.length <= max) return all;
  const rank = (f: Finding) => SEVERITY_RANK[f.severity] * 2 + (f.isNew === false ? 1 : 0);
  // A stable sort by rank keeps file order within a rank; the kept ones go back to file order.
  return all.sort((a, b) => rank(sorted[a]!) - rank(sorted[b]!) || a - b).slice(0, Math.max(0, max)).sort((a, b) => a - b);
}

/** sarifOmitted is the notification of a run that leaves findings out (SARIF_MAX_RESULTS). */
export function sarifOmitted(sorted: readonly Finding[], written: number): string {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of sorted) counts[f.severity]++;
  const bySeverity = (['error', 'warning', 'info'] as const).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(', ');
  return `${written} of ${sorted.length} findings (${bySeverity}) written as results, the most severe first: code scanning rejects a run of more ` +
    `than ${SARIF_MAX_RESULTS} results. The JSON output carries every finding; to upload fewer, gate on what a change adds (--new-only, or --baseline).`;
}

/** ruleMetas lists the rules that ran, plus any rule id a finding names without metadata, by id. */
function ruleMetas(rules: RuleMeta[], findings: Finding[]): RuleMeta[] {
  const byId = new Map<string, RuleMeta>();
  for (const r of rules) if (!byId.has(r.id)) byId.set(r.id, r);
  for (const f of findings) {
    if (byId.has(f.rule)) continue;
    byId.set(f.rule, {
      id: f.rule, type: 'problem', description: `modguard rule ${f.rule}.`, defaultSeverity: f.severity, messages: {},
    });
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function ruleDescriptor(meta: RuleMeta, helpUri: string): Sarif.ReportingDescriptor {
  const description = meta.description.trim() || `modguard rule ${meta.id}.`;
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: firstSentence(description) },
    fullDescription: { text: description },
    help: {
      text: `${description}\n\nDocumentation: ${helpUri}`,
      markdown: `**${meta.id}**: ${description}\n\n[Rule documentation](${helpUri})`,
    },
    helpUri,
    defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
    properties: {
      tags: ['go-modules', 'dependencies', meta.type],
      precision: 'very-high',
      'problem.severity': PROBLEM_SEVERITY[meta.defaultSeverity],
    },
  };
}

function toResult(f: Finding, ruleIndex: number, fingerprint: string): Sarif.Result {
  const out: Sarif.Result = {
    ruleId: f.rule,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message || f.rule },
  };
  if (f.file) {
    out.locations = [{
      physicalLocation: {
        artifactLocation: { uri: fileUri(f.file), uriBaseId: SRCROOT },
        region: { startLine: Math.max(1, Math.trunc(f.line) || 1), startColumn: Math.max(1, Math.trunc(f.column) || 1) },
      },
    }];
  }
  out.partialFingerprints = { [FINGERPRINT_KEY]: fingerprint };
  if (f.isNew !== undefined) out.baselineState = f.isNew ? 'new' : 'unchanged';
  const properties: Record<string, unknown> = {};
  if (f.module) properties.module = f.module;
  if (f.dependency) properties.dependency = f.dependency;
  if (Object.keys(properties).length > 0) out.properties = properties;
  return out;
}

/**
 * fingerprintsOf identifies each finding by rule, file and dependency (the identity a JSON baseline
 * uses), not by line or version: an edit above a known problem, or a bump that is still off the pin,
 * keeps its alert. Repeats of one identity are numbered in file order.
 */
function fingerprintsOf(sorted: Finding[]): string[] {
  const seen = new Map<string, number>();
  return sorted.map((f) => {
    const identity = `${f.rule}\u0000${toPosix(f.file)}\u0000${f.dependency ?? ''}`;
    const n = seen.get(identity) ?? 0;
    seen.set(identity, n + 1);
    return createHash('sha256').update(`${identity}\u0000${n}`).digest('hex').slice(0, 32);
  });
}

/** fileUri is a relative URI reference for a repository file: POSIX separators, each segment escaped. */
export function fileUri(file: string): string {
  return toPosix(file).split('/').map((s) => encodeURIComponent(s)).join('/');
}

function rootUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function pascalCase(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function firstSentence(s: string): string {
  const m = /^(.*?[.!?])(\s|$)/s.exec(s);
  return m ? m[1]! : s;
}
