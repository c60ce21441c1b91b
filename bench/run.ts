// `npm run bench`: runs every bench/*.bench.ts and prints one Markdown report (also written to
// bench/out/latest.md) headed with the machine and the date, ready for BENCHMARKS.md.
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, platform, arch } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

/** BenchSection is what one bench file returns: a titled table of measured figures. */
export interface BenchSection {
  title: string;
  rows: Array<[string, string]>;
  notes?: string[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const cpu = cpus()[0]?.model ?? 'unknown cpu';
let md = `## ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${platform()}/${arch()}\n\n`;
process.stdout.write(md);
for (const file of files) {
  const mod = await import(pathToFileURL(path.join(here, file)).href);
  const sections: BenchSection[] = [].concat(await mod.bench());
  for (const s of sections) {
    let part = `### ${s.title}\n\n| measure | value |\n|---|---|\n`;
    for (const [k, v] of s.rows) part += `| ${k} | ${v} |\n`;
    for (const n of s.notes ?? []) part += `\n${n}\n`;
    part += '\n';
    process.stdout.write(part);
    md += part;
  }
}
mkdirSync(path.join(here, 'out'), { recursive: true });
writeFileSync(path.join(here, 'out', 'latest.md'), md);
