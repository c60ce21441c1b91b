// junit: JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure Pipelines, the
// test-reporter actions). One testsuite per rule: these UIs list suites with their failure counts,
// so a reader sees at a glance which policy is broken and how often. Each finding is a testcase
// (error and warning fail it, info passes with the message as output); a rule without findings is
// one passing testcase, so a clean run still shows every policy that was checked, and a rule that
// did not run (set to off, no module graph) one skipped testcase saying why.
import type { CheckResult, Finding } from '../engine/types.ts';
import type { ReporterOptions } from './index.ts';
import { formatFindingLine, showControls, sortFindings } from './common.ts';

export function junit(result: CheckResult, options: ReporterOptions): string {
  const findings = sortFindings(result.findings);
  const byRule = new Map<string, Finding[]>();
  for (const r of options.rules) byRule.set(r.id, []);
  for (const f of findings) {
    const list = byRule.get(f.rule);
    if (list) list.push(f); else byRule.set(f.rule, [f]);
  }
  const ids = [...byRule.keys()].sort();
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skippedTests = 0;
  for (const id of ids) {
    const list = byRule.get(id)!;
    const cases: string[] = [];
    let suiteFailures = 0;
    const why = list.length === 0 ? result.skipped?.[id] : undefined;
    if (why !== undefined) {
      skippedTests++;
      tests++;
      cases.push(`    <testcase classname="${attr(id)}" name="${attr(`${id}: not run`)}">\n      <skipped message="${attr(why)}"/>\n    </testcase>`);
      suites.push(`  <testsuite name="${attr(id)}" tests="1" failures="0" errors="0" skipped="1">\n${cases.join('\n')}\n  </testsuite>`);
      continue;
    }
    if (list.length === 0) {
      cases.push(`    <testcase classname="${attr(id)}" name="${attr(`${id}: no findings`)}"/>`);
    }
    for (const f of list) {
      const name = `${f.file}:${f.line}:${f.column}${f.dependency ? ` ${f.dependency}` : ''}`;
      const open = `    <testcase classname="${attr(id)}" name="${attr(name)}" file="${attr(f.file)}" line="${f.line}">`;
      if (f.severity === 'info') {
        cases.push(`${open}\n      <system-out>${text(formatFindingLine(f))}</system-out>\n    </testcase>`);
      } else {
        suiteFailures++;
        cases.push(`${open}\n      <failure message="${attr(f.message)}" type="${f.severity}">${text(formatFindingLine(f))}</failure>\n    </testcase>`);
      }
    }
    const count = Math.max(1, list.length);
    tests += count;
    failures += suiteFailures;
    suites.push(`  <testsuite name="${attr(id)}" tests="${count}" failures="${suiteFailures}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`);
  }
  const head = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="modguard" tests="${tests}" failures="${failures}" errors="0"${skippedTests > 0 ? ` skipped="${skippedTests}"` : ''}>`;
  return suites.length === 0 ? `${head}\n</testsuites>\n` : `${head}\n${suites.join('\n')}\n</testsuites>\n`;
}

function text(s: string): string {
  return showControls(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}
