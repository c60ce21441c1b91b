// The rule registry: every rule modguard runs, in the order of the documentation. A rule file in
// this folder that is not listed here fails the completeness test.
import type { Rule } from '../src/engine/types.ts';
import { rule as parseError } from './parse-error.ts';
import { rule as anchorMismatch } from './anchor-mismatch.ts';
import { rule as replaceDirective } from './replace-directive.ts';
import { rule as pseudoVersionConflict } from './pseudo-version-conflict.ts';
import { rule as gosumHashConflict } from './gosum-hash-conflict.ts';
import { rule as goVersionDrift } from './go-version-drift.ts';
import { rule as versionDivergence } from './version-divergence.ts';
import { rule as multipleMajors } from './multiple-majors.ts';
import { rule as bannedModule } from './banned-module.ts';
import { rule as majorVersionJump } from './major-version-jump.ts';
import { rule as anchorDrift } from './anchor-drift.ts';
import { rule as staleGraph } from './stale-graph.ts';
import { rule as moduleCycle } from './module-cycle.ts';
import { rule as brokenWorkspace } from './broken-workspace.ts';
import { rule as suppressionExpired } from './suppression-expired.ts';
import { rule as suppressionUnused } from './suppression-unused.ts';

export const rules: Rule[] = [
  parseError,
  anchorMismatch,
  replaceDirective,
  pseudoVersionConflict,
  gosumHashConflict,
  goVersionDrift,
  versionDivergence,
  multipleMajors,
  bannedModule,
  anchorDrift,
  staleGraph,
  majorVersionJump,
  moduleCycle,
  brokenWorkspace,
  suppressionExpired,
  suppressionUnused,
];

/** rulesById looks a rule up by its public id. */
export const rulesById: ReadonlyMap<string, Rule> = new Map(rules.map((rule) => [rule.meta.id, rule]));
