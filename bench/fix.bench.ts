// Fix planning at monorepo scale: 1,000 generated modules of 40 requirements each against 50
// anchors (check + plan + diffs, no file system), and the corpus replay of require-edits.jsonl.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { BenchSection } from './run.ts';
import { assembleRepository } from '../src/engine/assemble.ts';
import { check } from '../src/engine/run.ts';
import { planFixes, planDiff } from '../src/fix/plan.ts';
import { writeAnchorLock } from '../anchors/edit.ts';
import { mulberry32 as rand } from '../src/util/prng.ts';

const MODULES = 1000;
const REQUIRES = 40;
const POOL = 300;
const ANCHORS = 50;


function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const v = fn();
  return [v, performance.now() - t0];
}

function generated(): Map<string, string> {
  const r = rand(42);
  const files = new Map<string, string>();
  const dep = (i: number) => `github.com/vendor${i % 37}/lib${i}`;
  files.set('anchor.lock', writeAnchorLock({ go: '1.22', anchors: Array.from({ length: ANCHORS }, (_, i) => ({ path: dep(i), version: 'v1.5.0' })) }));
  for (let m = 0; m < MODULES; m++) {
    const picked = new Set<number>();
    while (picked.size < REQUIRES) picked.add(Math.floor(r() * POOL));
    const lines = [...picked].sort((a, b) => a - b).map((i) => `\t${dep(i)} v1.${Math.floor(r() * 6)}.0${r() < 0.3 ? ' // indirect' : ''}`);
    files.set(`svc/m${m}/go.mod`, `module corp.example.com/svc/m${m}\n\ngo 1.${r() < 0.9 ? 22 : 21}\n\nrequire (\n${lines.join('\n')}\n)\n`);
  }
  return files;
}

export async function bench(): Promise<BenchSection[]> {
  const files = generated();
  const [repo, assembleMs] = time(() => assembleRepository({ root: '/bench', files }));
  const [result, checkMs] = time(() => check(repo));
  const [plan, planMs] = time(() => planFixes(repo, result.findings));
  const [diff, diffMs] = time(() => planDiff(plan));
  const edits = plan.patches.reduce((n, p) => n + p.edits, 0);
  const sections: BenchSection[] = [{
    title: `modguard fix: plan on ${MODULES} generated modules (${REQUIRES} requirements each, ${ANCHORS} anchors)`,
    rows: [
      ['assemble (parse all files)', `${assembleMs.toFixed(0)} ms`],
      ['check (all rules)', `${checkMs.toFixed(0)} ms`],
      ['planFixes', `${planMs.toFixed(0)} ms for ${plan.patches.length} files, ${edits} edits`],
      ['unified diffs of the plan', `${diffMs.toFixed(0)} ms, ${(diff.length / 1024).toFixed(0)} KiB`],
    ],
  }];

  const shared = path.resolve(fileURLToPath(new URL('../', import.meta.url)), '../shared');
  const vectorsFile = path.join(shared, 'conformance', 'require-edits.jsonl');
  if (existsSync(vectorsFile)) {
    const vectors = readFileSync(vectorsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { file: string; edits: Array<{ path: string; to: string }>; want: string });
    const inputs = vectors.map((v) => ({ v, text: readFileSync(path.join(shared, 'corpus', v.file), 'utf8') }));
    let ok = 0;
    const [, replayMs] = time(() => {
      for (const { v, text } of inputs) {
        const lock = writeAnchorLock({ anchors: v.edits.map((e) => ({ path: e.path, version: e.to })) });
        const one = assembleRepository({ root: '/c', files: new Map([['anchor.lock', lock], ['go.mod', text]]) });
        const p = planFixes(one, check(one).findings, { rules: ['anchor-mismatch'] });
        if ((p.patches[0]?.after ?? text) === v.want) ok++;
      }
    });
    sections.push({
      title: 'modguard fix: require-edits.jsonl replayed as anchors + fix',
      rows: [['vectors matching `want` byte for byte', `${ok}/${vectors.length}`], ['total time (assemble + check + plan per file)', `${replayMs.toFixed(0)} ms`]],
    });
  }
  return sections;
}
