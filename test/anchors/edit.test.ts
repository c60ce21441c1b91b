import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { checkModulePath } from '../../src/version/index.ts';
import { parseAnchorLock } from '../../anchors/lock.ts';
import { removeAnchor, setAnchor, writeAnchorLock } from '../../anchors/edit.ts';

const platform = readFileSync(fileURLToPath(new URL('../../anchors/examples/platform.lock', import.meta.url)), 'utf8');

describe('setAnchor', () => {
  it('moves an existing pin by changing only its version token', () => {
    const after = setAnchor(platform, 'anchor.lock', 'google.golang.org/grpc', 'v1.65.0');
    assert.equal(after, platform.replace('google.golang.org/grpc v1.64.0', 'google.golang.org/grpc v1.65.0'));
    const single = setAnchor(platform, 'anchor.lock', 'github.com/bytedance/basekit', 'v1.13.0');
    assert.equal(single, platform.replace('basekit v1.12.0', 'basekit v1.13.0'));
  });

  it('is a no-op when the pin is already there', () => {
    assert.equal(setAnchor(platform, 'anchor.lock', 'golang.org/x/net', 'v0.24.0'), platform);
  });

  it('replaces, adds or clears the end-of-line comment when a reason is given', () => {
    assert.equal(setAnchor(platform, 'anchor.lock', 'google.golang.org/grpc', 'v1.64.0', 'owner: rpc'),
      platform.replace('v1.64.0 // owner: rpc-platform', 'v1.64.0 // owner: rpc'));
    assert.equal(setAnchor(platform, 'anchor.lock', 'golang.org/x/net', 'v0.25.0', 'CVE-2024-1'),
      platform.replace('golang.org/x/net v0.24.0', 'golang.org/x/net v0.25.0 // CVE-2024-1'));
    assert.equal(setAnchor(platform, 'anchor.lock', 'google.golang.org/grpc', 'v1.64.0', ''),
      platform.replace('v1.64.0 // owner: rpc-platform', 'v1.64.0'));
  });

  it('adds a new pin at the end of the last anchor block when the block is not sorted', () => {
    const after = setAnchor(platform, 'anchor.lock', 'example.com/new', 'v1.0.0', 'why');
    assert.equal(after, platform.replace('\tgithub.com/cenkalti/backoff/v4 v4.3.0\n)', '\tgithub.com/cenkalti/backoff/v4 v4.3.0\n\texample.com/new v1.0.0 // why\n)'));
    assert.equal(parseAnchorLock(after, 'anchor.lock').anchors.get('example.com/new')?.comment, 'why');
  });

  it('adds in order into a sorted block, before the comments of the next line', () => {
    const text = 'anchor (\n\ta.com/x v1.0.0\n\t// c is special\n\tc.com/x v1.0.0\n)\n';
    assert.equal(setAnchor(text, 'anchor.lock', 'b.com/x', 'v2.0.0+incompatible'),
      'anchor (\n\ta.com/x v1.0.0\n\tb.com/x v2.0.0+incompatible\n\t// c is special\n\tc.com/x v1.0.0\n)\n');
    assert.equal(setAnchor(text, 'anchor.lock', 'd.com/x', 'v1.0.0'),
      'anchor (\n\ta.com/x v1.0.0\n\t// c is special\n\tc.com/x v1.0.0\n\td.com/x v1.0.0\n)\n');
  });

  it('keeps the indentation of the block', () => {
    const text = 'anchor (\n    a.com/x v1.0.0\n)\n';
    assert.equal(setAnchor(text, 'f', 'b.com/x', 'v1.0.0'), 'anchor (\n    a.com/x v1.0.0\n    b.com/x v1.0.0\n)\n');
  });

  it('adds after the last single anchor line, or after go, or at the end', () => {
    assert.equal(setAnchor('go 1.22\nanchor a.com/x v1.0.0 // n\n\nban z.com/y\n', 'f', 'b.com/x', 'v1.0.0'),
      'go 1.22\nanchor a.com/x v1.0.0 // n\nanchor b.com/x v1.0.0\n\nban z.com/y\n');
    assert.equal(setAnchor('// head\ngo 1.22\nban z.com/y\n', 'f', 'b.com/x', 'v1.0.0'), '// head\ngo 1.22\n\nanchor b.com/x v1.0.0\nban z.com/y\n');
    assert.equal(setAnchor('', 'f', 'b.com/x', 'v1.0.0', 'r'), 'anchor b.com/x v1.0.0 // r\n');
    assert.equal(setAnchor('// only a comment', 'f', 'b.com/x', 'v1.0.0'), '// only a comment\n\nanchor b.com/x v1.0.0\n');
  });

  it('keeps CRLF line endings', () => {
    const text = 'go 1.22\r\nanchor a.com/x v1.0.0\r\n';
    assert.equal(setAnchor(text, 'f', 'b.com/x', 'v1.0.0'), 'go 1.22\r\nanchor a.com/x v1.0.0\r\nanchor b.com/x v1.0.0\r\n');
  });

  it('fixes an invalid pin in place and removes later duplicates', () => {
    const text = 'anchor (\n\ta.com/x v1.0\n\tb.com/y v1.0.0\n\ta.com/x v1.1.0\n)\n';
    assert.equal(setAnchor(text, 'f', 'a.com/x', 'v1.2.0'), 'anchor (\n\ta.com/x v1.2.0\n\tb.com/y v1.0.0\n)\n');
  });

  it('refuses an invalid version or path and an unparsable file', () => {
    assert.throws(() => setAnchor('', 'f', 'a.com/x', 'v1.2'), /not canonical: write v1.2.0/);
    assert.throws(() => setAnchor('', 'f', 'a.com/x/v2', 'v1.2.0'), /major suffix/);
    assert.throws(() => setAnchor('anchor (\n', 'anchor.lock', 'a.com/x', 'v1.2.0'), /anchor\.lock:/);
  });
});

describe('removeAnchor', () => {
  it('removes a block line with the comments above it and leaves the rest byte-identical', () => {
    const text = 'anchor (\n\ta.com/x v1.0.0\n\t// why b\n\tb.com/x v1.0.0 // note\n\tc.com/x v1.0.0\n)\n';
    assert.equal(removeAnchor(text, 'f', 'b.com/x'), 'anchor (\n\ta.com/x v1.0.0\n\tc.com/x v1.0.0\n)\n');
  });

  it('removes a block that becomes empty, and single lines', () => {
    assert.equal(removeAnchor('go 1.22\n\nanchor (\n\ta.com/x v1.0.0\n)\n\nban b.com/y\n', 'f', 'a.com/x'), 'go 1.22\n\nban b.com/y\n');
    assert.equal(removeAnchor('go 1.22\nanchor a.com/x v1.0.0 // n\nban b.com/y\n', 'f', 'a.com/x'), 'go 1.22\nban b.com/y\n');
  });

  it('returns the text unchanged for a module that is not pinned', () => {
    assert.equal(removeAnchor(platform, 'f', 'nope.com/x'), platform);
  });

  it('round-trips with setAnchor (property)', () => {
    const seg = fc.stringMatching(/^[a-z]{1,6}$/);
    // Module paths the go command accepts (a generated `aux` or `con` is a name Windows reserves).
    const path = fc.tuple(seg, seg).map(([a, b]) => `${a}.com/${b}`).filter((p) => checkModulePath(p) === undefined);
    const version = fc.tuple(fc.nat(3), fc.nat(20), fc.nat(20)).map(([a, b, c]) => `v${a > 1 ? 1 : a}.${b}.${c}`);
    fc.assert(fc.property(fc.array(fc.tuple(path, version)), path, version, (pins, p, v) => {
      let text = 'go 1.22\n';
      for (const [pp, vv] of pins) text = setAnchor(text, 'f', pp, vv);
      const lock = parseAnchorLock(text, 'f');
      assert.deepEqual(lock.errors, []);
      const withP = setAnchor(text, 'f', p, v);
      assert.equal(parseAnchorLock(withP, 'f').anchors.get(p)?.version, v);
      const without = removeAnchor(withP, 'f', p);
      assert.equal(parseAnchorLock(without, 'f').anchors.has(p), false);
      assert.equal(parseAnchorLock(without, 'f').anchors.size, new Set([...lock.anchors.keys()].filter((k) => k !== p)).size);
    }), { numRuns: 150 });
  });
});

describe('setAnchor at the end of a block', () => {
  it('adds after the last line, before the comments that close the block, which rm then leaves alone', () => {
    const text = 'anchor (\n\tgolang.org/x/net v0.24.0\n\t// TODO: pin golang.org/x/crypto once #123 lands\n)\n';
    const set = setAnchor(text, 'anchor.lock', 'golang.org/x/sys', 'v0.20.0');
    assert.equal(set, 'anchor (\n\tgolang.org/x/net v0.24.0\n\tgolang.org/x/sys v0.20.0\n\t// TODO: pin golang.org/x/crypto once #123 lands\n)\n');
    assert.equal(removeAnchor(set, 'anchor.lock', 'golang.org/x/sys'), text);
  });
});

describe('anchor.lock edits and a byte order mark', () => {
  it('edit the text after the mark and keep it, as the lock is read', () => {
    const text = '\uFEFFgo 1.22\n\nanchor golang.org/x/net v0.24.0\n';
    const set = setAnchor(text, 'anchor.lock', 'golang.org/x/sys', 'v0.20.0');
    assert.ok(set.startsWith('\uFEFFgo 1.22\n'));
    assert.deepEqual([...parseAnchorLock(set, 'anchor.lock').anchors.keys()], ['golang.org/x/net', 'golang.org/x/sys']);
    assert.equal(setAnchor(text, 'anchor.lock', 'golang.org/x/net', 'v0.25.0'), text.replace('v0.24.0', 'v0.25.0'));
    assert.equal(removeAnchor(text, 'anchor.lock', 'golang.org/x/net'), `\uFEFF${removeAnchor(text.slice(1), 'anchor.lock', 'golang.org/x/net')}`);
    assert.equal(parseAnchorLock(removeAnchor(text, 'anchor.lock', 'golang.org/x/net'), 'anchor.lock').anchors.size, 0);
  });
});

describe('writeAnchorLock', () => {
  it('prints a lock file that parses back to the same data', () => {
    const text = writeAnchorLock({
      header: ['Versions every module must use.'],
      go: '1.22',
      anchors: [{ path: 'a.com/x', version: 'v1.0.0', comment: 'used by 3 modules' }, { path: 'b.com/y/v2', version: 'v2.1.0' }],
      allowReplace: [{ path: 'c.com/z' }, { path: 'd.com/w', target: { path: './third_party/w' } }],
      bans: [{ path: 'e.com/bad', reason: 'use f.com/good' }],
    });
    assert.equal(text, [
      '// Versions every module must use.',
      'go 1.22',
      '',
      'anchor (',
      '\ta.com/x v1.0.0 // used by 3 modules',
      '\tb.com/y/v2 v2.1.0',
      ')',
      '',
      'allow-replace (',
      '\tc.com/z',
      '\td.com/w => ./third_party/w',
      ')',
      '',
      'ban e.com/bad // use f.com/good',
      '',
    ].join('\n'));
    const lock = parseAnchorLock(text, 'anchor.lock');
    assert.deepEqual(lock.errors, []);
    assert.equal(lock.anchors.get('a.com/x')?.comment, 'used by 3 modules');
    assert.equal(lock.bans[0]!.reason, 'use f.com/good');
  });

  it('prints an empty lock as an empty file', () => {
    assert.equal(writeAnchorLock({ anchors: [] }), '');
  });
});
