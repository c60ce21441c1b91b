// Tree: PR mode where module files are a small part of the work tree, as in a real monorepo. The
// 1,000-module repository of the scale bench, copied with 100 Go source files beside each module
// (100,000 in all, committed), checked in full and in PR mode with what that full check kept; the
// change touches 3 go.mod files and 5 source files of each of their modules. git's own listing of
// the untracked files (the work tree's walk that PR mode and discovery both need) is timed alone
// beside them: it is the part of PR mode that grows with the source files.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSection } from './run.ts';
import { benchRepo } from './check.bench.ts';
import { buildCommand, child, inputFiles, leafModules, median, type Sample } from './scale.bench.ts';
import { readPathspecs } from '../src/io/git.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const PACKAGES = 10;
const FILES_PER_PACKAGE = 10;
const STAMP = 'tree 1';

// As bench/generate.ts commits: its own identity, no signing.
const git = (dir: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', '-c', 'commit.gpgsign=false', ...args], {
  cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
});

/** treeRepo copies the scale bench's repository and commits the source files beside its modules (once). */
async function treeRepo(): Promise<{ dir: string; files: number }> {
  const base = await benchRepo({ modules: 1000, seed: 1, git: true });
  const dir = path.join(here, 'out', 'tree-1000-s1');
  const stampFile = path.join(dir, '.bench-stamp.json');
  const stamp = JSON.stringify({ STAMP, base: readFileSync(path.join(base.dir, '.bench-stamp.json'), 'utf8') });
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    return { dir, files: git(dir, 'ls-files', '-z').split('\0').length - 1 };
  }
  rmSync(dir, { recursive: true, force: true });
  cpSync(base.dir, dir, { recursive: true });
  for (const mod of git(dir, 'ls-files', '-z', '--', '*go.mod').split('\0').filter((f) => f !== '')) {
    for (let p = 0; p < PACKAGES; p++) {
      const pkg = path.join(dir, path.dirname(mod), `pkg${p}`);
      mkdirSync(pkg, { recursive: true });
      for (let f = 0; f < FILES_PER_PACKAGE; f++) {
        writeFileSync(path.join(pkg, `f${f}.go`), `package pkg${p}\n\n// F${f} is file ${f} of the package.\nfunc F${f}() int { return ${f} }\n`);
      }
    }
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'source files');
  writeFileSync(stampFile, stamp);
  return { dir, files: git(dir, 'ls-files', '-z').split('\0').length - 1 };
}

const ms = (x: number) => `${x.toFixed(0)} ms`;

/** untrackedWalk times the `git ls-files` PR mode runs (Git.listing, its pathspecs), in ms of wall time. */
function untrackedWalk(dir: string): number {
  const specs = readPathspecs({ graphFile: 'graph.txt', anchorsFile: 'anchor.lock' })!;
  const t0 = performance.now();
  execFileSync('git', ['ls-files', '-z', '-v', '-s', '--cached', '--others', '--exclude-standard', '--', ...specs], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  return performance.now() - t0;
}

export async function bench(): Promise<BenchSection[]> {
  const root = path.join(here, '..');
  buildCommand(root);
  const repo = await treeRepo();
  const runs = 3;
  // The first run of each kind keeps its compiled code (not measured), as a user's first does.
  child('check', repo.dir);
  const full = median(Array.from({ length: runs }, () => child('check', repo.dir)));
  const changed = leafModules(inputFiles(repo.dir), 3);
  const touched = changed.flatMap((mod) => [mod, ...Array.from({ length: 5 }, (_, f) => path.join(path.dirname(mod), 'pkg0', `f${f}.go`))]);
  const saved = touched.map((f) => [f, readFileSync(path.join(repo.dir, f), 'utf8')] as const);
  const keptDir = mkdtempSync(path.join(tmpdir(), 'modguard-bench-cache-'));
  let kept: Sample;
  let pairs: Array<{ check: Sample; pr: Sample }>;
  let walk: number;
  try {
    child('check', repo.dir, [], { MODGUARD_BENCH_CACHE_DIR: keptDir });
    for (const [f, text] of saved) writeFileSync(path.join(repo.dir, f), f.endsWith('go.mod') ? `${text}\nrequire github.com/bench/pr-change v1.0.0\n` : `${text}// changed\n`);
    child('pr', repo.dir, [], { MODGUARD_BENCH_CACHE_DIR: keptDir });
    kept = median(Array.from({ length: runs }, () => child('pr', repo.dir, [], { MODGUARD_BENCH_CACHE_DIR: keptDir })));
    pairs = Array.from({ length: 5 }, () => ({ check: child('check', repo.dir), pr: child('pr', repo.dir, [], { MODGUARD_BENCH_CACHE_DIR: keptDir }) }));
    walk = [untrackedWalk(repo.dir), untrackedWalk(repo.dir), untrackedWalk(repo.dir)].sort((a, b) => a - b)[1]!;
  } finally {
    for (const [f, text] of saved) writeFileSync(path.join(repo.dir, f), text);
    rmSync(keptDir, { recursive: true, force: true });
  }
  const ratios = pairs.map((p) => p.pr.wallMs / p.check.wallMs).sort((a, b) => a - b);
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  return [{
    title: `Tree: 1,000 modules among ${repo.files.toLocaleString('en-US')} tracked files`,
    rows: [
      ['full check (`check --graph-file graph.txt`)', `${ms(full.wallMs)} wall, ${ms(full.cpuMs)} CPU, exit ${full.exitCode}`],
      ['PR mode with what a full check of the base kept (3 go.mod and 15 source files changed)', `${ms(kept.wallMs)} wall, ${ms(kept.cpuMs)} CPU (${pct(kept.wallMs / full.wallMs)} of the full check wall)`],
      ['the same, each run right after a full check (5 pairs)', `${pairs.map((p) => `${ms(p.pr.wallMs)} / ${ms(p.check.wallMs)}`).join(', ')}: ${ratios.map(pct).join(', ')} (median ${pct(ratios[2]!)})`],
      ['`git ls-files --others` with PR mode\'s pathspecs, alone (the work tree\'s walk)', ms(walk)],
    ],
    notes: [`Each modguard figure is a fresh child process (bench/scale-child.mjs), median of ${runs} runs; the git figure is the median of 3 runs of git alone.`],
  }];
}
