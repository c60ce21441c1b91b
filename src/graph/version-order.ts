// Go's semver order under the name the graph layer first exported it by; the implementation lives
// in src/version (golang.org/x/mod/semver.Compare semantics).
import { compareVersions } from '../version/index.ts';

/** compareGoSemver orders two module versions as the go command does; -1, 0 or 1. */
export function compareGoSemver(a: string, b: string): -1 | 0 | 1 {
  return compareVersions(a, b);
}
