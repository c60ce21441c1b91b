import { strict as assert } from 'node:assert';
import { compileIgnore, patternToRegExp } from '../../src/engine/ignore.ts';

describe('engine/ignore', () => {
  it('matches a directory and everything below it', () => {
    const ignored = compileIgnore(['legacy']);
    assert.equal(ignored('legacy/go.mod'), true);
    assert.equal(ignored('legacy/a/b/go.mod'), true);
    assert.equal(ignored('legacy2/go.mod'), false);
    assert.equal(ignored('svc/legacy/go.mod'), false);
  });

  it('accepts ./ prefixes, trailing slashes and backslashes', () => {
    const ignored = compileIgnore(['./tools/', 'gen\\out']);
    assert.equal(ignored('tools/x/go.mod'), true);
    assert.equal(ignored('gen/out/go.mod'), true);
    assert.equal(ignored('gen/other/go.mod'), false);
  });

  it('lets * match within one segment and ** across segments', () => {
    const one = compileIgnore(['svc/*/old']);
    assert.equal(one('svc/a/old/go.mod'), true);
    assert.equal(one('svc/a/b/old/go.mod'), false);
    const any = compileIgnore(['**/examples']);
    assert.equal(any('examples/go.mod'), true);
    assert.equal(any('a/b/examples/x/go.mod'), true);
    assert.equal(any('a/b/example/go.mod'), false);
    const q = compileIgnore(['v?']);
    assert.equal(q('v1/go.mod'), true);
    assert.equal(q('v10/go.mod'), false);
  });

  it('treats regular expression characters literally', () => {
    const ignored = compileIgnore(['a+b.(c)']);
    assert.equal(ignored('a+b.(c)/go.mod'), true);
    assert.equal(ignored('aab-(c)/go.mod'), false);
  });

  it('never matches with no patterns or only empty ones', () => {
    assert.equal(compileIgnore([])('go.mod'), false);
    assert.equal(compileIgnore(['', '.', './'])('go.mod'), false);
    assert.equal(patternToRegExp(''), undefined);
  });
});
