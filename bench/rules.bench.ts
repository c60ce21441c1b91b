// Rule timing on a generated monorepo of 1,000 modules: each rule alone, and all of them, on one
// assembled repository (loading is measured elsewhere). The repository is built deterministically
// here so the figure does not depend on other benchmarks.
import { performance } from 'node:perf_hooks';
import type { BenchSection } from './run.ts';
import { assembleRepository } from '../src/engine/assemble.ts';
import type { ReportDescriptor, Rule } from '../src/engine/types.ts';
import { rules } from '../rules/index.ts';
import { mulberry32 as rand } from '../src/util/prng.ts';

const MODULES = 1000;
const REQUIRES = 40;
const POOL = 400;


function hash(r: () => number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = 'h1:';
  for (let i = 0; i < 43; i++) s += chars[Math.floor(r() * 64)];
  return `${s}=`;
}

/** generate writes the files of a repository with anchors, siblings, pseudo-versions and majors. */
export function generate(): Map<string, string> {
  const r = rand(42);
  const files = new Map<string, string>();
  // Every tenth dependency has a /vN major; the next one is the same family at v1, so some modules
  // end up on two majors of one library.
  const deps = Array.from({ length: POOL }, (_, i) =>
    i % 10 === 0 ? `github.com/vendor${i}/lib/v${2 + (i % 3)}` : i % 10 === 1 ? `github.com/vendor${i - 1}/lib` : `github.com/vendor${i}/lib`);
  const hashes = new Map<string, string>();
  let lock = 'go 1.22\n';
  for (let i = 0; i < 40; i++) lock += `anchor ${deps[i * 7]} ${deps[i * 7]!.endsWith('lib') ? 'v1.4.0' : `v${2 + ((i * 7) % 3)}.4.0`}\n`;
  lock += 'allow-replace github.com/vendor3/lib\nban github.com/vendor399/lib\n';
  files.set('anchor.lock', lock);
  for (let m = 0; m < MODULES; m++) {
    const dir = `svc/group${m % 25}/m${m}`;
    let mod = `module example.com/mono/${dir}\n\ngo ${r() < 0.05 ? '1.21' : '1.22'}\n\nrequire (\n`;
    let sum = '';
    const sibling = m > 0 ? Math.floor(r() * m) : -1;
    const siblingPath = sibling >= 0 ? `example.com/mono/svc/group${sibling % 25}/m${sibling}` : '';
    if (sibling >= 0) mod += `\t${siblingPath} v0.0.0-00010101000000-000000000000\n`;
    for (let k = 0; k < REQUIRES; k++) {
      const d = deps[Math.floor(r() * POOL)]!;
      const major = /\/v(\d+)$/.exec(d)?.[1] ?? '1';
      const v = r() < 0.03 ? `v${major === '1' ? '0' : major}.0.0-2024040${1 + Math.floor(r() * 8)}090435-${Math.floor(r() * 1e12).toString(16).padStart(12, '0')}` :
        `v${major}.${Math.floor(r() * 6)}.0`;
      mod += `\t${d} ${v}${k > REQUIRES * 0.6 ? ' // indirect' : ''}\n`;
      const key = `${d} ${v}`;
      if (!hashes.has(key)) hashes.set(key, hash(r));
      if (!hashes.has(`${key}/go.mod`)) hashes.set(`${key}/go.mod`, hash(r));
      // One module in a hundred carries a tampered line: the integrity alarm has something to find.
      const h = m % 100 === 99 && k === 0 ? hash(r) : hashes.get(key)!;
      sum += `${key} ${h}\n${key}/go.mod ${hashes.get(`${key}/go.mod`)}\n`;
    }
    mod += ')\n';
    if (sibling >= 0) {
      const up = dir.split('/').map(() => '..').join('/');
      mod += `\nreplace ${siblingPath} => ${up}/svc/group${sibling % 25}/m${sibling}\n`;
    }
    files.set(`${dir}/go.mod`, mod);
    files.set(`${dir}/go.sum`, sum);
  }
  return files;
}

/** time returns the median wall and CPU milliseconds of a few runs (CPU time is steadier on a busy machine). */
function time(fn: () => void, runs = 5): { wall: number; cpu: number } {
  fn(); // warm up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    fn();
    const d = process.cpuUsage(c);
    wall.push(performance.now() - t);
    cpu.push((d.user + d.system) / 1000);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  return { wall: median(wall), cpu: median(cpu) };
}

const fmt = ({ wall, cpu }: { wall: number; cpu: number }) => `${wall.toFixed(1)} ms (CPU ${cpu.toFixed(1)} ms)`;

export async function bench(): Promise<BenchSection> {
  const repo = assembleRepository({ root: '/bench', files: generate() });
  const run = (rule: Rule) => {
    const out: ReportDescriptor[] = [];
    const options = rule.meta.optionsSchema ? rule.meta.optionsSchema.parse({}) : {};
    rule.create({ repo, options, report: (d) => out.push(d) });
    return out;
  };
  const rows: Array<[string, string]> = [];
  let findings = 0;
  for (const rule of rules) {
    if (rule.meta.needsBase || rule.meta.needsGraph) continue;
    const count = run(rule).length;
    findings += count;
    rows.push([rule.meta.id, `${fmt(time(() => run(rule)))}, ${count} findings`]);
  }
  const all = time(() => { for (const rule of rules) if (!rule.meta.needsBase && !rule.meta.needsGraph) run(rule); });
  rows.unshift(['all rules, one pass (median of 5)', `${fmt(all)}, ${findings} findings`]);
  const requires = repo.modules.reduce((n, m) => n + (m.mod?.require.length ?? 0), 0);
  const sums = repo.modules.reduce((n, m) => n + (m.sum?.entries.length ?? 0), 0);
  return {
    title: `Rules on ${MODULES} modules (${requires} requirements, ${sums} go.sum lines)`,
    rows,
    notes: ['Rules run on an already assembled repository; loading and parsing are measured in their own benchmarks.'],
  };
}
