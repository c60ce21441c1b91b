// What the review screen needs from the outside world. The screen itself never touches the file
// system or the engine: it calls these services, so tests drive it with in-memory fakes.
import type { Finding, Severity } from '../engine/types.ts';
import type { FilePatch } from '../fix/types.ts';

/** LoadProgress is what the loading line shows; every field is optional because loaders report what they know. */
export interface LoadProgress {
  phase?: string;
  modulesParsed?: number;
  modulesTotal?: number;
  graphsRead?: number;
}

/** ReviewData is one loaded and checked repository. */
export interface ReviewData {
  /** Shown in the header: the repository root (shortened by the caller if it likes). */
  repository: string;
  moduleCount: number;
  findings: Finding[];
  /** One-line notices from the check (e.g. a rule skipped for want of a module graph). */
  notices: string[];
}

/** ExcerptLine is one line of the file around a finding. */
export interface ExcerptLine {
  line: number;
  text: string;
  isTarget: boolean;
}

/** FindingDetail is what the detail pane shows beyond the finding itself. */
export interface FindingDetail {
  excerpt: ExcerptLine[];
  /** `anchor.lock:3  anchor golang.org/x/net v0.24.0 // owner: net`, when the dependency is anchored. */
  anchor?: string;
  /** `main -> a@v1 -> b@v2 requires x@v3`, for findings about what the graph selects. */
  why?: string;
  /** One line per edit the automatic fix would make, or why there is none. */
  fix: string[];
  /** Commands that apply the fix from a shell (modguard fix, then go commands). */
  commands: string[];
}

/** FixProposal is a planned fix shown for confirmation before anything is written. */
export interface FixProposal {
  /** What the fix is for, e.g. `anchor-mismatch in svc/a/go.mod` or `group anchor-mismatch (12)`. */
  title: string;
  patches: FilePatch[];
  /** The unified diff of every patch, ready to show. */
  diff: string;
  /** Findings that cannot be fixed, with the reason. */
  skipped: Array<{ finding: Finding; reason: string }>;
  /** Commands to run after writing (go.sum cannot be completed offline). */
  followUp: string[];
}

/** ActionOutcome is the result of a write, phrased for the status line. */
export interface ActionOutcome {
  ok: boolean;
  message: string;
  /** Findings the write resolved: removed from the list at once, before the reload confirms it. */
  resolved: Finding[];
}

/** ReviewServices is everything the screen asks of the repository. */
export interface ReviewServices {
  load(onProgress: (p: LoadProgress) => void): Promise<ReviewData>;
  describe(finding: Finding): FindingDetail;
  planFix(findings: Finding[], title: string): FixProposal;
  applyFix(proposal: FixProposal): Promise<ActionOutcome>;
  addIgnore(finding: Finding, reason: string): Promise<ActionOutcome>;
}

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
