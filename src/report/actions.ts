// The next steps a snapshot suggests, most urgent first: integrity and bans before moving modules
// to their pins, and those before tidying versions nobody pins yet.
import type { Snapshot, SnapshotFinding } from './snapshot.ts';

export type ActionKind = 'integrity' | 'ban' | 'parse' | 'move-to-pin' | 'graph-drift' | 'fix-rule' | 'anchor-spread';

/** Action is one suggested step; `text` is plain text (the Markdown and HTML writers escape it). */
export interface Action {
  kind: ActionKind;
  text: string;
  /** How many modules the step touches. */
  modules: number;
}

const PRIORITY: Record<ActionKind, number> = {
  integrity: 0, ban: 1, parse: 2, 'move-to-pin': 3, 'graph-drift': 4, 'fix-rule': 5, 'anchor-spread': 6,
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function distinctModules(findings: SnapshotFinding[]): number {
  return new Set(findings.map((f) => f.module || f.file)).size;
}

/** suggestActions lists the steps a snapshot suggests, most urgent first. */
export function suggestActions(s: Snapshot): Action[] {
  const actions: Action[] = [];
  const byRule = new Map<string, SnapshotFinding[]>();
  for (const f of s.findings) {
    let list = byRule.get(f.rule);
    if (!list) byRule.set(f.rule, (list = []));
    list.push(f);
  }

  const sums = byRule.get('gosum-hash-conflict') ?? [];
  if (sums.length > 0) {
    const deps = [...new Set(sums.map((f) => f.dependency).filter(Boolean))].sort();
    actions.push({
      kind: 'integrity',
      text: `Investigate ${plural(sums.length, 'go.sum hash conflict')} (integrity alarm)${deps.length ? `: ${deps.slice(0, 3).join(', ')}${deps.length > 3 ? ', …' : ''}` : ''}`,
      modules: distinctModules(sums),
    });
  }

  const bans = new Map<string, SnapshotFinding[]>();
  for (const f of byRule.get('banned-module') ?? []) {
    let list = bans.get(f.dependency);
    if (!list) bans.set(f.dependency, (list = []));
    list.push(f);
  }
  for (const [dep, list] of bans) {
    const n = distinctModules(list);
    actions.push({ kind: 'ban', text: `Remove the banned ${dep || 'module'} from ${plural(n, 'module')}`, modules: n });
  }

  const parse = byRule.get('parse-error') ?? [];
  if (parse.length > 0) {
    const files = new Set(parse.map((f) => f.file)).size;
    actions.push({ kind: 'parse', text: `Fix ${plural(files, 'file')} that do${files === 1 ? 'es' : ''} not parse`, modules: distinctModules(parse) });
  }

  for (const a of s.anchors) {
    for (const g of a.direct.versions) {
      if (g.relation === 'on') continue;
      const n = g.modules.length;
      actions.push({
        kind: 'move-to-pin',
        text: g.relation === 'below'
          ? `Move ${plural(n, 'module')} from ${a.path} ${g.version} to the pin ${a.pin}`
          : `Bring ${plural(n, 'module')} from ${a.path} ${g.version} back to the pin ${a.pin}, or raise the pin`,
        modules: n,
      });
    }
    // Modules already requiring the pin that still select another version: the graph pulls them.
    if (a.graph) {
      const offDirect = new Set(a.direct.versions.filter((g) => g.relation !== 'on').flatMap((g) => g.modules));
      for (const g of a.graph.versions) {
        if (g.relation === 'on') continue;
        const pulled = g.modules.filter((m) => !offDirect.has(m));
        if (pulled.length === 0) continue;
        actions.push({
          kind: 'graph-drift',
          text: `${plural(pulled.length, 'module')} select${pulled.length === 1 ? 's' : ''} ${a.path} ${g.version} through the module graph (pin ${a.pin}): ${g.relation === 'above' ? 'raise the pin or hold back the dependency that pulls it up' : 'raise the requirement'}`,
          modules: pulled.length,
        });
      }
    }
  }

  for (const rule of ['pseudo-version-conflict', 'replace-directive', 'multiple-majors', 'go-version-drift']) {
    const list = byRule.get(rule) ?? [];
    if (list.length === 0) continue;
    actions.push({ kind: 'fix-rule', text: `Resolve ${plural(list.length, `${rule} finding`)} in ${plural(distinctModules(list), 'module')}`, modules: distinctModules(list) });
  }

  for (const d of s.spread) {
    const most = [...d.versions].sort((a, b) => b.modules.length - a.modules.length)[0]!;
    actions.push({
      kind: 'anchor-spread',
      text: most === d.versions[0]
        ? `Anchor ${d.path} at ${most.version}: ${most.modules.length} of ${plural(d.modules, 'module')} already on it, the rest on ${d.versions.length - 1} older version${d.versions.length === 2 ? '' : 's'}`
        : `Anchor ${d.path}: ${plural(d.modules, 'module')} on ${d.versions.length} versions (most on ${most.version}, newest ${d.versions[0]!.version})`,
      modules: d.modules,
    });
  }

  return actions
    .map((a, i) => ({ a, i }))
    .sort((x, y) => PRIORITY[x.a.kind] - PRIORITY[y.a.kind] || y.a.modules - x.a.modules || x.i - y.i)
    .map((x) => x.a);
}
