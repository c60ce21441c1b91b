// Parser throughput over the conformance corpus (../shared/corpus): single thread, warm. Rates
// are per second of this process's CPU time, so other load on the machine does not skew them.
// Reference: Go's x/mod parses these files at about 23 MB/s (9,600 files/s) on this machine class.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSection } from './run.ts';
import { formatFile, parseModFile, parseSyntax } from '../src/gomod/index.ts';

const corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'corpus');

function listGoMods(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listGoMods(p, out);
    else if (e.name === 'go.mod') out.push(p);
  }
  return out;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

/** Passes over all texts per CPU second, after a warm-up; best of several rounds. */
function measure(texts: string[], fn: (text: string) => unknown): number {
  for (let w = 0; w < 30; w++) for (const t of texts) fn(t);
  let best = 0;
  for (let round = 0; round < 5; round++) {
    const start = process.cpuUsage();
    let passes = 0;
    let spent = 0;
    while (spent < 0.4) {
      for (const t of texts) fn(t);
      passes++;
      spent = cpuSeconds(start);
    }
    best = Math.max(best, passes / spent);
  }
  return best;
}

export async function bench(): Promise<BenchSection> {
  if (!existsSync(corpus)) {
    return { title: 'go.mod parser', rows: [['corpus', 'absent (../shared/corpus not found): not measured']] };
  }
  const files = listGoMods(corpus).sort();
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const mb = bytes / 1e6;
  const rows: Array<[string, string]> = [['corpus', `${files.length} go.mod files, ${(bytes / 1024).toFixed(0)} KiB`]];
  const rate = (label: string, fn: (text: string) => unknown): void => {
    const passes = measure(texts, fn);
    rows.push([`${label}: MB/s`, (passes * mb).toFixed(1)]);
    rows.push([`${label}: files/s`, Math.round(passes * files.length).toLocaleString('en-US')]);
  };
  rate('parseModFile (strict, typed)', (t) => parseModFile(t, 'go.mod'));
  rate('parseSyntax (tree only)', (t) => parseSyntax(t, 'go.mod'));
  rate('parseModFile + formatFile', (t) => {
    const r = parseModFile(t, 'go.mod');
    return r.value ? formatFile(r.value.syntax) : '';
  });
  return {
    title: 'go.mod parser (single thread, warm, per CPU second)',
    rows,
    notes: ['Reference: Go x/mod modfile.Parse does about 23 MB/s (9,600 files/s) over the same files on this machine class.'],
  };
}
