// module-cycle: sibling modules of the repository that depend on each other in a cycle, through
// requirements, directory replaces or go.work. Go accepts module cycles, but in a monorepo they
// mean no module of the cycle can be released, tagged or upgraded on its own, and every change to
// one of them affects all of them.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Rule, ModuleInfo, Repository } from '../src/engine/types.ts';
import { buildRepoGraph, cyclesThrough, isDirectoryTarget, resolveDir } from '../src/graph/repo-graph.ts';
import { at, firstArgToken, isReported } from './support/syntax.ts';
import { modulesByDir } from '../src/engine/assemble.ts';

const optionsSchema = lazySchema((z) => z.object({}).strict());

/** cyclePath returns the shortest dependency path from start back to start within one component. */
export function cyclePath(start: string, component: ReadonlySet<string>, dependsOn: Map<string, Set<string>>): string[] {
  const previous = new Map<string, string>();
  const queue: string[] = [];
  for (const next of dependsOn.get(start) ?? []) {
    if (!component.has(next) || previous.has(next)) continue;
    previous.set(next, start);
    queue.push(next);
  }
  for (let i = 0; i < queue.length; i++) {
    const dir = queue[i]!;
    if (dir === start) break;
    for (const next of dependsOn.get(dir) ?? []) {
      if (!component.has(next) || previous.has(next)) continue;
      previous.set(next, dir);
      queue.push(next);
    }
  }
  const path = [start];
  for (let dir = previous.get(start); dir !== undefined && dir !== start; dir = previous.get(dir)) path.push(dir);
  path.push(start);
  return path.reverse();
}

/** edgeLine finds where module `from` names module `to`: its replace or require line, else the module line. */
function edgeLine(repo: Repository, from: ModuleInfo, to: ModuleInfo) {
  const mod = from.mod!;
  for (const r of mod.replace) {
    if (isDirectoryTarget(r.new.path) && resolveDir(from.dir, r.new.path) === to.dir) return at(firstArgToken(r.syntax));
  }
  for (const r of mod.require) if (r.mod.path === to.modulePath) return at(firstArgToken(r.syntax));
  const line = mod.module?.syntax;
  return line ? at(firstArgToken(line)) : { line: 1, column: 1 };
}

export const rule: Rule<z.infer<ReturnType<typeof optionsSchema>>> = {
  meta: {
    id: 'module-cycle',
    type: 'problem',
    description: 'Sibling modules of the repository that depend on each other in a cycle.',
    defaultSeverity: 'warning',
    messages: {
      cycle: '{{module}} is in a dependency cycle: {{path}} (the cycle joins {{size}} sibling modules in all); ' +
        'no module of a cycle can be released or upgraded on its own: move what they share into a module that depends on none of them',
    },
    get optionsSchema() { return optionsSchema(); },
    defaultOptions: {},
  },
  create(context) {
    const { repo } = context;
    const graph = buildRepoGraph(repo);
    // With a focus only the cycles through reported modules can give findings: those are searched.
    const cycles = repo.focus ? cyclesThrough(graph, repo.focus) : graph.cycles;
    if (cycles.length === 0) return;
    const byDir = modulesByDir(repo.modules);
    for (const members of cycles) {
      const component = new Set(members);
      for (const dir of members) {
        const module = byDir.get(dir);
        if (!module?.mod || !isReported(repo, module)) continue;
        const path = cyclePath(dir, component, graph.dependsOn);
        const next = byDir.get(path[1] ?? dir) ?? module;
        context.report({
          messageId: 'cycle',
          file: module.goModFile,
          ...edgeLine(repo, module, next),
          module: module.modulePath,
          dependency: next.modulePath,
          data: {
            module: module.modulePath || dir,
            size: members.length,
            path: path.map((d) => byDir.get(d)?.modulePath || d).join(' -> '),
          },
          extra: { cycle: members },
        });
      }
    }
  },
};

export default rule;
