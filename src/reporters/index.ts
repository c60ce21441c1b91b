// The registry of output formats. A reporter is a pure function from a check result to text; the
// caller decides where the text goes (stdout, a file, the GitHub step summary).
import type { CheckResult, RuleMeta } from '../engine/types.ts';
import { text } from './text.ts';
import { json } from './json.ts';
import { sarif } from './sarif.ts';
import { github } from './github.ts';
import { junit } from './junit.ts';
import { markdown } from './markdown.ts';

export interface ReporterOptions {
  /** Emit ANSI colour (decided by the caller from the TTY and NO_COLOR, never by the environment here). */
  color: boolean;
  /** Metadata of the rules that ran (SARIF rule descriptors, JUnit suites, docs links). */
  rules: RuleMeta[];
  /** Absolute path of the repository root. */
  root: string;
  /** The documentation page of a rule; defaults to docs/rules/<id>.md of the project. */
  docsUrl?: (ruleId: string) => string;
  /** The modguard version named in SARIF; defaults to the package version. */
  toolVersion?: string;
  /** The most results a SARIF run carries (default SARIF_MAX_RESULTS, what code scanning accepts). */
  maxResults?: number;
}

export type Reporter = (result: CheckResult, options: ReporterOptions) => string;

export type FormatName = 'text' | 'json' | 'sarif' | 'github' | 'junit' | 'markdown';

export const reporters: Record<FormatName, Reporter> = { text, json, sarif, github, junit, markdown };

export const FORMAT_NAMES = Object.keys(reporters) as FormatName[];

/** isFormatName tells whether a string names an output format. */
export function isFormatName(name: string): name is FormatName {
  return Object.prototype.hasOwnProperty.call(reporters, name);
}

export { formatFindingLine, summaryLine, sortFindings, compareFindings, defaultDocsUrl, MODGUARD_VERSION } from './common.ts';
