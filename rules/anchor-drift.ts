// anchor-drift: minimal version selection builds an anchored dependency at a version other than the
// pin, although the go.mod itself may require exactly the pin. Any third-party module can require a
// higher version; Go then selects it silently, and the module ships with code nobody anchored. The
// finding names the requirement chain that pulls the version up, so the fix starts at the right place.
import type { z } from 'zod';
import { lazySchema } from '../src/util/zod.ts';
import type { Anchor, ModuleInfo, Rule } from '../src/engine/types.ts';
import type { RequireStmt } from '../src/gomod/types.ts';
import { pathIndex, selectPaths, type PathIndex, type Replacement } from '../src/graph/select.ts';
import { graphReplacements } from '../src/engine/workspace.ts';
import { explainSelected } from '../src/graph/why.ts';
import { compareVersions } from '../src/version/index.ts';
import { at, reportedModules, moduleLineAt, requireVersionToken } from './support/syntax.ts';

const optionsSchema = lazySchema((z) => z.object({
  /**
   * Leave out drift that the go.mod states itself (it requires the dependency at the selected
   * version, not at the pin): anchor-mismatch already reports that line.
   */
  skipDirectMismatch: z.boolean().default(true),
  /** Also report a selected version below the pin (the module builds an older version than anchored). */
  reportBelowPin: z.boolean().default(true),
}).strict());
type Options = z.infer<ReturnType<typeof optionsSchema>>;

export const rule: Rule<Options> = {
  meta: {
    id: 'anchor-drift',
    type: 'problem',
    description: 'Minimal version selection builds an anchored dependency at a version other than its pin in anchor.lock.',
    defaultSeverity: 'error',
    needsGraph: true,
    messages: {
      above: '{{chain}} (pinned {{pin}} in {{anchorFile}}:{{anchorLine}}): {{dependency}} builds at {{selected}}; ' +
        'move the modules on this chain to versions that require at most {{pin}}, or move the anchor if the whole repository should upgrade',
      below: '{{dependency}} builds at {{selected}} via {{chain}} (pinned {{pin}} in {{anchorFile}}:{{anchorLine}}); ' +
        'require {{dependency}} {{pin}} in this go.mod',
    },
    get optionsSchema() { return optionsSchema(); },
    defaultOptions: { skipDirectMismatch: true, reportBelowPin: true },
  },
  create(context) {
    const { repo, options } = context;
    const anchors = repo.anchors;
    if (!anchors || anchors.anchors.size === 0) return;
    const only = pathIndex(anchors.anchors.keys());
    const anchorList = [...anchors.anchors.values()];
    // The same few selected versions meet the same pins in module after module.
    const compare = memoize2(compareVersions);
    for (const module of reportedModules(repo)) {
      if (!module.graph) continue;
      checkModule(module, graphReplacements(repo, module), anchorList, only, anchors.file, options, compare, context.report);
    }
  },
};

/** memoize2 caches a pure function of two strings for one rule run. */
function memoize2<T>(fn: (a: string, b: string) => T): (a: string, b: string) => T {
  const cache = new Map<string, Map<string, T>>();
  return (a, b) => {
    let byB = cache.get(a);
    if (!byB) cache.set(a, (byB = new Map()));
    let v = byB.get(b);
    if (v === undefined && !byB.has(b)) byB.set(b, (v = fn(a, b)));
    return v as T;
  };
}

function checkModule(
  module: ModuleInfo, replace: readonly Replacement[], anchors: readonly Anchor[], only: PathIndex, anchorFile: string, options: Options,
  compare: (a: string, b: string) => number, report: Parameters<Rule['create']>[0]['report'],
): void {
  const graph = module.graph!;
  const selections = selectPaths(graph, only, replace, compare);
  if (selections.length === 0) return;
  // Only anchored requirements are looked up; the last one of a path wins, as a map of all would keep it.
  const requires = new Map<number, RequireStmt>();
  for (const r of module.mod?.require ?? []) {
    const k = only.index.get(r.mod.path);
    if (k !== undefined) requires.set(k, r);
  }

  for (const { k, selection: sel } of selections) {
    const path = only.paths[k]!;
    const anchor = anchors[k]!;
    // A directory or fork replacement builds other code than any version: replace-directive judges it.
    if (sel.replacement && (sel.replacement.new.path !== path || !sel.replacement.new.version)) continue;
    const cmp = compare(sel.version, anchor.version);
    if (cmp === 0) continue;
    if (cmp < 0 && !options.reportBelowPin) continue;
    const req = requires.get(k);
    if (options.skipDirectMismatch && req && !sel.replacement && compare(req.mod.version, sel.selected) === 0) continue;

    const explained = explainSelected(graph, path, sel.selected);
    let chain = explained?.text ?? `${path}@${sel.selected}`;
    if (sel.replacement) chain += `, replaced by ${path}@${sel.version}`;
    const where = req ? at(requireVersionToken(req.syntax)) : moduleLineAt(module);
    report({
      messageId: cmp > 0 ? 'above' : 'below',
      data: {
        chain, dependency: path, selected: sel.version, pin: anchor.version,
        anchorFile, anchorLine: anchor.line,
      },
      file: module.goModFile,
      ...where,
      module: module.modulePath,
      dependency: path,
      extra: {
        chain: (explained?.chain ?? []).map((n) => (n.version ? `${n.path}@${n.version}` : n.path)),
        selected: sel.selected,
        ...(sel.replacement ? { replacedBy: `${sel.replacement.new.path}@${sel.replacement.new.version}` } : {}),
      },
    });
  }
}
