// Requirement tallies. PR mode and shards judge a few modules against every other module of the
// repository, and two whole-repository rules only count what the others require: version-divergence
// (the versions of each dependency in use) and multiple-majors (the majors of each module family).
// A tally says how many requirements of a set of modules name each path@version, by kind, so those
// rules count the others from it instead of from one object per requirement. The facts pack keeps
// the tally of the modules a full check read (facts.ts); a run takes out the modules that changed
// since and counts them itself.
import type { ModFile, RequireStmt } from '../gomod/types.ts';
import { isReplacedRequirement, replacedVersions, type ReplacedVersions } from '../../rules/support/syntax.ts';

/** Kind bits of a tallied requirement: `// indirect`. */
export const TALLY_INDIRECT = 1;
/** The requirement is redirected by its module's own replace (isReplacedRequirement). */
export const TALLY_REPLACED = 2;
/** The requirement names its own module's path. */
export const TALLY_SELF = 4;
/** Kinds are below this. */
export const TALLY_KINDS = 8;

/** requirementKind is the kind of one requirement of a module (path modulePath, replaces `replaced`). */
export function requirementKind(req: RequireStmt, modulePath: string, replaced: ReplacedVersions): number {
  const { path, version } = req.mod;
  return (req.indirect ? TALLY_INDIRECT : 0)
    | (isReplacedRequirement(replaced, path, version) ? TALLY_REPLACED : 0)
    | (path === modulePath ? TALLY_SELF : 0);
}

/**
 * isTallied tells whether a go.mod's requirements may be tallied: not when it requires one path
 * twice (a file may, until `go mod tidy` keeps one), since multiple-majors counts modules per major
 * and a tally counts requirements, which are the same only without repeats.
 */
export function isTallied(mod: ModFile): boolean {
  const req = mod.require;
  if (req.length < 2) return true;
  const seen = new Set<string>();
  for (let i = 0; i < req.length; i++) {
    const p = req[i]!.mod.path;
    if (seen.has(p)) return false;
    seen.add(p);
  }
  return true;
}

/** RequireTally counts requirements by path, version and kind. */
export class RequireTally {
  private readonly byPath = new Map<string, Map<string, Uint32Array>>();

  /** add counts n more requirements of path@version of a kind. */
  add(path: string, version: string, kind: number, n: number): void {
    let versions = this.byPath.get(path);
    if (!versions) this.byPath.set(path, (versions = new Map()));
    let counts = versions.get(version);
    if (!counts) versions.set(version, (counts = new Uint32Array(TALLY_KINDS)));
    counts[kind] = counts[kind]! + n;
  }

  /** take counts n fewer; false (and nothing changed) when the tally holds fewer than n. */
  take(path: string, version: string, kind: number, n: number): boolean {
    const counts = this.byPath.get(path)?.get(version);
    if (!counts || counts[kind]! < n) return false;
    counts[kind] = counts[kind]! - n;
    return true;
  }

  /**
   * addModule counts (sign 1) or takes out (sign -1) the requirements of one go.mod of a module
   * whose path is modulePath; false when taking out finds one the tally does not hold.
   */
  addModule(modulePath: string, mod: ModFile, sign: 1 | -1): boolean {
    const replaced = replacedVersions({ mod });
    for (const req of mod.require) {
      const kind = requirementKind(req, modulePath, replaced);
      if (sign === 1) this.add(req.mod.path, req.mod.version, kind, 1);
      else if (!this.take(req.mod.path, req.mod.version, kind, 1)) return false;
    }
    return true;
  }

  /** merge adds every count of another tally. */
  merge(other: RequireTally): void {
    other.forEach((path, version, kind, n) => this.add(path, version, kind, n));
  }

  /** forEach calls fn for each path (that `keep` accepts), version and kind counted at least once. */
  forEach(fn: (path: string, version: string, kind: number, count: number) => void, keep?: (path: string) => boolean): void {
    for (const [path, versions] of this.byPath) {
      if (keep && !keep(path)) continue;
      for (const [version, counts] of versions) {
        for (let kind = 0; kind < TALLY_KINDS; kind++) if (counts[kind]! > 0) fn(path, version, kind, counts[kind]!);
      }
    }
  }
}
