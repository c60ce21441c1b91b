// The Go version rules anchor.lock needs, decided by the shared version layer (x/mod's semantics)
// and phrased here as advice for the person editing the file.
import {
  canonicalVersion, checkModulePath, checkPathMajor, isValidGoVersion, isValidToolchain, isValidVersion, semverIsValid,
  splitPathVersion, versionMajor,
} from '../src/version/index.ts';

/**
 * versionProblem explains what is wrong with `version` as a version of module `path`, with what to
 * write instead, or returns undefined when it is a valid canonical version for that path.
 */
export function versionProblem(path: string, version: string): string | undefined {
  if (!isValidVersion(version)) {
    if (/^\d/.test(version) && isValidVersion(`v${version}`)) return `version "${version}" needs a leading v: write ${canonicalVersion(`v${version}`)}`;
    if (semverIsValid(version)) return `version "${version}" has build metadata Go does not keep: write ${canonicalVersion(version)}`;
    return `invalid version "${version}": write a semantic version such as v1.2.3`;
  }
  const canon = canonicalVersion(version);
  if (canon !== version) return `version "${version}" is not canonical: write ${canon}`;
  const { pathMajor, ok } = splitPathVersion(path);
  if (!ok) return `module path "${path}" has an invalid major version suffix: use /v2 and above (gopkg.in: .vN)`;
  const problem = checkPathMajor(version, pathMajor);
  if (problem === undefined) {
    if (version.endsWith('+incompatible')) {
      const major = versionMajor(version);
      if (pathMajor !== '') return `version "${version}": +incompatible is not allowed for ${path}, which has a major suffix; write a ${pathMajor.replace(/^[./]/, '').replace('-unstable', '')} version`;
      if (major === 'v0' || major === 'v1') return `version "${version}": +incompatible is only for major versions v2 and above; write ${version.replace('+incompatible', '')}`;
    }
    return undefined;
  }
  const major = versionMajor(version);
  if (pathMajor === '') {
    return `version "${version}" has major ${major} but ${path} has no /${major} suffix: write ${path}/${major} ${version}, or a v0/v1 version`;
  }
  if (version.endsWith('+incompatible')) {
    const want = pathMajor.replace(/^[./]/, '').replace('-unstable', '');
    return `version "${version}": +incompatible is not allowed for ${path}, which has a major suffix; write a ${want} version`;
  }
  const want = pathMajor.replace(/^[./]/, '').replace('-unstable', '');
  return `version "${version}" does not match the major suffix ${pathMajor} of ${path}: write a ${want} version (${want}.x.y)`;
}

/** pathProblem explains why `path` cannot be a module path, or returns undefined. */
export function pathProblem(path: string): string | undefined {
  if (path === '') return 'empty module path';
  if (/[\s"'`\\@]/.test(path)) return `module path "${path}" contains a character that cannot appear in a module path`;
  if (path.startsWith('/') || path.endsWith('/') || path.includes('//')) return `module path "${path}" has an empty path element`;
  if (path.startsWith('.')) return `"${path}" is a directory, not a module path`;
  // What the go command refuses as a module path can never be required, so a pin of it would never
  // apply (an upper-case host name, say): said, with x/mod's reason.
  const why = checkModulePath(path);
  if (why !== undefined) return `"${path}" is not a module path the go command accepts (${why})`;
  return undefined;
}

/** goVersionProblem checks a `go` line value such as 1.22 or 1.22.3. */
export function goVersionProblem(v: string): string | undefined {
  if (isValidGoVersion(v)) return undefined;
  if (v.startsWith('go') && isValidGoVersion(v.slice(2))) return `invalid go version "${v}": write ${v.slice(2)} (without the go prefix)`;
  return `invalid go version "${v}": write a Go release such as 1.22 or 1.22.3`;
}

/** toolchainProblem checks a `toolchain` line value such as go1.22.3. */
export function toolchainProblem(v: string): string | undefined {
  if (isValidToolchain(v)) return undefined;
  if (isValidGoVersion(v)) return `invalid toolchain "${v}": write go${v}`;
  return `invalid toolchain "${v}": write a toolchain name such as go1.22.3`;
}
