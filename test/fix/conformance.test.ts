// Every vector of ../shared/conformance/require-edits.jsonl replayed as anchors + fix: the corpus
// go.mod checked against an anchor.lock pinning each edit's path@to, fixed, must equal `want`.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeAnchorLock } from '../../anchors/edit.ts';
import { planFixes } from '../../src/fix/plan.ts';
import { findingsOf, repoFrom } from './helpers.ts';

const shared = path.resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared');
const vectorsFile = path.join(shared, 'conformance', 'require-edits.jsonl');

interface Vector { file: string; edits: Array<{ path: string; from: string; to: string }>; want: string }

describe('fix conformance: require-edits.jsonl', function () {
  before(function () {
    if (!existsSync(vectorsFile)) {
      console.log(`    skipped: ${vectorsFile} is absent (the conformance data lives in ../shared)`);
      this.skip();
    }
  });

  it('gives `want` byte for byte for every vector', () => {
    const vectors = readFileSync(vectorsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Vector);
    assert.ok(vectors.length > 0);
    const failures: string[] = [];
    for (const v of vectors) {
      const text = readFileSync(path.join(shared, 'corpus', v.file), 'utf8');
      const lock = writeAnchorLock({ anchors: v.edits.map((e) => ({ path: e.path, version: e.to })) });
      const repo = repoFrom({ 'anchor.lock': lock, 'go.mod': text });
      const plan = planFixes(repo, findingsOf(repo, ['anchor-mismatch']), { rules: ['anchor-mismatch'] });
      const got = plan.patches[0]?.after ?? text;
      if (got !== v.want) failures.push(`${v.file}: ${plan.skipped.map((s) => s.reason).join('; ') || 'output differs'}`);
    }
    console.log(`    require-edits conformance: ${vectors.length - failures.length}/${vectors.length}`);
    assert.deepEqual(failures, []);
  });
});
