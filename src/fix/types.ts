// Types of fixes: what `modguard fix`, the review screen and the drift report share.
import type { Finding } from '../engine/types.ts';

/** FilePatch is a new content for one file, computed from the content that was read. */
export interface FilePatch {
  /** File relative to the repository root, POSIX. */
  file: string;
  /** Content as read; the write is refused when the file no longer has it. */
  before: string;
  after: string;
  /** Number of edits in this file. */
  edits: number;
  /** Human-readable one-line descriptions of each edit (e.g. "require x v1.2.0 -> v1.3.0"). */
  descriptions: string[];
  findings: Finding[];
}

export interface FixPlan {
  patches: FilePatch[];
  /** Findings that cannot be fixed automatically, with the reason. */
  skipped: Array<{ finding: Finding; reason: string }>;
  /** Commands to run afterwards, per module directory (e.g. `go mod tidy`). */
  followUp: Array<{ dir: string; argv: string[] }>;
}

export interface ApplyResult {
  written: string[];
  /** Files left alone because they changed since they were read (or could not be written). */
  conflicts: Array<{ file: string; reason: string }>;
}
