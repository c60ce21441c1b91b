// RuleTester turns valid/invalid tables of small repositories (go.mod snippets and friends written
// as template literals) into mocha tests, after ESLint's RuleTester: a valid case must produce no
// finding; an invalid case must produce exactly the listed findings, each at its line and column.
import assert from 'node:assert/strict';
import { assembleRepository } from '../../src/engine/assemble.ts';
import { Listing } from '../../src/engine/listing.ts';
import type { ParseError, ReportDescriptor, Repository, Rule } from '../../src/engine/types.ts';

/** TestRepo is a repository written in code: file contents by path relative to the root. */
export interface TestRepo {
  /** Shown as the test title; defaults to the list of files. */
  name?: string;
  files: Record<string, string>;
  /** Rule options as a user writes them in modguard.json (defaults come from the rule's schema). */
  options?: Record<string, unknown>;
  /** Module directories to report on (PR mode); all when absent. */
  focus?: string[];
  /** Name of captured `go mod graph` files beside each go.mod. */
  graphFile?: string;
  /** Files the loader could not read (as it would report them). */
  loadErrors?: ParseError[];
  /** The repository at the git base (PR mode), for rules comparing base and head. */
  base?: Record<string, string>;
}

export interface ExpectedError {
  messageId: string;
  /** File relative to the root; when absent any file matches. */
  file?: string;
  line: number;
  column?: number;
  dependency?: string;
  /** Fields of the report's data that must have these values. */
  data?: Record<string, string | number>;
}

export interface ValidCase extends TestRepo {}
export interface InvalidCase extends TestRepo {
  errors: ExpectedError[];
}

export interface RuleTests {
  valid: ValidCase[];
  invalid: InvalidCase[];
}

/** buildRepository assembles a test repository the way the loader does, from in-memory files. */
export function buildRepository(test: TestRepo): Repository {
  const repo = assembleRepository({
    root: '/repo',
    files: new Map(Object.entries(test.files)),
    ...(test.graphFile ? { graphFile: test.graphFile } : {}),
    ...(test.loadErrors ? { loadErrors: test.loadErrors } : {}),
  });
  if (test.focus) repo.focus = new Set(test.focus);
  if (test.base) {
    repo.base = assembleRepository({ root: '/repo', files: new Map(Object.entries(test.base)) });
    if (test.focus) repo.base.focus = new Set(test.focus);
  }
  return repo;
}

/** runRule runs one rule on a repository with the given options and returns what it reported. */
export function runRule(rule: Rule, repo: Repository, options: Record<string, unknown> = {}): ReportDescriptor[] {
  const parsed = rule.meta.optionsSchema ? rule.meta.optionsSchema.parse(options) : options;
  const reports: ReportDescriptor[] = [];
  rule.create({ repo, options: parsed as Record<string, unknown>, report: (d) => reports.push(d.extra ? { ...d, extra: listedWhole(d.extra) } : d) });
  return reports;
}

/** listedWhole makes every entry of each Listing in a report's extra data: what the rule lists, before the engine bounds it. */
function listedWhole(extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(extra)) out[key] = Listing.is(value) ? value.first(value.length) : value;
  return out;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** formatMessage fills a message template from report data, as the engine does. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (name in data ? String(data[name]) : whole));
}

function compareReports(a: ReportDescriptor, b: ReportDescriptor): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column ||
    (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0);
}

function show(rule: Rule, reports: ReportDescriptor[]): string {
  if (reports.length === 0) return '  (none)';
  return reports.map((r) => `  ${r.file}:${r.line}:${r.column} ${r.messageId}${r.dependency ? ` [${r.dependency}]` : ''}: ` +
    formatMessage(rule.meta.messages[r.messageId] ?? '', r.data)).join('\n');
}

/** checkReport asserts what every report must satisfy whatever the case: a known message fully filled, a real position. */
function checkReport(rule: Rule, test: TestRepo, report: ReportDescriptor): void {
  const template = rule.meta.messages[report.messageId];
  assert.ok(template !== undefined, `${rule.meta.id} reported unknown messageId "${report.messageId}"`);
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    assert.ok(report.data && name! in report.data, `${rule.meta.id}/${report.messageId}: data lacks "${name}" (message: ${template})`);
  }
  const known = report.file in test.files || (test.loadErrors ?? []).some((e) => e.file === report.file);
  assert.ok(known, `${rule.meta.id} reported file "${report.file}", which is not in the test repository`);
  assert.ok(Number.isInteger(report.line) && report.line >= 1, `${rule.meta.id}: line must be >= 1, got ${report.line}`);
  assert.ok(Number.isInteger(report.column) && report.column >= 1, `${rule.meta.id}: column must be >= 1, got ${report.column}`);
}

function caseKey(test: TestRepo): string {
  const sorted = (files: Record<string, string>) => Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([sorted(test.files), test.options ?? {}, test.focus ?? null, test.graphFile ?? null, test.loadErrors ?? null,
    test.base ? sorted(test.base) : null]);
}

function title(test: TestRepo): string {
  return test.name ?? Object.keys(test.files).join(', ');
}

/** checkValid asserts that a valid case produces no finding. */
export function checkValid(rule: Rule, test: ValidCase): void {
  const reports = runRule(rule, buildRepository(test), test.options);
  for (const report of reports) checkReport(rule, test, report);
  assert.equal(reports.length, 0, `expected no findings, got ${reports.length}:\n${show(rule, reports)}`);
}

/** checkInvalid asserts that an invalid case produces exactly the expected findings, in file/line/column order. */
export function checkInvalid(rule: Rule, test: InvalidCase): void {
  const reports = runRule(rule, buildRepository(test), test.options).sort(compareReports);
  for (const report of reports) checkReport(rule, test, report);
  const listing = `\nreported:\n${show(rule, reports)}`;
  assert.equal(reports.length, test.errors.length, `expected ${test.errors.length} findings, got ${reports.length}${listing}`);
  test.errors.forEach((want, i) => {
    const got = reports[i]!;
    const where = `finding ${i + 1}`;
    assert.equal(got.messageId, want.messageId, `${where}: messageId${listing}`);
    if (want.file !== undefined) assert.equal(got.file, want.file, `${where}: file${listing}`);
    assert.equal(got.line, want.line, `${where}: line${listing}`);
    if (want.column !== undefined) assert.equal(got.column, want.column, `${where}: column${listing}`);
    if (want.dependency !== undefined) assert.equal(got.dependency, want.dependency, `${where}: dependency${listing}`);
    for (const [key, value] of Object.entries(want.data ?? {})) {
      assert.equal(got.data?.[key], value, `${where}: data.${key}${listing}`);
    }
  });
}

/** checkTables rejects table mistakes before any test runs: duplicate cases, invalid cases without errors. */
export function checkTables(rule: Rule, tests: RuleTests): void {
  const seen = new Map<string, string>();
  for (const test of [...tests.valid, ...tests.invalid]) {
    const key = caseKey(test);
    const first = seen.get(key);
    if (first !== undefined) throw new Error(`${rule.meta.id}: duplicate test case "${title(test)}" (same as "${first}")`);
    seen.set(key, title(test));
  }
  for (const test of tests.invalid) {
    if (!Array.isArray(test.errors) || test.errors.length === 0) {
      throw new Error(`${rule.meta.id}: invalid case "${title(test)}" lists no errors; an invalid case must say which findings it expects`);
    }
  }
}

/** RuleTester generates the mocha suite of one rule from its tables. */
export class RuleTester {
  run(rule: Rule, tests: RuleTests): void {
    checkTables(rule, tests);
    describe(rule.meta.id, () => {
      describe('valid', () => {
        for (const test of tests.valid) it(title(test), () => checkValid(rule, test));
      });
      describe('invalid', () => {
        for (const test of tests.invalid) it(title(test), () => checkInvalid(rule, test));
      });
    });
  }
}

/** ruleTester is the shared instance rule tests use. */
export const ruleTester = new RuleTester();
