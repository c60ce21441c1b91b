// The Go version layer: module versions (Go's semver with shorthand, `+incompatible`,
// pseudo-versions, path major suffixes) and Go language / toolchain versions.
import { parseSemver, semverCompare, semverMajor } from './semver.ts';
import { canonicalModuleVersion } from './module.ts';

export {
  parseSemver, semverBuild, semverCanonical, semverCompare, semverIsValid, semverMajor, semverMajorMinor,
  semverPrerelease,
} from './semver.ts';
export type { ParsedSemver } from './semver.ts';
export {
  canonicalModuleVersion, checkModulePath, checkPathMajor, isIncompatible, isPseudoVersion, moduleFamily, pathMajorOf, pseudoVersionParts,
  splitPathVersion,
} from './module.ts';
export type { PathVersionSplit, PseudoVersionParts } from './module.ts';
export {
  GO_VERSION_RE, LAX_GO_VERSION_RE, TOOLCHAIN_RE, compareGoVersions, goVersionOf, isParseableGoVersion,
  isValidGoVersion, isValidToolchain,
} from './go.ts';

/**
 * isValidVersion reports whether v is a module version Go accepts: Go semver with the leading
 * `v` (shorthands `v1` and `v1.2` allowed, as in go.mod where x/mod completes them), prerelease
 * allowed, and build metadata only `+incompatible` (x/mod's canonical form keeps no other).
 */
export function isValidVersion(v: string): boolean {
  const p = parseSemver(v);
  return p !== undefined && (p.build === '' || p.build === '+incompatible');
}

/**
 * canonicalVersion is module.CanonicalVersion: `v1.2` → `v1.2.0`, build metadata dropped except
 * `+incompatible`; '' when v is not a valid version.
 */
export function canonicalVersion(v: string): string {
  return canonicalModuleVersion(v);
}

/**
 * sameVersion tells two spellings of one version apart from two versions: `v1.2` in a go.mod is the
 * `v1.2.0` the go command reads (and prints in its graph).
 */
export function sameVersion(a: string, b: string): boolean {
  if (a === b) return true;
  const canonical = canonicalVersion(a);
  return canonical !== '' && canonical === canonicalVersion(b);
}

/**
 * compareVersions is Go's semver.Compare: -1, 0 or 1. Shorthands equal their full form, build
 * metadata is ignored (so `v2.0.0+incompatible` equals `v2.0.0`, as in Go), prereleases (and so
 * pseudo-versions) sort before their release, and an invalid version sorts before any valid one.
 */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  return semverCompare(a, b);
}

/** versionMajor is semver.Major: 'v0', 'v1', 'v2', ... ('' when invalid). */
export function versionMajor(v: string): string {
  return semverMajor(v);
}
