// The why command's work: load the repository with its module graphs, then one breadth-first search
// per module over the compact graph arrays.
import path from 'node:path';
import { UsageError, type CommandContext } from './context.ts';
import { loadRepository, toRootRelative } from '../engine/load.ts';
import type { GraphNode, ModuleInfo } from '../engine/types.ts';
import { shortestPath } from '../graph/why.ts';
import { selectVersions } from '../graph/select.ts';
import { nodeKey } from '../graph/parse.ts';
import { toLoadOptions } from './load-options.ts';
import { fewOf } from '../reporters/common.ts';

export interface WhyCommandOptions {
  in?: string;
  root?: string;
  graphFile?: string;
  go?: boolean;
  json?: boolean;
}

export interface WhyTarget {
  path: string;
  /** '' when not given: any version of the path. */
  version: string;
}

export interface WhyModuleResult {
  dir: string;
  module: string;
  /** The version of the target path minimal version selection picks in this module ('' when absent). */
  selected: string;
  /** Main module first, the target last; empty when the module does not need the target. */
  chain: string[];
}

export interface WhyResult {
  version: 1;
  target: WhyTarget;
  /** Modules that need the target, with their chains. */
  needed: WhyModuleResult[];
  /** Module dirs whose graph does not contain the target. */
  notNeeded: string[];
  /** Module dirs without a module graph (missing file or failed `go mod graph`). */
  noGraph: string[];
}

/** parseTarget splits `path[@version]` and rejects what cannot be a module path. */
export function parseTarget(arg: string): WhyTarget {
  const at = arg.indexOf('@');
  const p = at < 0 ? arg : arg.slice(0, at);
  const version = at < 0 ? '' : arg.slice(at + 1);
  if (!p || p.startsWith('-') || /\s/.test(p)) throw new UsageError(`why: ${JSON.stringify(arg)} is not a module path (want path[@version])`);
  if (at >= 0 && !/^v\d/.test(version)) throw new UsageError(`why: ${JSON.stringify(arg)}: the version must look like v1.2.3`);
  return { path: p, version };
}

/** explainModules runs the search in each module; pure, for the command and for tests. */
export function explainModules(modules: ModuleInfo[], target: WhyTarget): WhyResult {
  const result: WhyResult = { version: 1, target, needed: [], notNeeded: [], noGraph: [] };
  const only = new Set([target.path]);
  for (const m of modules) {
    if (!m.graph) {
      result.noGraph.push(m.dir);
      continue;
    }
    const chain: GraphNode[] | undefined = shortestPath(m.graph, target.path, target.version || undefined);
    if (!chain) {
      result.notNeeded.push(m.dir);
      continue;
    }
    result.needed.push({
      dir: m.dir,
      module: m.modulePath,
      selected: selectVersions(m.graph, { only }).get(target.path) ?? '',
      chain: chain.map(nodeKey),
    });
  }
  return result;
}

/** formatWhy prints the result as `go mod why -m` does, one block per module that needs the target. */
export function formatWhy(r: WhyResult): string {
  const name = r.target.version ? `${r.target.path}@${r.target.version}` : r.target.path;
  let out = '';
  for (const n of r.needed) {
    out += `# ${name} in ${n.dir}${n.selected ? ` (selected ${n.selected})` : ''}\n${n.chain.join('\n')}\n\n`;
  }
  const total = r.needed.length + r.notNeeded.length + r.noGraph.length;
  const parts = [`${r.needed.length} of ${total} module${total === 1 ? '' : 's'} need ${name}`];
  if (r.noGraph.length > 0) {
    parts.push(`${r.noGraph.length} without a module graph (${fewOf(r.noGraph, 5)})`);
  }
  if (r.needed.length === 0 && r.notNeeded.length > 0 && r.notNeeded.length <= 5) {
    parts.push(`not needed by ${r.notNeeded.join(', ')}`);
  }
  return out + parts.join('; ') + '\n';
}

/** runWhy runs `modguard why` and returns the exit code. */
export async function runWhy(targetArg: string, opts: WhyCommandOptions, ctx: CommandContext): Promise<number> {
  const target = parseTarget(targetArg);
  if (!opts.graphFile && !opts.go) {
    throw new UsageError('why needs the module graphs: pass --graph-file NAME (captured `go mod graph` output beside each go.mod) or --go');
  }
  const repo = await loadRepository(toLoadOptions(opts, ctx));
  let modules = repo.modules;
  if (opts.in !== undefined) {
    const dir = toRootRelative(repo.root, path.resolve(ctx.cwd, opts.in));
    modules = modules.filter((m) => m.dir === dir);
    if (modules.length === 0) throw new UsageError(`--in ${opts.in}: no go.mod of the repository in ${dir}`);
  }
  const result = explainModules(modules, target);
  for (const notice of repo.notices ?? []) ctx.stderr.write(`${notice}\n`);
  ctx.stdout.write(opts.json ? JSON.stringify(result, null, 2) + '\n' : formatWhy(result));
  return 0;
}
