// Module versions as golang.org/x/mod/module treats them: canonical form with `+incompatible`,
// path major suffixes (`/vN`, `gopkg.in/x.vN`), and pseudo-versions.
import { parseSemver, semverBuild, semverPrerelease } from './semver.ts';
import { quoteString } from '../gomod/quote.ts';

/** canonicalModuleVersion is module.CanonicalVersion: semver.Canonical keeping `+incompatible`. */
export function canonicalModuleVersion(v: string): string {
  const p = parseSemver(v);
  if (!p) return '';
  if (p.build === '') return p.short === '' ? v : v + p.short;
  const cv = v.slice(0, v.length - p.build.length);
  return p.build === '+incompatible' ? cv + '+incompatible' : cv;
}

export interface PathVersionSplit {
  prefix: string;
  /** '' (none), '/vN' (N >= 2) or, for gopkg.in, '.vN' (possibly with '-unstable'). */
  pathMajor: string;
  ok: boolean;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function splitGopkgIn(path: string): PathVersionSplit {
  let i = path.length;
  if (path.endsWith('-unstable')) i -= '-unstable'.length;
  while (i > 0 && isDigit(path.charCodeAt(i - 1))) i--;
  if (i <= 1 || path[i - 1] !== 'v' || path[i - 2] !== '.') return { prefix: path, pathMajor: '', ok: false };
  const prefix = path.slice(0, i - 2);
  const pathMajor = path.slice(i - 2);
  if (pathMajor.length <= 2 || (pathMajor[2] === '0' && pathMajor !== '.v0')) return { prefix: path, pathMajor: '', ok: false };
  return { prefix, pathMajor, ok: true };
}

/**
 * moduleFamily is a module path without its major version suffix (`/vN`, gopkg.in `.vN`): the
 * family that the majors of one module share. A caller that split the path already passes the split.
 */
export function moduleFamily(path: string, split: PathVersionSplit = splitPathVersion(path)): string {
  return split.ok ? split.prefix : path;
}

/**
 * splitPathVersion is module.SplitPathVersion: `prefix + pathMajor === path`, where pathMajor is
 * '' or `/vN` for N >= 2, or `.vN` for gopkg.in paths (any N). ok is false for a final element
 * like `/v1`, `/v0`, `/v1.2` or a gopkg.in path without `.vN`.
 */
export function splitPathVersion(path: string): PathVersionSplit {
  if (path.startsWith('gopkg.in/')) return splitGopkgIn(path);
  let i = path.length;
  let dot = false;
  while (i > 0 && (isDigit(path.charCodeAt(i - 1)) || path.charCodeAt(i - 1) === 0x2e)) {
    if (path.charCodeAt(i - 1) === 0x2e) dot = true;
    i--;
  }
  if (i <= 1 || i === path.length || path[i - 1] !== 'v' || path[i - 2] !== '/') return { prefix: path, pathMajor: '', ok: true };
  const prefix = path.slice(0, i - 2);
  const pathMajor = path.slice(i - 2);
  if (dot || pathMajor.length <= 2 || pathMajor[2] === '0' || pathMajor === '/v1') return { prefix: path, pathMajor: '', ok: false };
  return { prefix, pathMajor, ok: true };
}

/** Path element names Windows reserves (x/mod refuses them in module paths, any case, before a dot). */
const WINDOWS_NAMES = new Set(['con', 'prn', 'aux', 'nul', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`com${n}`, `lpt${n}`])]);

/** modPathOK is x/mod's set of characters of a module path element. */
function modPathOK(c: number): boolean {
  return c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/**
 * checkModulePath is module.CheckPath's judgement of a module path, with x/mod's reasons: its
 * elements (no empty, all-dot, dot-led or dot-ended ones, none Windows reserves, only ASCII
 * letters, digits and -._~), no leading dash, and a major version suffix SplitPathVersion accepts.
 * A first element with a dot is a host name, held to x/mod's rule for it (lower-case letters,
 * digits, dots and dashes); one without is allowed, as a repository's own modules may be named so
 * (the go command fetches no such path, but builds it as a main or replaced module).
 */
export function checkModulePath(path: string): string | undefined {
  if (path === '') return 'empty string';
  if (path[0] === '-') return 'leading dash';
  if (path.includes('//')) return 'double slash';
  if (path.endsWith('/')) return 'trailing slash';
  if (path.startsWith('/')) return 'leading slash';
  for (const elem of path.split('/')) {
    if (/^\.+$/.test(elem)) return `invalid path element "${elem}"`;
    if (elem.startsWith('.')) return 'leading dot in path element';
    if (elem.endsWith('.')) return 'trailing dot in path element';
    for (let i = 0; i < elem.length; i++) {
      if (!modPathOK(elem.charCodeAt(i))) return `invalid char ${JSON.stringify(String.fromCodePoint(elem.codePointAt(i)!))}`;
    }
    const short = elem.includes('.') ? elem.slice(0, elem.indexOf('.')) : elem;
    if (WINDOWS_NAMES.has(short.toLowerCase())) return `"${short}" disallowed as path element component on Windows`;
  }
  const first = path.includes('/') ? path.slice(0, path.indexOf('/')) : path;
  if (first.includes('.')) {
    for (const ch of first) {
      if (!/[a-z0-9.-]/.test(ch)) return `invalid char ${JSON.stringify(ch)} in first path element`;
    }
  }
  if (!splitPathVersion(path).ok) return 'invalid version';
  return undefined;
}

/**
 * checkPathMajor is module.CheckPathMajor: undefined when version v fits the path's major
 * suffix, else x/mod's error text (`version "v3.0.0" invalid: should be v2, not v3`).
 */
export function checkPathMajor(v: string, pathMajor: string): string | undefined {
  let pm = pathMajor;
  if (pm.startsWith('.v') && pm.endsWith('-unstable')) pm = pm.slice(0, -'-unstable'.length);
  if (v.startsWith('v0.0.0-') && pm === '.v1') return undefined;
  const p = parseSemver(v);
  const m = p ? 'v' + p.major : '';
  if (pm === '') {
    if (m === 'v0' || m === 'v1' || (p !== undefined && p.build === '+incompatible')) return undefined;
    pm = 'v0 or v1';
  } else if (pm[0] === '/' || pm[0] === '.') {
    if (m === pm.slice(1)) return undefined;
    pm = pm.slice(1);
  }
  return `version ${quoteString(v)} invalid: should be ${pm}, not ${m}`;
}

/** pathMajorOf is the major version a module path selects: 'v1' without a suffix, 'v2' for /v2, 'v3' for gopkg.in/x.v3. */
export function pathMajorOf(modulePath: string): string {
  const { pathMajor, ok } = splitPathVersion(modulePath);
  if (!ok || pathMajor === '') return 'v1';
  const pm = pathMajor.endsWith('-unstable') ? pathMajor.slice(0, -'-unstable'.length) : pathMajor;
  return pm.slice(1);
}

// module.pseudoVersionRE, written out.
const PSEUDO_RE = /^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** isPseudoVersion is module.IsPseudoVersion. */
export function isPseudoVersion(v: string): boolean {
  let dashes = 0;
  for (let i = 0; i < v.length && dashes < 2; i++) if (v.charCodeAt(i) === 0x2d) dashes++;
  return dashes >= 2 && parseSemver(v) !== undefined && PSEUDO_RE.test(v);
}

export interface PseudoVersionParts {
  /**
   * The tagged version the pseudo-version builds on (module.PseudoVersionBase): '' for
   * `vX.0.0-yyyymmddhhmmss-rev`, `v1.2.3` for `v1.2.4-0.yyyymmddhhmmss-rev`, `v1.2.3-pre` for
   * `v1.2.3-pre.0.yyyymmddhhmmss-rev`, with `+incompatible` kept.
   */
  base: string;
  /** yyyymmddhhmmss (UTC). */
  timestamp: string;
  /** The commit hash prefix (normally 12 hex digits). */
  revision: string;
  /** The version text before the timestamp (`v1.2.4-0`, `v1.2.3-pre.0`, `v0.0.0`). */
  prefix: string;
  /** Build metadata ('' or '+incompatible'). */
  build: string;
}

function decDecimal(s: string): string | undefined {
  if (s === '' || s === '0') return undefined;
  const digits = s.split('');
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === '0') {
    digits[i] = '9';
    i--;
  }
  if (i < 0) return undefined;
  digits[i] = String.fromCharCode(digits[i]!.charCodeAt(0) - 1);
  let out = digits.join('');
  if (out[0] === '0' && out.length > 1) out = out.slice(1);
  return out;
}

/** pseudoVersionParts splits a pseudo-version; undefined when v is not one (or is nonsensical). */
export function pseudoVersionParts(v: string): PseudoVersionParts | undefined {
  if (!isPseudoVersion(v)) return undefined;
  const build = semverBuild(v);
  let rest = v.slice(0, v.length - build.length);
  const j = rest.lastIndexOf('-');
  const revision = rest.slice(j + 1);
  rest = rest.slice(0, j);
  const i = rest.lastIndexOf('-');
  const d = rest.lastIndexOf('.');
  let prefix: string;
  let timestamp: string;
  if (d > i) {
    prefix = rest.slice(0, d);
    timestamp = rest.slice(d + 1);
  } else {
    prefix = rest.slice(0, i);
    timestamp = rest.slice(i + 1);
  }
  let base: string;
  const pre = semverPrerelease(prefix);
  if (pre === '') {
    if (build !== '') return undefined;
    base = '';
  } else if (pre === '-0') {
    const b = prefix.slice(0, prefix.length - pre.length);
    const k = b.lastIndexOf('.');
    const patch = decDecimal(b.slice(k + 1));
    if (patch === undefined) return undefined;
    base = b.slice(0, k + 1) + patch + build;
  } else {
    base = prefix.slice(0, -'.0'.length) + build;
  }
  return { base, timestamp, revision, prefix, build };
}

/** isIncompatible reports whether v carries the `+incompatible` build suffix. */
export function isIncompatible(v: string): boolean {
  return semverBuild(v) === '+incompatible';
}
