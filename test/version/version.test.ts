import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import semver from 'semver';
import {
  canonicalVersion, checkPathMajor, compareGoVersions, compareVersions, isIncompatible, isPseudoVersion, isValidGoVersion,
  isValidToolchain, isValidVersion, parseSemver, pathMajorOf, pseudoVersionParts, semverIsValid, splitPathVersion, versionMajor, checkModulePath,
} from '../../src/version/index.ts';

describe('module versions', () => {
  it('accepts Go semver with the v, shorthands, prereleases and +incompatible only as build metadata', () => {
    for (const v of ['v1.2.3', 'v1.2', 'v1', 'v0.0.0-20240101000000-abcdefabcdef', 'v2.0.0+incompatible', 'v1.2.3-rc.1']) {
      assert.ok(isValidVersion(v), v);
    }
    for (const v of ['1.2.3', 'v1.2.3+meta', 'v01.2.3', 'v1.2.3-01', 'v1.2-pre', 'v1.2.3.4', 'master', '', 'v', 'V1.2.3', 'v1.2.3-', 'v1.2.3+']) {
      assert.ok(!isValidVersion(v), v);
    }
    assert.ok(semverIsValid('v1.2.3+meta'), 'Go semver itself allows other build metadata');
  });

  it('canonicalizes as module.CanonicalVersion does', () => {
    assert.equal(canonicalVersion('v1.2'), 'v1.2.0');
    assert.equal(canonicalVersion('v1'), 'v1.0.0');
    assert.equal(canonicalVersion('v1.2.3+meta'), 'v1.2.3');
    assert.equal(canonicalVersion('v2.0.0+incompatible'), 'v2.0.0+incompatible');
    assert.equal(canonicalVersion('1.2.3'), '');
  });

  it('compares as Go semver: shorthand equals long form, build ignored, prerelease first, invalid lowest', () => {
    assert.equal(compareVersions('v1.2', 'v1.2.0'), 0);
    assert.equal(compareVersions('v2.0.0+incompatible', 'v2.0.0'), 0);
    assert.equal(compareVersions('v1.2.3-0.20240101000000-abcdefabcdef', 'v1.2.3'), -1);
    assert.equal(compareVersions('v1.10.0', 'v1.9.0'), 1);
    assert.equal(compareVersions('v1.0.0-alpha.10', 'v1.0.0-alpha.9'), 1);
    assert.equal(compareVersions('v1.0.0-alpha', 'v1.0.0-alpha.1'), -1);
    assert.equal(compareVersions('v1.0.0-1', 'v1.0.0-a'), -1);
    assert.equal(compareVersions('bad', 'v0.0.1'), -1);
    assert.equal(compareVersions('bad', 'worse'), 0);
  });

  it('orders full versions exactly as npm semver does', () => {
    const num = fc.oneof(fc.constantFrom(0, 1, 2, 10), fc.nat({ max: 30 }));
    const ident = fc.oneof(fc.constantFrom('alpha', 'beta', 'rc', '0', '1', '11', 'x-y'), fc.nat({ max: 20 }).map(String));
    const version = fc.tuple(num, num, num, fc.array(ident, { maxLength: 3 })).map(([a, b, c, pre]) => `${a}.${b}.${c}${pre.length ? '-' + pre.join('.') : ''}`);
    fc.assert(fc.property(version, version, (x, y) => {
      assert.equal(compareVersions('v' + x, 'v' + y), semver.compare(x, y), `${x} vs ${y}`);
    }), { numRuns: 2000 });
  });

  it('gives the major version', () => {
    assert.equal(versionMajor('v2.3.4'), 'v2');
    assert.equal(versionMajor('v0.1'), 'v0');
    assert.equal(versionMajor('nope'), '');
  });

  it('detects pseudo-versions and splits them as x/mod does', () => {
    assert.deepEqual(pseudoVersionParts('v0.0.0-20191109021931-daa7c04131f5'), {
      base: '', timestamp: '20191109021931', revision: 'daa7c04131f5', prefix: 'v0.0.0', build: '',
    });
    assert.deepEqual(pseudoVersionParts('v1.2.4-0.20191109021931-daa7c04131f5'), {
      base: 'v1.2.3', timestamp: '20191109021931', revision: 'daa7c04131f5', prefix: 'v1.2.4-0', build: '',
    });
    assert.deepEqual(pseudoVersionParts('v1.2.3-pre.0.20191109021931-daa7c04131f5+incompatible'), {
      base: 'v1.2.3-pre+incompatible', timestamp: '20191109021931', revision: 'daa7c04131f5', prefix: 'v1.2.3-pre.0', build: '+incompatible',
    });
    assert.equal(pseudoVersionParts('v1.2.10-0.20191109021931-daa7c04131f5')?.base, 'v1.2.9');
    // A patch of 0 cannot follow a tag: a pseudo-version by syntax, but without a valid base.
    assert.ok(isPseudoVersion('v1.3.0-0.20191109021931-daa7c04131f5'));
    assert.equal(pseudoVersionParts('v1.3.0-0.20191109021931-daa7c04131f5'), undefined);
    for (const v of ['v1.2.3', 'v1.2.3-pre', 'v0.0.0-2019110902193-daa7c04131f5', 'v1.2.3-20191109021931-daa7c04131f5']) {
      assert.ok(!isPseudoVersion(v), v);
      assert.equal(pseudoVersionParts(v), undefined);
    }
  });

  it('recognizes +incompatible', () => {
    assert.ok(isIncompatible('v2.0.0+incompatible'));
    assert.ok(!isIncompatible('v2.0.0'));
  });
});

describe('path major versions', () => {
  it('splits /vN and gopkg.in .vN suffixes as module.SplitPathVersion does', () => {
    assert.deepEqual(splitPathVersion('github.com/a/b/v2'), { prefix: 'github.com/a/b', pathMajor: '/v2', ok: true });
    assert.deepEqual(splitPathVersion('github.com/a/b'), { prefix: 'github.com/a/b', pathMajor: '', ok: true });
    assert.deepEqual(splitPathVersion('gopkg.in/yaml.v3'), { prefix: 'gopkg.in/yaml', pathMajor: '.v3', ok: true });
    assert.deepEqual(splitPathVersion('gopkg.in/yaml.v0'), { prefix: 'gopkg.in/yaml', pathMajor: '.v0', ok: true });
    assert.deepEqual(splitPathVersion('gopkg.in/check.v1-unstable'), { prefix: 'gopkg.in/check', pathMajor: '.v1-unstable', ok: true });
    for (const bad of ['github.com/a/b/v1', 'github.com/a/b/v0', 'github.com/a/b/v2.1', 'github.com/a/b/v02', 'gopkg.in/yaml']) {
      assert.equal(splitPathVersion(bad).ok, false, bad);
    }
  });

  it('checks a version against a path major with x/mod messages', () => {
    assert.equal(checkPathMajor('v2.1.0', '/v2'), undefined);
    assert.equal(checkPathMajor('v3.0.0', '/v2'), 'version "v3.0.0" invalid: should be v2, not v3');
    assert.equal(checkPathMajor('v2.0.0', ''), 'version "v2.0.0" invalid: should be v0 or v1, not v2');
    assert.equal(checkPathMajor('v2.0.0+incompatible', ''), undefined);
    assert.equal(checkPathMajor('v3.0.1', '.v3'), undefined);
    assert.equal(checkPathMajor('v0.0.0-20161208181325-20d25e280405', '.v1'), undefined);
  });

  it('names the major a module path selects', () => {
    assert.equal(pathMajorOf('github.com/a/b'), 'v1');
    assert.equal(pathMajorOf('github.com/a/b/v5'), 'v5');
    assert.equal(pathMajorOf('gopkg.in/yaml.v2'), 'v2');
  });
});

describe('module paths (module.CheckPath)', () => {
  it('accepts what x/mod accepts as a module path', () => {
    for (const p of ['x.y/z', 'x.y', 'github.com/a/b', 'github.com/Azure/azure-sdk', 'gopkg.in/yaml.v2', 'gopkg.in/check.v1', 'example.com/a/v2',
      'a.b/x~y', 'a.b/x_y', 'a.b/x-y.z', 'k8s.io/client-go', 'go.opentelemetry.io/otel/sdk/v2', 'a.b/com10', 'a.b/conx']) {
      assert.equal(checkModulePath(p), undefined, p);
    }
  });

  it('refuses what x/mod refuses, with its reason', () => {
    const cases: Array<[string, string]> = [
      ['', 'empty string'], ['-x.y/z', 'leading dash'], ['x.y//z', 'double slash'], ['x.y/z/', 'trailing slash'], ['/x.y', 'leading slash'],
      ['x.y/./z', 'invalid path element "."'], ['x.y/../z', 'invalid path element ".."'], ['x.y/.z', 'leading dot in path element'],
      ['x.y/z.', 'trailing dot in path element'], ['x.y/z z', 'invalid char " "'], ['x.y/é', 'invalid char "é"'], ['x.y/a+b', 'invalid char "+"'],
      ['X.y/z', 'invalid char "X" in first path element'], ['GOLANG.org/x/net', 'invalid char "G" in first path element'], ['x_y.com/z', 'invalid char "_" in first path element'],
      ['x.y/con', '"con" disallowed as path element component on Windows'], ['x.y/COM1.txt', '"COM1" disallowed as path element component on Windows'],
      ['x.y/z/v1', 'invalid version'], ['x.y/z/v0', 'invalid version'], ['gopkg.in/yaml', 'invalid version'], ['x.y/z/v2.1', 'invalid version'],
    ];
    for (const [p, why] of cases) assert.equal(checkModulePath(p), why, p);
  });

  it('allows a first element without a dot (a repository\'s own modules may be named so)', () => {
    assert.equal(checkModulePath('corp/libs/money'), undefined);
    assert.equal(checkModulePath('Corp/libs'), undefined);
    assert.equal(checkModulePath('corp/libs/v1'), 'invalid version');
  });
});

describe('Go language and toolchain versions', () => {
  it('accepts what go and toolchain directives accept', () => {
    for (const v of ['1.21', '1.21.0', '1.21rc1', '1.2beta1', '1.22.333']) assert.ok(isValidGoVersion(v), v);
    for (const v of ['1', 'v1.21', '1.21.0rc1x', '1.2.beta1', '01.2', 'go1.21']) assert.ok(!isValidGoVersion(v), v);
    for (const t of ['go1.21', 'go1.21.0', 'go1.21rc1-gccgo', 'go1.21.0-custom', 'default']) assert.ok(isValidToolchain(t), t);
    for (const t of ['1.21.0', 'go2', 'local', 'inconceivable!']) assert.ok(!isValidToolchain(t), t);
  });

  it('orders language versions, release candidates and releases as the go command does', () => {
    const ordered = ['1.19', '1.20rc1', '1.20', '1.20.1', '1.21', '1.21rc1', '1.21rc2', '1.21.0', '1.21.3', '1.22beta1', '1.22rc1', '1.22.0'];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        assert.equal(compareGoVersions(ordered[i]!, ordered[j]!), Math.sign(i - j), `${ordered[i]} vs ${ordered[j]}`);
      }
    }
    assert.equal(compareGoVersions('1.20', '1.20.0'), 0);
    assert.equal(compareGoVersions('go1.21.3', '1.21.3'), 0);
    assert.equal(compareGoVersions('go1.21.3-gccgo', 'go1.21.4'), -1);
  });
});

describe('parseSemver kept parses', () => {
  it('gives a version text the same parse every time, past the number of parses it keeps and for texts too long to keep', () => {
    const fresh = (i: number) => `v1.${i}.0-pre.${i % 7}+b${i}`;
    const first = parseSemver(fresh(3));
    assert.deepEqual(first, { major: '1', minor: '3', patch: '0', short: '', prerelease: '-pre.3', build: '+b3' });
    assert.equal(parseSemver(fresh(3)), first, 'the kept parse');
    // More distinct texts than are kept: each still parses as it did.
    for (let i = 0; i < 70_000; i++) {
      const p = parseSemver(fresh(i))!;
      assert.ok(p.minor === String(i) && p.prerelease === `-pre.${i % 7}` && p.build === `+b${i}`, fresh(i));
    }
    assert.deepEqual(parseSemver(fresh(3)), first);
    const long = `v1.2.3-${'a'.repeat(200)}`;
    assert.equal(parseSemver(long)?.prerelease, `-${'a'.repeat(200)}`);
    assert.equal(parseSemver('v1.02.3'), undefined);
    assert.equal(parseSemver('v1.02.3'), undefined);
  });
});
