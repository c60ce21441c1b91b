import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { compileIgnore } from '../../src/engine/ignore.ts';

/**
 * reference is a pattern as a regular expression over `/` + the path (the tests' small inputs
 * cannot make it backtrack for long): each segment with the `/` before it, a `**` segment any
 * number of whole segments (none too), `*` and `?` within one segment.
 */
function reference(pattern: string): RegExp | undefined {
  let p = pattern.trim().replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  if (p.startsWith('/')) p = p.slice(1);
  while (p.endsWith('/')) p = p.slice(0, -1);
  if (p === '' || p === '.') return undefined;
  const seg = (part: string) => part.replace(/\*+/g, '*').split('').map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${p.split('/').map((part) => (part === '**' ? '(?:/[^/]+)*' : `/${seg(part)}`)).join('')}$`);
}

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

  it('matches in time of the pattern times the path, where a regular expression would backtrack for minutes', () => {
    const deep = `${Array.from({ length: 30 }, (_, i) => `d${i}`).join('/')}/go.mod`;
    assert.equal(compileIgnore([`${'**/'.repeat(12)}*x`])(deep), false);
    assert.equal(compileIgnore([`${'**/'.repeat(12)}d29`])(deep), true);
    const long = `svc/${'a'.repeat(120)}/go.mod`;
    assert.equal(compileIgnore([`svc/${'*a'.repeat(8)}*b`])(long), false);
    assert.equal(compileIgnore([`svc/${'*a'.repeat(8)}*`])(long), true);
    // Within a segment `**` is `*`; as a segment, any number of them, none too.
    assert.equal(compileIgnore(['svc/a**b'])('svc/axxb/go.mod'), true);
    assert.equal(compileIgnore(['svc/a**b'])('svc/a/x/b/go.mod'), false);
    assert.equal(compileIgnore(['svc/**/old'])('svc/old/go.mod'), true);
  });

  it('treats regular expression characters literally', () => {
    const ignored = compileIgnore(['a+b.(c)']);
    assert.equal(ignored('a+b.(c)/go.mod'), true);
    assert.equal(ignored('aab-(c)/go.mod'), false);
  });

  it('matches a path when one pattern\'s expression matches it or a parent, whatever the mix of patterns', () => {
    const segment = fc.constantFrom('a', 'b', 'svc', 'x.y', 'a+b', '(c)', '[d]', 'é', '*', '**', '?', 'v?', '*x', '');
    const pattern = fc.tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.constantFrom('', './', '/'), fc.constantFrom('', '/'))
      .map(([parts, lead, trail]) => lead + parts.join('/') + trail);
    const file = fc.array(fc.constantFrom('a', 'b', 'svc', 'x.y', 'a+b', '(c)', '[d]', 'é', 'v1', 'v10', 'xx'), { minLength: 0, maxLength: 4 })
      .map((parts) => [...parts, 'go.mod'].join('/'));
    fc.assert(fc.property(fc.array(pattern, { maxLength: 6 }), fc.array(file, { minLength: 1, maxLength: 6 }), (patterns, files) => {
      const ignored = compileIgnore(patterns);
      const regexes = patterns.map(reference).filter((r) => r !== undefined);
      for (const f of files) {
        const parts = f.split('/');
        const want = parts.some((_, i) => regexes.some((r) => r.test(`/${parts.slice(0, i + 1).join('/')}`)));
        assert.equal(ignored(f), want, `${JSON.stringify(patterns)} ${f}`);
      }
    }), { numRuns: 2000 });
  });

  it('never matches with no patterns or only empty ones', () => {
    assert.equal(compileIgnore([])('go.mod'), false);
    assert.equal(compileIgnore(['', '.', './'])('go.mod'), false);
    assert.equal(compileIgnore(['', ' '])('a/go.mod'), false);
  });
});
