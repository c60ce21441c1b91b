// `modguard check` on the four real monorepos of ../shared/corpus (no git there: directory walk):
// the first run in a fresh process (what a CI job pays, JIT cold) and the median of warm runs,
// split into loading (discover + read + parse) and checking (rules + processors).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSection } from './run.ts';
import { loadRepository } from '../src/engine/load.ts';
import { check } from '../src/engine/run.ts';

const corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/corpus');
const ms = (x: number) => `${x.toFixed(0)} ms`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function bench(): Promise<BenchSection> {
  if (!existsSync(corpus)) return { title: 'check on ../shared/corpus', rows: [['skipped', `${corpus} is absent`]] };
  const rows: Array<[string, string]> = [];
  const repos = readdirSync(corpus).filter((d) => statSync(path.join(corpus, d)).isDirectory()).sort();
  for (const name of repos) {
    const root = path.join(corpus, name);
    const loads: number[] = [];
    const checks: number[] = [];
    let modules = 0;
    let findings = 0;
    for (let i = 0; i < 6; i++) {
      const t0 = performance.now();
      const repo = await loadRepository({ root });
      const t1 = performance.now();
      const result = check(repo);
      const t2 = performance.now();
      loads.push(t1 - t0);
      checks.push(t2 - t1);
      modules = repo.modules.length;
      findings = result.findings.length;
    }
    rows.push([`${name} (${modules} modules, ${findings} findings): first run load + check`, `${ms(loads[0]!)} + ${ms(checks[0]!)}`]);
    rows.push([`${name}: warm median load + check`, `${ms(median(loads.slice(1)))} + ${ms(median(checks.slice(1)))} = ${ms(median(loads.slice(1)) + median(checks.slice(1)))}`]);
  }
  return {
    title: 'check on ../shared/corpus',
    rows,
    notes: ['In one process: the first run includes module loading and JIT warm-up; warm runs are medians of five. Reproduce with `npm run bench -- corpus`.'],
  };
}
