// The body of `modguard modules`.
import { UsageError, type CommandContext } from './context.ts';
import { toLoadOptions } from './load-options.ts';
import { loadRepository, toRootRelative } from '../engine/load.ts';
import path from 'node:path';
import { buildRepoGraph, affectedModules } from '../graph/repo-graph.ts';
import type { Repository } from '../engine/types.ts';

export interface ModulesOptions { root?: string; dependents?: string; json?: boolean }

export interface ModuleEntry { dir: string; path: string; dependsOn: string[]; dependents: string[] }

/** moduleTable lists every module with its sibling dependencies and dependents (dirs, sorted). */
export function moduleTable(repo: Repository): { modules: ModuleEntry[]; cycles: string[][] } {
  const graph = buildRepoGraph(repo);
  const modules = repo.modules.map((m) => ({
    dir: m.dir,
    path: m.modulePath,
    dependsOn: [...(graph.dependsOn.get(m.dir) ?? [])].sort(),
    dependents: [...(graph.dependents.get(m.dir) ?? [])].sort(),
  })).sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  return { modules, cycles: graph.cycles };
}

export async function runModules(opts: ModulesOptions, ctx: CommandContext): Promise<number> {
  const repo = await loadRepository(toLoadOptions(opts, ctx));
  let { modules, cycles } = moduleTable(repo);
  if (opts.dependents !== undefined) {
    // A module path, or a directory: as the shell names it (from the current directory, as `why
    // --in` reads one), or from the root.
    const fromCwd = toRootRelative(repo.root, path.resolve(ctx.cwd, opts.dependents));
    const fromRoot = toRootRelative(repo.root, path.resolve(repo.root, opts.dependents));
    const start = repo.modules.find((m) => m.modulePath === opts.dependents)
      ?? repo.modules.find((m) => m.dir === fromCwd) ?? repo.modules.find((m) => m.dir === fromRoot);
    if (!start) throw new UsageError(`--dependents ${opts.dependents}: no module with that directory or module path under ${repo.root}`);
    const graph = buildRepoGraph(repo);
    const affected = new Set(affectedModules(graph, [start.dir]));
    modules = modules.filter((m) => affected.has(m.dir));
    cycles = cycles.filter((c) => c.some((d) => affected.has(d)));
  }
  if (opts.json) {
    ctx.stdout.write(`${JSON.stringify({ root: repo.root, modules, cycles }, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(6, ...modules.map((m) => m.dir.length));
  let out = '';
  for (const m of modules) {
    const deps = m.dependsOn.length ? m.dependsOn.join(', ') : '-';
    out += `${m.dir.padEnd(width)}  ${m.path || '(no module line)'}\n${' '.repeat(width)}  depends on: ${deps}; depended on by ${m.dependents.length}\n`;
  }
  for (const c of cycles) out += `cycle: ${c.join(' <-> ')}\n`;
  out += `${modules.length} modules, ${cycles.length} cycle${cycles.length === 1 ? '' : 's'}\n`;
  ctx.stdout.write(out);
  return 0;
}
