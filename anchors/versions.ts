// The few Go version rules anchor.lock needs, phrased as advice for the person editing the file.
// Kept behind this module so the reader and `anchors check` share one wording.

const SEMVER = /^v(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?)?)?$/;

/** isSemver reports whether v is a Go semantic version, shorthand (`v1`, `v1.2`) included. */
export function isSemver(v: string): boolean {
  const m = SEMVER.exec(v);
  if (!m) return false;
  // Shorthand cannot carry a prerelease or build suffix, as in golang.org/x/mod/semver.
  if ((m[2] === undefined || m[3] === undefined) && (m[4] !== undefined || m[5] !== undefined)) return false;
  return true;
}

/** canonicalVersion fills in shorthand and drops build metadata except `+incompatible`; '' if invalid. */
export function canonicalVersion(v: string): string {
  const m = SEMVER.exec(v);
  if (!m || !isSemver(v)) return '';
  let c = `v${m[1]}.${m[2] ?? '0'}.${m[3] ?? '0'}`;
  if (m[4] !== undefined) c += `-${m[4]}`;
  if (m[5] === 'incompatible') c += '+incompatible';
  return c;
}

/** pathMajor returns the major-version suffix of a module path: `/v2`, `.v3` (gopkg.in) or ''. */
export function pathMajor(path: string): string {
  if (path.startsWith('gopkg.in/')) {
    const m = /\.v(\d+)(-unstable)?$/.exec(path);
    return m ? m[0] : '';
  }
  const m = /\/v([2-9]|[1-9]\d+)$/.exec(path);
  return m ? m[0] : '';
}

/**
 * versionProblem explains what is wrong with `version` as a version of module `path`, with what to
 * write instead, or returns undefined when it is a valid canonical version for that path.
 */
export function versionProblem(path: string, version: string): string | undefined {
  if (!isSemver(version)) {
    if (/^\d/.test(version) && isSemver(`v${version}`)) return `version "${version}" needs a leading v: write ${canonicalVersion(`v${version}`)}`;
    return `invalid version "${version}": write a semantic version such as v1.2.3`;
  }
  const canon = canonicalVersion(version);
  if (canon !== version) return `version "${version}" is not canonical: write ${canon}`;
  const major = /^v(\d+)/.exec(version)![1]!;
  const suffix = pathMajor(path);
  const incompatible = version.endsWith('+incompatible');
  if (suffix === '') {
    if (incompatible) {
      if (major === '0' || major === '1') return `version "${version}": +incompatible is only for major versions v2 and above; write ${version.replace('+incompatible', '')}`;
      return undefined;
    }
    if (major !== '0' && major !== '1') {
      return `version "${version}" has major v${major} but ${path} has no /v${major} suffix: write ${path}/v${major} ${version}, or a v0/v1 version`;
    }
    return undefined;
  }
  const want = suffix.replace(/^[./]v/, '').replace('-unstable', '');
  if (incompatible) return `version "${version}": +incompatible is not allowed for ${path}, which has a major suffix; write a v${want} version`;
  if (suffix.startsWith('.v')) {
    // gopkg.in/x.v1 also accepts v0 versions, as the go command does.
    if (major === want || (want === '1' && major === '0')) return undefined;
  } else if (major === want) {
    return undefined;
  }
  return `version "${version}" does not match the major suffix ${suffix} of ${path}: write a v${want} version (v${want}.x.y)`;
}

/** pathProblem explains why `path` cannot be a module path, or returns undefined. */
export function pathProblem(path: string): string | undefined {
  if (path === '') return 'empty module path';
  if (/[\s"'`\\@]/.test(path)) return `module path "${path}" contains a character that cannot appear in a module path`;
  if (path.startsWith('/') || path.endsWith('/') || path.includes('//')) return `module path "${path}" has an empty path element`;
  if (path.startsWith('.')) return `"${path}" is a directory, not a module path`;
  return undefined;
}

const GO_VERSION = /^([1-9]\d*)\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:(rc|beta)([1-9]\d*))?$/;

/** goVersionProblem checks a `go` line value such as 1.22 or 1.22.3. */
export function goVersionProblem(v: string): string | undefined {
  if (GO_VERSION.test(v)) return undefined;
  if (v.startsWith('go') && GO_VERSION.test(v.slice(2))) return `invalid go version "${v}": write ${v.slice(2)} (without the go prefix)`;
  return `invalid go version "${v}": write a Go release such as 1.22 or 1.22.3`;
}

/** toolchainProblem checks a `toolchain` line value such as go1.22.3. */
export function toolchainProblem(v: string): string | undefined {
  if (v === 'default') return undefined;
  if (v.startsWith('go') && GO_VERSION.test(v.slice(2).replace(/-.*$/, ''))) return undefined;
  if (GO_VERSION.test(v)) return `invalid toolchain "${v}": write go${v}`;
  return `invalid toolchain "${v}": write a toolchain name such as go1.22.3`;
}
