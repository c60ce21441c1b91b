// Small hand-written findings for the review tests: each field chosen so a test can tell rows apart.
import type { Finding, Severity } from '../../src/engine/types.ts';

export function finding(over: Partial<Finding> & { rule: string; file: string; line: number }): Finding {
  const severity: Severity = over.severity ?? 'error';
  return {
    severity, column: 2, messageId: over.rule, message: `${over.rule} at ${over.file}:${over.line}`,
    module: `example.com/${over.file.replace(/\/go\.mod$/, '')}`, dependency: '', data: {}, ...over,
  };
}

export const FINDINGS: Finding[] = [
  finding({ rule: 'anchor-mismatch', file: 'svc/a/go.mod', line: 5, dependency: 'golang.org/x/net', message: 'requires golang.org/x/net v0.21.0, but anchor.lock pins v0.24.0' }),
  finding({ rule: 'anchor-mismatch', file: 'svc/b/go.mod', line: 7, dependency: 'golang.org/x/net', message: 'requires golang.org/x/net v0.20.0, but anchor.lock pins v0.24.0' }),
  finding({ rule: 'anchor-mismatch', file: 'svc/b/go.mod', line: 8, dependency: 'google.golang.org/grpc', message: 'requires google.golang.org/grpc v1.60.0, but anchor.lock pins v1.64.0' }),
  finding({ rule: 'go-version-drift', severity: 'warning', file: 'svc/a/go.mod', line: 3, message: 'go 1.21 differs from the anchor.lock go line 1.22' }),
  finding({ rule: 'version-divergence', severity: 'info', file: 'svc/c/go.mod', line: 6, dependency: 'github.com/stretchr/testify', message: 'github.com/stretchr/testify is required at 2 versions' }),
];
