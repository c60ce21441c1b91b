import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAnchorLock } from '../../anchors/lock.ts';

const examples = fileURLToPath(new URL('../../anchors/examples/', import.meta.url));

function errorsOf(text: string): string[] {
  return parseAnchorLock(text, 'anchor.lock').errors.map((e) => `${e.line}:${e.column}: ${e.message}`);
}

describe('parseAnchorLock', () => {
  it('reads every directive, single and in blocks, with comments and positions', () => {
    const text = [
      '// header',
      'go 1.22',
      'toolchain go1.22.5',
      'anchor github.com/bytedance/basekit v1.12.0',
      'anchor (',
      '\tgoogle.golang.org/grpc v1.64.0 // owner: rpc-platform',
      '\tgolang.org/x/net v0.24.0',
      ')',
      'allow-replace github.com/foo/bar // any replacement of this module',
      'allow-replace github.com/foo/baz => ./third_party/baz',
      'allow-replace github.com/foo/fork => github.com/me/fork v1.4.1',
      'ban github.com/evil/lib // reason text shown to users',
      'ban (',
      '\tgithub.com/gin-gonic/gin v1.6.0 // CVE',
      ')',
      '',
    ].join('\n');
    const lock = parseAnchorLock(text, 'anchor.lock');
    assert.deepEqual(lock.errors, []);
    assert.equal(lock.go?.version, '1.22');
    assert.equal(lock.go?.line, 2);
    assert.equal(lock.toolchain?.name, 'go1.22.5');
    assert.deepEqual([...lock.anchors.values()].map((a) => [a.path, a.version, a.comment, a.line, a.column]), [
      ['github.com/bytedance/basekit', 'v1.12.0', '', 4, 8],
      ['google.golang.org/grpc', 'v1.64.0', 'owner: rpc-platform', 6, 2],
      ['golang.org/x/net', 'v0.24.0', '', 7, 2],
    ]);
    assert.deepEqual(lock.allowReplace.map((r) => [r.path, r.target, r.line]), [
      ['github.com/foo/bar', undefined, 9],
      ['github.com/foo/baz', { path: './third_party/baz', version: '' }, 10],
      ['github.com/foo/fork', { path: 'github.com/me/fork', version: 'v1.4.1' }, 11],
    ]);
    assert.deepEqual(lock.bans.map((b) => [b.path, b.version, b.reason]), [
      ['github.com/evil/lib', undefined, 'reason text shown to users'],
      ['github.com/gin-gonic/gin', 'v1.6.0', 'CVE'],
    ]);
    assert.equal(lock.text, text);
    assert.equal(lock.file, 'anchor.lock');
  });

  it('accepts an empty file and quoted paths', () => {
    assert.deepEqual(errorsOf(''), []);
    const lock = parseAnchorLock('anchor "example.com/x" v1.0.0\n', 'a.lock');
    assert.equal(lock.anchors.get('example.com/x')?.version, 'v1.0.0');
  });

  it('accepts pseudo-versions, prereleases, +incompatible and gopkg.in majors', () => {
    assert.deepEqual(errorsOf([
      'anchor google.golang.org/genproto v0.0.0-20240318140521-94a12d6c2237',
      'anchor example.com/a/v2 v2.0.0-rc.1',
      'anchor github.com/docker/docker v26.1.3+incompatible',
      'anchor gopkg.in/yaml.v3 v3.0.1',
      'anchor gopkg.in/check.v1 v1.0.0-20201130134442-10cb98267c6c',
    ].join('\n')), []);
  });

  it('reports each kind of error with its position and what to write instead', () => {
    const text = readFileSync(`${examples}invalid.lock`, 'utf8');
    assert.deepEqual(errorsOf(text), [
      '2:4: invalid go version "1.22.x": write a Go release such as 1.22 or 1.22.3',
      '3:27: version "1.2.3" needs a leading v: write v1.2.3',
      '4:30: version "v1.2.0" does not match the major suffix /v2 of github.com/foo/bar/v2: write a v2 version (v2.x.y)',
      '5:27: version "v1.2" is not canonical: write v1.2.0',
      '6:8: write the module path and version separated by a space: anchor github.com/foo/qux v1.0.0',
      '9:2: duplicate anchor for github.com/foo/dup (first at line 8): keep one pin per module',
      '11:1: unknown directive "pin": anchor.lock understands go, toolchain, anchor, allow-replace, ban (see anchors/README.md)',
      '12:15: usage: allow-replace module/path [=> target [version]] (a version of the replaced module is not supported; name the module only)',
      '13:46: a directory target takes no version: write allow-replace github.com/foo/y => ./vendor/y',
    ]);
  });

  it('refuses a path the go command would never require, which no pin, ban or allowance could match', () => {
    assert.deepEqual(errorsOf('anchor GOLANG.org/x/net v0.24.0\nban github.com/a/../b\nallow-replace x.y/con\nanchor github.com/a/b/v1 v1.0.0\n'), [
      '1:8: "GOLANG.org/x/net" is not a module path the go command accepts (invalid char "G" in first path element)',
      '2:5: "github.com/a/../b" is not a module path the go command accepts (invalid path element "..")',
      '3:15: "x.y/con" is not a module path the go command accepts ("con" disallowed as path element component on Windows)',
      '4:8: "github.com/a/b/v1" is not a module path the go command accepts (invalid version)',
    ]);
    // A ban of everything below a prefix, and a repository's own module named without a host, stay valid.
    assert.deepEqual(errorsOf('ban github.com/abandoned/...\nban evil.example/...\nallow-replace corp/libs/money => ../money\nanchor github.com/Azure/go-autorest v14.2.0+incompatible\n'), []);
  });

  it('reads a file that starts with a byte order mark as the same file without it, positions included', () => {
    const text = 'go 1.22\n\nanchor a.com/x v1.0.0\nanchor b.com/y vX\n';
    const plain = parseAnchorLock(text, 'anchor.lock');
    const marked = parseAnchorLock(`\ufeff${text}`, 'anchor.lock');
    assert.deepEqual([...marked.anchors.keys()], ['a.com/x']);
    assert.deepEqual(marked.errors, plain.errors);
    assert.deepEqual(marked.go && [marked.go.version, marked.go.line, marked.go.column], ['1.22', 1, 1]);
    assert.equal(marked.unparsed, undefined);
    // An entry's error is the entry's; a syntax error is the whole file's.
    assert.equal(plain.unparsed, undefined);
    assert.equal(parseAnchorLock('anchor a.com/x v1.0.0\nanchor "b\n', 'anchor.lock').unparsed, true);
  });

  it('keeps the valid entries around an error', () => {
    const lock = parseAnchorLock('anchor a.com/x v1.0.0\nanchor b.com/y vX\nanchor c.com/z v2.0.0+incompatible\n', 'anchor.lock');
    assert.deepEqual([...lock.anchors.keys()], ['a.com/x', 'c.com/z']);
    assert.equal(lock.errors.length, 1);
    assert.equal(lock.errors[0]!.line, 2);
  });

  it('rejects arity errors, major mismatches and contradictions', () => {
    assert.deepEqual(errorsOf('anchor a.com/x\n'), ['1:8: usage: anchor module/path v1.2.3']);
    assert.deepEqual(errorsOf('go\n'), ['1:1: usage: go 1.22']);
    assert.deepEqual(errorsOf('go 1.21\ngo 1.22\n'), ['2:1: repeated go line (first at line 1): keep one']);
    assert.deepEqual(errorsOf('go (\n\t1.22\n)\n'), ['1:1: "go (" cannot start a block: write go 1.22']);
    assert.deepEqual(errorsOf('anchor a.com/x v2.0.0\n'), ['1:16: version "v2.0.0" has major v2 but a.com/x has no /v2 suffix: write a.com/x/v2 v2.0.0, or a v0/v1 version']);
    assert.deepEqual(errorsOf('anchor a.com/x/v3 v3.0.0+incompatible\n'), ['1:19: version "v3.0.0+incompatible": +incompatible is not allowed for a.com/x/v3, which has a major suffix; write a v3 version']);
    assert.deepEqual(errorsOf('toolchain 1.22.3\n'), ['1:11: invalid toolchain "1.22.3": write go1.22.3']);
    assert.deepEqual(errorsOf('anchor a.com/x v1.0.0\nban a.com/x\n'), ['2:5: a.com/x is both anchored (line 1) and banned: remove the anchor or the ban']);
    assert.deepEqual(errorsOf('anchor a.com/x v1.0.0\nban a.com/x v0.9.0\n'), []);
    assert.deepEqual(errorsOf('ban a.com/x v1 v2\n'), ['1:5: usage: ban module/path [version] // reason']);
  });

  it('never throws on arbitrary input', () => {
    for (const text of ['anchor (', ')', '"', 'anchor "unterminated', '\u0000', 'anchor ( x )', '\ufeffgo 1.22\n', 'go 1.22\r\nanchor a.com/x v1.0.0\r\n']) {
      const lock = parseAnchorLock(text, 'anchor.lock');
      for (const e of lock.errors) {
        assert.equal(e.file, 'anchor.lock');
        assert.ok(e.line >= 1, JSON.stringify(e));
        assert.ok(e.message.length > 0);
      }
    }
  });

  it('parses the example lock files without errors', () => {
    for (const name of ['minimal.lock', 'platform.lock', 'synced.lock']) {
      const lock = parseAnchorLock(readFileSync(`${examples}${name}`, 'utf8'), name);
      assert.deepEqual(lock.errors, [], name);
      assert.ok(lock.anchors.size > 0, name);
    }
  });
});
