// Check results shared by the reporter tests: a typical one, an empty one, and one with hostile text.
import type { CheckResult, Finding, RuleMeta } from '../../src/engine/types.ts';
import type { ReporterOptions } from '../../src/reporters/index.ts';

export const RULES: RuleMeta[] = [
  { id: 'anchor-mismatch', type: 'problem', description: 'A module requires an anchored dependency at a version other than the pin.', defaultSeverity: 'error', messages: {} },
  { id: 'go-version-drift', type: 'suggestion', description: 'A go directive differs from the anchor.lock go line. Keep toolchains aligned.', defaultSeverity: 'warning', messages: {} },
  { id: 'version-divergence', type: 'suggestion', description: 'A dependency without an anchor is required at several versions.', defaultSeverity: 'info', messages: {} },
];

export function finding(over: Partial<Finding>): Finding {
  return {
    rule: 'anchor-mismatch', severity: 'error', file: 'svc/a/go.mod', line: 1, column: 1, messageId: 'mismatch',
    message: 'message', module: 'example.com/svc/a', dependency: '', data: {}, ...over,
  };
}

/** sample has two files, three severities, findings out of order and one notice. */
export function sample(): CheckResult {
  const findings: Finding[] = [
    finding({ rule: 'go-version-drift', severity: 'warning', file: 'svc/b/go.mod', line: 3, column: 1, messageId: 'drift', message: 'go 1.21 differs from the anchor.lock go 1.22', module: 'example.com/svc/b', data: { found: '1.21', want: '1.22' } }),
    finding({ line: 12, column: 2, message: 'google.golang.org/grpc v1.60.0 is pinned to v1.64.0', dependency: 'google.golang.org/grpc', data: { version: 'v1.60.0', pin: 'v1.64.0' } }),
    finding({ line: 5, column: 2, message: 'golang.org/x/net v0.20.0 is pinned to v0.24.0', dependency: 'golang.org/x/net', data: { version: 'v0.20.0', pin: 'v0.24.0' } }),
    finding({ rule: 'version-divergence', severity: 'info', file: 'svc/b/go.mod', line: 7, column: 2, messageId: 'diverge', message: 'github.com/x/y is required at 2 versions', module: 'example.com/svc/b', dependency: 'github.com/x/y', data: { versions: 2 } }),
  ];
  return {
    version: 1,
    root: '/repo',
    findings,
    summary: { modules: 3, errors: 2, warnings: 1, infos: 1, suppressed: 0, byRule: { 'anchor-mismatch': 2, 'go-version-drift': 1, 'version-divergence': 1 } },
    notices: ['anchor-drift skipped: no module graph (use --graph-file or --go)'],
  };
}

export function empty(modules = 3): CheckResult {
  return { version: 1, root: '/repo', findings: [], summary: { modules, errors: 0, warnings: 0, infos: 0, suppressed: 0, byRule: {} }, notices: [] };
}

/** hostile carries every character a printer must escape. */
export function hostile(): CheckResult {
  const message = 'bad | `tick` <b>&amp; 100% a:b,c\r\nsecond line\u0000\u001b[31m\uD800';
  return {
    version: 1,
    root: '/repo',
    findings: [finding({ file: 'dir,with:odd/go.mod', line: 2, column: 3, message, dependency: 'ex.com/a' })],
    summary: { modules: 1, errors: 1, warnings: 0, infos: 0, suppressed: 0, byRule: { 'anchor-mismatch': 1 } },
    notices: [],
  };
}

export const OPTIONS: ReporterOptions = { color: false, rules: RULES, root: '/repo', docsUrl: (id) => `https://docs.example/rules/${id}` };
