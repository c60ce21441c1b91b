import { strict as assert } from 'node:assert';
import { reporters } from '../../src/reporters/index.ts';
import { OPTIONS, empty, hostile, sample } from './fixtures.ts';

describe('reporters/junit', () => {
  it('writes one testsuite per rule, a failure per error or warning, info as output', () => {
    assert.equal(reporters.junit(sample(), OPTIONS), [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="modguard" tests="4" failures="3" errors="0">',
      '  <testsuite name="anchor-mismatch" tests="2" failures="2" errors="0" skipped="0">',
      '    <testcase classname="anchor-mismatch" name="svc/a/go.mod:5:2 golang.org/x/net" file="svc/a/go.mod" line="5">',
      '      <failure message="golang.org/x/net v0.20.0 is pinned to v0.24.0" type="error">svc/a/go.mod:5:2: error anchor-mismatch: golang.org/x/net v0.20.0 is pinned to v0.24.0</failure>',
      '    </testcase>',
      '    <testcase classname="anchor-mismatch" name="svc/a/go.mod:12:2 google.golang.org/grpc" file="svc/a/go.mod" line="12">',
      '      <failure message="google.golang.org/grpc v1.60.0 is pinned to v1.64.0" type="error">svc/a/go.mod:12:2: error anchor-mismatch: google.golang.org/grpc v1.60.0 is pinned to v1.64.0</failure>',
      '    </testcase>',
      '  </testsuite>',
      '  <testsuite name="go-version-drift" tests="1" failures="1" errors="0" skipped="0">',
      '    <testcase classname="go-version-drift" name="svc/b/go.mod:3:1" file="svc/b/go.mod" line="3">',
      '      <failure message="go 1.21 differs from the anchor.lock go 1.22" type="warning">svc/b/go.mod:3:1: warning go-version-drift: go 1.21 differs from the anchor.lock go 1.22</failure>',
      '    </testcase>',
      '  </testsuite>',
      '  <testsuite name="version-divergence" tests="1" failures="0" errors="0" skipped="0">',
      '    <testcase classname="version-divergence" name="svc/b/go.mod:7:2 github.com/x/y" file="svc/b/go.mod" line="7">',
      '      <system-out>svc/b/go.mod:7:2: info version-divergence: github.com/x/y is required at 2 versions</system-out>',
      '    </testcase>',
      '  </testsuite>',
      '</testsuites>',
      '',
    ].join('\n'));
  });

  it('shows every rule that ran as a passing testcase on a clean run', () => {
    assert.equal(reporters.junit(empty(), OPTIONS), [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="modguard" tests="3" failures="0" errors="0">',
      '  <testsuite name="anchor-mismatch" tests="1" failures="0" errors="0" skipped="0">',
      '    <testcase classname="anchor-mismatch" name="anchor-mismatch: no findings"/>',
      '  </testsuite>',
      '  <testsuite name="go-version-drift" tests="1" failures="0" errors="0" skipped="0">',
      '    <testcase classname="go-version-drift" name="go-version-drift: no findings"/>',
      '  </testsuite>',
      '  <testsuite name="version-divergence" tests="1" failures="0" errors="0" skipped="0">',
      '    <testcase classname="version-divergence" name="version-divergence: no findings"/>',
      '  </testsuite>',
      '</testsuites>',
      '',
    ].join('\n'));
    assert.equal(reporters.junit(empty(), { ...OPTIONS, rules: [] }), [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="modguard" tests="0" failures="0" errors="0">',
      '</testsuites>',
      '',
    ].join('\n'));
  });

  it('shows a rule that did not run as a skipped testcase saying why, not as passed', () => {
    const out = reporters.junit({ ...empty(), skipped: { 'go-version-drift': 'set to off in the configuration' } }, OPTIONS);
    assert.match(out, /<testsuites name="modguard" tests="3" failures="0" errors="0" skipped="1">/);
    assert.match(out, new RegExp([
      '  <testsuite name="go-version-drift" tests="1" failures="0" errors="0" skipped="1">',
      '    <testcase classname="go-version-drift" name="go-version-drift: not run">',
      '      <skipped message="set to off in the configuration"/>',
      '    </testcase>',
      '  </testsuite>',
    ].join('\n')));
    assert.match(out, /name="anchor-mismatch: no findings"/);
  });

  it('escapes markup and writes characters XML cannot carry as visible escapes', () => {
    const out = reporters.junit(hostile(), { ...OPTIONS, rules: [] });
    const lines = out.split('\n');
    assert.equal(lines[3], '    <testcase classname="anchor-mismatch" name="dir,with:odd/go.mod:2:3 ex.com/a" file="dir,with:odd/go.mod" line="2">');
    assert.equal(lines[4], '      <failure message="bad | `tick` &lt;b&gt;&amp;amp; 100% a:b,c&#13;&#10;second line\\u0000\\u001B[31m\\uD800" type="error">'
      + 'dir,with:odd/go.mod:2:3: error anchor-mismatch: bad | `tick` &lt;b&gt;&amp;amp; 100% a:b,c&#13;');
    assert.equal(lines[5], 'second line\\u0000\\u001B[31m\\uD800</failure>');
    // Nothing outside the XML 1.0 character range, and every & starts an entity.
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(out, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/);
    assert.doesNotMatch(out, /&(?!(amp|lt|gt|quot|apos|#\d+);)/);
  });
});
