// version-divergence: a dependency no anchor pins, required at several versions across the
// repository. It is the hint that turns into an anchor: the finding says which versions are in
// use, by how many modules, and which version to anchor.
import { z } from 'zod';
import type { Rule, ModuleInfo } from '../src/engine/types.ts';
import type { RequireStmt } from '../src/gomod/types.ts';
import { canonicalVersion, compareVersions, isValidVersion } from '../src/version/index.ts';
import { at, isReplacedRequirement, isReported, plural, replacedVersions, requireVersionToken } from './support/syntax.ts';

const optionsSchema = z.object({
  /** Also count `// indirect` requirements (they follow from the direct ones, so they are noisy). */
  includeIndirect: z.boolean().default(false),
  /**
   * Which version to suggest and measure against: `most-common` (the fewest modules have to move;
   * ties go to the highest) or `highest` (what minimal version selection picks when the modules are
   * built together).
   */
  target: z.enum(['most-common', 'highest']).default('most-common'),
}).strict();
type Options = z.infer<typeof optionsSchema>;

interface Use {
  module: ModuleInfo;
  req: RequireStmt;
  canonical: string;
}

export const rule: Rule<Options> = {
  meta: {
    id: 'version-divergence',
    type: 'suggestion',
    description: 'A dependency that no anchor pins, required at several versions across the repository.',
    defaultSeverity: 'info',
    messages: {
      diverges: '{{dependency}} is required here at {{version}}, but the repository uses {{count}} versions of it ({{versions}}); ' +
        'move to {{suggested}} and pin it for every module with `anchor {{dependency}} {{suggested}}` in anchor.lock',
    },
    optionsSchema,
  },
  create(context) {
    const { repo, options } = context;
    const anchored = repo.anchors?.anchors;
    const byDependency = new Map<string, Use[]>();
    for (const module of repo.modules) {
      if (!module.mod) continue;
      const replaced = replacedVersions(module);
      for (const req of module.mod.require) {
        const { path, version } = req.mod;
        if (req.indirect && !options.includeIndirect) continue;
        // Anchored paths belong to anchor-mismatch; sibling modules are versioned by the repository itself.
        if (anchored?.has(path) || repo.modulesByPath.has(path) || path === module.modulePath) continue;
        if (!isValidVersion(version) || isReplacedRequirement(replaced, path, version)) continue;
        let uses = byDependency.get(path);
        if (!uses) byDependency.set(path, (uses = []));
        uses.push({ module, req, canonical: canonicalVersion(version) });
      }
    }

    for (const [dependency, uses] of byDependency) {
      const counts = new Map<string, number>();
      for (const use of uses) counts.set(use.canonical, (counts.get(use.canonical) ?? 0) + 1);
      if (counts.size < 2) continue;
      // Most used first, then the highest: the order of the summary and the most-common choice.
      const ranked = [...counts].sort((a, b) => b[1] - a[1] || compareVersions(b[0], a[0]));
      let highest = ranked[0]![0];
      for (const [version] of ranked) if (compareVersions(version, highest) > 0) highest = version;
      const suggested = options.target === 'highest' ? highest : ranked[0]![0];
      const versions = ranked.map(([version, n]) => `${version} in ${plural(n, 'module')}`).join(', ');
      const extra = {
        versions: ranked.map(([version, modules]) => ({ version, modules })),
        suggested,
        highest,
        mostCommon: ranked[0]![0],
      };
      for (const use of uses) {
        if (use.canonical === suggested || !isReported(repo, use.module)) continue;
        context.report({
          messageId: 'diverges',
          file: use.module.goModFile,
          ...at(requireVersionToken(use.req.syntax)),
          module: use.module.modulePath,
          dependency,
          data: { dependency, version: use.req.mod.version, count: counts.size, versions, suggested },
          extra,
        });
      }
    }
  },
};

export default rule;
