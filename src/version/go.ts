// Go language and toolchain versions (`go 1.21.0`, `toolchain go1.21.3`), which are not semver:
// `1.21` is the language version and sorts before `1.21rc1`, which sorts before `1.21.0`. This
// follows Go's internal gover package; the directive syntax follows x/mod's regular expressions.

/** GO_VERSION_RE is x/mod's GoVersionRE: what a `go` directive accepts. */
export const GO_VERSION_RE = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;
/** LAX_GO_VERSION_RE is what ParseLax salvages from a malformed `go` directive (group 1). */
export const LAX_GO_VERSION_RE = /^v?(([1-9][0-9]*)\.(0|[1-9][0-9]*))([^0-9].*)$/;
/** TOOLCHAIN_RE is x/mod's ToolchainRE: what a `toolchain` directive accepts. */
export const TOOLCHAIN_RE = /^default$|^go1($|\.)/;

/** isValidGoVersion reports whether v is accepted by a `go` directive (1.21, 1.21.0, 1.21rc1). */
export function isValidGoVersion(v: string): boolean {
  return GO_VERSION_RE.test(v);
}

/** isValidToolchain reports whether name is accepted by a `toolchain` directive (go1.21.0, go1.21.0-gccgo, default). */
export function isValidToolchain(name: string): boolean {
  return TOOLCHAIN_RE.test(name);
}

interface GoVersion {
  major: string;
  minor: string;
  patch: string;
  kind: string;
  pre: string;
}

const INVALID: GoVersion = { major: '', minor: '', patch: '', kind: '', pre: '' };

function cutInt(x: string, i: number): number {
  let j = i;
  while (j < x.length && x.charCodeAt(j) >= 0x30 && x.charCodeAt(j) <= 0x39) j++;
  if (j === i || (x.charCodeAt(i) === 0x30 && j !== i + 1)) return -1;
  return j;
}

function cmpInt(x: string, y: string): -1 | 0 | 1 {
  if (x === y) return 0;
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : 1;
}

function parseGo(x: string): GoVersion {
  let j = cutInt(x, 0);
  if (j < 0) return INVALID;
  const v: GoVersion = { major: x.slice(0, j), minor: '', patch: '', kind: '', pre: '' };
  if (j === x.length) return { ...v, minor: '0', patch: '0' };
  if (x[j] !== '.') return INVALID;
  const i = j + 1;
  j = cutInt(x, i);
  if (j < 0) return INVALID;
  v.minor = x.slice(i, j);
  if (j === x.length) {
    // Before Go 1.21 a missing patch meant .0; since then `1.21` is the language version.
    if (cmpInt(v.minor, '21') < 0) v.patch = '0';
    return v;
  }
  if (x[j] === '.') {
    const k = cutInt(x, j + 1);
    if (k < 0 || k !== x.length) return INVALID;
    v.patch = x.slice(j + 1, k);
    return v;
  }
  let k = j;
  while (k < x.length && !(x.charCodeAt(k) >= 0x30 && x.charCodeAt(k) <= 0x39)) {
    const c = x.charCodeAt(k);
    if (c < 0x61 || c > 0x7a) return INVALID;
    k++;
  }
  if (k === j) return INVALID;
  v.kind = x.slice(j, k);
  if (k === x.length) return v;
  const e = cutInt(x, k);
  if (e < 0 || e !== x.length) return INVALID;
  v.pre = x.slice(k, e);
  return v;
}

/**
 * goVersionOf strips a toolchain name to its Go version (`go1.21.3-gccgo` → `1.21.3`); other
 * text is returned as is.
 */
export function goVersionOf(v: string): string {
  if (!v.startsWith('go')) return v;
  let s = v.slice(2);
  const cut = s.search(/[- ]/);
  if (cut >= 0) s = s.slice(0, cut);
  return s;
}

/**
 * compareGoVersions orders Go versions as the go command does (1.20 = 1.20.0 < 1.21 < 1.21rc1 <
 * 1.21.0 < 1.21.1). Toolchain names (`go1.21.0`, `go1.21.0-gccgo`) compare by their version.
 * Unparseable versions sort first and are equal to each other.
 */
export function compareGoVersions(a: string, b: string): -1 | 0 | 1 {
  const x = parseGo(goVersionOf(a));
  const y = parseGo(goVersionOf(b));
  return cmpInt(x.major, y.major) || cmpInt(x.minor, y.minor) || cmpInt(x.patch, y.patch)
    || (x.kind === y.kind ? 0 : x.kind < y.kind ? -1 : 1) || cmpInt(x.pre, y.pre);
}

/** isParseableGoVersion reports whether compareGoVersions understands v (gover.IsValid). */
export function isParseableGoVersion(v: string): boolean {
  return parseGo(goVersionOf(v)) !== INVALID;
}
