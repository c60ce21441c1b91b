// Small builders for fix tests: repositories from in-memory files, checked by the real engine.
import { assembleRepository } from '../../src/engine/assemble.ts';
import { check } from '../../src/engine/run.ts';
import type { Finding, Repository } from '../../src/engine/types.ts';

export function repoFrom(files: Record<string, string>, opts: { graphFile?: string } = {}): Repository {
  return assembleRepository({ root: '/repo', files: new Map(Object.entries(files)), ...(opts.graphFile ? { graphFile: opts.graphFile } : {}) });
}

export function findingsOf(repo: Repository, rules?: string[]): Finding[] {
  const all = check(repo).findings;
  return rules ? all.filter((f) => rules.includes(f.rule)) : all;
}
