// Parser throughput over the conformance corpus (../shared/corpus): single thread, warm.
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

/** Runs fn over all texts repeatedly for about `ms` milliseconds after a warm-up; returns passes per second. */
function measure(texts: string[], fn: (text: string) => unknown, ms = 1500): number {
  for (let w = 0; w < 20; w++) for (const t of texts) fn(t);
  let passes = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < ms) {
    for (const t of texts) fn(t);
    passes++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return passes / (elapsed / 1000);
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
    title: 'go.mod parser (single thread, warm)',
    rows,
    notes: ['Reference: Go x/mod modfile.Parse does about 23 MB/s (9,600 files/s) over the same files on this machine class.'],
  };
}
