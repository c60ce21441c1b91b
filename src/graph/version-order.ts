// Go's semver order (golang.org/x/mod/semver.Compare) for the graph layer's hot loop: build
// metadata such as `+incompatible` is ignored, `v1.2` equals `v1.2.0`, invalid versions sort
// lowest, prereleases (and so pseudo-versions) below their release.
const SEMVER = /^v(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?)?)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

interface Parsed { major: string; minor: string; patch: string; pre: string }

const cache = new Map<string, Parsed | null>();

function parse(v: string): Parsed | null {
  let p = cache.get(v);
  if (p !== undefined) return p;
  const m = SEMVER.exec(v);
  // Go's shorthand forms `v1` / `v1.2` may not carry a prerelease or build suffix.
  if (!m || ((m[2] === undefined || m[3] === undefined) && v.search(/[-+]/) >= 0)) p = null;
  else p = { major: m[1]!, minor: m[2] ?? '0', patch: m[3] ?? '0', pre: m[4] ? '-' + m[4] : '' };
  if (cache.size > 100_000) cache.clear();
  cache.set(v, p);
  return p;
}

function compareInt(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const x = a.slice(1).split('.');
  const y = b.slice(1).split('.');
  for (let i = 0; i < x.length && i < y.length; i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return compareInt(p, q);
    if (pn) return -1;
    if (qn) return 1;
    return p < q ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

/** compareGoSemver orders two module versions as the go command does; -1, 0 or 1. */
export function compareGoSemver(a: string, b: string): number {
  const p = parse(a);
  const q = parse(b);
  if (!p || !q) return p ? 1 : q ? -1 : 0;
  return compareInt(p.major, q.major) || compareInt(p.minor, q.minor) || compareInt(p.patch, q.patch) || comparePre(p.pre, q.pre);
}
