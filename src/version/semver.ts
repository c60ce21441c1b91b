// Go's semantic versions (golang.org/x/mod/semver). Go requires the leading `v`, accepts the
// shorthands `v1` and `v1.2` (meaning v1.0.0 and v1.2.0), and ignores build metadata when comparing.
// npm `semver` differs on all three, so parsing and ordering are done here.

/** ParsedSemver holds the parts of a Go semantic version, as strings of the original text. */
export interface ParsedSemver {
  major: string;
  minor: string;
  patch: string;
  /** What a shorthand lacks: '.0.0' for `v1`, '.0' for `v1.2`, else ''. */
  short: string;
  /** Including the leading '-', or ''. */
  prerelease: string;
  /** Including the leading '+', or ''. */
  build: string;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isIdentChar(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || isDigit(c) || c === 0x2d;
}

/** Index after a number starting at i (no leading zero unless it is just "0"), or -1. */
function scanInt(v: string, i: number): number {
  if (i >= v.length || !isDigit(v.charCodeAt(i))) return -1;
  let j = i + 1;
  while (j < v.length && isDigit(v.charCodeAt(j))) j++;
  if (v.charCodeAt(i) === 0x30 && j !== i + 1) return -1;
  return j;
}

function isBadNum(v: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && isDigit(v.charCodeAt(i))) i++;
  return i === end && end - start > 1 && v.charCodeAt(start) === 0x30;
}

/**
 * The parse of each version text met, for texts up to MAX_KEPT_TEXT characters, and up to
 * MAX_KEPT of them (then it starts again): a repository names the same few thousand versions in
 * every go.mod, go.sum and graph, and the rules compare and canonicalize them again and again.
 * Parses are shared: callers never change them.
 */
const KEPT = new Map<string, ParsedSemver | null>();
const MAX_KEPT = 1 << 16;
const MAX_KEPT_TEXT = 128;

/** parseSemver parses a Go semantic version; undefined when invalid. */
export function parseSemver(v: string): ParsedSemver | undefined {
  if (v.length > MAX_KEPT_TEXT) return parseSemverText(v);
  let p = KEPT.get(v);
  if (p === undefined) {
    if (KEPT.size >= MAX_KEPT) KEPT.clear();
    KEPT.set(v, (p = parseSemverText(v) ?? null));
  }
  return p ?? undefined;
}

function parseSemverText(v: string): ParsedSemver | undefined {
  if (v.length < 2 || v.charCodeAt(0) !== 0x76) return undefined;
  let i = 1;
  let j = scanInt(v, i);
  if (j < 0) return undefined;
  const major = v.slice(i, j);
  if (j === v.length) return { major, minor: '0', patch: '0', short: '.0.0', prerelease: '', build: '' };
  if (v.charCodeAt(j) !== 0x2e) return undefined;
  i = j + 1;
  j = scanInt(v, i);
  if (j < 0) return undefined;
  const minor = v.slice(i, j);
  if (j === v.length) return { major, minor, patch: '0', short: '.0', prerelease: '', build: '' };
  if (v.charCodeAt(j) !== 0x2e) return undefined;
  i = j + 1;
  j = scanInt(v, i);
  if (j < 0) return undefined;
  const patch = v.slice(i, j);
  let prerelease = '';
  let build = '';
  if (j < v.length && v.charCodeAt(j) === 0x2d) {
    const s = j;
    let k = j + 1;
    let start = k;
    while (k < v.length && v.charCodeAt(k) !== 0x2b) {
      const c = v.charCodeAt(k);
      if (!isIdentChar(c) && c !== 0x2e) return undefined;
      if (c === 0x2e) {
        if (start === k || isBadNum(v, start, k)) return undefined;
        start = k + 1;
      }
      k++;
    }
    if (start === k || isBadNum(v, start, k)) return undefined;
    prerelease = v.slice(s, k);
    j = k;
  }
  if (j < v.length && v.charCodeAt(j) === 0x2b) {
    const s = j;
    let k = j + 1;
    let start = k;
    while (k < v.length) {
      const c = v.charCodeAt(k);
      if (!isIdentChar(c) && c !== 0x2e) return undefined;
      if (c === 0x2e) {
        if (start === k) return undefined;
        start = k + 1;
      }
      k++;
    }
    if (start === k) return undefined;
    build = v.slice(s, k);
    j = k;
  }
  if (j !== v.length) return undefined;
  return { major, minor, patch, short: '', prerelease, build };
}

/** semverIsValid is semver.IsValid. */
export function semverIsValid(v: string): boolean {
  return parseSemver(v) !== undefined;
}

/** semverCanonical is semver.Canonical: shorthand completed, build metadata dropped; '' if invalid. */
export function semverCanonical(v: string): string {
  const p = parseSemver(v);
  if (!p) return '';
  if (p.build !== '') return v.slice(0, v.length - p.build.length);
  if (p.short !== '') return v + p.short;
  return v;
}

/** semverMajor is semver.Major: 'v2' for v2.1.0; '' if invalid. */
export function semverMajor(v: string): string {
  const p = parseSemver(v);
  return p ? 'v' + p.major : '';
}

/** semverMajorMinor is semver.MajorMinor: 'v2.1' for v2.1.0; '' if invalid. */
export function semverMajorMinor(v: string): string {
  const p = parseSemver(v);
  if (!p) return '';
  return `v${p.major}.${p.minor}`;
}

export function semverPrerelease(v: string): string {
  return parseSemver(v)?.prerelease ?? '';
}

export function semverBuild(v: string): string {
  return parseSemver(v)?.build ?? '';
}

function compareInt(x: string, y: string): -1 | 0 | 1 {
  if (x === y) return 0;
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : 1;
}

function isNum(s: string): boolean {
  if (s === '') return false;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

function comparePrerelease(x: string, y: string): -1 | 0 | 1 {
  if (x === y) return 0;
  if (x === '') return 1;
  if (y === '') return -1;
  const xs = x.slice(1).split('.');
  const ys = y.slice(1).split('.');
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const dx = xs[i]!;
    const dy = ys[i]!;
    if (dx === dy) continue;
    const ix = isNum(dx);
    const iy = isNum(dy);
    if (ix !== iy) return ix ? -1 : 1;
    if (ix && dx.length !== dy.length) return dx.length < dy.length ? -1 : 1;
    return dx < dy ? -1 : 1;
  }
  if (xs.length === ys.length) return 0;
  return xs.length < ys.length ? -1 : 1;
}

/**
 * semverCompare is semver.Compare: an invalid version sorts before every valid one and two
 * invalid versions are equal; build metadata (including `+incompatible`) does not count.
 */
export function semverCompare(v: string, w: string): -1 | 0 | 1 {
  const pv = parseSemver(v);
  const pw = parseSemver(w);
  if (!pv && !pw) return 0;
  if (!pv) return -1;
  if (!pw) return 1;
  return compareInt(pv.major, pw.major) || compareInt(pv.minor, pw.minor) || compareInt(pv.patch, pw.patch)
    || comparePrerelease(pv.prerelease, pw.prerelease);
}
