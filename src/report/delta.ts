// What changed between two snapshots, and the series of headline numbers over a history.
import type { Headline, Snapshot, SnapshotFinding } from './snapshot.ts';

/** SnapshotDelta is what a morning reader wants first: what is new and what went away. */
export interface SnapshotDelta {
  /** The snapshot compared against; undefined for the first snapshot of a series. */
  previous?: { date: string; commit?: string };
  newFindings: SnapshotFinding[];
  resolvedFindings: SnapshotFinding[];
  /** Current minus previous headline numbers (all zero without a previous snapshot). */
  change: Headline;
}

const HEADLINE_KEYS: Array<keyof Headline> = ['modules', 'findings', 'errors', 'warnings', 'infos', 'suppressed',
  'anchors', 'anchorsConverged', 'modulesOffPin', 'spreadDependencies'];

const severityRank = { error: 0, warning: 1, info: 2 } as const;

/** compareFindings orders findings for people: errors first, then by rule, file and line. */
export function compareFindings(a: SnapshotFinding, b: SnapshotFinding): number {
  return severityRank[a.severity] - severityRank[b.severity]
    || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)
    || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)
    || a.line - b.line
    || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** diffSnapshots lists findings of current whose key previous lacks (new) and the reverse (resolved). */
export function diffSnapshots(previous: Snapshot | undefined, current: Snapshot): SnapshotDelta {
  const change = {} as Headline;
  for (const k of HEADLINE_KEYS) change[k] = previous ? (current.headline[k] ?? 0) - (previous.headline[k] ?? 0) : 0;
  if (!previous) return { newFindings: [], resolvedFindings: [], change };
  // A slimmed point has numbers only: comparing its (empty) findings would call everything new.
  if (previous.slim) return { previous: { date: previous.date }, newFindings: [], resolvedFindings: [], change };
  const before = new Set(previous.findings.map((f) => f.key));
  const now = new Set(current.findings.map((f) => f.key));
  const delta: SnapshotDelta = {
    previous: { date: previous.date },
    newFindings: current.findings.filter((f) => !before.has(f.key)).sort(compareFindings),
    resolvedFindings: previous.findings.filter((f) => !now.has(f.key)).sort(compareFindings),
    change,
  };
  if (previous.commit) delta.previous!.commit = previous.commit;
  return delta;
}

/** TrendPoint is one snapshot's headline on the time axis. */
export interface TrendPoint {
  date: string;
  commit?: string;
  findings: number;
  errors: number;
  warnings: number;
  infos: number;
  anchors: number;
  anchorsConverged: number;
  modulesOffPin: number;
  modules: number;
}

/** dayOf is the UTC calendar day of an ISO timestamp, the unit of a history series. */
export function dayOf(date: string): string {
  const t = Date.parse(date);
  return Number.isNaN(t) ? date.slice(0, 10) : new Date(t).toISOString().slice(0, 10);
}

function timeOf(s: Snapshot): number {
  const t = Date.parse(s.date);
  return Number.isNaN(t) ? 0 : t;
}

/**
 * mergeHistory orders snapshots by date and keeps one per UTC day: the latest of that day, and of
 * equal dates the one given last (so today's run replaces an earlier run of today).
 */
export function mergeHistory(snapshots: readonly Snapshot[]): Snapshot[] {
  const byDay = new Map<string, Snapshot>();
  for (const s of snapshots) {
    const day = dayOf(s.date);
    const kept = byDay.get(day);
    if (!kept || timeOf(s) >= timeOf(kept)) byDay.set(day, s);
  }
  return [...byDay.values()].sort((a, b) => timeOf(a) - timeOf(b));
}

/** trendSeries turns a history (any order) into points, oldest first, one per day. */
export function trendSeries(history: readonly Snapshot[]): TrendPoint[] {
  return mergeHistory(history).map((s) => {
    const p: TrendPoint = {
      date: s.date,
      findings: s.headline.findings,
      errors: s.headline.errors,
      warnings: s.headline.warnings,
      infos: s.headline.infos,
      anchors: s.headline.anchors,
      anchorsConverged: s.headline.anchorsConverged,
      modulesOffPin: s.headline.modulesOffPin,
      modules: s.headline.modules,
    };
    if (s.commit) p.commit = s.commit;
    return p;
  });
}

/** previousOf picks the snapshot to compare against: the latest one of an earlier day than current. */
export function previousOf(history: readonly Snapshot[], current: Snapshot): Snapshot | undefined {
  const today = dayOf(current.date);
  const earlier = mergeHistory(history).filter((s) => dayOf(s.date) < today);
  return earlier[earlier.length - 1];
}

/** FindingGroup is findings of one rule about one dependency with one message id: one line to read. */
export interface FindingGroup {
  rule: string;
  severity: SnapshotFinding['severity'];
  dependency: string;
  messageId: string;
  findings: SnapshotFinding[];
}

/**
 * groupFindings folds findings that say the same thing about the same dependency (the same drift in
 * eighteen modules is one thing to read, not eighteen), most severe and largest groups first.
 */
export function groupFindings(list: readonly SnapshotFinding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of [...list].sort(compareFindings)) {
    const key = `${f.severity}|${f.rule}|${f.dependency}|${f.messageId}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { rule: f.rule, severity: f.severity, dependency: f.dependency, messageId: f.messageId, findings: [] }));
    g.findings.push(f);
  }
  return [...groups.values()].sort((a, b) => severityRank[a.severity] - severityRank[b.severity]
    || b.findings.length - a.findings.length || compareFindings(a.findings[0]!, b.findings[0]!));
}
