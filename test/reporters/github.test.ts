import { strict as assert } from 'node:assert';
import { reporters } from '../../src/reporters/index.ts';
import { escapeData, escapeProperty } from '../../src/reporters/github.ts';
import { OPTIONS, empty, hostile, sample } from './fixtures.ts';

describe('reporters/github', () => {
  it('prints one workflow command per finding, info as notice, then notices and the summary', () => {
    assert.equal(reporters.github(sample(), OPTIONS), [
      '::error file=svc/a/go.mod,line=5,col=2,title=modguard anchor-mismatch::golang.org/x/net v0.20.0 is pinned to v0.24.0',
      '::error file=svc/a/go.mod,line=12,col=2,title=modguard anchor-mismatch::google.golang.org/grpc v1.60.0 is pinned to v1.64.0',
      '::warning file=svc/b/go.mod,line=3,col=1,title=modguard go-version-drift::go 1.21 differs from the anchor.lock go 1.22',
      '::notice file=svc/b/go.mod,line=7,col=2,title=modguard version-divergence::github.com/x/y is required at 2 versions',
      '::notice title=modguard::anchor-drift skipped: no module graph (use --graph-file or --go)',
      '2 errors, 1 warning, 1 info in 3 modules',
      '',
    ].join('\n'));
  });

  it('prints only the summary for an empty result', () => {
    assert.equal(reporters.github(empty(), OPTIONS), 'no findings in 3 modules\n');
  });

  it('escapes data and properties as the actions toolkit does', () => {
    assert.equal(escapeData('100% a:b,c\r\nx'), '100%25 a:b,c%0D%0Ax');
    assert.equal(escapeProperty('100% a:b,c\r\nx'), '100%25 a%3Ab%2Cc%0D%0Ax');
    const out = reporters.github(hostile(), OPTIONS);
    assert.equal(out.split('\n')[0], '::error file=dir%2Cwith%3Aodd/go.mod,line=2,col=3,title=modguard anchor-mismatch::bad | `tick` <b>&amp; 100%25 a:b,c%0D%0Asecond line\u0000\u001b[31m\uD800');
    assert.equal(out.split('\n').length, 3, 'a message with a newline stays one command');
  });
});
